/* SPDX-License-Identifier: MIT */
/*
 * mica.h - what the `mica` verbs share: the verb table's shape, the
 * handles a verb opens on demand, and xl's argument and error habits.
 */
#ifndef MICA_CLI_H
#define MICA_CLI_H

/* the verbs read optind and optarg after verb_getopt() */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

struct mica;
struct mxs_handle;

struct mica_ctx {
    struct mica *hv;                /* NULL until cli_hv() */
    struct mxs_handle *xs;          /* NULL until cli_xs() */
    int verbose;                    /* -v, repeatable */
    bool force;                     /* -f */
    bool dryrun;                    /* -N */
};

/* A verb: argv[0] is its name; the result is the exit status. */
typedef int verb_fn(struct mica_ctx *c, int argc, char **argv);

struct verb {
    const char *name;
    verb_fn *fn;
    bool modifies;                  /* takes the global -f */
    bool dryrun;                    /* takes the global -N */
    const char *usage;              /* after "mica [-vtT] NAME " */
    const char *help;               /* one line, no final '.' */
    const char *options;            /* NULL or the "Options:" text */
};

extern const struct verb verbs[];
extern const unsigned int nr_verbs;

/* The verb 'name' is (exactly, or the only one it is a prefix of), or NULL. */
const struct verb *verb_lookup(const char *name);
void verb_help(const struct verb *v);
void verbs_list(void);

/*
 * xl's def_getopt: the next option of 'opts' (plus -h and --help, which
 * print the verb's help and exit 0); -1 after the options, when at least
 * 'nargs' arguments remain.  An unknown option or too few arguments print
 * xl's message and exit 2.
 */
int verb_getopt(int argc, char **argv, const char *opts, int nargs);
/* The same with the verb's own long options too ('extra', values >= 0x100). */
int verb_getopt_long(int argc, char **argv, const char *opts, int nargs,
                     const struct option *extra);

/* The handles, opened once; on failure a one-line error and exit 1. */
struct mica *cli_hv(struct mica_ctx *c);
struct mxs_handle *cli_xs(struct mica_ctx *c);

/*
 * A domain argument to its id, as xl finds domains: digits are an id that
 * must exist, anything else a name in xenstore.  On failure prints
 * "X is an invalid domain identifier (rc=-6)" and exits 1.
 */
uint32_t cli_find_domain(struct mica_ctx *c, const char *arg);

/* The running scheduler's name, as xl info shows it ("credit", "credit2"). */
const char *cli_sched_name(struct mica *hv);

/* A verb Mica does not have yet: xl's words, exit 1. */
int cli_not_implemented(const char *what);

#endif
