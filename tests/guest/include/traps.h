/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/traps.h - catching exceptions the hypervisor bounces
 * to us, and guest user mode.
 *
 * Tests provoke a fault at a known instruction and list it in the exception
 * table (ASM_EXTABLE).  The common handler records the bounce frame in
 * last_exc and resumes at the fixup address.  A fault that is not in the
 * table fails the running test and unwinds out of it.
 */
#ifndef TESTKERNEL_TRAPS_H
#define TESTKERNEL_TRAPS_H

#include <stdint.h>

/* Exception vectors. */
#define X86_EXC_DE   0
#define X86_EXC_DB   1
#define X86_EXC_NMI  2
#define X86_EXC_BP   3
#define X86_EXC_OF   4
#define X86_EXC_BR   5
#define X86_EXC_UD   6
#define X86_EXC_NM   7
#define X86_EXC_DF   8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19

#define EXC_NONE    (~0UL)

/*
 * What the handler saw.  rcx and r11 are the values the hypervisor saved in
 * the bottom two slots of the bounce frame; the rest are the frame slots.
 */
struct exc_info {
    uint64_t vector;            /* EXC_NONE when nothing was caught */
    uint64_t error_code;        /* 0 for vectors without one */
    uint64_t rip, cs, rflags, rsp, ss;
    uint64_t rcx, r11;
    uint64_t rax;               /* rax at the time of the trap */
    uint64_t cr2;               /* vcpu_info.arch.cr2 at handler entry */
    uint64_t upcall_mask;       /* vcpu_info.evtchn_upcall_mask at entry */
    uint64_t handler_sp;        /* where the handler's frame was */
};

extern volatile struct exc_info last_exc;

/* Registers as saved by the entry stubs (arch/entry.S), lowest first. */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;     /* the bounce frame proper */
};

/* Counters bumped by the callbacks; tests compare before/after. */
extern volatile unsigned long event_callbacks, nmi_callbacks, failsafe_callbacks;
extern volatile unsigned int event_mask_at_entry;

/* Entry points a test may install in the trap table or as callbacks. */
extern char alt_trap_entry[];       /* records vector 0x200 */
extern char nmi_cb_entry[];         /* records vector 0x102 */
extern char event_callback_entry[], failsafe_callback_entry[];
extern char syscall_callback_entry[];
#define VEC_ALT     0x200
#define VEC_NMI_CB  0x102

/* Leave user mode: "syscall" back to the kernel with rax = v. */
static inline __attribute__((noreturn, always_inline)) void user_exit(uint64_t v)
{
    asm volatile ("syscall" :: "a" (v) : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/* setjmp/longjmp of our own (arch/entry.S): callee-saved registers, rsp, rip. */
typedef uint64_t tk_jmp_buf[8];
int tk_setjmp(tk_jmp_buf jb) __attribute__((returns_twice));
void tk_longjmp(tk_jmp_buf jb, int v) __attribute__((noreturn));

/*
 * Called with an exception no extable entry covers, or the failsafe
 * callback, before the running test is failed.  A hook that takes it over
 * does not return (it longjmps); returning 0 leaves it to the usual
 * failure.  The fuzzer sets it: the calls it makes may raise anything.
 */
extern int (*exc_hook)(struct cpu_regs *r);

/* Forget the previous exception. */
void exc_reset(void);

/* Install the trap table and callbacks; called once at boot. */
void traps_init(void);
/* Re-install the default trap table (after tests changed it). */
void traps_restore(void);
extern const struct trap_info *default_trap_table;

/* An exception-table entry: a fault at "from" resumes at "to". */
#define ASM_EXTABLE(from, to)                                   \
    ".pushsection .extable, \"a\"\n\t.balign 8\n\t"             \
    ".quad " #from ", " #to "\n\t.popsection\n\t"

/* Run one instruction; return the vector it raised or EXC_NONE. */
#define TRY(insn, ...)                                                      \
    ({                                                                      \
        exc_reset();                                                        \
        asm volatile ("1: " insn "\n2:\n\t" ASM_EXTABLE(1b, 2b)             \
                      :: __VA_ARGS__ : "memory");                           \
        last_exc.vector;                                                    \
    })

/*
 * Guest user mode.  user_run() enters fn at CPL 3 in guest user mode (iret
 * hypercall with a ring-3 CS) on a private user stack, and returns when the
 * user code does "syscall" (rax is returned and *how = USER_SYSCALL) or
 * takes an exception (last_exc holds it and *how = USER_EXCEPTION).
 */
#define USER_SYSCALL    1
#define USER_EXCEPTION  2

struct user_exit {
    int how;
    uint64_t rax;               /* user rax at the syscall */
    uint64_t rcx, r11;          /* frame slots: user rip and rflags */
    uint64_t rip, cs, rflags, rsp, ss;
};

/* Sets up user page tables (once) and the kernel stack; 0 or -errno. */
long user_prepare(void);
void user_run(void (*fn)(void), uint64_t rdi, struct user_exit *out);

/* User-mode code lives in this section so its pages are easy to find. */
#define USER_TEXT __attribute__((section(".text.user"), noinline))

#endif /* TESTKERNEL_TRAPS_H */
