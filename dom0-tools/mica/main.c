/* SPDX-License-Identifier: MIT */
/*
 * main.c - `mica [-vfNtT] VERB [args]`: xl's global options, then the verb
 * found in the table (verbs.c) by its name or a prefix of only one name.
 * Exit statuses are xl's: 0, 1 for a failed verb, 2 for a usage error,
 * 3 for a failed create.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmica.h>
#include <micaxs.h>

#include "mica.h"

static void usage_list(void)
{
    printf("Usage mica [-vfNtT] <subcommand> [args]\n\n");
    printf("mica full list of subcommands:\n\n");
    verbs_list();
}

static int help_verb(int argc, char **argv)
{
    const struct verb *v;

    if (argc < 2) {
        usage_list();
        return 0;
    }
    v = verb_lookup(argv[1]);
    if (!v) {
        printf("command \"%s\" not implemented\n", argv[1]);
        return 0;
    }
    verb_help(v);
    return 0;
}

int main(int argc, char **argv)
{
    struct mica_ctx c = { 0 };
    const struct verb *v;
    int opt, rc;

    /* '+': options after the verb are the verb's */
    opterr = 0;
    while ((opt = getopt(argc, argv, "+vfNtT")) != -1) {
        switch (opt) {
        case 'v': c.verbose++; break;
        case 'f': c.force = true; break;
        case 'N': c.dryrun = true; break;
        case 't': case 'T': break;   /* progress and timestamps: nothing to show yet */
        default:
            fprintf(stderr, "unknown global option\n");
            return 1;
        }
    }
    if (optind >= argc) {
        usage_list();
        return 1;
    }
    argv += optind;
    argc -= optind;
    optind = 0;
    if (!strcmp(argv[0], "help"))
        return help_verb(argc, argv);
    v = verb_lookup(argv[0]);
    if (!v) {
        fprintf(stderr, "command not implemented\n");
        return 1;
    }
    if (c.dryrun && !v->dryrun) {
        fprintf(stderr, "command does not implement -N (dryrun) option\n");
        return 1;
    }
    argv[0] = (char *)v->name;
    fflush(stdout);
    rc = v->fn(&c, argc, argv);
    if (c.xs)
        mxs_close(c.xs);
    if (c.hv)
        mica_close(c.hv);
    return rc;
}
