/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/logdirty.c - XEN_DOMCTL_shadow_op (log-dirty) from
 * dom0 against a domU built from the test kernel's own image (the
 * module, as for builder.c); logdirty/guest (logdirty-guest.c) is the
 * domU's half.  Skipped without a module, and on Xen 4.17 as Debian builds
 * it, which has no shadow paging (ENABLE_LOGDIRTY is -EOPNOTSUPP there).
 *
 *   logdirty/errors    every field checked: self, no vCPU 0, bad ops and
 *                      modes, CLEAN/PEEK while off, the pool size
 *   logdirty/track     a write after CLEAN shows in PEEK and CLEAN, a read
 *                      or an untouched page does not; the hypervisor's own
 *                      write (copy_to_guest) is logged; the guest sees exact
 *                      A/D and its RW bits; OFF and on again
 *   logdirty/forced    a domU runs whole test areas with log-dirty on from
 *                      its first instruction while dom0 CLEANs every 20 ms
 *   logdirty/destroy   destroying a domU in log-dirty mode gives every frame
 *                      back
 */
#include "ctl-lib.h"
#include "mm-lib.h"
#include <clock.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/sched.h>
#include "builder-lib.h"
#include "logdirty.h"

#define DOMU_PAGES  2048
#define WAIT_NS     (20 * NSEC_PER_SEC)

static uint8_t xchg_page[PAGE_SIZE] __attribute__((aligned(4096)));
static uint8_t bitmap[DOMU_PAGES / 8];

struct ld_session {
    struct dom_build b;
    long port;
    char cmdline[MAX_GUEST_CMDLINE];
};

static long shadow_op(domid_t dom, uint32_t op, uint32_t mode, void *bits, uint64_t pages,
                      struct xen_domctl_shadow_op *out)
{
    struct xen_domctl d = { 0 };
    long rc;

    d.u.shadow_op.op = op;
    d.u.shadow_op.mode = mode;
    d.u.shadow_op.dirty_bitmap = HC_PTR(bits);
    d.u.shadow_op.pages = pages;
    rc = domctl(&d, XEN_DOMCTL_shadow_op, dom);
    if (out)
        *out = d.u.shadow_op;
    return rc;
}

/* SET_ALLOCATION of 'mb' MiB; the pool it leaves in *out_mb. */
static long set_allocation(domid_t dom, uint32_t mb, uint32_t *out_mb)
{
    struct xen_domctl d = { 0 };
    long rc;

    d.u.shadow_op.op = XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION;
    d.u.shadow_op.mb = mb;
    rc = domctl(&d, XEN_DOMCTL_shadow_op, dom);
    *out_mb = d.u.shadow_op.mb;
    return rc;
}

static const void *module_or_skip(size_t *len)
{
    if (!start_info->mod_start || !start_info->mod_len) {
        test_skip("no domU kernel (dom0 was given no module)");
        test_abort();
    }
    if (!mm_on_mica()) {
        test_skip("Xen 4.17 as Debian builds it has no shadow paging");
        test_abort();
    }
    *len = start_info->mod_len;
    return (const void *)(uintptr_t)start_info->mod_start;
}

/*
 * Give the CPU to the domU for about 'ns': yields, not a timed poll, so
 * that no lost timer can leave dom0 asleep.
 */
