#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# xenbus/dom0/xenstore-utils.sh DIR FILE... - fetch Debian's xenstore-utils
# and the shared libraries it runs with (apt-get download + dpkg -x into
# DIR/root, through scripts/dom0/fetch-debs.sh; nothing is installed on the
# host), then check that FILE... (paths under DIR/root: the programs, their
# libraries and the dynamic loader dom0 will be given) need no library
# outside that list, so a tool cannot fail in dom0 for a missing .so.
# libgcc_s is on the list though nothing names it: glibc loads it when a
# thread is cancelled, as libxenstore's xs_close() does to its reader
# thread (xenstore-watch), and aborts when it is missing.
set -euo pipefail
dir=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../../scripts/dom0/fetch-debs.sh" "$dir/pkgs" \
    xenstore-utils libxenstore4 libxentoolcore1 libc6 libgcc-s1
root=$dir/root
have=" "
for f in "$@"; do
    [ -e "$root/$f" ] || { echo "xenstore-utils.sh: no $f in the packages" >&2; exit 1; }
    have+="$(basename "$f") "
done
for f in "$@"; do
    for lib in $(readelf -d "$root/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        case $have in
        *" $lib "*) ;;
        *) echo "xenstore-utils.sh: $f needs $lib, which dom0 is not given" >&2; exit 1 ;;
        esac
    done
done
