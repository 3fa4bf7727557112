#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/mkiso.sh - the one GRUB ISO builder: a rescue ISO whose single
# menu entry boots a Multiboot2 hypervisor (Mica or Xen) with its modules,
# exactly as a real machine's grub.cfg would.  grub-mkrescue puts in every
# GRUB platform installed: with grub-pc-bin and grub-efi-amd64-bin (make
# deps) the ISO is a hybrid that SeaBIOS boots through El Torito's BIOS
# image and UEFI firmware (OVMF) through its EFI system partition image
# (/efi.img, EFI/BOOT/BOOTX64.EFI); the same grub.cfg serves both.
#
#   mkiso.sh -o ISO [-u] [-n NAME] [-c HV_CMDLINE] [-t TITLE] HV [MODULE-OPTIONS]...
#   mkiso.sh -o ISO [-u] [-n NAME] [-c HV_CMDLINE] HV --dom0 KERNEL KERNEL_CMDLINE INITRD
#
#   -u          the ISO must boot on UEFI: refuse to build without GRUB's
#               x86_64-efi platform, and check the result has its EFI boot
#               image (MKISO_UEFI=1 in the environment does the same, for
#               harnesses that call this script themselves)
#   -n NAME     the hypervisor's file name in /boot (default mica; xen.gz
#               for Xen, which GRUB unpacks)
#   -t TITLE    the menu entry's title
#   -m "FILE [STRING]"
#               a module2 line for FILE with STRING as its command line,
#               in order; the file is /boot/moduleN unless -N named it
#   -N NAME     the next -m's file name in /boot (e.g. vmlinuz-6.1.0-X-amd64,
#               to write an entry the way Debian's generator writes it)
#   -z          gzip the next -m's file (GRUB unpacks it: reading a fifth of
#               the bytes from the CD more than pays for unpacking them
#               under QEMU TCG)
#   -r          the next -m gets `module2 --nounzip`, as Debian's entry
#               gives the initrd
#   --dom0      the dom0 form: KERNEL with its command line, then INITRD.
#               An ELF KERNEL goes in gzip'd as /boot/vmlinux-dom0 under the
#               entry 'Mica dom0'.  A bzImage (/boot/vmlinuz-<version> as
#               Debian installs it) is booted by the very entry Debian's Xen
#               package makes GRUB write (/etc/grub.d/20_linux_xen, see
#               install-and-uefi.md 1.3): the device found by its filesystem
#               UUID, "placeholder" first on both command lines, xen_rm_opts
#               on EFI, the initrd with --nounzip - so the hypervisor itself
#               must take the bzImage apart.
#
# The ISO is written beside its name and renamed into place, so a failed
# build never leaves a half-written one behind.
set -euo pipefail
out= name=mica cmdline= title=Mica hv= dom0=() uefi=${MKISO_UEFI:-0}
GRUB_LIB=${GRUB_LIB:-/usr/lib/grub}
mods=() next_name= next_gz=0 next_raw=0
usage() {
    echo "usage: mkiso.sh -o ISO [-u] [-n NAME] [-c CMDLINE] [-t TITLE] HV [[-N NAME] [-z] [-r] -m 'FILE [STRING]']..." >&2
    echo "       mkiso.sh -o ISO [-u] [-n NAME] [-c CMDLINE] HV --dom0 KERNEL KERNEL_CMDLINE INITRD" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
        -o) out=$2; shift 2 ;;
        -u) uefi=1; shift ;;
        -n) name=$2; shift 2 ;;
        -c) cmdline=$2; shift 2 ;;
        -t) title=$2; shift 2 ;;
        -N) next_name=$2; shift 2 ;;
        -z) next_gz=1; shift ;;
        -r) next_raw=1; shift ;;
        -m) mods+=("$next_name|$next_gz|$next_raw|$2")
            next_name= next_gz=0 next_raw=0
            shift 2 ;;
        --dom0) [ $# -eq 4 ] || usage; dom0=("$2" "$3" "$4"); shift 4 ;;
        -*) echo "mkiso.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$hv" ] || usage; hv=$1; shift ;;
    esac
done
[ -n "$out" ] && [ -n "$hv" ] || usage
if [ "$uefi" = 1 ] && [ ! -d "$GRUB_LIB/x86_64-efi" ]; then
    echo "mkiso.sh: no $GRUB_LIB/x86_64-efi: a UEFI ISO needs grub-efi-amd64-bin (make deps)" >&2
    exit 1
fi

w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
tree=$w/iso
mkdir -p "$tree/boot/grub"
cp "$hv" "$tree/boot/$name"
# The ISO's modification date is its filesystem UUID, for GRUB's search.
isodate=2026120700000000
uuid=2026-12-07-00-00-00-00

# The menu entry of the generic form, modules in order.
plain_entry() {
    local m file gz raw spec src str opt i=0

    echo "menuentry '$title' {"
    echo "    multiboot2 /boot/$name $cmdline"
    for m in ${mods[@]+"${mods[@]}"}; do
        IFS='|' read -r file gz raw spec <<<"$m"
        src=${spec%% *} str=
        [ "$src" != "$spec" ] && str=${spec#* }
        file=${file:-module$i}
        if [ "$gz" = 1 ]; then
            gzip -1 -c "$src" >"$tree/boot/$file"
        else
            cp "$src" "$tree/boot/$file"
        fi
        opt=
        [ "$raw" = 1 ] && opt="--nounzip "
        echo "    module2 $opt/boot/$file${str:+ $str}"
        i=$((i + 1))
    done
    echo "}"
}

# 20_linux_xen's entry (tabs and all) for a bzImage and its initrd on /boot.
debian_entry() {
    local kernel=$1 kcmdline=$2 initrd=$3 ver

    ver=$(basename "$kernel")
    ver=${ver#vmlinuz-}
    cp "$kernel" "$tree/boot/vmlinuz-$ver"
    cp "$initrd" "$tree/boot/initrd.img-$ver"
    sed 's/^        //' <<CFG
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
}

{
    echo "serial --unit=0 --speed=115200"
    echo "terminal_input serial console"
    echo "terminal_output serial console"
    echo "set timeout=0"
    if [ ${#dom0[@]} -eq 0 ]; then
        plain_entry
    elif [ "$(dd if="${dom0[0]}" bs=1 skip=514 count=4 2>/dev/null | tr -d "\0")" = HdrS ]; then
        debian_entry "${dom0[@]}"
    else
        title='Mica dom0'
        mods=("vmlinux-dom0|1|0|${dom0[0]} ${dom0[1]}" "initrd-dom0|0|0|${dom0[2]}")
        plain_entry
    fi
} >"$tree/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
# The log stays outside the tree being packed: xorriso refuses a file
# that grows while it reads it.
grub-mkrescue -o "$out.tmp" "$tree" -- -volume_date uuid "$isodate" >"$w/grub.log" 2>&1 || {
    cat "$w/grub.log" >&2
    rm -f "$out.tmp"
    exit 1
}
if [ "$uefi" = 1 ] && ! xorriso -indev "$out.tmp" -report_el_torito plain 2>/dev/null |
        grep -q '^El Torito boot img : *[0-9]* *UEFI'; then
    echo "mkiso.sh: $out has no UEFI boot image" >&2
    rm -f "$out.tmp"
    exit 1
fi
mv "$out.tmp" "$out"
