#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/fuzz/xlcfg/seeds.sh OUTDIR CFGDIR - the fuzzer's seeds: every golden
# config behind selector byte 4 (a whole file), and the disk and vif specs
# it holds behind 0 and 1.
set -e
out=$1 cfg=$2
mkdir -p "$out"
for f in "$cfg"/*.cfg; do
    b=$(basename "$f" .cfg)
    { printf '\004'; cat "$f"; } > "$out/$b"
done
printf '\000%s' '/dev/vg/guest,raw,xvda,rw' > "$out/disk-positional"
printf '\000%s' 'format=qcow2, vdev=xvdb, access=ro, target=/img/a,b' > "$out/disk-keyed"
printf '\001%s' 'mac=00:16:3e:00:00:01,bridge=xenbr0,mtu=9000' > "$out/vif"
printf '\002%s' '0-3,^1,7' > "$out/cpus"
printf '\003%s' 'bcee3c22-72b1-46dc-8487-6cc113db5525' > "$out/uuid"
