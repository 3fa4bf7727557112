# tests/qemu/lib.sh - shared helpers for the QEMU boot tests (sourced).
#
# qemu_boot LOG ISO CPU MEM [extra qemu args...]
#   Boots ISO under TCG with the serial console in LOG (CRs stripped),
#   a hard timeout of $BOOT_TIMEOUT s, and QEMU's isa-debug-exit device
#   at 0xf4 so the hypervisor can report a status.  Returns QEMU's exit
#   status (124 on timeout).
# pass NAME / fail NAME WHY [LOG] / skip NAME WHY
#   Print result lines; fail also shows the last 20 console lines.
# GUEST_HV_CMDLINE
#   Mica's command line for a test-kernel dom0: every message, power-off
#   status through isa-debug-exit, 64 MiB for dom0 (the rest for guests).

BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}
GUEST_HV_CMDLINE="console=com1 loglvl=all debug_exit=0xf4 dom0_mem=64M"
QEMU=${QEMU:-qemu-system-x86_64}

qemu_boot() {
    local log=$1 iso=$2 cpu=$3 mem=$4
    shift 4
    timeout "$BOOT_TIMEOUT" "$QEMU" -accel tcg -cpu "$cpu" -m "$mem" \
        -display none -monitor none -serial stdio -no-reboot -nic none \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -cdrom "$iso" -boot d "$@" </dev/null 2>&1 | tr -d '\r' > "$log"
    return "${PIPESTATUS[0]}"
}

pass() { echo "TEST $1: PASS"; }
skip() { echo "TEST $1: SKIP $2"; }
fail() {
    echo "TEST $1: FAIL $2"
    if [ -n "${3:-}" ] && [ -f "$3" ]; then
        echo "---- last 20 console lines of $3"
        tail -n 20 "$3" | sed 's/^/    | /'
        echo "----"
    fi
}

# The hypervisor's console output: everything after GRUB's "Booting" line.
hv_output() {
    sed -n '/Booting .Mica/,$p' "$1" | sed '1d' | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'
}
