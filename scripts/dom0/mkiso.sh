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
# A bzImage KERNEL (/boot/vmlinuz-<version> as Debian installs it) is
# installed as Debian installs it and booted by the very entry Debian's
# Xen package makes GRUB write (/etc/grub.d/20_linux_xen, see
# install-and-uefi.md 1.3): the device found by its filesystem UUID,
# "placeholder" first on both command lines, xen_rm_opts on EFI,
#
#   multiboot2 /boot/<NAME> placeholder HV_CMDLINE ${xen_rm_opts}
#   module2 /boot/vmlinuz-<version> placeholder root=UUID=<uuid> ro KERNEL_CMDLINE
#   module2 --nounzip /boot/initrd.img-<version>
#
# so the hypervisor itself must take the bzImage apart.
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
cat > "$tree/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=0
CFG
# The ISO's modification date is its UUID for GRUB's search --fs-uuid.
isodate=2026120700000000
uuid=2026-12-07-00-00-00-00
if [ "$(od -An -c -j 514 -N 4 "$kernel" | tr -d " ")" = HdrS ]; then
    ver=$(basename "$kernel")
    ver=${ver#vmlinuz-}
    cp "$kernel" "$tree/boot/vmlinuz-$ver"
    cp "$initrd" "$tree/boot/initrd.img-$ver"
    # Written as 20_linux_xen writes it (tabs and all) for a /boot on this ISO.
    sed 's/^        //' >>"$tree/boot/grub/grub.cfg" <<CFG
        menuentry 'Debian GNU/Linux, with Xen hypervisor' --class debian --class gnu-linux --class gnu --class os --class xen \$menuentry_id_option 'xen-gnulinux-simple-$uuid' {
        	insmod part_gpt
        	insmod iso9660
        	search --no-floppy --fs-uuid --set=root $uuid
        	echo	'Loading Xen $name ...'
                if [ "\$grub_platform" = "pc" -o "\$grub_platform" = "" ]; then
                    xen_rm_opts=
                else
                    xen_rm_opts="no-real-mode edd=off"
                fi
        	multiboot2	/boot/$name placeholder $cmdline \${xen_rm_opts}
        	echo	'Loading Linux $ver ...'
        	module2	/boot/vmlinuz-$ver placeholder root=UUID=$uuid ro $kcmdline
        	echo	'Loading initial ramdisk ...'
        	module2	--nounzip   /boot/initrd.img-$ver
        }
CFG
else
    # GRUB unpacks gzip'd modules: reading a fifth of the bytes from the CD
    # more than pays for unpacking them under QEMU TCG (1.5 s of 5).
    gzip -1 -c "$kernel" >"$tree/boot/vmlinux-dom0"
    cp "$initrd" "$tree/boot/initrd-dom0"
    cat >>"$tree/boot/grub/grub.cfg" <<CFG
menuentry 'Mica dom0' {
    multiboot2 /boot/$name $cmdline
    module2 /boot/vmlinux-dom0 $kcmdline
    module2 /boot/initrd-dom0
}
CFG
fi
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out.tmp" "$tree" -- -volume_date uuid "$isodate" >"$w/grub.log" 2>&1 || {
    cat "$w/grub.log" >&2
    rm -f "$out.tmp"
    exit 1
}
mv "$out.tmp" "$out"
