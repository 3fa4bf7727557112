#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/qemu/builder-tests.sh HYPERVISOR TESTKERNEL - the test kernel as a
# toolstack (tests/guest/tests/builder.c): dom0 gets the test kernel's own
# image as its initrd module and builds domUs from it with domctl,
# memory_op and foreign mmu_update, runs each (grant + events both ways)
# and destroys it, 100 times, with the free-frame count checked after
# each cycle.  Then the same on real Xen 4.17 when the reference rig is
# there, with fewer cycles, as a cross-check of the builder itself.
#
# Lines: "TEST mica/builder/...", the domUs' as "TEST mica/builder/dN/...",
# and "TEST xen/builder/...".  Env: CYCLES (default 100), XEN_CYCLES
# (default 5; 0 skips the Xen run), SHARED, REF_WORK as for run-xen.sh.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BOOT_TIMEOUT=${BOOT_TIMEOUT:-240}
. "$here/lib.sh"
hv=$1 kernel=$2
out=${BUILD:-build}/tests/builder
mkdir -p "$out"
cycles=${CYCLES:-100} xen_cycles=${XEN_CYCLES:-5}

bash "$here/../../scripts/mkiso.sh" -o "$out/builder.iso" \
    -c "$GUEST_HV_CMDLINE" "$hv" \
    -m "$kernel test=builder cycles=$cycles" -m "$kernel" ||
    { error mica/builder/iso "mkiso.sh failed"; result_exit; }
qemu_boot "$out/builder.log.raw" "$out/builder.iso" "max,-smap" 512
rc=$?
hv_output "$out/builder.log.raw" > "$out/builder.log"
# dom0's lines, then the first domU's (all cycles run the same test).
sed -n 's|^TEST \([^:]*\):|TEST mica/\1:|p' "$out/builder.log"
sed -n 's|^(d\([0-9]*\)) TEST \([^:]*\):|TEST mica/d\1/\2:|p' "$out/builder.log" | head -1
sed -n 's/^  cycles: /builder: /p' "$out/builder.log"
grep -q 'TEST .*: FAIL' "$out/builder.log" && failed=1
if ! grep -qE '^[0-9]+ passed, 0 failed' "$out/builder.log"; then
    fail mica/builder/run "dom0 did not finish cleanly" "$out/builder.log.raw"
fi
n=$(grep -c '^(d[0-9]*) TEST builder/guest: PASS' "$out/builder.log")
echo "builder: $n domUs passed builder/guest on Mica"
# builder/run_domu's domU, the uncounted cycle 0, then one per cycle.
want=$((cycles + 2))
if [ "$n" -eq "$want" ]; then
    pass mica/builder/every-cycle
else
    fail mica/builder/every-cycle "$n of $want domUs passed builder/guest" "$out/builder.log"
fi
qemu_status mica/builder/poweroff "$rc" 1 "$out/builder.log.raw"

if [ "$xen_cycles" -gt 0 ]; then
    EXTRA_MODULE=$kernel LOG=$out/xen.log TIMEOUT=$BOOT_TIMEOUT \
        bash "$here/../guest/run-xen.sh" "$kernel" "test=builder cycles=$xen_cycles" ||
        failed=1
fi
result_exit
