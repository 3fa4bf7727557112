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

bash "$here/../qemu/mkiso.sh" -o "$out/mica-bench.iso" \
    -c "console=com1 loglvl=all debug_exit=0xf4 dom0_mem=64M" "$hv" -m "$kernel $args" -m "$kernel" || exit 1
qemu_boot "$out/mica.log" "$out/mica-bench.iso" "max,-smap" 512 -icount shift=0

# Xen: the rig's hypervisor with the test kernel as dom0 (as run-xen.sh).
xen_gz=$REF_WORK/root/boot/xen-4.17-amd64.gz
if [ ! -f "$xen_gz" ]; then
    WORK=$REF_WORK SKIP_APT=1 bash "$SHARED/ref/build.sh" >"$out/ref-build.log" 2>&1 ||
        echo "bench: no Xen reference rig (see $out/ref-build.log)"
fi
if [ -f "$xen_gz" ]; then
    w=$(mktemp -d)
    trap 'rm -rf "$w"' EXIT
    mkdir -p "$w/iso/boot/grub"
    cp "$xen_gz" "$w/iso/boot/xen.gz"
    cp "$kernel" "$w/iso/boot/kernel"
    cat >"$w/iso/boot/grub/grub.cfg" <<G
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
menuentry 'Xen 4.17 + test kernel' {
    multiboot2 /boot/xen.gz console=com1 com1=115200,8n1 dom0_mem=64M loglvl=all guest_loglvl=all
    module2 /boot/kernel $args
    module2 /boot/kernel
}
G
    grub-mkrescue -o "$out/xen-bench.iso" "$w/iso" >/dev/null 2>&1
    # Xen halts rather than powering off: stop at the kernel's last line.
    timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max,-smap -m 512 -smp 1 \
        -display none -monitor none -serial "file:$out/xen.log.raw" -no-reboot -nic none \
        -icount shift=0 -cdrom "$out/xen-bench.iso" -boot d </dev/null >/dev/null 2>&1 &
    qemu=$!
    end=$((SECONDS + BOOT_TIMEOUT))
    while kill -0 "$qemu" 2>/dev/null && [ $SECONDS -lt $end ] &&
          ! grep -qE '^[0-9]+ passed, [0-9]+ failed' "$out/xen.log.raw" 2>/dev/null; do
        sleep 1
    done
    kill "$qemu" 2>/dev/null
    wait "$qemu" 2>/dev/null
    tr -d '\r' <"$out/xen.log.raw" >"$out/xen.log"
fi

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
