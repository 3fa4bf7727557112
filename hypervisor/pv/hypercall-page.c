/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/hypercall-page.c - contents of the hypercall page for
 * kernels that ask for one (XEN_ELFNOTE_HYPERCALL_PAGE).
 *
 * Slot i (32 bytes) makes hypercall i with SYSCALL, keeping RCX and R11
 * (which SYSCALL clobbers) on the stack around it.  The iret slot never
 * returns: the guest has pushed its frame and the hypercall consumes it.
 */
#include <string.h>
#include <mica/types.h>
#include <public/xen.h>
#include <asm/arch-hooks.h>

void arch_write_hypercall_page(void *page)
{
    uint8_t *p = page;

    memset(page, 0xcc, PAGE_SIZE);          /* int3 between the stubs */
    for (unsigned int i = 0; i < PAGE_SIZE / HYPERCALL_STUB_SIZE; i++, p += HYPERCALL_STUB_SIZE) {
        uint8_t *s = p;

        *s++ = 0x51;                        /* push %rcx */
        *s++ = 0x41; *s++ = 0x53;           /* push %r11 */
        if (i == __HYPERVISOR_iret)
            *s++ = 0x50;                    /* push %rax: part of the frame */
        *s++ = 0xb8;                        /* mov $i, %eax */
        memcpy(s, &i, 4);
        s += 4;
        *s++ = 0x0f; *s++ = 0x05;           /* syscall */
        if (i == __HYPERVISOR_iret)
            continue;
        *s++ = 0x41; *s++ = 0x5b;           /* pop %r11 */
        *s++ = 0x59;                        /* pop %rcx */
        *s++ = 0xc3;                        /* ret */
    }
}
