/* SPDX-License-Identifier: MIT */
/*
 * include/public/check/abi-ours.c - ABI facts as Mica's headers state them.
 */
#include <errno.h>
#include <public/xen.h>
#include <public/errno.h>
#include <public/callback.h>
#include <public/elfnote.h>
#include <public/event_channel.h>
#include <public/features.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/platform.h>
#include <public/arch-x86/xen-mca.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <public/io/blkif.h>
#include <public/io/console.h>
#include <public/io/netif.h>
#include <public/io/xs_wire.h>

#define ABI_TABLE abi_ours
#include "abi-table.h"