static void yield_for(uint64_t ns)
{
    uint64_t until = clock_ns() + ns;

    while (clock_ns() < until)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static int bit(uint64_t pfn)
{
    return (bitmap[pfn / 8] >> (pfn % 8)) & 1;
}

/* Build (not yet run) a domU whose command line is 'args' + our grant and port. */
static int ld_build(struct ld_session *s, const char *args)
{
    volatile grant_entry_v1_t *gt = grant_table_self();
    size_t len;

    memset(s, 0, sizeof(*s));
    s->b.kernel = module_or_skip(&len);
    s->b.kernel_len = len;
    s->b.nr_pages = DOMU_PAGES;
    if (!gt || dom_create(&s->b)) {
        test_fail("dom_create: %s", s->b.why);
        return -1;
    }
    s->port = evt_alloc_unbound(s->b.domid);
    memset(xchg_page, 0, PAGE_SIZE);
    gt[LD_GREF].domid = s->b.domid;
    gt[LD_GREF].frame = virt_to_mfn(xchg_page);
    __atomic_store_n(&gt[LD_GREF].flags, GTF_permit_access, __ATOMIC_RELEASE);
    snprintf(s->cmdline, sizeof(s->cmdline), "%s gref=%u peer_port=%ld", args, LD_GREF,
             s->port);
    s->b.cmdline = s->cmdline;
    if (s->port <= 0 || dom_load(&s->b)) {
        test_fail("building d%u: port %ld, %s", s->b.domid, s->port, s->b.why);
        s->b.domid = 0;                 /* dom_load destroyed it */
        return -1;
    }
    return 0;
}

static int ld_ready(struct ld_session *s)
{
    volatile struct ld_exchange *x = (volatile struct ld_exchange *)xchg_page;

    if (dom_unpause(s->b.domid) ||
        !dom_wait_event((uint32_t)s->port, clock_ns() + WAIT_NS) || !x->ready) {
        test_fail("d%u never reported ready", s->b.domid);
        return -1;
    }
    return 0;
}

/* One command to the domU, and its answer. */
static int ld_cmd(struct ld_session *s, enum ld_cmd cmd, uint64_t arg)
{
    volatile struct ld_exchange *x = (volatile struct ld_exchange *)xchg_page;
    uint64_t deadline = clock_ns() + WAIT_NS, seq = x->seq + 1;

    x->cmd = cmd;
    x->arg = arg;
    __atomic_store_n(&x->seq, seq, __ATOMIC_RELEASE);
    evt_send((uint32_t)s->port);
    if (cmd == LD_QUIT)
        return 0;
    while (__atomic_load_n(&x->done, __ATOMIC_ACQUIRE) != seq)
        if (!dom_wait_event((uint32_t)s->port, deadline)) {
            test_fail("d%u did not answer command %d", s->b.domid, cmd);
            return -1;
        }
    if (x->fail[0]) {
        test_fail("d%u, command %d on page %lu: %s", s->b.domid, cmd, arg,
                  (const char *)x->fail);
        return -1;
    }
    return 0;
}

/* Wait for the domU's own shutdown (its reason out), then destroy it. */
static int ld_finish(struct ld_session *s, unsigned int *reason)
{
    struct xen_domctl_getdomaininfo info;
    volatile grant_entry_v1_t *gt = grant_table_self();
    uint64_t deadline = clock_ns() + 4 * WAIT_NS;
    int down = 0;

    while (s->b.domid && !down && clock_ns() < deadline) {
        down = !domctl_info(s->b.domid, &info) && info.domain == s->b.domid &&
               (info.flags & XEN_DOMINF_shutdown);
        if (!down)
            yield_for(20 * NSEC_PER_MSEC);
    }
    if (reason)
        *reason = down ? (info.flags >> XEN_DOMINF_shutdownshift) & 0xff : ~0U;
    if (s->b.domid)
        CHECK_EQ(dom_destroy(s->b.domid), 0, "destroydomain");
    if (gt)
        gt[LD_GREF].flags = 0;
    if (s->port > 0)
        evt_close((uint32_t)s->port);
    return down ? 0 : -1;
}

TEST(errors, "logdirty/errors")
{
    struct xen_domctl_shadow_op r;
    struct ld_session s;
    domid_t bare = 0;
    uint32_t mb = 0;

    CHECK_EQ(shadow_op(self_domid(), XEN_DOMCTL_SHADOW_OP_PEEK, 0, NULL, 0, NULL), -EINVAL,
             "on ourselves");
    CHECK_EQ(shadow_op(NO_SUCH_DOMID, XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL), -ESRCH,
             "no such domain");
    if (ld_build(&s, "test=logdirty/guest"))
        return;
    CHECK_EQ(domctl_create_pv(1, &bare), 0, "a domain without vCPUs");
    CHECK_EQ(shadow_op(bare, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL, 0, NULL),
             -EINVAL, "no vCPU 0");
    dom_destroy(bare);
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL), 0, "OFF while off");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_CLEAN, 0, bitmap, DOMU_PAGES, NULL),
             -EINVAL, "CLEAN while off");
    CHECK_EQ(shadow_op(s.b.domid, 99, 0, NULL, 0, NULL), -EINVAL, "op 99");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE_TEST, 0, NULL, 0, NULL),
             -ENOSYS, "plain shadow mode");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE,
                       XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY | XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE,
                       NULL, 0, NULL), -EINVAL, "translate for PV");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE, 1U << 9, NULL, 0, NULL),
             -EINVAL, "an unknown mode bit");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION, 0, NULL, 0, &r), 0,
             "GET_ALLOCATION");
    CHECK_EQ(r.mb, 0, "no pool while off");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION, 0, NULL, 0, &r), 0,
             "SET_ALLOCATION 0 while off");
    CHECK_EQ(set_allocation(s.b.domid, 4, &mb), 0, "SET_ALLOCATION 4 MiB");
    CHECK_EQ(mb, 4, "the size kept for the enable while off");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE,
                       XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY, NULL, 0, NULL), 0,
             "ENABLE with LOG_DIRTY");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL, 0, NULL),
             -EINVAL, "ENABLE_LOGDIRTY when on");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION, 0, NULL, 0, &r), 0,
             "GET_ALLOCATION when on");
    CHECK(r.mb >= 4, "pool %u MiB, asked for 4", r.mb);
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION, 0, NULL, 0, NULL),
             -EINVAL, "SET_ALLOCATION 0 when on");
    /* As Xen: applied at once, and the answer is the pool now in use. */
    CHECK_EQ(set_allocation(s.b.domid, 9, &mb), 0, "SET_ALLOCATION 9 MiB when on");
    CHECK(mb >= 9, "pool %u MiB after asking for 9", mb);
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION, 0, NULL, 0, &r), 0,
             "GET_ALLOCATION after the resize");
    CHECK_EQ(r.mb, mb, "GET_ALLOCATION says what SET answered");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_PEEK, 2, bitmap, DOMU_PAGES, NULL),
             -EINVAL, "PEEK with a mode other than FINAL");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_PEEK,
                       XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL, bitmap, DOMU_PAGES, &r), 0,
             "PEEK with FINAL");
    CHECK_EQ(r.pages, DOMU_PAGES, "pages covered");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_CLEAN, 0, NULL, 0, &r), 0,
             "CLEAN with no bitmap");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_PEEK, 0, NULL, 0, &r), 0, "PEEK stats");
    CHECK_EQ(r.stats.fault_count, 0, "faults since CLEAN of a domain never run");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_PEEK, 0, (void *)0x10, DOMU_PAGES,
                       NULL), -EFAULT, "a bad bitmap address");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL), 0, "OFF");
    dom_destroy(s.b.domid);
    s.b.domid = 0;
    ld_finish(&s, NULL);
}

