/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/main.c - boot, command line, test runner, shutdown.
 *
 * Command line (start_info.cmd_line, space separated, unknown words are
 * ignored so the hypervisor may append its own):
 *   test=all | test=NAME[,NAME...]   NAME is "area/what" or a whole "area";
 *                                    no test= at all means all
 *   hypercall=syscall                default path = bare syscall, not the page
 * Each test prints "TEST <name>: PASS|FAIL|SKIP <reason>"; the run ends with
 * "N passed, N failed" and SCHEDOP_shutdown: poweroff if nothing failed,
 * crash otherwise.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>


start_info_t *start_info;
shared_info_t *shared;
vcpu_info_t *vcpu0;
int hypercall_via_syscall;
uint64_t boot_tsc;                    /* rdtsc at our first console line */

/* vcpu_info moved here at boot (VCPUOP_register_vcpu_info). */
static uint8_t vcpu_info_page[PAGE_SIZE] __attribute__((aligned(4096)));
long boot_register_vcpu_info_rc;
vcpu_info_t boot_vcpu_info_after;     /* snapshot right after registering */

enum verdict { V_PASS, V_FAIL, V_SKIP };

static const struct test_desc *cur_test;
static enum verdict cur_verdict;
static char cur_reason[160];
static tk_jmp_buf test_jb;

extern const struct test_desc __start_test_registry[], __stop_test_registry[];

static void shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    for (;;)
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

void panic(const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("PANIC: %s\n", buf);
    shutdown(SHUTDOWN_crash);
    __builtin_unreachable();
}

static void set_verdict(enum verdict v, const char *fmt, va_list ap)
{
    char buf[sizeof(cur_reason)];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    if (!cur_test) {
        printk("(outside a test) %s\n", buf);
        return;
    }
    if (cur_verdict == V_FAIL || (cur_verdict == V_SKIP && v == V_SKIP)) {
        /* Keep the first reason on the TEST line; show the rest above it. */
        printk("  %s: %s\n", v == V_FAIL ? "also" : "skip", buf);
        return;
    }
    cur_verdict = v;
    memcpy(cur_reason, buf, sizeof(buf));
}

void test_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    set_verdict(V_FAIL, fmt, ap);
    va_end(ap);
}

void test_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    set_verdict(V_SKIP, fmt, ap);
    va_end(ap);
}

