#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/66-domu-blk-destroy.sh - a Linux domU destroyed in
# the middle of a write loop on its disk (the ext4 image 65-domu-blk.sh
# made): its mica-blkback answers what is in flight, unmaps, removes its
# xenstore directory and exits; the image passes e2fsck -n; the domain's
# memory comes back.  A disk open for writing is refused to a second
# domain.  Prints TEST domu/blk-destroy-* lines.
. /tests/lib.sh
domu_selected domu/blk-destroy || exit 0
CFG=/etc/mica/debian.cfg IMG=/tmp/blk/d1.img
if [ ! -x /usr/lib/mica/mica-blkback ] || [ ! -f $IMG ]; then
    skip domu/blk-destroy "needs /usr/lib/mica/mica-blkback and $IMG (65-domu-blk.sh)"
    exit 0
fi
T=/tmp/blk
f0=$(free_mb)
mica create $CFG 'name="blk2"' "disk=[\"$IMG,raw,xvda,w\"]" >$T/c2.out 2>&1
id=$(mica domid blk2 2>/dev/null)
if [ -z "$id" ] || ! wait_for 300 ready blk2; then
    fail domu/blk-destroy "blk2 (domid '$id') never reached its shell: $(cat $T/c2.out)"
    mica destroy blk2 2>/dev/null
    exit 0
fi
# rw is exclusive: a second domain may not have the same image.
mica create $CFG 'name="blk3"' "disk=[\"$IMG,raw,xvda,w\"]" >$T/c3.out 2>&1
check domu/blk-destroy-rw-exclusive "$(cat $T/c3.out)" \
    sh -c "grep -q 'in use by another domain' $T/c3.out && ! mica domid blk3 >/dev/null 2>&1"
mica destroy blk3 2>/dev/null

domu_console blk2 1 'blk-test loop\r' >/dev/null
started() { grep -aq '^BLK-LOOP ok started' $GLOG/blk2.log; }
check domu/blk-destroy-loop-started "$(grep -a '^BLK-LOOP' $GLOG/blk2.log | tail -n 1)" wait_for 120 started
sleep 5
mica destroy blk2 >$T/d.out 2>&1
check domu/blk-destroy-status "$(cat $T/d.out)" [ ! -s $T/d.out ]
check domu/blk-destroy-no-backend "$(blk_backends $id) mica-blkback left for domid $id" \
    wait_for 30 out_is = 0 blk_backends $id
check domu/blk-destroy-no-dir "$(xenstore-ls /local/domain/0/backend/vbd/$id 2>&1 | head -n 2)" \
    sh -c "! xenstore-exists /local/domain/0/backend/vbd/$id"
# What ext4 promises after a crash: consistent once its journal is
# replayed (e2fsck -n alone does not replay it and may see the gap).
e2fsck -n $IMG >$T/fsck.out 2>&1
r=$?
if [ $r != 0 ] && grep -q 'journal' $T/fsck.out; then
    e2fsck -E journal_only -y $IMG >$T/replay.out 2>&1
    e2fsck -fn $IMG >$T/fsck.out 2>&1
    r=$?
    echo "blk-destroy: e2fsck -n wanted the journal replayed first"
fi
check domu/blk-destroy-e2fsck "status $r: $(tail -n 2 $T/fsck.out | tr '\n' '|')" [ $r = 0 ]
grep -a 'mica-blkback' /var/log/mica/blkback.$id.51712.log | tail -n 1
check domu/blk-destroy-memory-back "free $(free_mb) MiB, $f0 before" wait_for 10 out_is = "$f0" free_mb
