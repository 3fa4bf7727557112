/* SPDX-License-Identifier: MIT */
/*
 * libmica-priv.h - what libmica's files share and its users never see:
 * the privcmd handle, the one-line error record, and the domctl/sysctl
 * round trip through a hypercall buffer.
 */
#ifndef LIBMICA_PRIV_H
#define LIBMICA_PRIV_H

#include <stdarg.h>
#include "libmica.h"

#define MICA_PAGE_SIZE  4096UL
#define MICA_ERR_LEN    256

struct mica {
    int privcmd;                    /* /dev/xen/privcmd */
    int hcbuf;                      /* /dev/xen/hypercall, or -1 */
    /*
     * One locked page for the small argument structs (domctl, sysctl,
     * event channel ops), taken once: `mica list` issues a few calls and
     * should not pay an mmap for each.
     */
    void *scratch;
    /*
     * getdomaininfolist's buffer, kept from call to call and grown when a
     * call asks for more: a monitor listing every second (micatop) should
     * not pay an mmap and a munmap each time.
     */
    void *list;
    size_t list_len;
    char err[MICA_ERR_LEN];
};

/*
 * Record "<what formatted>: <strerror(-rc)>" in the handle and return rc
 * (a negative errno), so a failing path ends with `return mica_fail(...)`.
 */
int mica_fail(struct mica *m, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Forget the last message (each public call starts clean). */
void mica_ok(struct mica *m);

/*
 * One domctl or sysctl: interface_version filled in, the struct copied
 * through the scratch page, the result copied back.  Returns the
 * hypercall's value (0 or -errno); the caller words the message.
 */
int mica_do_domctl(struct mica *m, struct xen_domctl *op);
int mica_do_sysctl(struct mica *m, struct xen_sysctl *op);
/*
 * The (cmd, pointer) hypercalls - memory_op, event_channel_op, sched_op:
 * 'arg' (len <= one page) is copied in through the scratch page and back.
 */
long mica_cmd_hypercall(struct mica *m, unsigned int op, unsigned int cmd,
                        void *arg, size_t len);

/* MMUEXT_* 'cmd' on 'mfn' on behalf of 'domid' (pin, unpin). */
int mica_mmuext(struct mica *m, uint32_t domid, unsigned int cmd, uint64_t mfn);
/* XEN_DOMCTL_hypercall_init: fill the domain's page 'gmfn' with stubs. */
int mica_domain_hypercall_init(struct mica *m, uint32_t domid, uint64_t gmfn);
/* XEN_DOMCTL_setvcpucontext of 'vcpu' from 'ctxt'. */
int mica_vcpu_setcontext(struct mica *m, uint32_t domid, unsigned int vcpu,
                         const struct vcpu_guest_context *ctxt);

#endif /* LIBMICA_PRIV_H */
