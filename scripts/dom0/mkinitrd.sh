#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/dom0/mkinitrd.sh -o OUT -r ROOT -i INIT [-m MODULE]... [-t TESTDIR]
#                          [-f SRC:DST]... [-k]
# - build an initramfs OUT (cpio "newc", gzip -9): dom0's, and the small
# one Linux domUs boot with.
#
# ROOT is the tree the Debian packages were unpacked into (fetch-debs.sh):
# busybox comes from ROOT/bin/busybox and each -m MODULE (a path under
# the kernel's module tree without .ko, e.g. drivers/xen/xenfs/xenfs) from
# ROOT/lib/modules/<the one kernel version>/kernel/, to the same place in
# the image.  INIT becomes /init, the files of TESTDIR become /tests/ (run
# by dom0's /init when mica.test=1), each -f SRC:DST copies the host file
# SRC to DST inside the image (its mode is kept; DST ending in / means
# "into this directory").  -k puts the kernel package's bzImage in the image
# as installed, /boot/vmlinuz-<version>, with the link /boot/vmlinuz that
# guest configurations name (as Debian's /vmlinuz).  The archive is
# written by busybox's own cpio, so the host needs no cpio.
set -euo pipefail
out= root= init= tests=
extra=() mods=() kernel=0
while [ $# -gt 0 ]; do
    case $1 in
        -o) out=$2; shift 2 ;;
        -r) root=$2; shift 2 ;;
        -i) init=$2; shift 2 ;;
        -t) tests=$2; shift 2 ;;
        -f) extra+=("$2"); shift 2 ;;
        -m) mods+=("$2"); shift 2 ;;
        -k) kernel=1; shift ;;
        *) echo "mkinitrd.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$out" ] && [ -n "$root" ] && [ -n "$init" ] ||
    { echo "usage: mkinitrd.sh -o OUT -r ROOT -i INIT [-m MODULE]... [-t TESTDIR] [-f SRC:DST]... [-k]" >&2; exit 2; }

root=$(cd "$root" && pwd)
kvers=("$root"/lib/modules/*)
[ ${#kvers[@]} -eq 1 ] && [ -d "${kvers[0]}" ] ||
    { echo "mkinitrd.sh: need exactly one kernel in $root/lib/modules" >&2; exit 1; }
kver=$(basename "${kvers[0]}")
bb=$root/bin/busybox
[ -x "$bb" ] || { echo "mkinitrd.sh: no $bb" >&2; exit 1; }

ir=$(mktemp -d "${out}.tree.XXXXXX")
trap 'rm -rf "$ir" "$out.tmp"' EXIT
mkdir -p "$ir"/{bin,sbin,usr/bin,usr/sbin,etc/init.d,proc,sys,dev,run,tmp,root,var,lib}
cp "$bb" "$ir/bin/busybox"
for a in $("$bb" --list-full); do
    [ -e "$ir/$a" ] || ln -s /bin/busybox "$ir/$a"
done
install -m 0755 "$init" "$ir/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$ir/etc/passwd"
echo "root:x:0:" > "$ir/etc/group"

kdir=lib/modules/$kver/kernel
for m in ${mods[@]+"${mods[@]}"}; do
    mkdir -p "$ir/$kdir/$(dirname "$m")"
    cp "$root/$kdir/$m.ko" "$ir/$kdir/$m.ko"
done

if [ -n "$tests" ]; then
    mkdir -p "$ir/tests"
    cp -p "$tests"/* "$ir/tests/"
fi

for pair in ${extra[@]+"${extra[@]}"}; do
    src=${pair%%:*} dst=${pair#*:}
    [ "$src" != "$pair" ] && [ -n "$dst" ] ||
        { echo "mkinitrd.sh: -f wants SRC:DST, got $pair" >&2; exit 2; }
    case $dst in
        */) mkdir -p "$ir$dst"; cp -pL "$src" "$ir$dst" ;;
        *)  mkdir -p "$ir$(dirname "$dst")"; cp -pL "$src" "$ir$dst" ;;
    esac
done

if [ $kernel = 1 ]; then
    mkdir -p "$ir/boot"
    cp -p "$root/boot/vmlinuz-$kver" "$ir/boot/"
    ln -s "vmlinuz-$kver" "$ir/boot/vmlinuz"
fi

(cd "$ir" && find . | LC_ALL=C sort | "$bb" cpio -o -H newc 2>/dev/null) |
    gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
