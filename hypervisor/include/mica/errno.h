/* SPDX-License-Identifier: MIT */
/*
 * mica/errno.h - error numbers.  Guests see them negated as hypercall
 * results, so the values are the public ABI's (include/public/errno.h),
 * which equal Linux's.  In host unit-test builds the C library's
 * <errno.h> provides the same names and numbers.
 */
#ifndef MICA_ERRNO_H
#define MICA_ERRNO_H

#include <public/errno.h>
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__ != 0
#include <errno.h>
#ifndef ERESTART
#define ERESTART XEN_ERESTART
#endif
#endif

#endif