/* CLEAN (or PEEK) into bitmap[]; the stats out. */
static int ld_read(struct ld_session *s, uint32_t op, struct xen_domctl_shadow_op *r)
{
    long rc;

    memset(bitmap, 0, sizeof(bitmap));
    rc = shadow_op(s->b.domid, op, 0, bitmap, DOMU_PAGES, r);
    if (rc || r->pages != DOMU_PAGES) {
        test_fail("shadow_op %u: %ld, pages %lu", op, rc, r->pages);
        return -1;
    }
    return 0;
}

static void track_round(struct ld_session *s, const uint64_t *pfn)
{
    struct xen_domctl_shadow_op r;

    if (ld_read(s, XEN_DOMCTL_SHADOW_OP_CLEAN, &r) || ld_cmd(s, LD_WRITE, 0) ||
        ld_cmd(s, LD_READ, 1) || ld_read(s, XEN_DOMCTL_SHADOW_OP_PEEK, &r))
        return;
    CHECK(bit(pfn[0]), "page 0 written after CLEAN, not in PEEK");
    CHECK(!bit(pfn[1]), "page 1 only read, yet dirty");
    CHECK(!bit(pfn[2]) && !bit(pfn[3]), "untouched pages dirty");
    CHECK(r.stats.dirty_count >= 1 && r.stats.fault_count >= 1, "stats: %u dirty, %u faults",
          r.stats.dirty_count, r.stats.fault_count);
    if (ld_cmd(s, LD_HV_WRITE, 2) || ld_read(s, XEN_DOMCTL_SHADOW_OP_CLEAN, &r))
        return;
    CHECK(bit(pfn[0]) && bit(pfn[2]), "CLEAN: page 0 %d, page 2 (hypervisor's write) %d",
          bit(pfn[0]), bit(pfn[2]));
    CHECK(!bit(pfn[1]) && !bit(pfn[3]), "CLEAN: pages 1 and 3 dirty");
    if (ld_cmd(s, LD_WRITE, 3) || ld_read(s, XEN_DOMCTL_SHADOW_OP_PEEK, &r))
        return;
    CHECK(bit(pfn[3]) && !bit(pfn[0]), "after the second CLEAN: page 3 %d, page 0 %d",
          bit(pfn[3]), bit(pfn[0]));
}

