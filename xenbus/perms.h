/* SPDX-License-Identifier: MIT */
/*
 * xenbus/perms.h - node permission sets: parsing, formatting, access rules.
 */
#ifndef XENBUS_PERMS_H
#define XENBUS_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XS_PERM_NONE    0
#define XS_PERM_READ    1
#define XS_PERM_WRITE   2
#define XS_PERM_BOTH    3
#define XS_PERM_OWNER   4   /* internal: full rights including SET_PERMS */
#define XS_PERM_ALL     (XS_PERM_BOTH | XS_PERM_OWNER)

#define XS_DOMID_INVALID 0xffffu

struct xs_perm {
    uint16_t id;
    uint8_t perm;
};

/*
 * Immutable once built and shared by reference count: new nodes inherit
 * their parent's set, so a million nodes usually share a handful of sets.
 */
struct xs_perms {
    uint32_t refs;
    uint32_t num;               /* >= 1; entry 0 is the owner */
    struct xs_perm p[];
};

/* Who is asking: the fields of a connection that access rules need. */
struct xs_who {
    unsigned int domid;
    unsigned int target;        /* SET_TARGET domain or XS_DOMID_INVALID */
    bool priv;
};

struct xs_perms *xs_perms_new(unsigned int num);
struct xs_perms *xs_perms_get(struct xs_perms *p);
void xs_perms_put(struct xs_perms *p);
struct xs_perms *xs_perms_owned(unsigned int owner, unsigned int perm);
bool xs_perms_equal(const struct xs_perms *a, const struct xs_perms *b);

int xs_perms_parse(const char *strs, size_t len, unsigned int count,
                   struct xs_perms **out);
int xs_perms_format(const struct xs_perms *p, char *buf, size_t size);
unsigned int xs_perms_for(const struct xs_who *who, const struct xs_perms *p);

static inline unsigned int xs_perms_owner(const struct xs_perms *p)
{
    return p->p[0].id;
}

#endif
