/* SPDX-License-Identifier: MIT */
/*
 * verbs.c - the table of `mica` verbs and everything generated from it:
 * `mica help`, `mica help VERB` / `VERB --help` in xl's layout, prefix
 * lookup, and the per-verb option parsing with xl's messages.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "mica.h"

const struct verb verbs[] = {
    { "create", cmd_create, true, true, "<ConfigFile> [options] [vars]",
      "Create a domain from config file <filename>",
      "-c                      Connect to the console after the domain is created.\n"
      "-e                      Do not wait in the background for the death of the domain.\n"
      "-F                      Run in foreground until death of the domain.\n"
      "-h                      Print this help.\n"
      "-n, --dryrun            Dry run - prints the resulting configuration\n"
      "                         (deprecated in favour of global -N option).\n"
      "-p                      Leave the domain paused after it is created.\n"
      "-q, --quiet             Quiet.\n" },
    { "list", cmd_list, false, false, "[options] [Domain]\n",
      "List information about all/some domains",
      "-l, --long              Output all VM details\n"
      "-v, --verbose           Prints out UUIDs and security context\n" },
    { "destroy", cmd_destroy, true, false, "[options] <Domain>\n",
      "Terminate a domain immediately",
      "-f                      Permit destroying domain 0, which will only succeed\n"
      "                        when run from disaggregated toolstack domain with a\n"
      "                        hardware domain distinct from domain 0.\n" },
    { "shutdown", cmd_shutdown, true, false, "[options] <-a|Domain>",
      "Issue a shutdown signal to a domain",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-w, --wait              Wait for guest(s) to shutdown.\n" },
    { "reboot", cmd_reboot, true, false, "[options] <-a|Domain>",
      "Issue a reboot signal to a domain",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-w, --wait              Wait for guest(s) to reboot.\n" },
    { "pause", cmd_pause, true, false, "<Domain>", "Pause execution of a domain", NULL },
    { "save", cmd_save, true, false, "[options] <Domain> <CheckpointFile> [<ConfigFile>]",
      "Save a domain state to restore later",
      "-h  Print this help.\n"
      "-c  Leave domain running after creating the snapshot.\n"
      "-p  Leave domain paused after creating the snapshot.\n"
      "-D  Store the domain id in the configration.\n" },
    { "restore", cmd_restore, true, false, "[options] [<ConfigFile>] <CheckpointFile>",
      "Restore a domain from a saved state",
      "-h                       Print this help.\n"
      "-p                       Do not unpause domain after restoring it.\n"
      "-e                       Do not wait in the background for the death of the domain.\n"
      "-d                       Enable debug messages.\n" },
    { "migrate", cmd_migrate, true, false, "[options] <Domain> <host>",
      "Migrate a domain to another host",
      "-h              Print this help.\n"
      "-C <config>     Send <config> instead of config file from creation.\n"
      "-s <sshcommand> Use <sshcommand> instead of ssh.  String will be passed\n"
      "                to sh. If empty, run <host> instead of ssh <host> mica\n"
      "                migrate-receive [-d -e]\n"
      "-e              Do not wait in the background (on <host>) for the death\n"
      "                of the domain.\n"
      "-p              Do not unpause domain after migrating it.\n"
      "--debug         Accepted as xl's; passes -d to the receiver (the rounds are\n"
      "                printed either way).\n"
      "--tcp <port>    Send over plain TCP to <host>:<port>, where `mica\n"
      "                migrate-receive --listen <port>` waits, instead of ssh\n"
      "                (tests and private networks: nothing is encrypted).\n" },
    { "migrate-receive", cmd_migrate_receive, true, false, "[options]",
      "Receive a domain that `mica migrate` sends (on stdin/stdout, as over ssh)",
      "-e                      Do not wait in the background for the death of the domain.\n"
      "-d                      Enable debug messages.\n"
      "-p                      Do not unpause the domain once received.\n"
      "--listen [ADDR:]PORT    Accept one TCP connection on PORT (of ADDR, default\n"
      "                        every address) from `mica migrate --tcp PORT` instead\n"
      "                        of using stdin/stdout.\n" },
    { "unpause", cmd_unpause, true, false, "<Domain>", "Unpause a paused domain", NULL },
    { "console", cmd_console, false, false, "[options] <Domain>\n"
      "-t <type>       console type, pv\n"
      "-n <number>     console number",
      "Attach to domain's console", NULL },
    { "mem-max", cmd_mem_max, true, false,
      "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>",
      "Set the maximum amount reservation for a domain", NULL },
    { "mem-set", cmd_mem_set, true, false,
      "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>",
      "Set the current memory usage for a domain", NULL },
    { "vcpu-list", cmd_vcpu_list, false, false, "[Domain, ...]",
      "List the VCPUs for all/some domains", NULL },
    { "vcpu-pin", cmd_vcpu_pin, true, false,
      "[option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>",
      "Set which CPUs a VCPU can use", NULL },
    { "vcpu-set", cmd_vcpu_set, true, false, "[option] <Domain> <vCPUs>",
      "Set the number of active VCPUs allowed for the domain",
      "-i, --ignore-host  Don't limit the vCPU based on the host CPU count\n" },
    { "info", cmd_info, false, false, "", "Get information about Xen host", NULL },
    { "sched-credit", cmd_sched_credit, true, false,
      "[-d <Domain> [-w[=WEIGHT]|-c[=CAP]]]",
      "Get/set credit scheduler parameters",
      "-d DOMAIN, --domain=DOMAIN     Domain to modify\n"
      "-w WEIGHT, --weight=WEIGHT     Weight (int)\n"
      "-c CAP,    --cap=CAP           Cap (int)\n" },
    { "domid", cmd_domid, false, false, "<DomainName>",
      "Convert a domain name to domain id", NULL },
    { "domname", cmd_domname, false, false, "<DomainId>",
      "Convert a domain id to domain name", NULL },
    { "rename", cmd_rename, true, false, "<Domain> <NewDomainName>", "Rename a domain", NULL },
    { "dmesg", cmd_dmesg, false, false, "[-c]", "Read and/or clear dmesg buffer",
      "  -c                        Clear dmesg buffer as well as printing it\n" },
    { "uptime", cmd_uptime, false, false, "[-s] [Domain]",
      "Print uptime for all/some domains", NULL },
    { "block-attach", cmd_block_attach, true, true, "<Domain> <disk-spec-component(s)>...",
      "Create a new virtual block device", NULL },
    { "block-list", cmd_block_list, false, false, "<Domain(s)>",
      "List virtual block devices for a domain", NULL },
    { "block-detach", cmd_block_detach, true, false, "[option] <Domain> <DevId>",
      "Destroy a domain's virtual block device",
      "  -f                        Force the device removal\n" },
    { "network-attach", cmd_network_attach, true, true,
      "<Domain> [type=<type>] [mac=<mac>] [bridge=<bridge>] [ip=<ip>] [script=<script>] "
      "[backend=<BackDomain>] [vifname=<name>] [rate=<rate>] [model=<model>] [accel=<accel>]",
      "Create a new virtual network device", NULL },
    { "network-list", cmd_network_list, false, false, "<Domain(s)>",
      "List virtual network interfaces for a domain", NULL },
    { "network-detach", cmd_network_detach, true, false, "<Domain> <DevId|mac>",
      "Destroy a domain's virtual network device", NULL },
};
const unsigned int nr_verbs = sizeof(verbs) / sizeof(verbs[0]);

const struct verb *verb_lookup(const char *name)
{
    const struct verb *found = NULL;
    size_t n = strlen(name);
    unsigned int i;

    for (i = 0; i < nr_verbs; i++)
        if (!strcmp(verbs[i].name, name))
            return &verbs[i];
    if (!n)
        return NULL;
    for (i = 0; i < nr_verbs; i++) {
        if (strncmp(verbs[i].name, name, n))
            continue;
        if (found)
            return NULL;            /* ambiguous */
        found = &verbs[i];
    }
    return found;
}

