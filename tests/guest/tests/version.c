/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/version.c - HYPERVISOR_xen_version sub-ops.
 */
#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include <test.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>

#define BAD_XEN 0xffff830000000000UL

/* A string the hypervisor wrote into buf: terminated within n bytes. */
static void check_string(const char *what, const char *buf, size_t n,
                         int may_be_empty)
{
    size_t len = strnlen(buf, n);

    if (len == n)
        test_fail("%s: not NUL-terminated", what);
    else if (!len && !may_be_empty)
        test_fail("%s: empty", what);
    else
        test_note("%s = \"%s\"", what, buf);
}

TEST(version, "version/version")
{
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);

    test_note("version %ld.%ld", v >> 16, v & 0xffff);
    /* Linux's feature checks compare against 3.x and 4.x releases. */
    CHECK(v >= (4L << 16), "version %#lx older than 4.0", v);
}

TEST(extraversion, "version/extraversion")
{
    xen_extraversion_t ev;

    memset(ev, 0xff, sizeof(ev));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, ev), 0, "rc");
    check_string("extraversion", ev, sizeof(ev), 1);
}

TEST(compile_info, "version/compile_info")
{
    static xen_compile_info_t ci;

    memset(&ci, 0xff, sizeof(ci));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_compile_info, &ci), 0, "rc");
    check_string("compiler", ci.compiler, sizeof(ci.compiler), 0);
    check_string("compile_by", ci.compile_by, sizeof(ci.compile_by), 1);
    check_string("compile_domain", ci.compile_domain,
                 sizeof(ci.compile_domain), 1);
    check_string("compile_date", ci.compile_date, sizeof(ci.compile_date), 0);
}

TEST(capabilities, "version/capabilities")
{
    static xen_capabilities_info_t caps;

    memset(caps, 0xff, sizeof(caps));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, caps), 0, "rc");
    check_string("capabilities", caps, sizeof(caps), 0);
    CHECK(strstr(caps, "xen-3.0-x86_64"), "no xen-3.0-x86_64 in \"%s\"", caps);
}

TEST(changeset, "version/changeset")
{
    xen_changeset_info_t cs;

    memset(cs, 0xff, sizeof(cs));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_changeset, cs), 0, "rc");
    check_string("changeset", cs, sizeof(cs), 1);
}

TEST(platform_parameters, "version/platform_parameters")
{
    xen_platform_parameters_t pp = { 0 };

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp), 0, "rc");
    CHECK_EQ(pp.virt_start, HYPERVISOR_VIRT_START, "virt_start");
}

TEST(get_features, "version/get_features")
{
    xen_feature_info_t fi = { .submap_idx = 0, .submap = 0xdeadbeef };

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), 0, "rc");
    test_note("submap 0 = %#x", fi.submap);
    /* Linux panics without these two. */
    CHECK(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad),
          "mmu_pt_update_preserve_ad (bit 5) missing");
    CHECK(fi.submap & (1u << XENFEAT_gnttab_map_avail_bits),
          "gnttab_map_avail_bits (bit 7) missing");
    /* A PV guest manages its own physmap. */
    CHECK(!(fi.submap & (1u << XENFEAT_auto_translated_physmap)),
          "auto_translated_physmap set for PV");
    CHECK(!(fi.submap & (1u << XENFEAT_writable_page_tables)),
          "writable_page_tables set for PV");
    if (start_info->flags & SIF_INITDOMAIN)
        CHECK(fi.submap & (1u << XENFEAT_dom0), "dom0 bit missing in dom0");

    /* Only submap 0 exists. */
    fi.submap_idx = 1;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, &fi), -EINVAL,
             "submap 1");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_get_features, (void *)BAD_XEN),
             -EFAULT, "bad pointer");
}

TEST(pagesize, "version/pagesize")
{
    char dummy[8];

    CHECK_EQ(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096, "pagesize");
    /* The argument must be NULL. */
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_pagesize, dummy), -EINVAL,
             "non-NULL argument");
}

TEST(guest_handle, "version/guest_handle")
{
    xen_domain_handle_t h;
    unsigned int i, nonzero = 0;

    memset(h, 0xff, sizeof(h));
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_guest_handle, h), 0, "rc");
    for (i = 0; i < sizeof(h); i++)
        nonzero |= h[i];
    /* Nobody gives dom0 a UUID at boot. */
    if (start_info->flags & SIF_INITDOMAIN)
        CHECK(!nonzero, "dom0 handle is not all zero");
}

TEST(commandline, "version/commandline")
{
    static xen_commandline_t cl;

    memset(cl, 0xff, sizeof(cl));
    if (!(start_info->flags & SIF_PRIVILEGED)) {
        test_skip("only privileged domains may read it");
        return;
    }
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_commandline, cl), 0, "rc");
    check_string("commandline", cl, sizeof(cl), 0);
}

TEST(build_id, "version/build_id")
{
    static union {
        xen_build_id_t id;
        uint8_t raw[256];
    } b;
    long size, rc;

    /* NULL asks only for the size. */
    size = HYPERVISOR_xen_version(XENVER_build_id, NULL);
    if (size == -ENODATA) {
        test_skip("hypervisor built without a build id");
        return;
    }
    CHECK(size > 0 && size <= 64, "size %ld", size);
    b.id.len = 0;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_build_id, &b), -EINVAL, "len 0");
    b.id.len = 1;
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_build_id, &b), -ENOBUFS, "len 1");
    b.id.len = sizeof(b) - sizeof(b.id);
    rc = HYPERVISOR_xen_version(XENVER_build_id, &b);
    CHECK_EQ(rc, size, "full read");
}

TEST(bad_subop, "version/bad_subop")
{
    char buf[64];

    CHECK_EQ(HYPERVISOR_xen_version(11, buf), -ENOSYS, "sub-op 11");
    CHECK_EQ(HYPERVISOR_xen_version(0x7fffffff, buf), -ENOSYS, "sub-op max");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_extraversion, (void *)BAD_XEN),
             -EFAULT, "extraversion to bad pointer");
    CHECK_EQ(HYPERVISOR_xen_version(XENVER_capabilities, (void *)0x1000),
             -EFAULT, "capabilities to unmapped address");
}
