/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/smp.c - bringing up vCPU 1 and its side of the IPI
 * tests (see smp.h).
 *
 * vCPU 1 shares vCPU 0's page tables and trap table but has its own stack
 * and its own event callback (arch/smp-entry.S): the common handler in
 * traps.c acknowledges vCPU 0's vcpu_info, which would be the wrong one.
 * vCPU 1 keeps its vcpu_info in shared_info (slot 1), never moved.
 */
#include <lib.h>
#include <arch.h>
#include <clock.h>
#include <hypercall.h>
#include <smp.h>
#include <traps.h>
#include <public/sched.h>
#include <public/vcpu.h>

struct smp_ap_state smp_ap;

extern char smp_ap_start[];

static uint8_t ap_stack[16384] __attribute__((aligned(16)));
static struct vcpu_guest_context ap_ctx;
static int ap_initialised;
static const void *ap_fpu;              /* VGCF_i387_valid image, or NULL */

int smp_ap_exists(void)
{
    return HYPERVISOR_vcpu_op(VCPUOP_is_up, SMP_AP, NULL) >= 0;
}

/* vCPU 1's job: block with upcalls on (the callback does the rest), and
 * run any work vCPU 0 left before waking it. */
void smp_ap_main(void)
{
    smp_ap.alive = 1;
    for (;;) {
        void (*fn)(void) = smp_ap.work;

        if (fn) {
            smp_ap.work_started = 1;
            fn();
            smp_ap.work = NULL;
        }
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    }
}

/* vCPU 1's event callback, upcalls masked by the hypervisor. */
void smp_ap_event(struct cpu_regs *regs)
{
    vcpu_info_t *vi = &shared_info_map()->vcpu_info[SMP_AP];
    uint32_t port = smp_ap.ipi_port, reply = smp_ap.reply_port;

    (void)regs;
    smp_ap.callbacks++;
    vi->evtchn_upcall_pending = 0;
    __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    if (!port || !evt_test_and_clear(port)) {
        smp_ap.stray++;
        return;
    }
    smp_ap.events++;
    if (reply) {
        long rc = evt_send(reply);

        if (rc)
            smp_ap.reply_errors = rc;
    }
}

/* The starting state of vCPU 1, as Linux's cpu_initialize_context builds it. */
static void build_context(struct vcpu_guest_context *c)
{
    const struct trap_info *t;

    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel;
    c->user_regs.rip = (uint64_t)(uintptr_t)smp_ap_start;
    c->user_regs.rsp = (uint64_t)(uintptr_t)(ap_stack + sizeof(ap_stack));
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = 0x2;
    for (t = default_trap_table; t->address; t++)
        c->trap_ctxt[t->vector] = *t;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = c->user_regs.rsp;
    /* Our own L4 (the builder's, pinned): cr3 holds its frame << 12. */
    c->ctrlreg[3] = virt_to_mfn((const void *)(uintptr_t)start_info->pt_base) << 12;
    c->event_callback_eip = (uint64_t)(uintptr_t)smp_ap_event_entry;
    c->failsafe_callback_eip = (uint64_t)(uintptr_t)failsafe_callback_entry;
    c->syscall_callback_eip = (uint64_t)(uintptr_t)syscall_callback_entry;
    if (ap_fpu) {
        memcpy(&c->fpu_ctxt, ap_fpu, sizeof(c->fpu_ctxt));
        c->flags |= VGCF_i387_valid;
    }
}

void smp_ap_set_fpu(const void *fxsave_image)
{
    ap_fpu = fxsave_image;
}

long smp_ap_up(void)
{
    uint64_t limit;
    long rc;

    shared_info_map();          /* vCPU 1 must not map it on its own */
    if (!ap_initialised) {
        build_context(&ap_ctx);
        rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, SMP_AP, &ap_ctx);
        if (rc)
            return rc;
        ap_initialised = 1;
    }
    rc = HYPERVISOR_vcpu_op(VCPUOP_up, SMP_AP, NULL);
    if (rc)
        return rc;
    limit = clock_ns() + 2 * NSEC_PER_SEC;
    while (!smp_ap.alive)
        if (clock_ns() > limit)
            return -1;
    return 0;
}
