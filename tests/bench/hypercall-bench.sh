#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/bench/hypercall-bench.sh HYPERVISOR TESTKERNEL - the cost of a null
# hypercall (xen_version VERSION), of an event-channel send + upcall on
# a loopback interdomain channel, of a grant map + unmap and a 4 KiB grant
# copy (our own page granted to ourselves), and a domain's life: dom0's
# builder (tests/guest/tests/builder-lib.c) from createdomain to a paused,
# built domain, to the domU's first console line (its system time just
# before it prints, written to a page dom0 granted it), to its first event,
# and destroydomain.  Measured by the test kernel as dom0 of Mica and of
# real Xen 4.17 in the same run, under QEMU -icount shift=0 (guest TSC and
# system time count instructions, so the figures repeat); the test kernel
# is also dom0's initrd module, the domU image.  Prints both figures and
# Mica/Xen for each.  A benchmark, not a test: it never fails on the
# numbers, only when a side produced none.
# Env: SHARED (default ../shared), REF_WORK (Xen rig, default build/ref).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../qemu/lib.sh"
hv=$1 kernel=$2
out=${BUILD:-build}/tests/bench
SHARED=${SHARED:-../shared}
REF_WORK=${REF_WORK:-$PWD/build/ref}
BOOT_TIMEOUT=120
mkdir -p "$out"
args="test=bench bench=1"

bash "$here/../../scripts/mkiso.sh" -o "$out/mica-bench.iso" \
    -c "$GUEST_HV_CMDLINE" "$hv" -m "$kernel $args" -m "$kernel" || exit 1
qemu_boot "$out/mica.log" "$out/mica-bench.iso" "max,-smap" 512 -icount shift=0

# Xen: the rig's hypervisor with the same test kernel as dom0 and initrd.
LOG=$out/xen.log EXTRA_MODULE=$kernel QEMU_EXTRA="-icount shift=0" TIMEOUT=$BOOT_TIMEOUT \
    SHARED=$SHARED REF_WORK=$REF_WORK bash "$here/../guest/run-xen.sh" "$kernel" "$args" >/dev/null ||
    echo "bench: the Xen run did not finish cleanly (see $out/xen.log)"

figure() {      # LOG NAME -> the number, or nothing
    [ -f "$1" ] && sed -n "s/^BENCH $2: \([0-9]*\) .*/\1/p" "$1" | tail -1
}
rc=0
printf '%-28s %10s %10s %10s\n' "benchmark" "mica" "xen-4.17" "mica/xen"
for b in null_hypercall:cycles evtchn_send_upcall:cycles grant_map_unmap:cycles \
         grant_copy_4k:cycles domain_build:us domain_first_line:us \
         domain_first_event:us domain_destroy:us; do
    name=${b%:*} unit=${b#*:}
    m=$(figure "$out/mica.log" "$name") x=$(figure "$out/xen.log" "$name")
    [ -n "$m" ] || rc=1
    ratio=-
    [ -n "$m" ] && [ -n "$x" ] && [ "$x" -gt 0 ] &&
        ratio=$(awk -v m="$m" -v x="$x" 'BEGIN { printf "%.2f", m / x }')
    printf '%-28s %10s %10s %10s\n' "$name ($unit)" "${m:--}" "${x:--}" "$ratio"
done
exit $rc
