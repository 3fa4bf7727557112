#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/bench/xenstore/run.sh DAEMON BENCH - start micastored on a
# temporary socket, print xs-bench's figures (XS_BENCH_NODES nodes for the
# memory figure, default 1000000), then test-xenstore's own per-op times.
set -u
daemon=$1 bench=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/micaxs-bench.XXXXXX")
"$daemon" -F -s "$tmp/sock" -l "$tmp/log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for i in $(seq 100); do [ -S "$tmp/sock" ] && break; sleep 0.05; done
export XENSTORED_PATH=$tmp/sock
echo "== micastored, via Debian's libxenstore"
timeout 900 "$bench" "$pid" "${XS_BENCH_NODES:-1000000}"
txs=/usr/lib/xen-4.17/bin/test-xenstore
if [ -x "$txs" ]; then
    echo "== test-xenstore -i 200 (average/min/max per operation)"
    timeout 300 "$txs" -i 200
fi
