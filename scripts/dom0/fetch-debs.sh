#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/dom0/fetch-debs.sh DIR PKG... - download Debian packages into DIR
# with `apt-get download` and unpack each into DIR/../root with `dpkg -x`.
#
# Nothing is installed on the host.  A package whose .deb is already in DIR
# is not downloaded again.  The name "linux-image-amd64" stands for the real
# versioned image package it depends on (linux-image-6.1.0-NN-amd64), so the
# unpacked tree holds /boot/vmlinuz-* and /lib/modules/* of one kernel.
# `apt-get update` runs only when a download fails (stale package lists).
set -euo pipefail
dir=$1
shift
root=$(dirname "$dir")/root
mkdir -p "$dir" "$root"

resolve() {
    if [ "$1" = linux-image-amd64 ]; then
        apt-cache depends linux-image-amd64 2>/dev/null |
            awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
    else
        echo "$1"
    fi
}

pkgs=()
for p in "$@"; do
    r=$(resolve "$p")
    if [ -z "$r" ]; then
        apt-get update -qq
        r=$(resolve "$p")
    fi
    [ -n "$r" ] || { echo "fetch-debs: cannot resolve $p" >&2; exit 1; }
    pkgs+=("$r")
done

export DEBIAN_FRONTEND=noninteractive
for p in "${pkgs[@]}"; do
    # ':' in epochs is written as %3a in the file name
    if compgen -G "$dir/${p}_*.deb" >/dev/null; then
        continue
    fi
    if ! (cd "$dir" && apt-get download -qq "$p" 2>/dev/null); then
        apt-get update -qq
        (cd "$dir" && apt-get download -qq "$p")
    fi
done
for p in "${pkgs[@]}"; do
    for deb in "$dir/${p}"_*.deb; do
        dpkg -x "$deb" "$root"
    done
done
