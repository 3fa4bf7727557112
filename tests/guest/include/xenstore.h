/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/xenstore.h - the test kernel's minimal xenstore
 * client: one request at a time on the ring start_info names, answered by
 * polling (the kernel takes no event upcalls).  Paths without a leading
 * '/' are relative to the domain's home, as for any guest.
 */
#ifndef TESTKERNEL_XENSTORE_H
#define TESTKERNEL_XENSTORE_H

#include <stddef.h>

/* The value of 'path' into buf (NUL-terminated): its length, or -errno. */
long xs_read(const char *path, char *buf, size_t cap);
/* Write 'value' to 'path': 0 or -errno. */
long xs_write(const char *path, const char *value);
/*
 * After a resume in a new domain: the ring page is the same pfn but the
 * event channel is new, and a reply left unread from before is dropped
 * (Linux's xb_init_comms).  Our client never leaves one; this makes sure.
 */
void xs_resume(void);

#endif /* TESTKERNEL_XENSTORE_H */
