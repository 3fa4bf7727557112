#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/guest/fuzz.sh HYPERVISOR TESTKERNEL CALLS [SEED] - the hostile-guest
# hypercall fuzzer (tests/guest/tests/fuzz-*.c): the test kernel as dom0
# (test=fuzz/run) builds a domU from its own image that makes CALLS random
# hypercalls on vCPU 0 while vCPU 1 races it with its own (about as many
# again), and checks the hypervisor and the frame accounting after every
# batch and after the domU is destroyed; then a second domU replays the
# first tenth without the race, which must give back every frame.
#
# Lines: dom0's "TEST mica/fuzz/...", then "TEST hvfuzz/<calls>/poweroff"
# (QEMU's status: the hypervisor lived to power off).  The seed (default
# 1) is on every failure line; FUZZ_ARGS adds words to dom0's command line
# (fuzz.batch=, fuzz.race=0, fuzz.trace=1, fuzz.from=K, fuzz.only=K).
set -u
here=$(cd "$(dirname "$0")" && pwd)
BOOT_TIMEOUT=${BOOT_TIMEOUT:-900}
. "$here/../qemu/lib.sh"
hv=$1 kernel=$2 calls=$3 seed=${4:-1}
out=${BUILD:-build}/tests/hvfuzz
log=$out/fuzz-$calls.log
mkdir -p "$out"

bash "$here/../../scripts/mkiso.sh" -o "$out/fuzz-$calls.iso" -c "$GUEST_HV_CMDLINE" "$hv" \
    -m "$kernel test=fuzz/run fuzz.seed=$seed fuzz.calls=$calls ${FUZZ_ARGS:-}" -m "$kernel" ||
    { error "hvfuzz/$calls/iso" "mkiso.sh failed"; result_exit; }
qemu_boot "$log.raw" "$out/fuzz-$calls.iso" "max,-smap" 512 -smp 2
rc=$?
hv_output "$log.raw" > "$log"
sed -n 's|^TEST \([^:]*\):|TEST mica/\1:|p' "$log"
grep -q '^TEST .*: FAIL' "$log" && failed=1
sed -n 's/^(d[0-9]*) fuzz: \(done\|results\)/hvfuzz: \1/p; s/^  fuzz: /hvfuzz: /p' "$log"
echo "hvfuzz: seed $seed, $calls calls asked of vCPU 0"
if ! grep -qE '^[0-9]+ passed, 0 failed' "$log"; then
    fail "hvfuzz/$calls/run" "dom0 did not finish cleanly (seed $seed)" "$log.raw"
fi
qemu_status "hvfuzz/$calls/poweroff" "$rc" 1 "$log.raw"
result_exit
