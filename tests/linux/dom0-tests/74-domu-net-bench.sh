#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/74-domu-net-bench.sh - `make bench-netback` only
# (mica.tests=domu-net-bench): a Linux domU's vif through mica-netback on
# micabr0: TCP throughput each way (iperf3 when the images carry it, and
# tests/domu/net-xfer's 64 MiB), ping round trips each way, and the back
# end's CPU time per MiB.  Prints "BENCH net ..." lines.
. /tests/lib.sh
case " $(cat /proc/cmdline) " in
*" mica.tests=domu-net-bench"*) ;;
*) skip domu/net-bench "only in make bench-netback"; exit 0 ;;
esac
CFG=/etc/mica/debian.cfg T=/tmp/netbench
mkdir -p $T
mica create $CFG 'name="nbench"' 'vif=["bridge=micabr0"]' >$T/c.out 2>&1
if ! mica domid nbench >/dev/null 2>&1 || ! wait_for 300 ready nbench; then
    fail domu/net-bench "no guest: $(cat $T/c.out)"
    exit 0
fi
id=$(mica domid nbench)
pid=$(ps | awk '/[m]ica-netback '"$id"' / { print $1 }')
cputime() { awk '{ printf "%.2f", ($14 + $15) / 100 }' /proc/$pid/stat 2>/dev/null; }
# step TAG SECONDS COMMAND: type COMMAND into the guest, print its TAG line
step() {
    st_tag=$1 st_n0=$(grep -ac "^$1 " $GLOG/nbench.log)
    domu_console nbench 1 "$3\r" >/dev/null
    st_more() { [ "$(grep -ac "^$st_tag " $GLOG/nbench.log)" -gt "$st_n0" ]; }
    wait_for "$2" st_more
    grep -a "^$st_tag " $GLOG/nbench.log | tail -n 1 | tr -d '\r'
}
ip addr add 10.200.0.1/24 dev micabr0 2>/dev/null
ip link set micabr0 up
u=$(step NET-UP 120 "net-test up 10.200.0.2/24")
check domu/net-bench-up "$u" sh -c "echo '$u' | grep -q '^NET-UP ok'"
sleep 5
c0=$(cputime)
sleep 10
echo "BENCH net idle back end: $(awk -v a=$c0 -v b=$(cputime) 'BEGIN { printf "%.3f", b - a }') s of CPU in 10 s"

# net-xfer: 64 MiB each way, MiB/s from the receiver's clock.
mbs() { awk '{ if ($7 > 0) printf "%.1f", $3 / 1048576 / $7 }'; }
for round in 1 2; do
    net-xfer recv 5101 >$T/r 2>&1 &
    c0=$(cputime)
    s=$(step NET-SEND 600 "net-test send 10.200.0.1 5101 64")
    wait
    echo "BENCH net xfer domU->dom0 round $round: $(mbs <$T/r) MiB/s (back end CPU $(awk -v a=$c0 -v b=$(cputime) 'BEGIN { printf "%.2f", b - a }') s for 64 MiB)"
    net-xfer serve 5102 64 >$T/s 2>&1 &
    c0=$(cputime)
    f=$(step NET-FETCH 600 "net-test fetch 10.200.0.1 5102")
    wait
    echo "BENCH net xfer dom0->domU round $round: $(echo "$f" | sed 's/^NET-FETCH/NET-XFER/' | mbs) MiB/s (back end CPU $(awk -v a=$c0 -v b=$(cputime) 'BEGIN { printf "%.2f", b - a }') s for 64 MiB)"
done

# iperf3, 10 s each way, when both images carry it.
if [ -x /usr/bin/iperf3 ]; then
    iperf3 -s -D -1 -p 5201 >/dev/null 2>&1
    i=$(step NET-IPERF 120 "net-test iperf 10.200.0.1")
    echo "BENCH net iperf3 domU->dom0: ${i#NET-IPERF }"
    iperf3 -s -D -1 -p 5201 >/dev/null 2>&1
    i=$(step NET-IPERF 120 "net-test iperf 10.200.0.1 -R")
    echo "BENCH net iperf3 dom0->domU: ${i#NET-IPERF }"
fi

p=$(step NET-PING 120 "net-test ping 10.200.0.1 50")
echo "BENCH net ping domU->dom0: ${p#NET-PING ok }"
echo "BENCH net ping dom0->domU: $(ping -q -A -c 50 10.200.0.2 2>&1 | grep -E 'transmitted|round-trip' | tr '\n' ' ')"
sleep 2
echo "BENCH net counters: $(for k in tx_packets tx_drops rx_packets rx_drops; do printf '%s %s ' $k "$(xenstore-read /local/domain/0/backend/vif/$id/0/statistics/$k)"; done)"
mica destroy nbench
pass domu/net-bench
