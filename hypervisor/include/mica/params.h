/* SPDX-License-Identifier: MIT */
/*
 * mica/params.h - the hypervisor's command-line options (common/params.c
 * holds the table and the defaults; README.md documents them).
 */
#ifndef MICA_PARAMS_H
#define MICA_PARAMS_H

#include <mica/types.h>

extern int opt_loglvl;               /* loglvl=err|warn|info|debug|all */
extern uint64_t opt_dom0_mem;        /* dom0_mem=<size>[,max:<size>] */
extern uint64_t opt_dom0_mem_max;
extern char opt_console[32];         /* console=com1|com2|none */
extern uint64_t opt_com1_baud;       /* com1=<baud>[,8n1] */
extern char opt_selftest[128];       /* selftest=<name>[,<name>...] */
extern uint64_t opt_debug_exit;      /* debug_exit=<port>: QEMU isa-debug-exit */
extern uint64_t opt_sched_slice_ms;  /* sched_slice_ms=<ms>: credit time slice */
extern uint64_t opt_dom0_max_vcpus;  /* dom0_max_vcpus=<n>: default one per CPU */

extern const char *hypervisor_cmdline;   /* as the boot loader gave it */

/* Parse the command line into the opt_* variables; returns problems found. */
int params_parse(const char *cmdline);

/* Is 'name' one of the comma-separated words in 'list'? */
bool list_contains(const char *list, const char *name);

#endif
