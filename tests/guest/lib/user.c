/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/lib/user.c - running test code in guest user mode.
 *
 * A 64-bit PV kernel and its user space both run in ring 3; the hypervisor
 * tells them apart by a per-vCPU mode flag and gives each its own L4.  The
 * tests keep it simple: the user L4 is the kernel's own boot L4 (which maps
 * everything with _PAGE_USER, as Xen's builder does for 64-bit PV), so user
 * code can run anywhere in the image.  Setting it needs
 * MMUEXT_NEW_USER_BASEPTR - the one memory-management call the user-mode
 * tests depend on.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <traps.h>

void user_enter(uint64_t rip, uint64_t rsp, uint64_t rax)
    __attribute__((noreturn));

#define STACK_SIZE  (4 * PAGE_SIZE)

static uint8_t user_stack[STACK_SIZE] __attribute__((aligned(4096)));
/* Where the hypervisor puts bounce frames for traps taken in user mode. */
uint8_t user_kernel_stack[STACK_SIZE] __attribute__((aligned(4096)));

static tk_jmp_buf user_jb;
static struct user_exit *user_out;
static int user_ready;

long user_prepare(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR };
    long rc;

    rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                 (uint64_t)(uintptr_t)(user_kernel_stack +
                                                       STACK_SIZE));
    if (rc)
        return rc;
    if (user_ready)
        return 0;
    op.arg1.mfn = virt_to_mfn((void *)(uintptr_t)start_info->pt_base);
    rc = HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    if (!rc)
        user_ready = 1;
    return rc;
}

void user_run(void (*fn)(void), uint64_t rax, struct user_exit *out)
{
    memset(out, 0, sizeof(*out));
    user_out = out;
    if (tk_setjmp(user_jb) == 0)
        user_enter((uint64_t)(uintptr_t)fn,
                   (uint64_t)(uintptr_t)(user_stack + STACK_SIZE - 8), rax);
    user_out = NULL;
}

/* Frame the hypervisor builds for a syscall from user mode. */
struct syscall_frame {
    uint64_t rcx, r11, rip, cs, rflags, rsp, ss;
};

void user_syscall_dispatch(const struct syscall_frame *f, uint64_t rax)
{
    if (!user_out)
        panic("syscall callback outside user_run (rip %#lx)", f->rip);
    user_out->how = USER_SYSCALL;
    user_out->rax = rax;
    user_out->rcx = f->rcx;
    user_out->r11 = f->r11;
    user_out->rip = f->rip;
    user_out->cs = f->cs;
    user_out->rflags = f->rflags;
    user_out->rsp = f->rsp;
    user_out->ss = f->ss;
    tk_longjmp(user_jb, 1);
}

void user_exception_exit(const struct cpu_regs *r)
{
    if (!user_out)
        panic("user-mode exception %lu outside user_run", r->vector);
    user_out->how = USER_EXCEPTION;
    user_out->rax = r->rax;
    user_out->rcx = r->rcx;
    user_out->r11 = r->r11;
    user_out->rip = r->rip;
    user_out->cs = r->cs;
    user_out->rflags = r->rflags;
    user_out->rsp = r->rsp;
    user_out->ss = r->ss;
    tk_longjmp(user_jb, 1);
}
