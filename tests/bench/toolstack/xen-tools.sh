#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/bench/toolstack/xen-tools.sh ROOT - print the "SRC:DST" pairs
# (mkinitrd.sh -f) that give the benchmark's dom0 Debian's Xen 4.17
# toolstack: xl, xenstored (C), xen-init-dom0, xenconsoled, xenconsole,
# libxl-save-helper, /etc/xen/xl.conf, and every library they load.
# ROOT is the reference rig's unpacked packages (shared/ref/build.sh):
# Xen's libraries come from there, the others from the host (Debian 12,
# as in the rig).  libgcc_s.so.1 is added though ldd does not list it:
# glibc loads it for pthread_cancel, and xl aborts at exit without it
# (xl-reference.md, section 0).  The image also carries Debian's libc and
# loader for the xenstore-* clients; those pairs come later and win.
# The host's strace comes along when there is one, for the benchmark's
# look at where a command's time goes (never while it times anything).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: xen-tools.sh ROOT" >&2; exit 2; }
root=$(cd "$1" && pwd)
xb=usr/lib/xen-4.17/bin
bins="xl xenstored xen-init-dom0 xenconsoled xenconsole libxl-save-helper"
for b in $bins; do
    [ -x "$root/$xb/$b" ] || { echo "xen-tools.sh: no $root/$xb/$b" >&2; exit 1; }
    echo "$root/$xb/$b:/$xb/$b"
done
echo "$root/etc/xen/xl.conf:/etc/xen/xl.conf"

strace=$(command -v strace || true)
[ -n "$strace" ] && echo "$strace:/usr/bin/strace"
libs=$({
    for b in $bins; do
        LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu ldd "$root/$xb/$b"
    done
    [ -z "$strace" ] || ldd "$strace"
} | awk '/=>/ { print $3 } /ld-linux/ { print $1 }' | sort -u)
gcc_s=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
for lib in $libs $gcc_s; do
    [ -f "$lib" ] || { echo "xen-tools.sh: missing library $lib" >&2; exit 1; }
    case $lib in
    "$root"/*) echo "$lib:${lib#"$root"}" ;;
    *) echo "$lib:$lib" ;;
    esac
done