void verb_help(const struct verb *v)
{
    printf("Usage: mica [-vtT%s%s] %s %s\n\n%s.\n\n", v->modifies ? "f" : "",
           v->dryrun ? "N" : "", v->name, v->usage, v->help);
    if (v->options)
        printf("Options:\n\n%s\n", v->options);
}

void verbs_list(void)
{
    for (unsigned int i = 0; i < nr_verbs; i++) {
        printf(" %-19s ", verbs[i].name);
        if (strlen(verbs[i].name) > 19)
            printf("\n %-19s ", "");
        printf("%s\n", verbs[i].help);
    }
}

static int getopt_with(int argc, char **argv, const char *opts, int nargs,
                       const struct option *extra);

int verb_getopt(int argc, char **argv, const char *opts, int nargs)
{
    return getopt_with(argc, argv, opts, nargs, NULL);
}

int verb_getopt_long(int argc, char **argv, const char *opts, int nargs,
                     const struct option *extra)
{
    return getopt_with(argc, argv, opts, nargs, extra);
}

/* Is 'opt' one of the verb's own long options (values >= 0x100)? */
static bool extra_has(const struct option *extra, int opt)
{
    for (; extra && extra->name; extra++)
        if (extra->val == opt)
            return true;
    return false;
}

static int getopt_with(int argc, char **argv, const char *opts, int nargs,
                       const struct option *extra)
{
    static const struct option common[] = {
        { "help", no_argument, NULL, 'h' },
        { "all", no_argument, NULL, 'a' },
        { "wait", no_argument, NULL, 'w' },
        { "long", no_argument, NULL, 'l' },
        { "verbose", no_argument, NULL, 'v' },
        { "dryrun", no_argument, NULL, 'n' },
        { "quiet", no_argument, NULL, 'q' },
        { "domain", required_argument, NULL, 'd' },
        { "weight", required_argument, NULL, 'w' },
        { "cap", required_argument, NULL, 'c' },
        { "ignore-host", no_argument, NULL, 'i' },
        { NULL, 0, NULL, 0 },
    };
    const size_t nc = sizeof(common) / sizeof(common[0]) - 1;
    struct option longopts[sizeof(common) / sizeof(common[0]) + 8];
    char optstring[32];
    size_t n = 0;
    int opt;

    memcpy(longopts, common, nc * sizeof(common[0]));
    for (n = nc; extra && extra[n - nc].name && n < nc + 8; n++)
        longopts[n] = extra[n - nc];
    memset(&longopts[n], 0, sizeof(longopts[n]));

    /* GNU order: options may follow the arguments, as `xl create cfg -c` */
    snprintf(optstring, sizeof(optstring), "h%s", opts);
    opterr = 0;
    opt = getopt_long(argc, argv, optstring, longopts, NULL);
    if (opt == 'h' || (opt == '?' && optopt == 'h')) {
        verb_help(verb_lookup(argv[0]));
        exit(0);
    }
    if (opt == '?' || (opt != -1 && (opt >= 0x100 ? !extra_has(extra, opt) :
                                     !strchr(opts, opt)))) {
        /* a long option the verb does not take reads as unsupported too */
        fprintf(stderr, "option `%c' not supported.\n", optopt ? optopt : opt);
        exit(2);
    }
    if (opt != -1)
        return opt;
    if (argc - optind < nargs) {
        fprintf(stderr, "'mica %s' requires at least %d argument%s.\n\n", argv[0], nargs,
                nargs > 1 ? "s" : "");
        verb_help(verb_lookup(argv[0]));
        exit(2);
    }
    return -1;
}
