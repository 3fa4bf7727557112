#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/guest/run-xen.sh KERNEL [CMDLINE] - boot the test kernel as dom0 of
# real Xen 4.17 (the reference rig) and report its results.
#
# Re-prints every "TEST name: ..." line of the guest as "TEST xen/name: ..."
# and its final count as "xen: N passed, N failed".  Exits non-zero if the
# guest reported a failure or never reached its final line (timeout, crash).
# Env: SHARED (shared folder, default ../shared), REF_WORK (rig cache,
# default ./build/ref), LOG (raw console log), TIMEOUT (seconds, default 300),
# XEN_CMDLINE, CPU, MEM, SMP as for the rig, EXTRA_MODULE (a file passed
# as dom0's second module, i.e. its initrd), QEMU_EXTRA (more QEMU
# arguments, e.g. -icount shift=0 for the benchmarks).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/qemu.sh"
KERNEL=$1
CMDLINE=${2:-test=all}
SHARED=${SHARED:-../shared}
REF_WORK=${REF_WORK:-$PWD/build/ref}
LOG=${LOG:-$PWD/build/tests/guest/xen.log}
TIMEOUT=${TIMEOUT:-300}

mkdir -p "$(dirname "$LOG")"
if [ ! -f "$REF_WORK"/root/boot/xen-4.17-amd64.gz ]; then
    echo "run-xen: building the reference rig in $REF_WORK (once)" >&2
    skip_apt=0
    command -v qemu-system-x86_64 >/dev/null && command -v grub-mkrescue \
        >/dev/null && command -v xorriso >/dev/null && skip_apt=1
    mkdir -p "$REF_WORK"
    if ! WORK=$REF_WORK SKIP_APT=$skip_apt bash "$SHARED/ref/build.sh" \
            >"$REF_WORK.build.log" 2>&1; then
        echo "TEST xen/rig: ERROR could not build the reference rig, see $REF_WORK.build.log"
        exit 1
    fi
fi

# The rig's run-kernel.sh boots the same way, but here QEMU
# writes straight to the log so the result line can be seen at once: Xen
# halts instead of powering off when dom0 shuts down, and QEMU would
# otherwise sit there until the timeout.
XEN_CMDLINE=${XEN_CMDLINE:-console=com1 com1=115200,8n1 dom0_mem=64M loglvl=all guest_loglvl=all}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
extra=()
[ -n "${EXTRA_MODULE:-}" ] && extra=(-N module -m "$EXTRA_MODULE")
if ! bash "$here/../../scripts/mkiso.sh" -o "$w/k.iso" -n xen.gz -c "$XEN_CMDLINE" \
        -t 'Xen 4.17 + test kernel' "$REF_WORK"/root/boot/xen-4.17-amd64.gz \
        -N kernel -m "$KERNEL $CMDLINE" ${extra[@]+"${extra[@]}"}; then
    echo "TEST xen/run: ERROR could not build the ISO"
    exit 1
fi
qemu_cmd $((TIMEOUT + 5)) "$w/k.iso"
# shellcheck disable=SC2086
"${QEMU_CMD[@]}" -cpu "${CPU:-max,-smap}" -m "${MEM:-512}" -smp "${SMP:-1}" \
    -serial "file:$w/serial" ${QEMU_EXTRA:-} </dev/null >"$w/qemu.out" 2>&1 &
qemu=$!
end=$((SECONDS + TIMEOUT))
while kill -0 "$qemu" 2>/dev/null && [ $SECONDS -lt $end ]; do
    if grep -qE '^[0-9]+ passed, [0-9]+ failed' "$w/serial" 2>/dev/null; then
        sleep 1
        break
    fi
    sleep 1
done
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null
tr -d '\r' <"$w/serial" >"$LOG"

sed -n 's/^TEST \(.*\)$/TEST xen\/\1/p' "$LOG"
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOG" | tail -n 1)
if [ -z "$summary" ]; then
    echo "TEST xen/run: FAIL no final result line (timeout or crash), see $LOG"
    exit 1
fi
echo "xen: $summary"
case $summary in
    *" 0 failed") exit 0 ;;
    *) exit 1 ;;
esac