TEST(track, "logdirty/track")
{
    volatile struct ld_exchange *x = (volatile struct ld_exchange *)xchg_page;
    struct ld_session s;
    uint64_t pfn[LD_PAGES];
    unsigned int reason;
    uint32_t mb = 0;

    if (ld_build(&s, "test=logdirty/guest") || ld_ready(&s))
        goto out;
    for (unsigned int i = 0; i < LD_PAGES; i++)
        pfn[i] = x->pfn[i];
    /* The guest's view first without log-dirty: the hardware's A/D. */
    if (ld_cmd(&s, LD_AD_CHECK, 1))
        goto out;
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL, 0, NULL), 0,
             "ENABLE_LOGDIRTY on a running domain");
    track_round(&s, pfn);
    /* The same view on shadows, page 1 clean in the log since the CLEAN. */
    if (ld_cmd(&s, LD_AD_CHECK, 1))
        goto out;
    /* A pool resized under the running domU: tracking and its view go on. */
    CHECK_EQ(set_allocation(s.b.domid, 7, &mb), 0, "SET_ALLOCATION 7 MiB while running");
    track_round(&s, pfn);
    if (ld_cmd(&s, LD_AD_CHECK, 1))
        goto out;
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_OFF, 0, NULL, 0, NULL), 0, "OFF");
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_PEEK, 0, bitmap, DOMU_PAGES, NULL),
             -EINVAL, "PEEK after OFF");
    if (ld_cmd(&s, LD_WRITE, 0) || ld_cmd(&s, LD_AD_CHECK, 2))
        goto out;
    CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL, 0, NULL), 0,
             "ENABLE_LOGDIRTY again");
    track_round(&s, pfn);
    ld_cmd(&s, LD_QUIT, 0);
out:
    if (!ld_finish(&s, &reason))
        CHECK_EQ(reason, SHUTDOWN_poweroff, "the domU's shutdown");
}

/*
 * Tests that pass in an unprivileged 8 MiB domU (the rest need dom0's
 * rights or time the host cannot promise); each must pass there on
 * shadows as on the domU's own tables.  Three domUs: a command line holds
 * 1024 bytes.
 */
static const char *const forced_runs[] = {
    "test=callback,exceptions,fpu,hypercall,iret,multicall,segbase,swint,"
    "trap_table,user,vm_assist,evtchn/mask_unmask,evtchn/bind_virq,"
    "evtchn/ipi,evtchn/abi_probes,evtchn/efault,"
    "evtchn/reset,version/version,version/extraversion,version/compile_info,"
    "version/capabilities,version/changeset,version/platform_parameters,"
    "version/get_features,version/pagesize,version/guest_handle,"
    "version/bad_subop",
    "test=mm/attack_map_foreign_frame,mm/attack_map_own_tables_writable,"
    "mm/attack_pin_self_writable,mm/linear_pagetable_ro,"
    "mm/attack_l4_xen_slots,mm/attack_wrong_level_entries,"
    "mm/attack_bad_entry_flags,mm/attack_foreign_domid,"
    "mm/attack_machphys_foreign,mm/attack_mmu_update_not_pagetable,"
    "mm/attack_bad_baseptr,mm/attack_unpin_current_base,"
    "mm/attack_unpin_scratch_base,mm/attack_refcount_many,"
    "mm/attack_deep_tree,mm/attack_deep_tree_bad_leaf,"
    "mm/attack_shared_subtree,mm/gdt_dpl_fixup,mm/update_descriptor,"
    "mm/attack_set_gdt,mm/attack_update_descriptor,mm/set_ldt,"
    "mm/set_ldt_unmapped,mm/exchange_refused",
    "test=mm/exchange_contiguous,mm/exchange_partial,mm/memory_op_machphys,"
    "mm/memory_op_decrease_populate,mm/memory_op_decrease_increase,"
    "mm/m2p_matches_p2m,mm/m2p_readonly,mm/mmu_update_normal,"
    "mm/mmu_update_preserve_ad,mm/mmu_update_batch,mm/machphys_update,"
    "mm/uvm_flush_flags,mm/uvm_bad_args,mm/pin_levels,mm/new_baseptr,"
    "mm/new_user_baseptr,mm/tlb_flush_ops,mm/copy_clear_page,mm/unknown_cmd,"
    "mm/done_count,mm/ptwr_insn_length_limit,mm/ptwr_mov,mm/ptwr_atomics,"
    "mm/attack_ptwr_illegal",
};

