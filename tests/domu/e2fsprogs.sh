#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/domu/e2fsprogs.sh DIR FILE... - fetch Debian's e2fsprogs and the
# shared libraries mkfs.ext4, e2fsck and debugfs run with (apt-get download + dpkg
# -x into DIR/root, through scripts/dom0/fetch-debs.sh; nothing is
# installed on the host), then check that FILE... (paths under DIR/root:
# the programs, their libraries and the loader) need no library outside
# that list, so the disk tests cannot fail for a missing .so.
set -euo pipefail
dir=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../../scripts/dom0/fetch-debs.sh" "$dir/pkgs" \
    e2fsprogs libext2fs2 libcom-err2 libss2 libblkid1 libuuid1 libc6
root=$dir/root
have=" "
for f in "$@"; do
    [ -e "$root/$f" ] || { echo "e2fsprogs.sh: no $f in the packages" >&2; exit 1; }
    have+="$(basename "$f") "
done
for f in "$@"; do
    for lib in $(readelf -d "$root/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        case $have in
        *" $lib "*) ;;
        *) echo "e2fsprogs.sh: $f needs $lib, which the image is not given" >&2; exit 1 ;;
        esac
    done
done
