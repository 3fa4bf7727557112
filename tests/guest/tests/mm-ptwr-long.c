/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-ptwr-long.c - writable page tables at the x86
 * instruction length limit: a 15-byte store into an L1 is emulated, a
 * 16-byte one is the CPU's #GP and writes nothing.
 *
 * The ptwr decoder copies at most 15 bytes and refuses anything longer
 * (it used to read past its buffer on prefix-heavy bytes).  The store is
 * "ds ds ds mov $imm32, disp32(%rax)": prefixes, REX.W, C7 /0, ModRM and
 * SIB, a 32-bit displacement and a 32-bit immediate.
 */
#include "mm-lib.h"

#define DISP    0x40                    /* entry 8 of the L1 */

/* Run from a data page: the kernel's one segment is writable and executable. */
static uint8_t code[64] __attribute__((aligned(64)));

static unsigned int emit(unsigned int nr_prefixes, uint32_t imm)
{
    unsigned int n = 0;

    while (nr_prefixes--)
        code[n++] = 0x3e;
    code[n++] = 0x48;                   /* REX.W */
    code[n++] = 0xc7;                   /* mov $imm32, r/m64 */
    code[n++] = 0x84;                   /* mod 10, rm 100: SIB + disp32 */
    code[n++] = 0x20;                   /* SIB: base rax, no index */
    memcpy(&code[n], &(uint32_t){ DISP }, 4);
    n += 4;
    memcpy(&code[n], &imm, 4);
    n += 4;
    code[n] = 0xc3;                     /* ret */
    return n;
}

/* A fault on the first byte of the code returns to run()'s caller side. */
asm (".pushsection .text\n"
     "ptwr_long_ret:\n\tret\n"
     ".popsection\n\t"
     ASM_EXTABLE(code, ptwr_long_ret));

static void run(volatile uint64_t *l1)
{
    exc_reset();
    asm volatile ("1: call *%[f]\n2:\n\t" ASM_EXTABLE(1b, 2b)
                  :: [f] "r" (code), "a" (l1) : "memory");
}

TEST(ptwr_longest, "mm/ptwr_insn_length_limit")
{
    volatile uint64_t *ent;
    uint64_t l1, data, pte;

    mm_begin();
    MM_RC(HYPERVISOR_vm_assist(VMASST_CMD_enable,
                               VMASST_TYPE_writable_pagetables), 0,
          "enable writable_pagetables");
    l1 = mm_alloc();
    data = mm_alloc();
    MM_RC(mm_pin(1, l1), 0, "pin the L1");
    ent = mm_map(MM_SLOT_B, l1, PTE_RO_FLAGS);
    if (!ent)
        return;
    pte = mfn_to_pte(data, PTE_P | PTE_US | PTE_A);
    if (pte >> 31) {
        test_skip("frame %#lx too high for a 32-bit immediate", data);
        return;
    }
    CHECK_EQ(emit(3, (uint32_t)pte), 15, "instruction length");
    run(ent);
    CHECK_EQ(last_exc.vector, EXC_NONE, "15-byte store into the L1");
    CHECK_EQ(ent[DISP / 8] & ~(PTE_A | PTE_D | PTE_G), pte & ~PTE_A,
             "entry written by the 15-byte store");
    ent[DISP / 8] = 0;
    CHECK_EQ(emit(4, (uint32_t)pte), 16, "instruction length");
    run(ent);
    CHECK_EQ(last_exc.vector, 13, "16-byte store: #GP");
    CHECK_EQ(ent[DISP / 8], 0, "entry untouched by the 16-byte store");
    mm_unmap(MM_SLOT_B);
    MM_RC(mm_unpin(l1), 0, "unpin");
    mm_check_healthy();
}
