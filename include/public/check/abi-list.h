/* SPDX-License-Identifier: MIT */
/*
 * include/public/check/abi-list.h - what abi-vs-xen compares, as X-macros.
 *
 * Included by two translation units: one built against include/public, one
 * against Xen's installed headers.  Both expand the same list, so the
 * tables line up entry by entry.  The first argument is the group one
 * "TEST abi/<group>" line reports.
 *   S(group, type)           sizeof(type)
 *   F(group, type, field)    offsetof(type, field)
 *   C(group, NAME)           the value of constant NAME
 */

#include "abi-list-core.h"
#include "abi-list-ops.h"
#include "abi-list-ctl.h"
