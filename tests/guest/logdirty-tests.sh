#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/guest/logdirty-tests.sh HYPERVISOR TESTKERNEL - log-dirty tracking
# (XEN_DOMCTL_shadow_op) from the test kernel as dom0 against domUs built
# from its own image (tests/guest/tests/logdirty.c): dom0 gets the image as
# its module and runs "test=logdirty"; the domUs' lines come back as
# "(dN) TEST ...".
#
# Lines: "TEST mica/logdirty/...", the domUs' as "TEST mica/dN/...".
set -u
here=$(cd "$(dirname "$0")" && pwd)
BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}
. "$here/../qemu/lib.sh"
hv=$1 kernel=$2
out=${BUILD:-build}/tests/logdirty
mkdir -p "$out"

bash "$here/../../scripts/mkiso.sh" -o "$out/logdirty.iso" \
    -c "$GUEST_HV_CMDLINE" "$hv" -m "$kernel test=logdirty" -m "$kernel" ||
    { error mica/logdirty/iso "mkiso.sh failed"; result_exit; }
# Two CPUs: dom0 CLEANs while the domU runs (and faults) on the other.
qemu_boot "$out/logdirty.log.raw" "$out/logdirty.iso" "max,-smap" 512 -smp 2
rc=$?
hv_output "$out/logdirty.log.raw" > "$out/logdirty.log"
sed -n 's|^TEST \([^:]*\):|TEST mica/\1:|p' "$out/logdirty.log"
sed -n 's|^(d\([0-9]*\)) TEST \([^:]*\):|TEST mica/d\1/\2:|p' "$out/logdirty.log"
grep -q 'TEST .*: FAIL' "$out/logdirty.log" && failed=1
if ! grep -qE '^[0-9]+ passed, 0 failed' "$out/logdirty.log"; then
    fail mica/logdirty/run "dom0 did not finish cleanly" "$out/logdirty.log.raw"
fi
qemu_status mica/logdirty/poweroff "$rc" 1 "$out/logdirty.log.raw"
result_exit
