/* SPDX-License-Identifier: MIT */
/*
 * xs-layout.h - the xenstore nodes a new PV domain gets, with their values
 * and permissions, as libxl writes them (xl-reference §7, dom0-userspace
 * §5.1).  Pure: a plan that domain.c writes in one transaction.
 */
#ifndef MICA_XS_LAYOUT_H
#define MICA_XS_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* One xenstore permission: who, and 'n' none, 'r' read, 'w' write, 'b' both. */
struct xs_perm {
    uint32_t id;
    char perm;
};

/*
 * perms[0] is the owner and what everybody else may do; perms[1], when
 * nperms is 2, one more domain's access.  (n0,r5) in xenstore-ls -p terms
 * is { {0,'n'}, {5,'r'} }.
 */
struct xs_node {
    char *path, *value;
    struct xs_perm perms[2];
    unsigned int nperms;
};

struct xs_plan {
    struct xs_node *nodes;
    size_t n;
};

struct xs_layout_args {
    uint32_t domid;
    const char *name;
    const char *uuid;               /* 36 characters */
    const char *kernel;
    uint64_t target_kb, max_kb;
    unsigned int vcpus, maxvcpus;
    uint32_t store_port, console_port;
    uint64_t store_mfn, console_mfn;
    uint32_t console_backend;       /* the console daemon's domain: 0 */
    const char *start_time;         /* "1795577616.89" */
};

/* 0 or -ENOMEM; the nodes come parents first. */
int xs_layout_plan(struct xs_plan *p, const struct xs_layout_args *a);
void xs_plan_free(struct xs_plan *p);

/*
 * Where each node's parent is in the plan: parent[i] is its index, or -1
 * when the parent is outside the plan (node i is a root of it).  A parent
 * that comes after its child is not counted, so writing in plan order
 * always creates the parent first.
 */
void xs_plan_parents(const struct xs_plan *p, long *parent);

/*
 * Whether node i needs its own XS_SET_PERMS when it is created by writing
 * the plan in order: not when its parent was created by the same plan and
 * has the same permissions, because xenstored gives a node the privileged
 * domain creates the permissions of its parent.  parent_new says whether
 * parent[i] was created (did not exist before).
 */
int xs_node_needs_perms(const struct xs_plan *p, const long *parent, size_t i,
                        int parent_new);

/* Mica's own bookkeeping of a domain, as libxl keeps /libxl/N. */
#define XS_MICA_ROOT "/mica"

/*
 * The subtrees a domain owns, removed when it is destroyed: its home, its
 * /vm/UUID, the console back end's directory and /mica/N.  Writes up to 4
 * malloc'd paths into out[]; returns how many, or -ENOMEM.
 */
int xs_layout_subtrees(uint32_t domid, const char *uuid, char *out[4]);

#endif
