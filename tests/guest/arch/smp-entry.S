/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/arch/smp-entry.S - the secondary vCPU's event callback and
 * first instruction.
 *
 * The callback builds the same struct cpu_regs frame as entry.S does for
 * vCPU 0 but calls smp_ap_event(), which knows it runs on vCPU 1, and
 * leaves through entry.S's exc_return (HYPERVISOR_iret).
 */
#include <frame.h>

    .text
    .globl smp_ap_event_entry
smp_ap_event_entry:
    pop     %rcx
    pop     %r11
    push    $0
    push    $VEC_EVENT
    save_regs_and_call smp_ap_event
    jmp     exc_return

/* VCPUOP_initialise starts vCPU 1 here with rsp at the top of its stack. */
    .globl smp_ap_start
smp_ap_start:
    and     $~15, %rsp
    call    smp_ap_main
    ud2
