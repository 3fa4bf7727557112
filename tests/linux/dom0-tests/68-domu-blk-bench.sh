#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/68-domu-blk-bench.sh - `make bench-blkback` only
# (mica.tests=domu-blk-bench): one Linux domU with two raw disks through
# mica-blkback, xvda with persistent grants (MICA_BLKBACK_GRANTS=persistent)
# and xvdb with grant copy (the default); O_DIRECT dd in the guest
# (tests/domu/blk-test bench) on each in turn, twice: 1 MiB sequential
# write and read in MiB/s, 4 KiB reads at queue depth 1 in IOPS; the back
# ends' CPU time and their counts of grant maps, copies and notifications.
# Prints "BENCH blk ..." lines.
. /tests/lib.sh
case " $(cat /proc/cmdline) " in
*" mica.tests=domu-blk-bench"*) ;;
*) skip domu/blk-bench "only in make bench-blkback"; exit 0 ;;
esac
CFG=/etc/mica/debian.cfg IMG=/tmp/bench.img IMG2=/tmp/bench-copy.img
dd if=/dev/zero of=$IMG bs=1M count=0 seek=128 2>/dev/null
dd if=/dev/zero of=$IMG2 bs=1M count=0 seek=128 2>/dev/null
MICA_BLKBACK_GRANTS=persistent mica create $CFG 'name="bench"' "disk=[\"$IMG,raw,xvda,w\"]" >/tmp/bench.out 2>&1
if ! mica domid bench >/dev/null 2>&1 || ! wait_for 300 ready bench; then
    fail domu/blk-bench "no guest: $(cat /tmp/bench.out)"
    exit 0
fi
id=$(mica domid bench)
mica block-attach bench "$IMG2,raw,xvdb,w" >>/tmp/bench.out 2>&1
LA=/var/log/mica/blkback.$id.51712.log LB=/var/log/mica/blkback.$id.51728.log
pid_of() { ps | awk '/[m]ica-blkback '"$id"' '"$1"'/ { print $1 }'; }
pa=$(pid_of 51712) pb=$(pid_of 51728)
cputime() { awk '{ printf "%.2f", ($14 + $15) / 100 }' /proc/$1/stat 2>/dev/null; }
sleep 10
c0=$(cputime $pa)
sleep 10
c1=$(cputime $pa)
echo "BENCH blk idle back end: $c0 s of CPU by the guest's shell, $c1 s 10 s later"
# gstep TAG COMMAND: type COMMAND into the guest, print its new "TAG ..." line.
ntag() { grep -ac "^$tag " $GLOG/bench.log; }
more() { [ "$(ntag)" -gt "$n0" ]; }
gstep() {
    tag=$1 n0=$(grep -ac "^$1 " $GLOG/bench.log)
    domu_console bench 1 "$2\r" >/dev/null
    if wait_for 600 more; then grep -a "^$1 " $GLOG/bench.log | tail -n 1 | tr -d '\r'
    else echo "no answer in 600 s"; fi
}
one() {     # one() DEV MODE PID LOG
    o0=$(cputime $3)
    line=$(gstep BLK-BENCH "blk-test bench $1")
    o1=$(cputime $3)
    if [ "${line#BLK-BENCH ok}" = "$line" ]; then
        kill -USR1 $3
        sleep 2
        tail -n 5 $4
        tail -n 5 $GLOG/bench.log | tr -d '\r'
    fi
    echo "BENCH blk mica-blkback $2: ${line#BLK-BENCH ok } (back end CPU $(awk -v a=$o0 -v b=$o1 'BEGIN { printf "%.2f", b - a }') s)"
    check domu/blk-bench-$2-$round "$line" sh -c "echo '$line' | grep -q '^BLK-BENCH ok'"
}
check domu/blk-bench-modes "$(grep -h connected $LA $LB | tr '\n' '|')" \
    sh -c "grep -q 'persistent grants' $LA && grep -q 'grant copy' $LB"
for round in 1 2; do
    one /dev/xvda persistent $pa $LA
    one /dev/xvdb copy $pb $LB
done
# The persistent path keeps data: ext4 and 64 MiB of random data written
# by the guest read back the same from dom0's side of the image.
w=$(gstep BLK-WRITE "blk-test write /dev/xvda")
d=$(debugfs -R 'cat /data' $IMG 2>/dev/null | md5sum | cut -d' ' -f1)
check domu/blk-bench-persistent-data "guest '$w', dom0 $d" [ "$w" = "BLK-WRITE ok $d" ]
kill -USR1 $pa $pb
sleep 2
echo "BENCH blk counts persistent: $(grep 'grants:' $LA | tail -n 1 | sed 's/.*grants: //')"
echo "BENCH blk counts copy: $(grep 'grants:' $LB | tail -n 1 | sed 's/.*grants: //')"
mica destroy bench
