/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/vcpu.c - a PV vCPU's architectural half, behind the
 * arch_* hooks common/ calls (asm/arch-hooks.h): made with the vCPU, given
 * its first state from a guest context (and, on a restore, the tables it
 * had), and taken apart at the kill.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/guest-access.h>
#include <mica/page.h>
#include <public/vcpu.h>
#include <asm/arch-hooks.h>
#include <asm/config.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/xstate.h>

int arch_vcpu_create(struct vcpu *v)
{
    pv_vcpu_init(v);
    pv_vcpu_fpu_init(v);
    return pv_vcpu_gdt_init(v);
}

void arch_vcpu_destroy(struct vcpu *v)
{
    pv_release_descriptor_tables(v);
    if (v->arch.guest_table)
        put_page_and_type(mfn_to_page(v->arch.guest_table));
    if (v->arch.guest_table_user)
        put_page_and_type(mfn_to_page(v->arch.guest_table_user));
}

static uint16_t guest_data_sel(uint16_t sel)
{
    return sel > 3 ? sel | 3 : 0;
}

/*
 * The context names its kernel
 * page tables by machine frame (ctrlreg[3]), which must validate as an L4
 * of the vCPU's domain; the vCPU must not be running.
 */
int arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct arch_vcpu *a = &v->arch;
    mfn_t l4;

    ASSERT(spin_is_locked_by_me(&v->setup_lock));
    if (v->arch.guest_table)
        return -EEXIST;
    if (!canonical(c->user_regs.rip) || !canonical(c->user_regs.rsp) ||
        !canonical(c->event_callback_eip) || !canonical(c->failsafe_callback_eip) ||
        !canonical(c->syscall_callback_eip) || !canonical(c->fs_base) ||
        !canonical(c->gs_base_kernel) || !canonical(c->gs_base_user) ||
        !canonical(c->kernel_sp))
        return -EINVAL;
    l4 = c->ctrlreg[3] >> PAGE_SHIFT;
    if (!mfn_valid(l4) || get_page_and_type(mfn_to_page(l4), v->domain, PGT_l4))
        return -EINVAL;

    memcpy(a->traps, c->trap_ctxt, sizeof(a->traps));
    a->event.address = c->event_callback_eip;
    a->failsafe.address = c->failsafe_callback_eip;
    a->failsafe.mask_events = c->flags & VGCF_failsafe_disables_events;
    a->syscall.address = c->syscall_callback_eip;
    a->syscall.mask_events = c->flags & VGCF_syscall_disables_events;
    /* The virtual IOPL travels in the context's RFLAGS (Linux asks for 1). */
    a->iopl = (c->user_regs.rflags >> 12) & 3;
    a->kernel_ss = c->kernel_ss | 3;
    a->kernel_sp = c->kernel_sp;
    a->kernel_mode = true;
    a->fs_base = c->fs_base;
    a->gs_base = c->gs_base_kernel;
    a->gs_shadow = c->gs_base_user;
    /* Loaded when the vCPU first runs, as Xen loads them: RPL 3 for any
     * non-null selector (the guest kernel runs in ring 3). */
    a->sel[PV_SEL_DS] = guest_data_sel(c->user_regs.ds);
    a->sel[PV_SEL_ES] = guest_data_sel(c->user_regs.es);
    a->sel[PV_SEL_FS] = guest_data_sel(c->user_regs.fs);
    a->sel[PV_SEL_GS] = guest_data_sel(c->user_regs.gs);
    /* Without VGCF_i387_valid the FPU starts as after FNINIT (Linux sends zeroes). */
    if (c->flags & VGCF_i387_valid)
        xstate_set_fxsave(v, &c->fpu_ctxt);
    else
        pv_vcpu_fpu_init(v);
    a->regs = (struct cpu_regs){
        .r15 = c->user_regs.r15, .r14 = c->user_regs.r14, .r13 = c->user_regs.r13,
        .r12 = c->user_regs.r12, .rbp = c->user_regs.rbp, .rbx = c->user_regs.rbx,
        .r11 = c->user_regs.r11, .r10 = c->user_regs.r10, .r9 = c->user_regs.r9,
        .r8 = c->user_regs.r8, .rax = c->user_regs.rax, .rcx = c->user_regs.rcx,
        .rdx = c->user_regs.rdx, .rsi = c->user_regs.rsi, .rdi = c->user_regs.rdi,
        .rip = c->user_regs.rip, .rsp = c->user_regs.rsp,
        .cs = FLAT_KERNEL_CS, .ss = FLAT_KERNEL_SS,
        .rflags = (c->user_regs.rflags & ~0x3000UL) | 0x202,
    };
    /* Last: VCPUOP_up takes a vCPU with page tables as fully set up. */
    __atomic_store_n(&a->guest_table, l4, __ATOMIC_RELEASE);
    return 0;
}

void arch_vcpu_send_nmi(struct vcpu *v)
{
    v->arch.nmi_pending = true;         /* delivered on the way back in */
}

bool arch_vcpu_initialised(const struct vcpu *v)
{
    return __atomic_load_n(&v->arch.guest_table, __ATOMIC_ACQUIRE) != 0;
}

/*
 * The saved state of a vCPU that is not running, as a guest context
 * (getvcpucontext); common/ adds what is not architectural.
 */
