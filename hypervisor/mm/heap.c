/* SPDX-License-Identifier: MIT */
/*
 * hypervisor/mm/heap.c - xmalloc/xfree on top of the frame allocator.
 *
 * Small objects come from power-of-two size classes (32 bytes to 2 KiB)
 * carved out of whole frames; anything larger gets its own 2^order frames.
 * Every block starts with a 16-byte header naming its class, so xfree()
 * needs no size and catches frees of foreign or already-freed pointers.
 *
 * Locking: heap_lock (irqsave) protects the free lists and takes
 * frames_lock inside it; callers may hold the locks above it in
 * docs/ARCHITECTURE.md's "Lock order" (a grant or event lock, say).
 */
#include <string.h>
#include <mica/lib.h>
#include <mica/heap.h>
#include <mica/frame-alloc.h>
#include <asm/config.h>
#include <asm/spinlock.h>

#define MIN_SHIFT     5
#define MAX_SHIFT     11
#define NR_CLASSES    (MAX_SHIFT - MIN_SHIFT + 1)
#define MAGIC_USED    0x6d696361U       /* "mica" */
#define MAGIC_FREE    0x66726565U       /* "free" */
#define BIG_CLASS     0x80000000U       /* class field: order | BIG_CLASS */

struct block {
    uint32_t magic;
    uint32_t class;
    union {
        struct block *next;             /* while free */
        uint64_t pad;
    };
};
_Static_assert(sizeof(struct block) == 16, "heap header keeps 16-byte alignment");

static spinlock_t heap_lock = SPINLOCK_INIT;
static struct block *free_list[NR_CLASSES];
static uint64_t nr_frames;              /* held by the heap, for accounting */

uint64_t heap_frames(void)
{
    return nr_frames;
}

static bool refill(unsigned int cls)
{
    size_t bsize = 1UL << (cls + MIN_SHIFT);
    mfn_t m = alloc_frames(0);
    uint8_t *page;

    if (m == INVALID_MFN)
        return false;
    nr_frames++;
    page = __va(m << PAGE_SHIFT);
    for (size_t off = 0; off + bsize <= PAGE_SIZE; off += bsize) {
        struct block *b = (struct block *)(page + off);

        b->magic = MAGIC_FREE;
        b->class = cls;
        b->next = free_list[cls];
        free_list[cls] = b;
    }
    return true;
}

void *xmalloc(size_t size)
{
    size_t need = size + sizeof(struct block);
    unsigned long flags;
    struct block *b;
    unsigned int cls;

    if (size > (1UL << (MAX_ORDER + PAGE_SHIFT)) - sizeof(struct block))
        return NULL;
    if (need > (1UL << MAX_SHIFT)) {
        unsigned int order = 0;
        mfn_t m;

        while ((PAGE_SIZE << order) < need)
            order++;
        flags = spin_lock_irqsave(&heap_lock);
        m = alloc_frames(order);
        spin_unlock_irqrestore(&heap_lock, flags);
        if (m == INVALID_MFN)
            return NULL;
        nr_frames += 1UL << order;
        b = __va(m << PAGE_SHIFT);
        b->magic = MAGIC_USED;
        b->class = BIG_CLASS | order;
        return b + 1;
    }

    for (cls = 0; (1UL << (cls + MIN_SHIFT)) < need; cls++)
        ;
    flags = spin_lock_irqsave(&heap_lock);
    if (!free_list[cls] && !refill(cls)) {
        spin_unlock_irqrestore(&heap_lock, flags);
        return NULL;
    }
    b = free_list[cls];
    free_list[cls] = b->next;
    spin_unlock_irqrestore(&heap_lock, flags);
    ASSERT(b->magic == MAGIC_FREE && b->class == cls);
    b->magic = MAGIC_USED;
    return b + 1;
}

void *xzalloc(size_t size)
{
    void *p = xmalloc(size);

    if (p)
        memset(p, 0, size);
    return p;
}

void *alloc_zeroed_frame(mfn_t *mfn)
{
    mfn_t m = alloc_frames(0);
    void *va;

    if (m == INVALID_MFN)
        return NULL;
    va = __va(m << PAGE_SHIFT);
    memset(va, 0, PAGE_SIZE);
    if (mfn)
        *mfn = m;
    return va;
}

void xfree(void *p)
{
    struct block *b;
    unsigned long flags;

    if (!p)
        return;
    b = (struct block *)p - 1;
    BUG_ON(b->magic != MAGIC_USED);     /* double free or foreign pointer */
    if (b->class & BIG_CLASS) {
        unsigned int order = b->class & ~BIG_CLASS;

        b->magic = MAGIC_FREE;
        flags = spin_lock_irqsave(&heap_lock);
        free_frames(__pa(b) >> PAGE_SHIFT, order);
        nr_frames -= 1UL << order;
        spin_unlock_irqrestore(&heap_lock, flags);
        return;
    }
    BUG_ON(b->class >= NR_CLASSES);
    flags = spin_lock_irqsave(&heap_lock);
    b->magic = MAGIC_FREE;
    b->next = free_list[b->class];
    free_list[b->class] = b;
    spin_unlock_irqrestore(&heap_lock, flags);
}
