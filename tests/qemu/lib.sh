# tests/qemu/lib.sh - shared helpers for the QEMU boot tests (sourced).
#
# qemu_boot LOG ISO CPU MEM [extra qemu args...]
#   Boots ISO under TCG with the serial console in LOG (CRs stripped),
#   a hard timeout of $BOOT_TIMEOUT s, and QEMU's isa-debug-exit device
#   at 0xf4 so the hypervisor can report a status.  Returns QEMU's exit
#   status (124 on timeout).
# qemu_status NAME RC WANT LOG
#   FAIL NAME unless QEMU's exit status RC is WANT (isa-debug-exit turns
#   the hypervisor's status s into 2s+1: a clean power-off is 1).
# pass, fail, error, skip, result_exit: tests/lib/result.sh.
# GUEST_HV_CMDLINE
#   Mica's command line for a test-kernel dom0: every message, power-off
#   status through isa-debug-exit, 64 MiB for dom0 (the rest for guests).

# A harness that wants another default sets BOOT_TIMEOUT before sourcing
# this file, so that the caller's environment still wins.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/result.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/qemu.sh"
BOOT_TIMEOUT=${BOOT_TIMEOUT:-90}
GUEST_HV_CMDLINE="console=com1 loglvl=all debug_exit=0xf4 dom0_mem=64M"

qemu_boot() {
    local log=$1 iso=$2 cpu=$3 mem=$4
    shift 4
    qemu_run "$BOOT_TIMEOUT" "$iso" -cpu "$cpu" -m "$mem" -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" </dev/null 2>&1 |
        tr -d '\r' > "$log"
    return "${PIPESTATUS[0]}"
}

qemu_status() {
    local what="QEMU exit status $2, expected $3"

    [ "$2" -eq 124 ] && what="QEMU timed out after $BOOT_TIMEOUT s"
    if [ "$2" -eq "$3" ]; then pass "$1"; else fail "$1" "$what" "$4"; fi
}

# The hypervisor's console output: everything after GRUB's "Booting" line.
hv_output() {
    sed -n '/Booting .Mica/,$p' "$1" | sed '1d' | sed 's/\x1b\[[0-9;]*[A-Za-z]//g'
}
