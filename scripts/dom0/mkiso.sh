#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/dom0/mkiso.sh -o ISO [-n NAME] [-c HV_CMDLINE] HV KERNEL "KERNEL_CMDLINE" INITRD
# - build a GRUB BIOS rescue ISO that boots a Multiboot2 hypervisor (Mica
# or Xen) with the dom0 kernel and initramfs as its two modules:
#
#   multiboot2 /boot/<NAME> HV_CMDLINE        (NAME: mica, the default, or xen.gz)
#   module2 /boot/vmlinux-dom0 KERNEL_CMDLINE  (gzip'd; GRUB unpacks it)
#   module2 /boot/initrd-dom0
#
# (tests/qemu/mkiso.sh does the same for any module list but keeps
# grub-mkrescue's log inside the ISO tree, which xorriso rejects once the
# tree is large enough to make it print progress while packing.)
set -euo pipefail
out= name=mica cmdline=
while getopts o:n:c: opt; do
    case $opt in
        o) out=$OPTARG ;;
        n) name=$OPTARG ;;
        c) cmdline=$OPTARG ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ -n "$out" ] && [ $# -eq 4 ] || {
    echo "usage: mkiso.sh -o ISO [-n NAME] [-c HV_CMDLINE] HV KERNEL KERNEL_CMDLINE INITRD" >&2
    exit 2
}
hv=$1 kernel=$2 kcmdline=$3 initrd=$4

w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
tree=$w/iso
mkdir -p "$tree/boot/grub"
cp "$hv" "$tree/boot/$name"
# GRUB unpacks gzip'd modules: reading a fifth of the bytes from the CD
# more than pays for unpacking them under QEMU TCG (1.5 s of 5).
gzip -1 -c "$kernel" >"$tree/boot/vmlinux-dom0"
cp "$initrd" "$tree/boot/initrd-dom0"
cat > "$tree/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
menuentry 'Mica dom0' {
    multiboot2 /boot/$name $cmdline
    module2 /boot/vmlinux-dom0 $kcmdline
    module2 /boot/initrd-dom0
}
CFG
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out.tmp" "$tree" >"$w/grub.log" 2>&1 || {
    cat "$w/grub.log" >&2
    rm -f "$out.tmp"
    exit 1
}
mv "$out.tmp" "$out"
