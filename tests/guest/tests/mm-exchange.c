/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/mm-exchange.c - XENMEM_exchange as Linux's
 * xen_create_contiguous_region uses it: single frames traded for one
 * machine-contiguous, aligned extent below an address limit; the
 * refusals before any work; and partial progress (nr_exchanged counts
 * the input extents of the chunks done, never more).
 */
#include "mm-lib.h"

#define BAD_XEN     0xffff830000000000UL

static uint64_t *p2m(void)
{
    return (uint64_t *)(uintptr_t)start_info->mfn_list;
}

static long exchange(struct xen_memory_exchange *x)
{
    return HYPERVISOR_memory_op(XENMEM_exchange, x);
}

static void setup(struct xen_memory_exchange *x, uint64_t *in, unsigned long nin,
                  unsigned int in_order, uint64_t *out, unsigned long nout,
                  unsigned int out_order, unsigned int bits)
{
    memset(x, 0, sizeof(*x));
    x->in.extent_start = (uint64_t)(uintptr_t)in;
    x->in.nr_extents = nin;
    x->in.extent_order = in_order;
    x->in.domid = DOMID_SELF;
    x->out.extent_start = (uint64_t)(uintptr_t)out;
    x->out.nr_extents = nout;
    x->out.extent_order = out_order;
    x->out.mem_flags = XENMEMF_address_bits(bits);
    x->out.domid = DOMID_SELF;
}

TEST(exchange_refused, "mm/exchange_refused")
{
    struct xen_memory_exchange x;
    uint64_t in[2], out[2];
    static uint64_t mapped_page[512] __attribute__((aligned(4096)));

    mm_begin();
    in[0] = mm_alloc();
    in[1] = mm_alloc();
    /* The control domain may ask for up to 1 GiB extents (order 18). */
    setup(&x, in, 1, 19, out, 1, 19, 0);
    MM_RC(exchange(&x), -EPERM, "extent order 19");
    setup(&x, in, 2, 0, out, 1, 0, 0);
    MM_RC(exchange(&x), -EINVAL, "2 frames in, 1 out");
    setup(&x, in, 1, 0, out, 1, 0, 0);
    x.out.domid = 0x7fef;
    MM_RC(exchange(&x), -EINVAL, "in and out name different domains");
    setup(&x, in, 1, 0, out, 1, 0, 0);
    x.nr_exchanged = 2;
    MM_RC(exchange(&x), -EINVAL, "nr_exchanged beyond the list");
    CHECK_EQ(x.nr_exchanged, 2, "nr_exchanged left as it came");
    x.nr_exchanged = 1;
    MM_RC(exchange(&x), 0, "everything exchanged already");
    setup(&x, (uint64_t *)BAD_XEN, 1, 0, out, 1, 0, 0);
    MM_RC(exchange(&x), -EFAULT, "input list in the hypervisor's area");
    CHECK_EQ(x.nr_exchanged, 0, "nr_exchanged after -EFAULT");

    /* Frames that are not ours, or still mapped, cannot be given. */
    in[0] = mm_xen_frame();
    setup(&x, in, 1, 0, out, 1, 0, 0);
    out[0] = mm_pfn_of(in[1]);
    MM_RC(exchange(&x), -EINVAL, "a hypervisor frame");
    CHECK_EQ(x.nr_exchanged, 0, "nr_exchanged");
    in[0] = virt_to_mfn(mapped_page);
    MM_RC(exchange(&x), -EINVAL, "a frame of our own mapped image");
    CHECK_EQ(x.nr_exchanged, 0, "nr_exchanged");
    /* Nothing below 8 KiB is free to give. */
    in[0] = in[1];
    setup(&x, in, 1, 0, out, 1, 0, 13);
    MM_RC(exchange(&x), -ENOMEM, "output below 8 KiB");
    CHECK_EQ(x.nr_exchanged, 0, "nr_exchanged");
    CHECK(mm_map(MM_SLOT_A, in[1], PTE_RW_FLAGS) != NULL, "the input frame is still ours");
    mm_unmap(MM_SLOT_A);
    mm_check_healthy();
}

/* Four single frames for one 16 KiB extent below 4 GiB. */
TEST(exchange_contiguous, "mm/exchange_contiguous")
{
    domid_t self = DOMID_SELF;
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    struct xen_memory_exchange x;
    uint64_t in[4], pfn[4], out, low;
    volatile uint64_t *p;

    mm_begin();
    for (unsigned int i = 0; i < 4; i++) {
        in[i] = mm_alloc();
        pfn[i] = mm_pfn_of(in[i]);
    }
    /* The spare frames' pfns run downwards: the last is the lowest. */
    low = pfn[3];
    for (unsigned int i = 0; i < 4; i++)
        CHECK_EQ(pfn[i], low + 3 - i, "spare pfns consecutive");
    out = low;
    setup(&x, in, 4, 0, &out, 1, 2, 32);
    MM_RC(exchange(&x), 0, "exchange");
    CHECK_EQ(x.nr_exchanged, 4, "nr_exchanged");
    test_note("4 frames -> extent at mfn %#lx", out);
    CHECK_EQ(out & 3, 0, "the extent is aligned to its size");
    CHECK(out + 4 <= (1UL << 20), "extent %#lx not below 4 GiB", out);
    for (unsigned int k = 0; k < 4; k++) {
        CHECK_EQ(M2P[out + k], low + k, "M2P of the new frames");
        p2m()[low + k] = out + k;
    }
    CHECK_EQ(HYPERVISOR_memory_op(XENMEM_current_reservation, &self), cur,
             "the reservation is the same size");
    /* The old frames are gone, the new ones ours (and zeroed). */
    MM_RC(mm_map_rc(MM_SLOT_A, in[0], PTE_RO_FLAGS), -EBUSY, "mapping an old frame");
    p = mm_map(MM_SLOT_A, out + 3, PTE_RW_FLAGS);
    if (p) {
        CHECK_EQ(p[100], 0, "a new frame is zeroed");
        p[100] = 0x1234;
        mm_unmap(MM_SLOT_A);
    }
    mm_check_healthy();
}

/* Two one-frame chunks; the second input is bad: one chunk done. */
TEST(exchange_partial, "mm/exchange_partial")
{
    struct xen_memory_exchange x;
    uint64_t in[2], out[2], pfn;

    mm_begin();
    in[0] = mm_alloc();
    pfn = mm_pfn_of(in[0]);
    in[1] = mm_xen_frame();
    out[0] = pfn;
    out[1] = pfn;
    setup(&x, in, 2, 0, out, 2, 0, 0);
    MM_RC(exchange(&x), -EINVAL, "the second input is not ours");
    CHECK_EQ(x.nr_exchanged, 1, "one input extent exchanged");
    CHECK(out[0] != pfn, "the first output names its new frame");
    CHECK_EQ(M2P[out[0]], pfn, "M2P of the new frame");
    p2m()[pfn] = out[0];
    CHECK_EQ(out[1], pfn, "the second output untouched");
    MM_RC(mm_map_rc(MM_SLOT_A, in[0], PTE_RO_FLAGS), -EBUSY, "the first input is gone");
    mm_check_healthy();
}