void test_note(const char *fmt, ...)
{
    char buf[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("  note: %s\n", buf);
}

void test_abort(void)
{
    if (!cur_test)
        panic("test_abort outside a test");
    tk_longjmp(test_jb, 1);
}

uint64_t virt_to_mfn(const void *va)
{
    uint64_t pfn = ((uint64_t)(uintptr_t)va - VIRT_BASE) >> 12;
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;

    return p2m[pfn];
}

/*
 * Are we on Mica?  A test that declares xen_differs asserts Mica's
 * behaviour; on real Xen its failure is expected and reported as a SKIP
 * naming the reason, so the Xen run stays green and compare.sh still sees
 * the difference.
 */
static int on_mica = -1;

static int running_on_mica(void)
{
    char extra[XEN_EXTRAVERSION_LEN] = { 0 };

    if (on_mica < 0)
        on_mica = HYPERVISOR_xen_version(XENVER_extraversion, extra) == 0 &&
                  !strncmp(extra, "-mica", 5);
    return on_mica;
}

static int run_one(const struct test_desc *t)
{
    static const char *const names[] = { "PASS", "FAIL", "SKIP" };
    int saved_mode = hypercall_via_syscall;

    cur_test = t;
    if (t->xen_differs)
        printk("  xen-differs %s: %s\n", t->name, t->xen_differs);
    cur_verdict = V_PASS;
    cur_reason[0] = '\0';
    exc_reset();
    if (tk_setjmp(test_jb) == 0)
        t->fn();
    /* Undo whatever the test changed, even if it was cut short. */
    hypercall_via_syscall = saved_mode;
    traps_restore();
    cur_test = NULL;
    if (t->xen_differs && cur_verdict == V_FAIL && !running_on_mica()) {
        cur_verdict = V_SKIP;
        snprintf(cur_reason, sizeof(cur_reason), "xen differs: %s", t->xen_differs);
    }
    printk("TEST %s: %s%s%s\n", t->name, names[cur_verdict],
           cur_reason[0] ? " " : "", cur_reason);
    return cur_verdict;
}

static const struct test_desc *find_test(const char *name, size_t len)
{
    const struct test_desc *t;

    for (t = __start_test_registry; t < __stop_test_registry; t++)
        if (strlen(t->name) == len && !strncmp(t->name, name, len))
            return t;
    return NULL;
}

/* Does "area" (len bytes) name a test area, i.e. a prefix "area/"? */
static int is_area(const struct test_desc *t, const char *area, size_t len)
{
    return !strncmp(t->name, area, len) && t->name[len] == '/';
}

static unsigned int passed, failed, skipped;

static void count(int v)
{
    if (v == V_PASS)
        passed++;
    else if (v == V_FAIL)
        failed++;
    else
        skipped++;
}

static void run_selection(const char *sel, size_t len)
{
    const struct test_desc *t;
    int found = 0;

    if (len == 3 && !strncmp(sel, "all", 3)) {
        for (t = __start_test_registry; t < __stop_test_registry; t++)
            count(run_one(t));
        return;
    }
    t = find_test(sel, len);
    if (t) {
        count(run_one(t));
        return;
    }
    for (t = __start_test_registry; t < __stop_test_registry; t++)
        if (is_area(t, sel, len)) {
            count(run_one(t));
            found = 1;
        }
    if (!found) {
        /* Print at most 100 characters of a bogus name. */
        printk("TEST ");
        console_write(sel, len > 100 ? 100 : len);
        printk(": FAIL unknown test\n");
        failed++;
    }
}

/* Copy of the command line we can modify; always NUL-terminated. */
static char cmdline[MAX_GUEST_CMDLINE + 1];

static void parse_options(void)
{
    char *p;

    for (p = cmdline; *p; ) {
        char *w = p;
        size_t n = 0;

        while (w[n] && w[n] != ' ')
            n++;
        if (n == 17 && !strncmp(w, "hypercall=syscall", 17))
            hypercall_via_syscall = 1;
        p = w + n;
        while (*p == ' ')
            p++;
    }
}

static void run_selected(void)
{
    int any = 0;
    char *p;

    for (p = cmdline; *p; ) {
        size_t n = 0;

        while (p[n] && p[n] != ' ')
            n++;
        if (n > 5 && !strncmp(p, "test=", 5)) {
            char *s = p + 5, *end = p + n;

            any = 1;
            while (s < end) {
                char *c = s;

                while (c < end && *c != ',')
                    c++;
                if (c > s)
                    run_selection(s, (size_t)(c - s));
                s = c + 1;
            }
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    if (!any)
        run_selection("all", 3);
}

long vcpu0_info_register(void)
{
    struct vcpu_register_vcpu_info info = {
        .mfn = virt_to_mfn(vcpu_info_page),
        .offset = 0,
    };
    long rc;

    vcpu0 = NULL;               /* the shared_info slot until it moves */
    rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info);
    if (rc == 0)
        vcpu0 = (vcpu_info_t *)vcpu_info_page;
    return rc;
}

static void setup_vcpu_info(void)
{
    boot_register_vcpu_info_rc = vcpu0_info_register();
    if (boot_register_vcpu_info_rc == 0)
        boot_vcpu_info_after = *vcpu0;
}

void kernel_main(start_info_t *si)
{
    start_info = si;
    memcpy(cmdline, si->cmd_line, MAX_GUEST_CMDLINE);
    cmdline[MAX_GUEST_CMDLINE] = '\0';
    parse_options();

    boot_tsc = rdtsc();
    printk("Mica test kernel: %s, start_info %p, %lu pages, flags %#x\n",
           si->magic, si, si->nr_pages, si->flags);
    printk("command line: %s\n", cmdline);

    setup_vcpu_info();
    traps_init();

    run_selected();

    if (skipped)
        printk("(%u skipped)\n", skipped);
    printk("%u passed, %u failed\n", passed, failed);
    shutdown(failed ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}
