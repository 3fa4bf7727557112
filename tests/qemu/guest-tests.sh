#!/usr/bin/env bash
# tests/qemu/guest-tests.sh HYPERVISOR TESTKERNEL - boot the PV test kernel
# as dom0 of Mica under both CPU models and report each of its tests.
#
# The kernel prints "TEST name: RESULT" lines and a final "N passed,
# N failed", then shuts down (poweroff on success, crash on failure); with
# debug_exit the hypervisor turns that into QEMU's exit status.  The
# console logs stay in build/tests/guest/mica-<cpu>.log, where
# test-guest-xen finds them to compare with real Xen.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
hv=$1 kernel=$2
out=${BUILD:-build}/tests/guest
mkdir -p "$out"
cmdline=$GUEST_HV_CMDLINE

bash "$here/../../scripts/mkiso.sh" -o "$out/mica-guest.iso" -c "$cmdline" "$hv" \
    -m "$kernel test=all" || { error mica/iso "mkiso.sh failed"; result_exit; }

for cpu in "max,-smap" "qemu64"; do
    tag=${cpu%%,*}
    log=$out/mica-$tag.log
    qemu_boot "$log" "$out/mica-guest.iso" "$cpu" 512
    rc=$?
    hv_output "$log" > "$log.hv"
    sed -n "s|^TEST \([^:]*\):|TEST mica/$tag/\1:|p" "$log.hv"
    grep -q '^TEST .*: FAIL' "$log.hv" && failed=1
    # Issue 4's leak check: every frame dom0 had is free again after teardown.
    if grep -q '^dom0 torn down: .* 0 leaked$' "$log.hv"; then
        pass "mica/$tag/teardown-no-leak"
    else
        fail "mica/$tag/teardown-no-leak" "$(grep '^dom0 torn down' "$log.hv" || echo 'no teardown report')" "$log"
    fi
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log.hv" | tail -1)
    if [ -z "$summary" ]; then
        fail "mica/$tag/run" "the test kernel did not finish (QEMU status $rc)" "$log"
    elif [ "$rc" -ne 1 ]; then
        fail "mica/$tag/run" "'$summary' but QEMU status $rc (expected 1: clean poweroff)" "$log"
    else
        echo "mica/$tag: $summary" | sed 's/passed, /passed; /'
    fi
done
result_exit
