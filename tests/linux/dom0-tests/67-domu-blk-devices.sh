#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/67-domu-blk-devices.sh - disks beside a running
# guest: two domUs share a read-only disk and read the same bytes dom0
# has; one of them runs two vCPUs with blkfront's multi-page rings, and
# gets two queues of four pages; `mica block-attach` adds a disk it sees
# at once, `block-list` shows both in xl's columns, a second domain is
# refused the disk open for writing, `block-detach` takes it away again
# and its back end ends; the counters micatop shows are published; a back
# end killed with -9 shows as closed and `mica destroy` removes what it
# left.
# Prints TEST domu/blk-dev-<name> lines.
. /tests/lib.sh
domu_selected domu/blk-dev || exit 0
# The last disk test: the images of 65-67 go when it ends, however it
# ends, or dom0's tmpfs is too full for the save files of 80-82.
trap 'rm -rf /tmp/blk' EXIT
CFG=/etc/mica/debian.cfg T=/tmp/blk
if [ ! -x /usr/lib/mica/mica-blkback ] || [ ! -f $CFG ]; then
    skip domu/blk-dev "needs /usr/lib/mica/mica-blkback and $CFG"
    exit 0
fi
mkdir -p $T
SH=$T/shared.img HOT=$T/hot.img
dd if=/dev/urandom of=$SH bs=1M count=4 2>/dev/null
dd if=/dev/zero of=$HOT bs=1M count=16 2>/dev/null

mica create $CFG 'name="blk4"' 'vcpus=2' 'extra="console=hvc0 xen_blkfront.max_ring_page_order=2"' \
    "disk=[\"$SH,raw,xvda,r\"]" >$T/c4.out 2>&1
mica create $CFG 'name="blk5"' "disk=[\"access=r, vdev=xvda, target=$SH\"]" >$T/c5.out 2>&1
id4=$(mica domid blk4 2>/dev/null) id5=$(mica domid blk5 2>/dev/null)
if [ -z "$id4" ] || [ -z "$id5" ] || ! wait_for 300 ready blk4 || ! wait_for 300 ready blk5; then
    fail domu/blk-dev-shared "blk4 '$id4', blk5 '$id5': $(cat $T/c4.out $T/c5.out | tr '\n' '|')"
    mica destroy blk4 2>/dev/null
    mica destroy blk5 2>/dev/null
    exit 0
fi
want=$(md5sum $SH | cut -d' ' -f1)
s4=$(blk_step blk4 SUM /dev/xvda)
s5=$(blk_step blk5 SUM /dev/xvda)
check domu/blk-dev-shared-ro "dom0 $want; blk4 '$s4'; blk5 '$s5'" \
    sh -c "[ '$s4' = 'BLK-SUM ok $want' ] && [ '$s5' = 'BLK-SUM ok $want' ]"
L4=/var/log/mica/blkback.$id4.51712.log
check domu/blk-dev-multiqueue "$(grep connected $L4 | tail -n 1)" grep -q 'connected: 2 queue(s) of 4 pages' $L4
BE4=/local/domain/0/backend/vbd/$id4/51712
stats() { [ "$(xenstore-read $BE4/statistics/rd_req 2>/dev/null)" -gt 0 ] &&
          [ "$(xenstore-read $BE4/statistics/rd_sect 2>/dev/null)" -ge 8192 ]; }
check domu/blk-dev-stats "rd_req $(xenstore-read $BE4/statistics/rd_req 2>&1) rd_sect $(xenstore-read $BE4/statistics/rd_sect 2>&1)" \
    wait_for 5 stats

mica block-attach blk4 "$HOT,raw,xvdb,w" >$T/a.out 2>&1
r=$?
check domu/blk-dev-attach "status $r: $(cat $T/a.out)" [ $r = 0 ]
zero=$(md5sum $HOT | cut -d' ' -f1)
s=$(blk_step blk4 SUM /dev/xvdb)
check domu/blk-dev-attach-seen "dom0 $zero, guest '$s'" [ "$s" = "BLK-SUM ok $zero" ]
mica block-list blk4 >$T/l.out 2>&1
check domu/blk-dev-list "$(tr '\n' '|' <$T/l.out)" \
    sh -c "head -n 1 $T/l.out | grep -q '^Vdev  BE  handle state evt-ch ring-ref BE-path' &&
           grep -Eq '^51712 +0 +$id4 +4 ' $T/l.out && grep -Eq '^51728 +0 +$id4 +4 ' $T/l.out"
mica block-attach blk5 "$HOT,raw,xvdb,w" >$T/a5.out 2>&1
r=$?
check domu/blk-dev-rw-exclusive "status $r: $(cat $T/a5.out)" \
    sh -c "[ $r != 0 ] && grep -q 'in use by another domain' $T/a5.out"
mica block-detach blk4 xvdb >$T/d.out 2>&1
r=$?
check domu/blk-dev-detach "status $r: $(cat $T/d.out)" [ $r = 0 ]
g=$(blk_step blk4 GONE /dev/xvdb)
check domu/blk-dev-detach-gone "$g; back ends of blk4: $(blk_backends $id4)" \
    sh -c "[ '$g' = 'BLK-GONE ok' ] && [ $(blk_backends $id4) = 1 ]"
# A back end killed with -9: block-list says so and shows the disk closed
# (state 6), and destroy removes the directory it left.
mica block-attach blk4 "$HOT,raw,xvdc,w" >$T/a.out 2>&1
kpid=$(ps | awk '/[m]ica-blkback '"$id4"' 51744/ { print $1 }')
[ -n "$kpid" ] && kill -9 $kpid
gone_() { ! grep -q '^State:.*[RSD]' /proc/$kpid/status 2>/dev/null; }
wait_for 10 gone_
mica block-list blk4 >$T/l.out 2>$T/l.err
check domu/blk-dev-killed-closed "pid '$kpid': $(cat $T/l.err $T/l.out | tr '\n' '|')" \
    sh -c "grep -q 'disk 51744 of domain $id4: its back end (mica-blkback) is not running' $T/l.err &&
           [ \$(wc -l <$T/l.err) = 1 ] && grep -Eq '^51744 +0 +$id4 +6 ' $T/l.out &&
           [ \$(xenstore-read /local/domain/0/backend/vbd/$id4/51744/state) = 6 ]"
mica destroy blk4 >$T/d.out 2>&1
nodir() { ! xenstore-exists /local/domain/0/backend/vbd/$id4; }
check domu/blk-dev-killed-destroy "$(tr '\n' '|' <$T/d.out)" \
    sh -c "grep -q 'disk 51744 of domain $id4: .* was not running; removed' $T/d.out"
check domu/blk-dev-killed-no-dir "$(xenstore-ls /local/domain/0/backend/vbd/$id4 2>&1 | head -n 3 | tr '\n' '|')" \
    wait_for 15 nodir
mica destroy blk5
check domu/blk-dev-no-backends "$(blk_backends $id4) + $(blk_backends $id5) left" \
    wait_for 30 sh -c "[ \$(ps | grep -c '[m]ica-blkback [0-9]') = 0 ]"
