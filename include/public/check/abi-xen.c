/* SPDX-License-Identifier: MIT */
/*
 * include/public/check/abi-xen.c - the same facts as Xen's own installed
 * headers (Debian's libxen-dev) state them.
 *
 * __XEN_TOOLS__ selects the newest interface version and the tools-only
 * parts, which is what the hypervisor side has to match.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/platform.h>
#include <xen/arch-x86/xen-mca.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/io/blkif.h>
#include <xen/io/console.h>
#include <xen/io/netif.h>
#include <xen/io/xs_wire.h>

/* Our header has this name; Xen spells the 64-bit one differently. */
#ifndef VGCF_in_syscall
#define VGCF_in_syscall VGCF_IN_SYSCALL
#endif

#define ABI_TABLE abi_xen
#include "abi-table.h"
