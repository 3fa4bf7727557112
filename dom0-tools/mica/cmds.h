/* SPDX-License-Identifier: MIT */
/* cmds.h - the verbs' handlers, one file per family (cmd-*.c). */
#ifndef MICA_CMDS_H
#define MICA_CMDS_H

#include "mica.h"

verb_fn cmd_create;                 /* cmd-create.c */
verb_fn cmd_list;                   /* cmd-list.c */
verb_fn cmd_shutdown, cmd_reboot;   /* cmd-shutdown.c */
verb_fn cmd_destroy, cmd_pause, cmd_unpause, cmd_domid, cmd_domname, cmd_rename,
        cmd_uptime;                 /* cmd-domain.c */
verb_fn cmd_mem_set, cmd_mem_max;   /* cmd-mem.c */
verb_fn cmd_console;                /* cmd-console.c */
verb_fn cmd_save;                   /* cmd-save.c */
verb_fn cmd_restore;                /* cmd-restore.c */
verb_fn cmd_migrate;                /* cmd-migrate.c */
verb_fn cmd_migrate_receive;        /* cmd-migrate-receive.c */
verb_fn cmd_info, cmd_dmesg;        /* cmd-info.c */
verb_fn cmd_vcpu_list, cmd_vcpu_pin, cmd_vcpu_set, cmd_sched_credit;  /* cmd-vcpu.c */
verb_fn cmd_block_attach, cmd_block_detach, cmd_block_list;   /* cmd-block.c */
verb_fn cmd_network_attach, cmd_network_detach, cmd_network_list; /* cmd-network.c */

#endif
