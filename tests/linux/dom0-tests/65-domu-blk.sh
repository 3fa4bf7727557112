#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/65-domu-blk.sh - a Linux domU's disks served by
# mica-blkback: the back end's and front end's xenstore keys and
# permissions; /dev/xvda in the guest takes mkfs.ext4 and 64 MiB of random
# data whose checksum survives `mica reboot` and matches what dom0 reads
# out of the image; fstrim punches holes in the image; a read-only second
# disk refuses writes; a guest destroyed in the middle of a write loop
# leaves no back end and an image e2fsck -n passes; bad disk specs are
# refused by name.  The guest's half is /usr/bin/blk-test of tests/domu.
# Prints TEST domu/blk-<name> lines.
. /tests/lib.sh
domu_selected domu/blk || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -x /usr/lib/mica/mica-blkback ] || [ ! -f $CFG ]; then
    skip domu/blk "needs /usr/sbin/mica, /usr/lib/mica/mica-blkback and $CFG"
    exit 0
fi
T=/tmp/blk
mkdir -p $T
IMG=$T/d1.img RO=$T/d2.img
dd if=/dev/zero of=$IMG bs=1M count=0 seek=256 2>/dev/null
dd if=/dev/urandom of=$RO bs=1M count=4 2>/dev/null
XVDA=51712

# Refused by name before anything exists.
mica create $CFG 'name="blkbad"' 'disk=["/tmp/blk/d1.img,qcow2,xvda,w"]' >$T/bad.out 2>&1
check domu/blk-refuse-qcow2 "$(cat $T/bad.out)" grep -q 'format=qcow2 is not supported' $T/bad.out
mica create $CFG 'name="blkbad"' 'disk=["/tmp/blk/d1.img,raw,xvdc:cdrom,r"]' >$T/bad.out 2>&1
check domu/blk-refuse-cdrom "$(cat $T/bad.out)" grep -q 'devtype=cdrom is not supported' $T/bad.out
mica create $CFG 'name="blkbad"' 'disk=["/tmp/blk/none.img,raw,xvda,w"]' >$T/bad.out 2>&1
check domu/blk-refuse-missing "$(cat $T/bad.out)" grep -q 'none.img: No such file' $T/bad.out
check domu/blk-refused-nothing-left "$(mica list 2>&1 | grep blkbad)" gone blkbad

mica create $CFG 'name="blk1"' \
    "disk=[\"$IMG,raw,xvda,w\", \"format=raw, vdev=xvdb, access=r, target=$RO\"]" >$T/c.out 2>&1
r=$?
check domu/blk-create "status $r: $(tail -n 1 $T/c.out)" [ $r = 0 ]
id=$(mica domid blk1 2>/dev/null)
if [ -z "$id" ] || ! wait_for 300 ready blk1; then
    fail domu/blk-boot "blk1 (domid '$id') never reached its shell: $(tail -n 3 $GLOG/blk1.log 2>&1 | tr '\n' '|')"
    mica destroy blk1 2>/dev/null
    exit 0
fi
BE=/local/domain/0/backend/vbd/$id/$XVDA FE=/local/domain/$id/device/vbd/$XVDA
connected() { [ "$(xenstore-read $BE/state 2>/dev/null)" = 4 ] && [ "$(xenstore-read $FE/state 2>/dev/null)" = 4 ]; }
check domu/blk-connected "back end $(xenstore-read $BE/state 2>&1), front end $(xenstore-read $FE/state 2>&1); $(cat /var/log/mica/blkback.$id.$XVDA.log 2>&1 | tail -n 2 | tr '\n' '|')" \
    wait_for 60 connected
check domu/blk-keys "sectors $(xenstore-read $BE/sectors 2>&1) sector-size $(xenstore-read $BE/sector-size 2>&1)" \
    sh -c "[ '$(xenstore-read $BE/sectors)' = 524288 ] && [ '$(xenstore-read $BE/sector-size)' = 512 ] &&
           [ '$(xenstore-read $BE/feature-flush-cache)' = 1 ] && [ '$(xenstore-read $BE/info)' = 0 ] &&
           [ '$(xenstore-read ${BE%/*}/51728/info)' = 4 ] && [ '$(xenstore-read $BE/mode)' = w ]"
check domu/blk-perms "$(xenstore-ls -p /local/domain/$id/device/vbd 2>&1 | head -n 1) / $(xenstore-ls -p /local/domain/0/backend/vbd/$id 2>&1 | head -n 1)" \
    sh -c "xenstore-ls -p /local/domain/$id/device/vbd | grep -Eq '^ *$XVDA = \"\".*\\(n$id,r0\\)\$' &&
           xenstore-ls -p /local/domain/0/backend/vbd/$id | grep -Eq '^ *$XVDA = \"\".*\\(n0,r$id\\)\$'"
check domu/blk-two-backends "$(blk_backends $id) mica-blkback for domain $id" [ "$(blk_backends $id)" = 2 ]

# Data integrity: guest checksum, then dom0's own read of the file.
w=$(blk_step blk1 WRITE)
sum=$(echo "$w" | awk '$2 == "ok" { print $3 }')
check domu/blk-write "$w" [ -n "$sum" ]
dsum=$(debugfs -R 'cat /data' $IMG 2>/dev/null | md5sum | cut -d' ' -f1)
check domu/blk-dom0-reads-same "guest $sum, dom0 $dsum" [ "$dsum" = "$sum" ]
ro=$(blk_step blk1 ROFAIL /dev/xvdb)
check domu/blk-ro-refuses-write "$ro" sh -c "echo '$ro' | grep -q '^BLK-ROFAIL ok'"
mica reboot blk1 >$T/r.out 2>&1
newid() { i=$(mica domid blk1 2>/dev/null) && [ "$i" != "$id" ]; }
check domu/blk-reboot "$(cat $T/r.out)" wait_for 120 newid
id2=$(mica domid blk1 2>/dev/null)
check domu/blk-old-backend-gone "$(blk_backends $id) left for domid $id" wait_for 30 out_is = 0 blk_backends $id
again() { [ "$(grep -ac MICA-DOMU-READY $GLOG/blk1.log)" -gt 1 ]; }
if [ -n "$id2" ] && wait_for 300 again; then
    v=$(blk_step blk1 VERIFY)
    check domu/blk-reboot-checksum "before reboot $sum, after: $v" [ "$v" = "BLK-VERIFY ok $sum" ]
    used0=$(du -k $IMG | cut -f1)
    d=$(blk_step blk1 DISCARD)
    used1=$(du -k $IMG | cut -f1)
    check domu/blk-discard "$d; image $used0 KiB -> $used1 KiB" \
        sh -c "echo '$d' | grep -q '^BLK-DISCARD ok' && [ $used1 -lt $((used0 - 32768)) ]"
else
    fail domu/blk-reboot-checksum "blk1 did not boot again (domid '$id2')"
fi
mica shutdown -w blk1 >/dev/null 2>&1
check domu/blk-shutdown-backends "$(blk_backends $id2) left for domid $id2" wait_for 30 out_is = 0 blk_backends $id2
check domu/blk-backend-dir-gone "$(xenstore-ls /local/domain/0/backend/vbd/$id2 2>&1 | head -n 2)" \
    sh -c "! xenstore-exists /local/domain/0/backend/vbd/$id2"
