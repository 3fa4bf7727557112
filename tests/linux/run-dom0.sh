#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/linux/run-dom0.sh HV_IMAGE ISO_OUT LOG - boot the Debian dom0 kernel
# and initramfs under a Multiboot2 hypervisor (real Xen or Mica) in QEMU,
# with mica.test=1 so that dom0's /init runs the in-guest tests and powers
# off, and report the results.
#
# Prints "TEST $PREFIX/<check>: PASS|FAIL why" for the host-side checks
#   boot      dom0's /init printed MICA-DOM0-READY
#   <name>    every TEST line the dom0 tests printed, re-prefixed
#   tests-ran the dom0 test runner printed its final count
#   poweroff  QEMU exited on its own (status in OK_RC) after the tests
# and exits non-zero if any check failed.
#
# Env: KERNEL, INITRD (default $BUILD/dom0/vmlinux-dom0, initrd-dom0),
#   HV_CMDLINE (hypervisor command line), HV_NAME (its file name in /boot:
#   mica or xen.gz; GRUB unpacks a gzipped image), DOM0_CMDLINE (kernel command line;
#   mica.test=1 is appended), PREFIX (default linux), TIMEOUT (seconds,
#   default 300), GRACE (seconds to wait for power-off after the tests,
#   default 30), CPU (max,-smap), MEM (1024), SMP (2), QEMU_EXTRA (more
#   QEMU arguments, e.g. isa-debug-exit for Mica), OK_RC (QEMU exit
#   statuses meaning "powered off", default "0"), OFF_MARK (a console line
#   the hypervisor prints when it powers off, checked when set), FATAL
#   (extended regex of console lines after which the boot cannot recover;
#   QEMU is stopped a few seconds later instead of at the timeout).
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: run-dom0.sh HV_IMAGE ISO_OUT LOG" >&2; exit 2; }
HV=$1 ISO=$2 LOG=$3
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/dom0/vmlinux-dom0}
INITRD=${INITRD:-$BUILD/dom0/initrd-dom0}
HV_CMDLINE=${HV_CMDLINE:-}
HV_NAME=${HV_NAME:-mica}
DOM0_CMDLINE=${DOM0_CMDLINE:-console=hvc0 earlyprintk=xen}
PREFIX=${PREFIX:-linux}
TIMEOUT=${TIMEOUT:-300}
GRACE=${GRACE:-30}
CPU=${CPU:-max,-smap}
MEM=${MEM:-1024}
SMP=${SMP:-2}
OK_RC=${OK_RC:-0}
OFF_MARK=${OFF_MARK:-}
FATAL=${FATAL:-Kernel panic - not syncing|Hardware Dom0 crashed|Panic on CPU|PANIC:|dom0: not started|crashing domain}
READY=MICA-DOM0-READY
DONE=MICA-DOM0-TESTS-DONE

failed=0
pass() { echo "TEST $PREFIX/$1: PASS"; }
fail() { echo "TEST $PREFIX/$1: FAIL $2"; failed=1; }

for f in "$HV" "$KERNEL" "$INITRD"; do
    [ -f "$f" ] || { fail setup "missing $f"; exit 1; }
done
mkdir -p "$(dirname "$LOG")"
if ! bash "$TOP/scripts/dom0/mkiso.sh" -o "$ISO" -n "$HV_NAME" -c "$HV_CMDLINE" \
        "$HV" "$KERNEL" "$DOM0_CMDLINE mica.test=1" "$INITRD"; then
    fail iso "mkiso.sh failed"
    exit 1
fi

serial=$LOG.serial
rm -f "$serial"
t0=$SECONDS
# shellcheck disable=SC2086
timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu "$CPU" -m "$MEM" -smp "$SMP" \
    -display none -monitor none -serial "file:$serial" -no-reboot -nic none \
    -cdrom "$ISO" -boot d ${QEMU_EXTRA:-} </dev/null >"$LOG.qemu" 2>&1 &
qemu=$!
done_at= killed=0 fatal_at=
while kill -0 "$qemu" 2>/dev/null; do
    sleep 1
    if [ -z "$fatal_at" ] && grep -aEq "$FATAL" "$serial" 2>/dev/null; then
        fatal_at=$SECONDS
    fi
    if [ -n "$fatal_at" ] && [ $((SECONDS - fatal_at)) -ge 3 ]; then
        kill "$qemu" 2>/dev/null
        killed=1
        break
    fi
    if [ -z "$done_at" ] && grep -aq "$DONE" "$serial" 2>/dev/null; then
        done_at=$SECONDS
    fi
    if [ -n "$done_at" ] && [ $((SECONDS - done_at)) -ge "$GRACE" ]; then
        kill "$qemu" 2>/dev/null
        killed=1
        break
    fi
done
wait "$qemu"
rc=$?
elapsed=$((SECONDS - t0))
tr -d '\r' <"$serial" >"$LOG" 2>/dev/null
rm -f "$serial"

if grep -aq "$READY" "$LOG"; then
    pass boot
else
    last=$(grep -aE "$FATAL" "$LOG" | head -n 1)
    fail boot "no $READY on the console${last:+ ($last)} (see $LOG)"
fi
grep -ao 'TEST [^ :]*: \(PASS\|FAIL\|SKIP\).*' "$LOG" | sed "s|^TEST |TEST $PREFIX/|"
grep -aq 'TEST [^ :]*: FAIL' "$LOG" && failed=1
summary=$(grep -ao 'dom0: [0-9]* passed, [0-9]* failed' "$LOG" | tail -n 1)
if [ -n "$summary" ]; then pass tests-ran; else fail tests-ran "the dom0 tests did not finish (see $LOG)"; fi

why=
if [ -z "$done_at" ]; then
    why="never reached $DONE"
elif [ "$killed" = 1 ]; then
    why="QEMU still running ${GRACE}s after the tests (stopped it)"
elif [ "$rc" -eq 124 ]; then
    why="QEMU timed out"
elif ! [[ " $OK_RC " == *" $rc "* ]]; then
    why="QEMU exit status $rc, expected one of: $OK_RC"
elif [ -n "$OFF_MARK" ] && ! grep -aq "$OFF_MARK" "$LOG"; then
    why="no '$OFF_MARK' on the console"
fi
if [ -z "$why" ]; then pass poweroff; else fail poweroff "$why"; fi
counts=${summary#dom0: }
echo "$PREFIX: ${counts:-no result line} in dom0, QEMU ran ${elapsed}s (log $LOG)"
exit $failed
