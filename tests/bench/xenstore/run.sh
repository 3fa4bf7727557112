#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/bench/xenstore/run.sh DAEMON BENCH [SHIM] - micastored beside
# Debian's C xenstored (4.17), both on a UNIX socket in a temporary
# directory, measured by the same client (xs-bench, over Debian's
# libxenstore) with the same operations.
#
# The runs alternate between the daemons (XS_BENCH_RUNS times each,
# default 5) so that a busy machine slows both alike; each figure is the
# median of its runs, and the last column is micastored's latency divided
# by xenstored's (below 1: micastored is faster).  Then the memory per node
# (XS_BENCH_NODES nodes, default 200000, one run each) and test-xenstore's
# own per-op times against micastored.  The daemons' CPU time for the same
# work is given too: latencies on a shared machine vary with its load.
#
# The C daemon needs a hypervisor to create its tree; SHIM is an LD_PRELOAD
# library (xen-shim.c) that stands in for privcmd, evtchn and gntdev, so the
# binary runs unmodified.  Only the PIDs started here are ever killed.
set -u
daemon=$1 bench=$2 shim=${3:-}
cxs=${XENSTORED_BIN:-/usr/lib/xen-4.17/bin/xenstored}
runs=${XS_BENCH_RUNS:-5}
nodes=${XS_BENCH_NODES:-200000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/micaxs-bench.XXXXXX")
pid=

stop() {
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

wait_socket() {
    local i
    for i in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
    echo "bench-xenstore: no socket $1" >&2
    return 1
}

# start NAME: one daemon on $tmp/NAME/socket; sets pid and XENSTORED_PATH.
start() {
    local d=$tmp/$1
    rm -rf "$d"
    mkdir -p "$d"
    if [ "$1" = micastored ]; then
        "$daemon" -F -X -s "$d/socket" -l "$d/log" &
    else
        # It would listen on $XENSTORED_PATH, left set for the clients.
        env -u XENSTORED_PATH XENSTORED_RUNDIR="$d" LD_PRELOAD="$shim" \
            "$cxs" -N -F "$d/pid" >"$d/log" 2>&1 &
    fi
    pid=$!
    export XENSTORED_PATH=$d/socket
    wait_socket "$d/socket"
}

have_c=1
if [ ! -x "$cxs" ] || [ -z "$shim" ] || [ ! -f "$shim" ]; then
    have_c=0
    echo "bench-xenstore: no $cxs or no shim: micastored alone"
fi
names=micastored
[ $have_c = 1 ] && names="micastored xenstored"

for r in $(seq "$runs"); do
    for n in $names; do
        start "$n" || exit 1
        timeout 300 "$bench" >"$tmp/$n.$r" || echo "bench-xenstore: $n run $r failed" >&2
        # The daemon's own CPU time (user + system ticks) for the whole run:
        # unlike latency, hardly changed by other load on the machine.
        awk '{ print $14 + $15 }' "/proc/$pid/stat" >>"$tmp/$n.cpu"
        stop
    done
done

# Rows are "op-name clients latency ops/s"; the op name may hold spaces.
medians() {     # NAME: "op|clients|latency|ops/s" medians over the runs
    cat "$tmp/$1".[0-9]* | awk '
        $1 == "operation" { next }
        { n = NF; key = $1; for (i = 2; i <= n - 3; i++) key = key " " $i
          key = key "|" $(n - 2)
          if (!(key in seen)) { seen[key] = 1; order[++k] = key }
          lat[key, ++cnt[key]] = $(n - 1); ops[key, cnt[key]] = $n }
        function med(a, key, c,   i, j, t, v) {
          for (i = 1; i <= c; i++) v[i] = a[key, i]
          for (i = 2; i <= c; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
              t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
          return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
        END { for (i = 1; i <= k; i++) { key = order[i]
              printf "%s|%.1f|%.0f\n", key, med(lat, key, cnt[key]), med(ops, key, cnt[key]) } }'
}

echo "== xenstore daemons on a UNIX socket, Debian's libxenstore client," \
     "median of $runs alternating runs"
medians micastored >"$tmp/m.med"
if [ $have_c = 1 ]; then
    medians xenstored >"$tmp/c.med"
    printf '%-18s %7s %13s %13s %13s %13s %8s\n' operation clients \
        "micastored us" "xenstored us" "micastored/s" "xenstored/s" "lat ratio"
    awk -F'|' 'NR == FNR { lat[$1 "|" $2] = $3; ops[$1 "|" $2] = $4; next }
        { c = lat[$1 "|" $2]
          printf "%-18s %7s %13.1f %13.1f %13.0f %13.0f %8.2f\n", $1, $2, $3, c,
                 $4, ops[$1 "|" $2], (c > 0 ? $3 / c : 0) }' "$tmp/c.med" "$tmp/m.med"
else
    printf '%-18s %7s %13s %13s\n' operation clients "latency us" "ops/s"
    awk -F'|' '{ printf "%-18s %7s %13.1f %13.0f\n", $1, $2, $3, $4 }' "$tmp/m.med"
fi

# cpu NAME: median CPU seconds of NAME's runs.
cpu() {
    sort -n "$tmp/$1.cpu" | awk -v hz="$(getconf CLK_TCK)" '{ v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.2f", m / hz }'
}
echo "== daemon CPU time for one run of all the operations above (median)"
mc=$(cpu micastored)
if [ $have_c = 1 ]; then
    cc=$(cpu xenstored)
    echo "micastored ${mc} s, xenstored ${cc} s, ratio" \
        "$(awk -v a="$mc" -v b="$cc" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
else
    echo "micastored ${mc} s"
fi

echo "== memory per node ($nodes nodes)"
for n in $names; do
    start "$n" || exit 1
    printf '%-11s ' "$n"
    timeout 900 "$bench" "$pid" "$nodes" | grep '^memory:'
    stop
done

txs=/usr/lib/xen-4.17/bin/test-xenstore
if [ -x "$txs" ]; then
    start micastored || exit 1
    echo "== test-xenstore -i 200 against micastored (average/min/max per operation)"
    timeout 300 "$txs" -i 200
    stop
fi
