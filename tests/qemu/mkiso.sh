#!/usr/bin/env bash
# tests/qemu/mkiso.sh -o ISO [-c HV_CMDLINE] HYPERVISOR [-m "FILE [STRING]"]...
#
# Builds a GRUB BIOS rescue ISO that boots HYPERVISOR with multiboot2 and
# passes each -m FILE as a module2 line with STRING as its command line,
# exactly as a real machine's grub.cfg would.
set -euo pipefail
out= cmdline= hv=
mods=()
while [ $# -gt 0 ]; do
    case "$1" in
        -o) out=$2; shift 2 ;;
        -c) cmdline=$2; shift 2 ;;
        -m) mods+=("$2"); shift 2 ;;
        -*) echo "mkiso.sh: unknown option $1" >&2; exit 2 ;;
        *) hv=$1; shift ;;
    esac
done
[ -n "$out" ] && [ -n "$hv" ] || { echo "usage: mkiso.sh -o ISO [-c CMDLINE] HV [-m 'FILE STRING']..." >&2; exit 2; }

tree=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$tree" "$log"' EXIT
mkdir -p "$tree/boot/grub"
cp "$hv" "$tree/boot/mica"
{
    echo "serial --unit=0 --speed=115200"
    echo "terminal_input serial console"
    echo "terminal_output serial console"
    echo "set timeout=0"
    echo "menuentry 'Mica' {"
    echo "    multiboot2 /boot/mica $cmdline"
    i=0
    for m in ${mods[@]+"${mods[@]}"}; do
        file=${m%% *}
        str=
        [ "$file" != "$m" ] && str=${m#* }
        cp "$file" "$tree/boot/module$i"
        echo "    module2 /boot/module$i $str"
        i=$((i + 1))
    done
    echo "}"
} > "$tree/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
# The log must not live in the tree being packed (xorriso would see it grow).
grub-mkrescue -o "$out" "$tree" >/dev/null 2>"$log" || {
    cat "$log" >&2
    exit 1
}
