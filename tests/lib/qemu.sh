# SPDX-License-Identifier: MIT
# tests/lib/qemu.sh - the one way the harnesses start QEMU (sourced).
#
# qemu_cmd SECS ISO
#       sets the array QEMU_CMD to the command that boots ISO from its CD
#       under TCG: no display, no monitor, no network (guest traffic stays
#       inside the machine), no reboot (a guest that resets ends the run),
#       for at most SECS s (status 124 when they strike).  The caller adds
#       the CPU, memory and where the serial port goes, and may run it in
#       the background: $! is then the process to stop.
# qemu_run SECS ISO QEMU-ARGS...
#       the same, run in the foreground; returns QEMU's exit status.
# QEMU  the binary (default qemu-system-x86_64).
QEMU=${QEMU:-qemu-system-x86_64}

qemu_cmd() {
    QEMU_CMD=(timeout "$1" "$QEMU" -accel tcg -display none -monitor none -no-reboot
              -nic none -cdrom "$2" -boot d)
}

qemu_run() {
    qemu_cmd "$1" "$2"
    shift 2
    "${QEMU_CMD[@]}" "$@"
}
