/* SPDX-License-Identifier: MIT */
/*
 * domspec.h - what the verbs' arguments mean, before anything is asked of
 * the hypervisor: a domain given by id or by name, a memory size with
 * xl's unit suffixes.  Pure.
 */
#ifndef MICA_DOMSPEC_H
#define MICA_DOMSPEC_H

#include <stdint.h>

/* The first id the hypervisor never gives a domain (DOMID_FIRST_RESERVED). */
#define DOMSPEC_DOMID_MAX 0x7ff0u

/*
 * xl's rule: an argument of digits only is a domain id, anything else a
 * name.  0 with *id set, -ENOENT for a name (look it up), -EINVAL for
 * digits that are no domain id (too large) or an empty string.
 */
int domspec_parse(const char *s, uint32_t *id);

/*
 * xl's memory sizes: a number of MiB, or with a suffix b, k, m, g or t
 * (bytes, KiB, MiB, GiB, TiB).  The result is in KiB, bytes rounded down
 * as xl does; -EINVAL when the text is not a size, -ERANGE when it does
 * not fit.
 */
int domspec_mem_kb(const char *s, uint64_t *kb);

/* More vCPUs than any domain can have (Xen's HVM_MAX_VCPUS is 128). */
#define DOMSPEC_VCPUS_MAX 4096u

/*
 * xl vcpu-set's count: the leading digits, whatever follows them (xl
 * reads "2x" as 2).  -EINVAL when it does not start with a digit (xl's
 * "Error: Invalid argument."), -ERANGE beyond DOMSPEC_VCPUS_MAX.
 */
int domspec_vcpus(const char *s, unsigned int *n);

#endif
