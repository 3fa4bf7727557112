/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/save.c - save/loop: the test kernel as a domU that a
 * toolstack saves and restores (tests/linux/dom0-tests/84-domu-save-tk.sh
 * does it 20 times, with "save=1" on the command line: without it the
 * test skips, as it runs until told to stop).  It publishes its p2m, writes
 * control/feature-suspend = 1 as Linux does at boot, then keeps a counter
 * and every 100 ms reads control/shutdown:
 *
 *   suspend          acknowledged by writing "" (the value the toolstack
 *                    waits to see change), then SCHEDOP_shutdown(suspend);
 *                    after the resume one line says which kind it was
 *   poweroff, halt   acknowledged, and the test ends (PASS if every
 *                    suspend returned 0 or 1)
 *
 * Every 500 ms "SAVE-COUNT=N" goes to the console ring (mica-consoled's
 * log) and the hypervisor console, so a harness sees the guest carry on
 * after each restore.  An error from xenstore or the suspend hypercall
 * fails the test at once.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <suspend.h>
#include <test.h>
#include <public/errno.h>
#include <public/io/console.h>
#include <public/sched.h>
#include <xenstore.h>

#define POLL_NS     (100 * 1000 * 1000UL)
#define TICKS       5                   /* polls per counter line */
#define RING_WAIT   (1 * NSEC_PER_SEC)

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line to both consoles; a ring nobody drains is not waited on long. */
static void say(const char *fmt, ...)
{
    char line[120];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(line))
        n = sizeof(line) - 1;
    console_write(line, (size_t)n);
    console_ring_write(line, (size_t)n, RING_WAIT);
}

TEST(loop, "save/loop")
{
    unsigned long count = 0, tick = 0, saved = 0, cancelled = 0;
    char val[32];
    long rc;

    if (start_info->flags & SIF_INITDOMAIN) {
        test_skip("a domU's test: dom0 is not saved");
        return;
    }
    /* It runs until told to stop, so "test=all" must pass over it. */
    cmdline_uint_needed("save", "a guest of a save harness");
    if ((rc = p2m_publish())) {
        test_fail("p2m_publish: %ld", rc);
        return;
    }
    if ((rc = xs_write("control/feature-suspend", "1")))
        test_note("control/feature-suspend not written: %ld", rc);
    say("SAVE-READY pages=%lu\n", start_info->nr_pages);
    for (;;) {
        if (tick++ % TICKS == 0)
            say("SAVE-COUNT=%lu\n", ++count);
        clock_sleep_until(clock_ns() + POLL_NS);
        rc = xs_read("control/shutdown", val, sizeof(val));
        if (rc == -ENOENT || (rc >= 0 && !val[0]))
            continue;
        if (rc < 0) {
            test_fail("reading control/shutdown: %ld", rc);
            return;
        }
        if ((rc = xs_write("control/shutdown", ""))) {
            test_fail("acknowledging '%s': %ld", val, rc);
            return;
        }
        if (strcmp(val, "suspend"))
            break;
        rc = guest_suspend();
        if (rc < 0) {
            test_fail("SCHEDOP_shutdown(suspend) returned %ld", rc);
            return;
        }
        if (rc)
            cancelled++;
        else
            saved++;
        say("SAVE-RESUMED %s count=%lu (%lu new domains, %lu cancelled)\n",
            rc ? "cancelled" : "new-domain", count, saved, cancelled);
    }
    say("SAVE-DONE '%s' after %lu new domains, %lu cancelled, count %lu\n", val, saved,
        cancelled, count);
    /* The domain goes at our power-off: let the console daemon take the line first. */
    for (uint64_t limit = clock_ns() + RING_WAIT;
         __atomic_load_n(&console_ring()->out_cons, __ATOMIC_ACQUIRE) !=
         console_ring()->out_prod && clock_ns() < limit;)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}
