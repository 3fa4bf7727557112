#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/bench/toolstack/run.sh MICA XEN_GZ KERNEL INITRD - `make
# bench-toolstack`: issue 12's toolstack figures, `mica` on Mica beside
# Debian's `xl` on Xen 4.17.  One boot of each hypervisor with the same
# dom0 kernel and benchmark initramfs (dom0-bench.sh runs in it and times
# every step in dom0 with CLOCK_MONOTONIC); then a table of medians, the
# ratio Mica/Xen and the count of each, on stdout and in
# $BUILD/bench/toolstack.txt.  A benchmark, not a test: timings are never
# judged; it fails only when a side produced no figures at all.
#
# Env: BUILD, MICA_CMDLINE, XEN_CMDLINE (hypervisor command lines),
#   DOM0_CMDLINE, XEN_DOM0_CMDLINE (dom0's, on each), MEM (QEMU MiB, 1536),
#   SMP (2), CPU (max,-smap), BENCH_N (runs per step after the cold one,
#   5), TIMEOUT (per boot, 1500 s: a loaded host slows TCG a lot), SIDES
#   (the boots to make, "mica xen"; a side left out keeps its last figures),
#   NAME (the files' prefix, "toolstack") and STEPS (dom0-bench.sh's
#   mica.bench.steps: "toolstack", or "save" for issue 18's save and
#   restore, `make bench-save`; "blk" for issue 15's disk figures, `make
#   bench-blkback`, blk.sh: its table is dev_table's).  Rows without a figure on either side are
#   left out of the table.
set -u
[ $# -eq 4 ] || { echo "usage: run.sh MICA XEN_GZ KERNEL INITRD" >&2; exit 2; }
mica=$1 xen=$2 kernel=$3 initrd=$4
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
. "$top/tests/linux/qemu-console.sh"
BUILD=${BUILD:-build}
MICA_CMDLINE=${MICA_CMDLINE:-console=com1 loglvl=all dom0_mem=512M,max:512M}
XEN_CMDLINE=${XEN_CMDLINE:-console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all}
DOM0_CMDLINE=${DOM0_CMDLINE:-console=hvc0 earlyprintk=xen}
XEN_DOM0_CMDLINE=${XEN_DOM0_CMDLINE:-$DOM0_CMDLINE}
MEM=${MEM:-1536}
SMP=${SMP:-2}
CPU=${CPU:-max,-smap}
BENCH_N=${BENCH_N:-5}
SIDES=${SIDES:-mica xen}
NAME=${NAME:-toolstack}
STEPS=${STEPS:-toolstack}
export TIMEOUT=${TIMEOUT:-1500}
out=$BUILD/bench
mkdir -p "$out"
for f in "$mica" "$xen" "$kernel" "$initrd"; do
    [ -f "$f" ] || { echo "bench-$NAME: missing $f" >&2; exit 1; }
done
bench_args="mica.test=1 mica.autooff=30 mica.bench.n=$BENCH_N mica.bench.steps=$STEPS"
iso() {         # SIDE
    if [ "$1" = mica ]; then
        bash "$top/scripts/mkiso.sh" -o "$out/$NAME-mica.iso" -c "$MICA_CMDLINE" \
            "$mica" --dom0 "$kernel" "$DOM0_CMDLINE $bench_args" "$initrd"
    else
        bash "$top/scripts/mkiso.sh" -o "$out/$NAME-xen.iso" -n xen.gz -c "$XEN_CMDLINE" \
            "$xen" --dom0 "$kernel" "$XEN_DOM0_CMDLINE $bench_args" "$initrd"
    fi
}

# boot SIDE: one boot; the TSB lines dom0 printed go to $out/$NAME-SIDE.tsb.
boot() {
    local side=$1 done_at=
    iso "$side" || { echo "bench-$NAME: no ISO for $side" >&2; return 1; }
    : >"$out/$NAME-$side.tsb"
    echo "bench-$NAME: booting $side ($(uptime | sed 's/.*load/load/'))"
    qc_start "$out/$NAME-$side.iso" "$out/$NAME-$side.log" \
        -cpu "$CPU" -m "$MEM" -smp "$SMP"
    while :; do
        qc_line 5
        case $? in 1) ;; 2) break ;; 0)
            case $QC_LINE in
            TSB*) printf '%s\n' "$QC_LINE" >>"$out/$NAME-$side.tsb" ;;
            *MICA-DOM0-TESTS-DONE*) done_at=${EPOCHREALTIME/./}; qc_send poweroff ;;
            esac ;;
        esac
        # dom0 powers itself off 30 s after the benchmark if poweroff was lost.
        [ -n "$done_at" ] && [ $((${EPOCHREALTIME/./} - done_at)) -gt 60000000 ] && break
    done
    qc_stop
    grep -h 'TSB-ERROR\|TSB-INFO' "$out/$NAME-$side.tsb"
    echo "bench-$NAME: $side: $(grep -c '^TSB \|^TSB-DEV ' "$out/$NAME-$side.tsb") figures," \
        "QEMU ran $(( (${EPOCHREALTIME/./} - QC_T0) / 1000000 )) s, status $QC_RC" \
        "(console in $out/$NAME-$side.log)"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