void arch_get_vcpu_context(const struct vcpu *v, struct vcpu_guest_context *c)
{
    const struct arch_vcpu *a = &v->arch;
    const struct cpu_regs *r = &a->regs;

    memset(c, 0, sizeof(*c));
    memcpy(&c->fpu_ctxt, a->fpu, sizeof(c->fpu_ctxt));
    c->flags = VGCF_i387_valid |
               (a->kernel_mode ? VGCF_in_kernel : 0) |
               (a->failsafe.mask_events ? VGCF_failsafe_disables_events : 0) |
               (a->syscall.mask_events ? VGCF_syscall_disables_events : 0);
    c->user_regs = (struct cpu_user_regs){
        .r15 = r->r15, .r14 = r->r14, .r13 = r->r13, .r12 = r->r12,
        .rbp = r->rbp, .rbx = r->rbx, .r11 = r->r11, .r10 = r->r10,
        .r9 = r->r9, .r8 = r->r8, .rax = r->rax, .rcx = r->rcx,
        .rdx = r->rdx, .rsi = r->rsi, .rdi = r->rdi, .rip = r->rip,
        .cs = r->cs, .rflags = r->rflags, .rsp = r->rsp, .ss = r->ss,
        .ds = a->sel[PV_SEL_DS], .es = a->sel[PV_SEL_ES],
        .fs = a->sel[PV_SEL_FS], .gs = a->sel[PV_SEL_GS],
    };
    memcpy(c->trap_ctxt, a->traps, sizeof(c->trap_ctxt));
    for (unsigned int i = 0; i < a->gdt_frames && i < ARRAY_SIZE(c->gdt_frames); i++)
        c->gdt_frames[i] = a->gdt_mfn[i];
    c->gdt_ents = a->gdt_ents;
    c->ldt_ents = a->ldt_ents;
    c->kernel_ss = a->kernel_ss;
    c->kernel_sp = a->kernel_sp;
    c->ctrlreg[3] = a->guest_table << PAGE_SHIFT;
    c->ctrlreg[1] = a->guest_table_user << PAGE_SHIFT;     /* the user L4 */
    c->ctrlreg[4] = a->guest_cr4;
    memcpy(c->debugreg, a->debugreg, sizeof(c->debugreg));
    c->event_callback_eip = a->event.address;
    c->failsafe_callback_eip = a->failsafe.address;
    c->syscall_callback_eip = a->syscall.address;
    c->fs_base = a->fs_base;
    /* The inactive mode's GS base waits in gs_shadow. */
    c->gs_base_kernel = a->kernel_mode ? a->gs_base : a->gs_shadow;
    c->gs_base_user = a->kernel_mode ? a->gs_shadow : a->gs_base;
}

/*
 * A suspend cancelled by the toolstack (common/domctl-save.c): the general
 * registers alone, and only for a context naming the page tables the vCPU
 * has; anything else keeps the -EEXIST a second VCPUOP_initialise gets.
 */
int arch_set_vcpu_regs(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct cpu_regs *r = &v->arch.regs;
    const struct cpu_user_regs *u = &c->user_regs;

    if ((c->ctrlreg[3] >> PAGE_SHIFT) != v->arch.guest_table)
        return -EEXIST;
    r->rax = u->rax; r->rbx = u->rbx; r->rcx = u->rcx; r->rdx = u->rdx;
    r->rsi = u->rsi; r->rdi = u->rdi; r->rbp = u->rbp;
    r->r8 = u->r8; r->r9 = u->r9; r->r10 = u->r10; r->r11 = u->r11;
    r->r12 = u->r12; r->r13 = u->r13; r->r14 = u->r14; r->r15 = u->r15;
    return 0;
}

/*
 * The GDT frames, user L4 and LDT a restored vCPU had.  The frames are the
 * new domain's (the restorer localised them).  On failure the references
 * taken so far stay with the vCPU, released when it dies.
 */
int arch_restore_vcpu_tables(struct vcpu *v, const struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    unsigned int n = (unsigned int)((c->gdt_ents + 511) / 512);
    mfn_t user = c->ctrlreg[1] >> PAGE_SHIFT;
    int rc;

    if (c->gdt_ents > FIRST_RESERVED_GDT_ENTRY || v->arch.gdt_frames)
        return c->gdt_ents ? -EINVAL : 0;
    for (unsigned int i = 0; i < n; i++) {
        if (!mfn_valid(c->gdt_frames[i]) ||
            get_page_and_type(mfn_to_page(c->gdt_frames[i]), d, PGT_seg_desc))
            return -EINVAL;
        v->arch.gdt_mfn[i] = c->gdt_frames[i];
        v->arch.gdt_frames = i + 1;
    }
    v->arch.gdt_ents = c->gdt_ents;
    if ((rc = pv_vcpu_gdt_init(v)))
        return rc;
    if (user && !v->arch.guest_table_user) {
        if (!mfn_valid(user) || get_page_and_type(mfn_to_page(user), d, PGT_l4))
            return -EINVAL;
        v->arch.guest_table_user = user;
    }
    return c->ldt_ents ? set_ldt(v, c->ldt_base, (uint32_t)c->ldt_ents) : 0;
}
