/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/common/guest-console.c - the console rings of boot-time
 * guests, drained by the hypervisor onto its own console.
 *
 * A guest the toolstack builds has its console ring served by dom0's
 * console daemon.  A boot-time guest (arch/x86/boot-domains.c) is never
 * introduced to dom0's daemons, and Linux's console writer spins, yielding,
 * until its 2 KiB ring has room: unserved, the guest stops at its first
 * screenful.  So Mica reads what such a guest writes there and prints it
 * as it prints the guest's console_io text, with the "(dN) " prefix.  Input
 * is not offered: the guest's "in" ring stays empty.
 *
 * The ring page stays the guest's; the hypervisor holds a general and a
 * writable type reference on it while serving, so the frame can neither
 * be freed and reused nor become a page table under the index it writes.
 * Both references and the one on the domain go in domain_destroy(), in
 * process context: the last put of a frame must not come from the tick.
 * The ring's contents are the guest's: indices are read once, and a
 * producer further than a ring's length ahead is taken as "everything
 * before it is lost" instead of being trusted.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/console.h>
#include <mica/domain.h>
#include <mica/page.h>
#include <asm/spinlock.h>
#include <public/io/console.h>

#define MAX_SERVED  8
#define CHUNK       256         /* bytes a tick: 25 KiB/s at HZ=100 */
#define HOLD_TICKS  20          /* a part line waits up to 200 ms for its end */

struct served_ring {
    struct domain *d;               /* referenced; NULL: slot free */
    struct page_info *pg;           /* general + writable type reference */
    struct xencons_interface *ring;
    XENCONS_RING_IDX held_at;       /* out_prod when a part line was held back */
    unsigned int held_ticks;        /* ticks out_prod has stayed there */
};

static struct served_ring served[MAX_SERVED];
static spinlock_t served_lock = SPINLOCK_INIT;   /* taken from the tick: irqsave */

int guest_console_serve(struct domain *d, mfn_t ring)
{
    struct served_ring *slot = NULL;
    struct page_info *pg;
    unsigned long flags;

    if (!mfn_valid(ring))
        return -EINVAL;
    pg = mfn_to_page(ring);
    if (get_page_and_type(pg, d, PGT_writable))
        return -EINVAL;
    flags = spin_lock_irqsave(&served_lock);
    for (unsigned int i = 0; i < MAX_SERVED && !slot; i++)
        if (!served[i].d)
            slot = &served[i];
    if (slot) {
        get_knownalive_domain(d);
        *slot = (struct served_ring){ d, pg, __va(ring << PAGE_SHIFT), 0, 0 };
    }
    spin_unlock_irqrestore(&served_lock, flags);
    if (!slot) {
        put_page_and_type(pg);
        return -ENOSPC;
    }
    return 0;
}

void guest_console_release(struct domain *d)
{
    struct served_ring gone = { 0 };
    unsigned long flags = spin_lock_irqsave(&served_lock);

    for (unsigned int i = 0; i < MAX_SERVED; i++)
        if (served[i].d == d) {
            gone = served[i];
            served[i].d = NULL;
        }
    spin_unlock_irqrestore(&served_lock, flags);
    if (!gone.d)
        return;
    put_page_and_type(gone.pg);
    put_domain(d);                  /* never the last: the table holds one */
}

/*
 * Print what one guest wrote since the last look, at most CHUNK bytes a
 * tick (printing runs with interrupts off), and hand the space back.  A
 * line still being written is held back, so that other output does not
 * land inside it, until the guest has written nothing for HOLD_TICKS
 * ticks: a vCPU stopped in mid-line (a busy host) keeps its line whole,
 * and a prompt that never ends its line still goes out.
 */
static void drain(struct served_ring *s)
{
    struct xencons_interface *r = s->ring;
    XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
    char buf[CHUNK];
    size_t n = 0, lines = 0;

    if (prod - cons > sizeof(r->out))
        cons = prod - sizeof(r->out);
    while (cons != prod && n < sizeof(buf)) {
        buf[n] = r->out[MASK_XENCONS_IDX(cons++, r->out)];
        if (buf[n++] == '\n')
            lines = n;
    }
    s->held_ticks = s->held_at == prod ? s->held_ticks + 1 : 0;
    s->held_at = prod;
    /* A full chunk ends at its last newline, if it has one. */
    if (lines < n && (n == sizeof(buf) ? lines > 0 : s->held_ticks < HOLD_TICKS)) {
        cons -= n - lines;
        n = lines;
    }
    if (n)
        console_guest_write(s->d, buf, n);
    __atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
}

/* From CPU 0's timer tick. */
void guest_console_poll(void)
{
    unsigned long flags = spin_lock_irqsave(&served_lock);

    for (unsigned int i = 0; i < MAX_SERVED; i++)
        if (served[i].d)
            drain(&served[i]);
    spin_unlock_irqrestore(&served_lock, flags);
}
