/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/clock.c - pvclock time, timer sleeps, shared_info and
 * command-line helpers (see clock.h).
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <test.h>
#include <public/event_channel.h>
#include <public/sched.h>

/*
 * (delta << shift or >> -shift) * mul >> 32, the way Xen scales TSC ticks
 * to ns; the product needs 96 bits.
 */
static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
    if (shift < 0)
        delta >>= -shift;
    else
        delta <<= shift;
    return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t clock_ns_of(const volatile struct vcpu_time_info *t)
{
    uint32_t version;
    uint64_t ns;

    /* An odd or changed version means the hypervisor was mid-update. */
    do {
        version = t->version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        ns = t->system_time +
             scale_delta(rdtsc() - t->tsc_timestamp, t->tsc_to_system_mul,
                         t->tsc_shift);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
    } while ((version & 1) || version != t->version);
    return ns;
}

uint64_t clock_ns_at_tsc(uint64_t tsc)
{
    const volatile struct vcpu_time_info *t =
        vcpu0 ? &vcpu0->time : &shared_info_map()->vcpu_info[0].time;
    uint64_t now_tsc = rdtsc(), now = clock_ns_of(t);

    /* Back from now at the current rate: the record may be newer than tsc. */
    return now - scale_delta(now_tsc - tsc, t->tsc_to_system_mul, t->tsc_shift);
}

uint64_t clock_ns(void)
{
    if (vcpu0)
        return clock_ns_of(&vcpu0->time);
    return clock_ns_of(&shared_info_map()->vcpu_info[0].time);
}

/* A page of .bss whose mapping is replaced by the shared_info frame. */
static uint8_t shared_window[PAGE_SIZE] __attribute__((aligned(4096)));
static shared_info_t *shared_mapped;

shared_info_t *shared_info_map(void)
{
    uint64_t pte;
    long rc;

    if (shared_mapped)
        return shared_mapped;
    pte = (start_info->shared_info & ~0xfffUL) | 0x63;     /* P, RW, A, D */
    rc = HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)shared_window,
                                      pte, UVMF_INVLPG);
    if (rc)
        panic("mapping shared_info: %ld", rc);
    shared_mapped = (shared_info_t *)shared_window;
    return shared_mapped;
}

void shared_info_unmap(void)
{
    uint64_t pte = (virt_to_mfn(shared_window) << 12) | 0x63;

    if (!shared_mapped)
        return;
    if (HYPERVISOR_update_va_mapping((uint64_t)(uintptr_t)shared_window, pte, UVMF_INVLPG))
        panic("unmapping shared_info");
    shared_mapped = NULL;
}

int cmdline_uint(const char *key, uint64_t *val)
{
    const char *p = (const char *)start_info->cmd_line;
    size_t klen = strlen(key);

    while (*p) {
        size_t n = 0;

        while (p[n] && p[n] != ' ')
            n++;
        if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
            uint64_t v = 0;

            for (size_t i = klen + 1; i < n && p[i] >= '0' && p[i] <= '9'; i++)
                v = v * 10 + (uint64_t)(p[i] - '0');
            *val = v;
            return 1;
        }
        p += n;
        while (*p == ' ')
            p++;
    }
    return 0;
}

uint64_t cmdline_uint_needed(const char *key, const char *who)
{
    uint64_t v;

    if (!cmdline_uint(key, &v)) {
        test_skip("%s only (no %s= on the command line)", who, key);
        test_abort();
    }
    return v;
}

long evt_bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

    return rc ? rc : (long)b.port;
}

long evt_bind_ipi(uint32_t vcpu)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &b);

    return rc ? rc : (long)b.port;
}

long evt_alloc_unbound(domid_t remote)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

    return rc ? rc : (long)a.port;
}

long evt_bind_interdomain(domid_t remote, uint32_t remote_port)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote,
                                         .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);

    return rc ? rc : (long)b.local_port;
}

long evt_close(uint32_t port)
{
    struct evtchn_close c = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

long evt_send(uint32_t port)
{
    struct evtchn_send s = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

int evt_test_and_clear(uint32_t port)
{
    xen_ulong_t bit = 1UL << (port % 64);
    xen_ulong_t old = __atomic_fetch_and(&shared_info_map()->evtchn_pending[port / 64],
                                         ~bit, __ATOMIC_SEQ_CST);

    return (old & bit) != 0;
}

long evt_poll(uint32_t port, uint64_t deadline)
{
    vcpu_info_t *vi = vcpu0 ? vcpu0 : &shared_info_map()->vcpu_info[0];

    /*
     * Acknowledge what is owed, as an upcall handler would, so the next
     * event raises upcall_pending afresh.  (Xen also wakes a poller whose
     * flags were already set; evt_poll_raw below tests exactly that.)
     */
    vi->evtchn_pending_sel = 0;
    vi->evtchn_upcall_pending = 0;
    return evt_poll_raw(port, deadline);
}

long evt_poll_raw(uint32_t port, uint64_t deadline)
{
    evtchn_port_t p = port;
    struct sched_poll sp = { .ports = HC_PTR(&p), .nr_ports = 1,
                             .timeout = deadline };

    return HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
}

static long set_timer_op(uint64_t when)
{
    return hypercall(__HYPERVISOR_set_timer_op, when, 0, 0, 0, 0);
}

long clock_sleep_until(uint64_t deadline)
{
    long port = evt_bind_virq(VIRQ_TIMER, 0), rc = 0;

    if (port < 0)
        return port;
    while (clock_ns() < deadline) {
        evt_test_and_clear((uint32_t)port);
        rc = set_timer_op(deadline);
        /* A timer that fired in between left the port pending: no hang. */
        rc = rc ?: evt_poll((uint32_t)port, 0);
        if (rc)
            break;
    }
    set_timer_op(0);
    evt_close((uint32_t)port);
    evt_test_and_clear((uint32_t)port);
    return rc;
}
