/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/pv/ptwr.c - writable page tables: a guest kernel that turned
 * on VMASST_TYPE_writable_pagetables may write its own L1 entries with
 * ordinary instructions even though those pages are mapped read-only.
 * The write faults; it is decoded, checked like an mmu_update and applied.
 *
 * Decoded: the forms Linux uses on PTEs - mov (register or immediate),
 * xchg, cmpxchg, and locked and/or/btr, in 1, 2, 4 or 8-byte widths.  The
 * written address comes from CR2, so only the instruction's length and
 * operands need decoding.  Anything else is the guest's page fault.
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/errno.h>
#include <mica/domain.h>
#include <mica/frame-alloc.h>
#include <mica/guest-access.h>
#include <mica/page.h>
#include <public/xen.h>
#include <asm/config.h>
#include <asm/page.h>

#define PFEC_present    (1U << 0)
#define PFEC_write      (1U << 1)
#define PFEC_user       (1U << 2)
#define PFEC_reserved   (1U << 3)
#define X86_EFLAGS_CF   0x001UL
#define X86_EFLAGS_ZF   0x040UL

enum op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_AND, OP_OR, OP_BTR };

struct insn {
    enum op op;
    unsigned int len;       /* bytes, to advance RIP */
    unsigned int size;      /* operand width in bytes */
    unsigned int reg;       /* ModRM.reg (+REX.R), when a register is used */
    bool has_imm;
    uint64_t imm;
};

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
    uint64_t *const map[16] = {
        &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
        &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
    };
    return map[n & 15];
}

/* Length of a ModRM operand (ModRM byte, SIB, displacement); 0 if register. */
static unsigned int modrm_len(const uint8_t *p)
{
    unsigned int mod = p[0] >> 6, rm = p[0] & 7, len = 1;

    if (mod == 3)
        return 0;
    if (rm == 4) {
        len++;                              /* SIB */
        if (mod == 0 && (p[1] & 7) == 5)
            len += 4;
    }
    if (mod == 1)
        len += 1;
    else if (mod == 2 || (mod == 0 && rm == 5))
        len += 4;
    return len;
}

/*
 * The longest instruction x86 executes.  The decoder may look a few bytes
 * past an over-long one (8 prefixes, REX, two opcode bytes, a 6-byte
 * operand and an immediate reach byte 20) before rejecting it, so its
 * buffer has zeroed slack beyond what is copied from the guest.
 */
#define INSN_MAX        15
#define INSN_BUF        32

/* Legacy prefixes (at most 8) and REX: the index of the opcode byte. */
static unsigned int prefixes(const uint8_t *b, unsigned int *rex, bool *opsize)
{
    unsigned int i = 0;

    *rex = 0;
    *opsize = false;
    for (; i < 8; i++) {
        if (b[i] == 0xf0)
            continue;                       /* lock: we are atomic anyway */
        if (b[i] == 0x2e || b[i] == 0x36 || b[i] == 0x3e || b[i] == 0x26)
            continue;                       /* segment overrides: flat anyway */
        if (b[i] == 0x66) {
            *opsize = true;
            continue;
        }
        break;
    }
    if ((b[i] & 0xf0) == 0x40)
        *rex = b[i++];
    return i;
}

/* A little-endian immediate of 1, 2 or 4 bytes, sign-extended. */
static uint64_t imm_at(const uint8_t *p, unsigned int size)
{
    if (size == 1)
        return (uint64_t)(int64_t)(int8_t)p[0];
    if (size == 2)
        return (uint64_t)(int64_t)(int16_t)(p[0] | (p[1] << 8));
    return (uint64_t)(int64_t)(int32_t)(p[0] | (p[1] << 8) | (p[2] << 16) |
                                        ((uint32_t)p[3] << 24));
}

/* The register operand in ModRM.reg, with the memory operand at b[i]. */
static bool reg_form(const uint8_t *b, unsigned int i, unsigned int rex, struct insn *in)
{
    unsigned int ml = modrm_len(&b[i]);

    if (!ml)
        return false;
    in->reg = ((b[i] >> 3) & 7) | ((rex & 4) ? 8 : 0);
    in->len = i + ml;
    return true;
}

/* mov/or/and with an immediate (c6 c7 80 81 83), ModRM at b[i]. */
static bool imm_form(const uint8_t *b, unsigned int i, uint8_t opc, struct insn *in)
{
    unsigned int sub = (b[i] >> 3) & 7, immsz, ml;

    if (opc == 0xc6 || opc == 0xc7) {
        if (sub != 0)
            return false;
        in->op = OP_MOV;
    } else if (sub == 1) {
        in->op = OP_OR;
    } else if (sub == 4) {
        in->op = OP_AND;
    } else {
        return false;
    }
    if (opc == 0xc6 || opc == 0x80)
        in->size = 1;
    immsz = (opc == 0x83 || in->size == 1) ? 1 : in->size == 2 ? 2 : 4;
    ml = modrm_len(&b[i]);
    if (!ml)
        return false;
    in->has_imm = true;
    in->imm = imm_at(&b[i + ml], immsz);
    in->len = i + ml + immsz;
    return true;
}

/* Two-byte opcodes: cmpxchg, btr (register or immediate bit). */
static bool twobyte_form(const uint8_t *b, unsigned int i, unsigned int rex, struct insn *in)
{
    uint8_t opc = b[i++];
    unsigned int ml;

    if (opc == 0xb1 || opc == 0xb3) {
        in->op = opc == 0xb1 ? OP_CMPXCHG : OP_BTR;
        return reg_form(b, i, rex, in);
    }
    if (opc != 0xba || ((b[i] >> 3) & 7) != 6)
        return false;
    in->op = OP_BTR;
    ml = modrm_len(&b[i]);
    if (!ml)
        return false;
    in->has_imm = true;
    in->imm = b[i + ml];
    in->len = i + ml + 1;
    return true;
}

