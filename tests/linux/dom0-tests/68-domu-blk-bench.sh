#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/68-domu-blk-bench.sh - `make bench-blkback` only
# (mica.tests=domu-blk-bench): a Linux domU's raw /dev/xvda through
# mica-blkback, O_DIRECT dd in the guest (tests/domu/blk-test bench): 1 MiB
# sequential write and read in MiB/s, 4 KiB reads at queue depth 1 in
# IOPS, and the back end's CPU time.  Prints "BENCH blk ..." lines.
. /tests/lib.sh
case " $(cat /proc/cmdline) " in
*" mica.tests=domu-blk-bench"*) ;;
*) skip domu/blk-bench "only in make bench-blkback"; exit 0 ;;
esac
CFG=/etc/mica/debian.cfg IMG=/tmp/bench.img
dd if=/dev/zero of=$IMG bs=1M count=0 seek=128 2>/dev/null
mica create $CFG 'name="bench"' "disk=[\"$IMG,raw,xvda,w\"]" >/tmp/bench.out 2>&1
if ! mica domid bench >/dev/null 2>&1 || ! wait_for 300 ready bench; then
    fail domu/blk-bench "no guest: $(cat /tmp/bench.out)"
    exit 0
fi
id=$(mica domid bench)
pid=$(ps | awk '/[m]ica-blkback '"$id"' / { print $1 }')
cputime() { awk '{ printf "%.2f", ($14 + $15) / 100 }' /proc/$pid/stat 2>/dev/null; }
sleep 10
c0=$(cputime)
sleep 10
c1=$(cputime)
domu_console bench 1 'blk-test bench\r' >/dev/null
done_() { grep -aq '^BLK-BENCH ' $GLOG/bench.log; }
if ! wait_for 600 done_; then
    kill -USR1 $pid
    sleep 2
    tail -n 5 /var/log/mica/blkback.$id.51712.log
    tail -n 5 $GLOG/bench.log | tr -d '\r'
fi
line=$(grep -a '^BLK-BENCH ' $GLOG/bench.log | tail -n 1 | tr -d '\r')
c2=$(cputime)
echo "BENCH blk mica-blkback: ${line#BLK-BENCH ok } (back end CPU: $c0 s by the guest's shell, $c1 s 10 s later, $c2 s after the runs)"
check domu/blk-bench "$line" sh -c "echo '$line' | grep -q '^BLK-BENCH ok'"
mica destroy bench