for side in $SIDES; do
    boot "$side"
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# dev_table: blk.sh's "TSB-DEV SIDE FIGURE,UNIT:MODE VALUE"
# lines, medians per figure, each Mica mode beside Xen's kernel back end
# (mode "kernel") with the ratio Mica/Xen.
dev_table() {
    echo "bench-$NAME: Linux domU, Mica's back ends against Linux's kernel back ends" \
        "on Xen 4.17, medians (n: mica/xen);" \
        "$(date -u '+%Y-%m-%d %H:%M UTC'), host load $load0 before, $load1 after"
    awk '
        $1 == "TSB-DEV" && NF == 4 && $4 ~ /^[0-9.]+$/ {
            if (!(($2, $3) in n)) k[++nk] = $2 SUBSEP $3
            v[$2, $3, ++n[$2, $3]] = $4 }
        function med(side, key,   c, i, j, t, a) {
            c = n[side, key]
            if (!c) return -1
            for (i = 1; i <= c; i++) a[i] = v[side, key, i]
            for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
        END {
            printf "%-32s %10s %10s %7s %5s\n", "figure, mica mode", "mica", "xen", "ratio", "n"
            for (i = 1; i <= nk; i++) {
                split(k[i], sk, SUBSEP)
                if (sk[1] != "mica") continue
                split(sk[2], fm, ":")
                x = fm[1] ":kernel"
                a = med("mica", sk[2]); b = med("xen", x)
                printf "%-32s %10s %10s %7s %5s\n", fm[1] ", " fm[2], a, b < 0 ? "-" : b,
                    (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "-", n["mica", sk[2]] "/" (n["xen", x] + 0)
            }
            for (i = 1; i <= nk; i++) {
                split(k[i], sk, SUBSEP)
                split(sk[2], fm, ":")
                if (sk[1] == "xen" && !(("mica", fm[1] ":copy") in n) && !(("mica", fm[1] ":netback") in n))
                    printf "%-32s %10s %10s %7s %5s\n", fm[1] ", -", "-", med("xen", sk[2]), "-", "0/" n["xen", sk[2]]
            }
        }' /dev/null $(ls "$out"/$NAME-{mica,xen}.tsb 2>/dev/null)
}
if [ "$STEPS" = blk ]; then
    dev_table | tee "$out/$NAME.txt"
    for side in $SIDES; do
        grep -q '^TSB-DEV ' "$out/$NAME-$side.tsb" || exit 1
    done
    exit 0
fi

# The table: step names as dom0-bench.sh prints them, in this order.
rows="list0|list, dom0 alone
list1.tk|list, 1 domU (test kernel)
list1.linux|list, 1 domU (Linux)
tk.first|create -> first console line, test kernel
tk.ret|create returns, test kernel
linux.first|create -> first console line, Linux
linux.ret|create returns, Linux
linux2.first|create -> first line, Linux, mica uncached
linux2.ret|create returns, Linux, mica uncached
tk.destroy|destroy, test kernel
linux.destroy|destroy, Linux
linux.shutdown|shutdown -w, Linux
tk.cold.first|cold: 1st create -> first line, test kernel
linux.cold.first|cold: 1st create -> first line, Linux
list0.cold|cold: 1st list after boot
exec.true|where list goes: busybox true (static)
exec.help|where list goes: help (start, nothing to do)
exec.domid|where list goes: domid Domain-0 (xenstore)
sr.save|save, Linux 256 MiB (suspend, write, destroy)
sr.restore|restore, Linux 256 MiB (to the domain running)"
{
    echo "bench-$NAME: mica on Mica against xl on Xen 4.17, medians in ms (n: mica/xen);" \
        "$(date -u '+%Y-%m-%d %H:%M UTC'), host load $load0 before, $load1 after"
    awk -v rows="$rows" '
        # A figure is digits only: a kernel message may break into a line.
        $1 == "TSB" && NF == 4 && $4 ~ /^[0-9]+$/ { v[$2, $3, ++n[$2, $3]] = $4 / 1000 }
        function med(side, step,   c, i, j, t, a) {
            c = n[side, step]
            if (!c) return -1
            for (i = 1; i <= c; i++) a[i] = v[side, step, i]
            for (i = 2; i <= c; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
                t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
        END {
            printf "%-44s %9s %9s %7s %6s\n", "step", "mica ms", "xen ms", "ratio", "n"
            k = split(rows, r, "\n")
            for (i = 1; i <= k; i++) {
                split(r[i], f, "|")
                m = med("mica", f[1]); x = med("xen", f[1])
                if (m < 0 && x < 0) continue
                ms = m < 0 ? "-" : sprintf("%.0f", m)
                xs = x < 0 ? "-" : sprintf("%.0f", x)
                rs = (m > 0 && x > 0) ? sprintf("%.2f", m / x) : "-"
                printf "%-44s %9s %9s %7s %6s\n", f[2], ms, xs, rs,
                    (n["mica", f[1]] + 0) "/" (n["xen", f[1]] + 0)
            }
            if (n["mica", "tk.ret"] + n["xen", "tk.ret"])
                print "shutdown -w, test kernel: not measured (the test list it runs here obeys no control/shutdown)"
        }' /dev/null $(ls "$out"/$NAME-{mica,xen}.tsb 2>/dev/null)
} | tee "$out/$NAME.txt"
for side in $SIDES; do
    grep -q '^TSB ' "$out/$NAME-$side.tsb" || exit 1
done
