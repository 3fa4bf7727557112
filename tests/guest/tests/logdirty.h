/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/logdirty.h - the page dom0's log-dirty tests
 * (logdirty.c) share with the domU they drive (logdirty-guest.c): dom0
 * writes a command, raises seq and sends an event; the domU does it, sets
 * done = seq, fills in the result and sends an event back.
 */
#ifndef TESTKERNEL_LOGDIRTY_H
#define TESTKERNEL_LOGDIRTY_H

#include <stdint.h>

#define LD_GREF         21              /* the grant dom0 offers the domU */
#define LD_PAGES        4               /* the domU's test pages */

enum ld_cmd {
    LD_WRITE = 1,       /* write a word into page arg */
    LD_READ,            /* read page arg */
    LD_HV_WRITE,        /* the hypervisor writes page arg (xen_version) */
    LD_AD_CHECK,        /* page arg: its PTE's A, D and RW bits as hardware's */
    LD_QUIT,            /* leave the loop and power off */
};

struct ld_exchange {
    uint64_t seq;                       /* dom0: one more per command */
    uint64_t cmd, arg;                  /* dom0 */
    uint64_t done;                      /* domU: seq of the last command done */
    uint64_t ready;                     /* domU: 1 once pfn[] is filled */
    uint64_t pfn[LD_PAGES];             /* domU: its test pages' pfns */
    uint64_t pte;                       /* domU: LD_AD_CHECK's final PTE */
    char fail[120];                     /* domU: why a command failed, or "" */
};

#endif
