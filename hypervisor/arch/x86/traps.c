/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/arch/x86/traps.c - dispatch of exceptions and interrupts that
 * arrive while the hypervisor itself runs.
 *
 * An exception in the hypervisor is always a bug: it is reported with the
 * vector, error code, RIP, CR2, every register and a frame-pointer stack
 * trace, and the machine stops.  Interrupts go to handlers registered per
 * vector.
 */
#include <mica/lib.h>
#include <asm/config.h>
#include <asm/io.h>
#include <asm/traps.h>
#include <asm/power.h>
#include <asm/pv.h>
#include <asm/cpu.h>
#include <mica/guest-access.h>
#include <mica/paging.h>

#define DR6_DEFAULT 0xffff0ff0UL

static irq_handler_t irq_handlers[256];
extern const char iret_to_guest[], iret_fault_recover[];

static const char *const names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
    "#MC machine check", "#XM SIMD error", "#VE virtualization",
    "#CP control protection",
};

const char *trap_name(unsigned int vec)
{
    if (vec < 32)
        return names[vec] ? names[vec] : "reserved";
    return "interrupt";
}

void set_irq_handler(unsigned int vec, irq_handler_t fn)
{
    ASSERT(vec >= 32 && vec < 256);
    irq_handlers[vec] = fn;
}

void dump_registers(const struct cpu_regs *r)
{
    printk(KERN_ERR "RIP: %04lx:%p RFLAGS: %016lx CR2: %p\n",
           r->cs, (void *)r->rip, r->rflags, (void *)read_cr2());
    printk(KERN_ERR "RSP: %04lx:%p CR3: %p CR0: %08lx CR4: %08lx\n",
           r->ss, (void *)r->rsp, (void *)read_cr3(), read_cr0(), read_cr4());
    printk(KERN_ERR "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
    printk(KERN_ERR "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk(KERN_ERR "RBP: %016lx R8:  %016lx R9:  %016lx\n", r->rbp, r->r8, r->r9);
    printk(KERN_ERR "R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
    printk(KERN_ERR "R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
}

/*
 * Walk saved frame pointers (the hypervisor is built with them).  Each
 * frame must sit in the hypervisor's half and above the previous one, so a
 * corrupt chain ends the walk instead of faulting again.
 */
void show_stack_trace(uint64_t rbp)
{
    printk(KERN_ERR "Stack trace:\n");
    for (int depth = 0; depth < 16 && rbp; depth++) {
        const uint64_t *frame = (const uint64_t *)rbp;

        if (rbp < DIRECTMAP_VIRT_START || rbp >= DIRECTMAP_VIRT_END ||
            (rbp & 7))
            break;
        if (!frame[1])
            break;
        printk(KERN_ERR "  [<%p>]\n", (void *)frame[1]);
        if (frame[0] <= rbp)
            break;
        rbp = frame[0];
    }
}

static void __noreturn fatal_trap(struct cpu_regs *regs)
{
    printk(KERN_ERR "\n*** FATAL TRAP: vector %lu (%s), error code %#lx\n",
           regs->vector, trap_name(regs->vector), regs->error_code);
    printk(KERN_ERR "TRAP vector=%lu rip=%p\n", regs->vector, (void *)regs->rip);
    dump_registers(regs);
    printk(KERN_ERR "  [<%p>] (faulting instruction)\n", (void *)regs->rip);
    show_stack_trace(regs->rbp);
    machine_halt_fatal();
}

void do_trap(struct cpu_regs *regs)
{
    unsigned int vec = regs->vector;

    if (vec < 32 && (regs->cs & 3) == 3) {
        pv_trap(regs);
        return;
    }
    if (vec == 1) {
        /*
         * A guest's watchpoint on a buffer we access, or a #DB that its
         * "mov %ss" or TF deferred onto the SYSCALL entry: ours to ignore,
         * as Xen does.  Data breakpoints and single steps are traps, so
         * returning resumes after the access; guests cannot place
         * instruction breakpoints on hypervisor code (set_debugreg).
         */
        asm volatile("mov %0, %%db6" :: "r"(DR6_DEFAULT));
        return;
    }
    if ((vec == 11 || vec == 12 || vec == 13) && regs->rip == (uint64_t)iret_to_guest) {
        /* The guest's fault: remember it for pv_iret_failed(). */
        get_cpu_info()->iret_fault = (regs->vector << 32) | (uint32_t)regs->error_code;
        pv_iret_fault_save(regs);
        regs->rip = (uint64_t)iret_fault_recover;
        return;
    }
    if (vec < 32) {
        uint64_t fixup = search_exception_table(regs->rip);

        /*
         * A guest-access instruction or a load of a guest's selector
         * (#NP, #SS, #GP or #PF) faulted: resume at its fixup.
         */
        if (fixup && vec == 14 && current && paging_enabled(current->domain) &&
            shadow_fault(regs, read_cr2(), false))
            return;                 /* retry it on the shadow entry made */
        if (fixup && (vec == 11 || vec == 12 || vec == 13 || vec == 14)) {
            regs->rip = fixup;
            return;
        }
        if (vec == 2) {
            printk(KERN_WARN "NMI received, ignored\n");
            return;
        }
        fatal_trap(regs);
    }
    if (irq_handlers[vec])
        irq_handlers[vec](regs);
    else if (vec != VEC_SPURIOUS)
        printk(KERN_WARN "unexpected interrupt vector %u\n", vec);
    if ((regs->cs & 3) == 3)
        pv_exit_to_guest(regs);
}