/* Run the areas in a domU, log-dirty on from its first instruction if asked. */
static int forced_run(const char *tests, int logdirty, unsigned int *rounds)
{
    struct xen_domctl_shadow_op r;
    struct xen_domctl_getdomaininfo info;
    struct ld_session s;
    uint64_t deadline = clock_ns() + 6 * WAIT_NS;
    unsigned int reason;

    *rounds = 0;
    if (ld_build(&s, tests))
        return -1;
    if (logdirty &&
        shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL, 0, NULL)) {
        test_fail("ENABLE_LOGDIRTY on a domain never run");
        ld_finish(&s, NULL);
        return -1;
    }
    CHECK_EQ(dom_unpause(s.b.domid), 0, "unpause");
    /* A pre-copy loop's CLEANs, every 20 ms until the guest is done. */
    while (logdirty && clock_ns() < deadline &&
           !(!domctl_info(s.b.domid, &info) && (info.flags & XEN_DOMINF_shutdown))) {
        if (ld_read(&s, XEN_DOMCTL_SHADOW_OP_CLEAN, &r))
            break;
        (*rounds)++;
        yield_for(20 * NSEC_PER_MSEC);
    }
    if (ld_finish(&s, &reason) || reason != SHUTDOWN_poweroff) {
        test_note("d%u (log-dirty %s) ended with reason %d: see its TEST lines", s.b.domid,
                  logdirty ? "on" : "off", (int)reason);
        return -1;
    }
    return 0;
}

TEST(forced, "logdirty/forced")
{
    unsigned int rounds;

    for (unsigned int i = 0; i < sizeof(forced_runs) / sizeof(forced_runs[0]); i++) {
        if (!forced_run(forced_runs[i], 1, &rounds)) {
            test_note("run %u: %u CLEAN rounds while the domU ran", i, rounds);
            continue;
        }
        /* Tell a shadow bug from a test that fails in any domU. */
        if (forced_run(forced_runs[i], 0, &rounds))
            test_fail("run %u fails without log-dirty too", i);
        else
            test_fail("run %u passes only without log-dirty", i);
    }
}

/* Destroyed in log-dirty mode, after shadows were made: every frame comes back. */
TEST(destroy, "logdirty/destroy")
{
    struct ld_session s;
    uint64_t before = 0;

    for (unsigned int i = 0; i < 2; i++) {
        /* The first domain may grow the hypervisor's heap for good: count from the second. */
        if (i == 1)
            before = sysctl_free_pages();
        if (ld_build(&s, "test=logdirty/guest") || ld_ready(&s))
            break;
        CHECK_EQ(shadow_op(s.b.domid, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY, 0, NULL, 0,
                           NULL), 0, "ENABLE_LOGDIRTY");
        ld_cmd(&s, LD_WRITE, 0);
        ld_cmd(&s, LD_HV_WRITE, 1);
        CHECK_EQ(dom_destroy(s.b.domid), 0, "destroy with shadows on");
        s.b.domid = 0;
        ld_finish(&s, NULL);
    }
    CHECK_EQ(sysctl_free_pages(), before, "free pages after a destroy in log-dirty mode");
}
