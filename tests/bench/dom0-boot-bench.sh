#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/bench/dom0-boot-bench.sh MICA XEN_GZ - how long Debian's Linux
# takes to boot as dom0, from QEMU's start to dom0's shell (its /init
# prints MICA-DOM0-READY just before the shell's prompt), on Mica and on
# Xen 4.17 with the same kernel, initramfs, kernel command line and QEMU
# settings.  Three boots of each, alternating so both see the same host
# load; prints the median of each phase and the ratio Mica/Xen.  A
# benchmark, not a test: it fails only when a side never reached the shell.
#
# Phases, all from QEMU's start, by the host's clock as each console line
# is read: the hypervisor's first line (GRUB has loaded everything), the
# kernel's first line (the hypervisor has built dom0), the shell.
#
# Env: BUILD, KERNEL, INITRD (as tests/linux/run-dom0.sh), MICA_CMDLINE,
#   XEN_CMDLINE (hypervisor command lines), DOM0_CMDLINE, ROUNDS (3),
#   CPU (max,-smap), MEM (1024), SMP (2), TIMEOUT (per boot, 180 s).
set -u
[ $# -eq 2 ] || { echo "usage: dom0-boot-bench.sh MICA XEN_GZ" >&2; exit 2; }
mica=$1 xen=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/linux/qemu-console.sh"
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/dom0/vmlinux-dom0}
INITRD=${INITRD:-$BUILD/dom0/initrd-dom0}
MICA_CMDLINE=${MICA_CMDLINE:-console=com1 loglvl=all}
XEN_CMDLINE=${XEN_CMDLINE:-console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all}
DOM0_CMDLINE=${DOM0_CMDLINE:-console=hvc0 earlyprintk=xen}
ROUNDS=${ROUNDS:-3}
CPU=${CPU:-max,-smap}
MEM=${MEM:-1024}
SMP=${SMP:-2}
TIMEOUT=${TIMEOUT:-180}
# Both dom0s get the same memory: Linux's boot time grows with it.
DOM0_MEM="dom0_mem=512M,max:512M"
out=$BUILD/tests/bench/dom0-boot
mkdir -p "$out"

for f in "$mica" "$xen" "$KERNEL" "$INITRD"; do
    [ -f "$f" ] || { echo "bench: missing $f" >&2; exit 1; }
done
bash "$top/scripts/mkiso.sh" -o "$out/mica.iso" -c "$MICA_CMDLINE $DOM0_MEM" \
    "$mica" --dom0 "$KERNEL" "$DOM0_CMDLINE" "$INITRD" || exit 1
bash "$top/scripts/mkiso.sh" -o "$out/xen.iso" -n xen.gz -c "$XEN_CMDLINE $DOM0_MEM" \
    "$xen" --dom0 "$KERNEL" "$DOM0_CMDLINE" "$INITRD" || exit 1

# boot NAME ROUND BANNER: BANNER is a regex for the hypervisor's first
# line (GRUB's own "Booting `Mica dom0'" must not match); prints "HV KERNEL SHELL" in µs from QEMU's start, or
# nothing when the shell never came.
boot() {
    local hv= kern= banner=$3
    qc_start "$out/$1.iso" "$out/$1-$2.log" -cpu "$CPU" -m "$MEM" -smp "$SMP"
    while :; do
        qc_line 5
        case $? in 1) continue ;; 2) break ;; esac
        [[ $QC_LINE =~ $banner ]] && hv=${hv:-$QC_US}
        case $QC_LINE in
        *"] Linux version "*) kern=${kern:-$QC_US} ;;
        *MICA-DOM0-READY*)
            [ -n "$hv" ] && [ -n "$kern" ] &&
                echo $((hv - QC_T0)) $((kern - QC_T0)) $((QC_US - QC_T0))
            break ;;
        esac
    done
    qc_stop
}

median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

declare -A runs
for r in $(seq "$ROUNDS"); do
    runs[mica]+="$(boot mica "$r" 'Mica [0-9]+\.[0-9]');"
    runs[xen]+="$(boot xen "$r" '\(XEN\) Xen version');"
done

rc=0
declare -A med
for side in mica xen; do
    IFS=';' read -ra got <<<"${runs[$side]}"
    for phase in 1 2 3; do
        vals=()
        for g in "${got[@]}"; do
            [ -n "$g" ] && vals+=("$(echo "$g" | cut -d' ' -f$phase)")
        done
        med[$side$phase]=
        [ ${#vals[@]} -gt 0 ] && med[$side$phase]=$(median "${vals[@]}")
    done
    echo "dom0-boot $side: ${#got[@]} boots, shell reached in $(printf '%s\n' "${got[@]}" | grep -c .)"
    [ -n "${med[${side}3]}" ] || rc=1
done

printf '%-34s %9s %9s %9s\n' "dom0 boot, median of $ROUNDS (s)" mica xen-4.17 mica/xen
names=("QEMU start -> hypervisor banner" "QEMU start -> dom0 kernel" "QEMU start -> dom0 shell")
for phase in 1 2 3; do
    m=${med[mica$phase]} x=${med[xen$phase]} ratio=-
    [ -n "$m" ] && [ -n "$x" ] && ratio=$(awk -v m="$m" -v x="$x" 'BEGIN { printf "%.2f", m / x }')
    printf '%-34s %9s %9s %9s\n' "${names[phase - 1]}" \
        "${m:+$(us_to_s "$m")}" "${x:+$(us_to_s "$x")}" "$ratio"
done
exit $rc