static bool decode(const uint8_t *b, struct insn *in)
{
    unsigned int rex, i;
    bool opsize;
    uint8_t opc;

    memset(in, 0, sizeof(*in));
    i = prefixes(b, &rex, &opsize);
    opc = b[i++];
    in->size = (rex & 8) ? 8 : opsize ? 2 : 4;
    switch (opc) {
    case 0x88: case 0x89:
        in->op = OP_MOV;
        break;
    case 0x86: case 0x87:
        in->op = OP_XCHG;
        break;
    case 0x08: case 0x09:
        in->op = OP_OR;
        break;
    case 0x20: case 0x21:
        in->op = OP_AND;
        break;
    case 0xc6: case 0xc7: case 0x80: case 0x81: case 0x83:
        return imm_form(b, i, opc, in);
    case 0x0f:
        return twobyte_form(b, i, rex, in);
    default:
        return false;
    }
    if (!(opc & 1))
        in->size = 1;                       /* the byte forms: 88 86 08 20 */
    return reg_form(b, i, rex, in);
}

/* The L1 frame that the page at guest virtual 'va' is, if it is one. */
static struct page_info *l1_page_at(struct domain *d, uint64_t va)
{
    mfn_t l1 = guest_l1_table(current->arch.guest_table, va);
    pte_t e;
    mfn_t mfn;

    if (l1 == INVALID_MFN)
        return NULL;
    e = ((pte_t *)__va(l1 << PAGE_SHIFT))[PT_INDEX(va, L1_SHIFT)];
    if (!(e & _PAGE_PRESENT) || (e & _PAGE_RW))
        return NULL;                        /* writable: not our fault */
    mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
    if (!mfn_valid(mfn) || !domain_owns_mfn(d, mfn))
        return NULL;
    return mfn_to_page(mfn);
}

static uint64_t mask_of(unsigned int size)
{
    return size == 8 ? ~0UL : (1UL << (size * 8)) - 1;
}

/* Emulate the faulting write into validated L1 'pg' (references held). */
static bool emulate_pte_write(struct cpu_regs *regs, uint64_t addr, struct page_info *pg)
{
    struct insn in;
    uint8_t bytes[INSN_BUF];
    unsigned int shift, idx;
    uint64_t old, src, val, m, new;
    int rc;

    memset(bytes, 0, sizeof(bytes));
    for (unsigned int i = 0; i < INSN_MAX; i++)
        if (copy_from_guest(&bytes[i], regs->rip + i, 1))
            break;
    /* Longer than the CPU allows: not what faulted (another vCPU wrote it). */
    if (!decode(bytes, &in) || in.len > INSN_MAX)
        return false;
    shift = (addr & 7) * 8;
    if ((addr & 7) + in.size > 8)
        return false;                       /* straddles two entries */

    idx = (addr & (PAGE_SIZE - 1)) / 8;
    old = ((pte_t *)__va(page_to_mfn(pg) << PAGE_SHIFT))[idx];
    m = mask_of(in.size);
    src = in.has_imm ? in.imm : *gpr(regs, in.reg);
    val = (old >> shift) & m;

    switch (in.op) {
    case OP_MOV:
    case OP_XCHG:
        new = src & m;
        break;
    case OP_CMPXCHG:
        if (val != (regs->rax & m)) {
            /* Compare failed: nothing written, RAX gets the current value. */
            regs->rax = in.size == 4 ? val : (regs->rax & ~m) | val;
            regs->rflags &= ~X86_EFLAGS_ZF;
            regs->rip += in.len;
            return true;
        }
        new = src & m;
        break;
    case OP_AND:
        new = val & src & m;
        break;
    case OP_OR:
        new = (val | src) & m;
        break;
    case OP_BTR: {
        unsigned int bit = src & (in.size * 8 - 1);

        regs->rflags = (regs->rflags & ~X86_EFLAGS_CF) |
                       ((val >> bit) & 1 ? X86_EFLAGS_CF : 0);
        new = val & ~(1UL << bit);
        break;
    }
    default:
        return false;
    }

    rc = mod_entry(pg, PGT_l1, idx, (old & ~(m << shift)) | (new << shift), false);
    if (rc) {
        /* An entry the guest may not write: it gets the page fault. */
        return false;
    }
    if (in.op == OP_XCHG) {
        uint64_t *r = gpr(regs, in.reg);

        *r = in.size == 4 ? val : (*r & ~m) | val;
    } else if (in.op == OP_CMPXCHG) {
        regs->rflags |= X86_EFLAGS_ZF;
    }
    regs->rip += in.len;
    return true;
}

bool pv_ptwr_fault(struct cpu_regs *regs, uint64_t addr)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    struct page_info *pg;
    bool done;

    if (!(d->vm_assist & (1UL << VMASST_TYPE_writable_pagetables)) ||
        !v->arch.kernel_mode ||
        (regs->error_code & (PFEC_present | PFEC_write | PFEC_reserved)) !=
            (PFEC_present | PFEC_write))
        return false;
    pg = l1_page_at(d, addr);
    /* Held while emulating, so it stays a validated L1 of d's. */
    if (!pg || !get_page(pg, d))
        return false;
    if (!get_page_type_validated(pg, PGT_l1)) {
        put_page(pg);
        return false;
    }
    done = emulate_pte_write(regs, addr, pg);
    put_page_and_type(pg);
    return done;
}
