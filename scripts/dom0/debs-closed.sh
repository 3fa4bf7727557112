#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/dom0/debs-closed.sh DIR "PKG..." FILE... - fetch Debian's PKGs
# (apt-get download + dpkg -x into DIR/root, through fetch-debs.sh;
# nothing is installed on the host), then check that FILE... (paths under
# DIR/root: the programs, their libraries and the dynamic loader an image
# is given) need no library outside that list, so a dynamically linked
# Debian tool cannot fail in dom0 or a domU for a missing .so.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: debs-closed.sh DIR \"PKG...\" FILE..." >&2; exit 2; }
dir=$1 pkgs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2086
bash "$here/fetch-debs.sh" "$dir/pkgs" $pkgs
root=$dir/root
have=" "
for f in "$@"; do
    [ -e "$root/$f" ] || { echo "debs-closed.sh: no $f in $pkgs" >&2; exit 1; }
    have+="$(basename "$f") "
done
for f in "$@"; do
    for lib in $(readelf -d "$root/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        case $have in
        *" $lib "*) ;;
        *) echo "debs-closed.sh: $f needs $lib, which the image is not given" >&2; exit 1 ;;
        esac
    done
done
