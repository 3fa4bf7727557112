# SPDX-License-Identifier: MIT
# tests/lib/qemu.sh - the one way the harnesses start QEMU (sourced).
#
# qemu_cmd [--tty] SECS ISO
#       sets the array QEMU_CMD to the command that boots ISO from its CD
#       under TCG: no display, no monitor, no network (guest traffic stays
#       inside the machine) unless QEMU_NIC says otherwise, no reboot (a
#       guest that resets ends the run),
#       for at most SECS s (status 124 when they strike).  The caller adds
#       the CPU, memory and where the serial port goes, and may run it in
#       the background: $! is then the process to stop.  With --tty QEMU
#       may own the terminal it runs on (a serial port on stdio in a tmux
#       pane sets the terminal's modes, which only the foreground process
#       group may, and timeout leaves QEMU there only with --foreground).
# qemu_run SECS ISO QEMU-ARGS...
#       the same, run in the foreground; returns QEMU's exit status.
# QEMU  the binary (default qemu-system-x86_64).
# QEMU_NIC
#       the machine's network card as -nic takes it (default none), e.g.
#       socket,listen=127.0.0.1:PORT,model=e1000,mac=...: a wire to another
#       of our QEMUs on this host only (tests/linux/two-hosts.sh).
# QEMU_FIRMWARE
#       bios (default: SeaBIOS on QEMU's default machine) or ovmf: UEFI
#       firmware from Debian's ovmf package on a q35 machine, the way a
#       UEFI PC boots (OVMF_CODE_4M.fd read-only, and each qemu_cmd a
#       fresh copy of OVMF_VARS_4M.fd, so no run sees another's boot
#       variables).  The copy is unlinked at once and handed to QEMU as an
#       open file descriptor: nothing is left to clean up however the run
#       ends.
# OVMF_DIR  where the OVMF images are (default /usr/share/OVMF).
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_FIRMWARE=${QEMU_FIRMWARE:-bios}
OVMF_DIR=${OVMF_DIR:-/usr/share/OVMF}

# The QEMU arguments for UEFI firmware, into QEMU_FW_ARGS.
qemu_ovmf() {
    local code=$OVMF_DIR/OVMF_CODE_4M.fd vars=$OVMF_DIR/OVMF_VARS_4M.fd copy
    if [ ! -r "$code" ] || [ ! -r "$vars" ]; then
        echo "qemu.sh: no $code or $vars (install Debian's ovmf package)" >&2
        return 1
    fi
    [ -n "${QEMU_VARS_FD:-}" ] && exec {QEMU_VARS_FD}>&-
    copy=$(mktemp) || return 1
    cp "$vars" "$copy" && exec {QEMU_VARS_FD}<>"$copy"
    rm -f "$copy"
    QEMU_FW_ARGS=(-machine q35
        -drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
        -drive "if=pflash,format=raw,unit=1,file=/proc/self/fd/$QEMU_VARS_FD")
}

qemu_cmd() {
    local tty=()
    [ "$1" = --tty ] && { tty=(--foreground); shift; }
    QEMU_CMD=(false) QEMU_FW_ARGS=()
    case $QEMU_FIRMWARE in
    bios) ;;
    ovmf) qemu_ovmf || return 1 ;;
    *) echo "qemu.sh: QEMU_FIRMWARE=$QEMU_FIRMWARE: not bios or ovmf" >&2; return 1 ;;
    esac
    QEMU_CMD=(timeout ${tty[@]+"${tty[@]}"} "$1" "$QEMU" -accel tcg -display none -monitor none -no-reboot
              -nic "${QEMU_NIC:-none}" ${QEMU_FW_ARGS[@]+"${QEMU_FW_ARGS[@]}"} -cdrom "$2" -boot d)
}

qemu_run() {
    qemu_cmd "$1" "$2" || return 1
    shift 2
    "${QEMU_CMD[@]}" "$@"
}
