# SPDX-License-Identifier: MIT
# tests/bench/toolstack/blk.sh - sourced by dom0-bench.sh with
# mica.bench.steps=blk (`make bench-blkback`, issue 15): one 1-vCPU Debian
# Linux domU (debian.cfg) with one raw disk on a 128 MiB sparse file in
# dom0's /tmp, and the guest's O_DIRECT dd (tests/domu/blk-test bench: 1 MiB
# sequential write and read in MiB/s, 4 KiB reads at queue depth 1 in
# IOPS), N rounds.  Under Mica: mica-blkback, grant copy (its default) and
# persistent grants, one guest each.  Under Xen 4.17: Linux's xen-blkback
# (the module of the same Debian kernel package) with
# disk=['phy:/dev/loop0,xvda,w'] on a loop device over the same kind of
# file, started by xl.  The hotplug script xl runs for phy: is the image's
# stand-in for Xen's /etc/xen/scripts/block (toolstack/xen-block: Xen's
# needs bash and more tools than this busybox dom0 has).
# Prints "TSB-DEV SIDE FIGURE,UNIT:MODE VALUE" lines (mode copy, persistent or
# kernel), three a round: seq-write and seq-read in MiB/s, 4k-read-qd1 in IOPS.
IMG=/tmp/bench.img

# blk_guest MODE DISK: a guest with DISK, N rounds of blk-test bench.
blk_guest() {
    rm -f "$(clog bench)" $IMG
    dd if=/dev/zero of=$IMG bs=1M count=0 seek=128 2>/dev/null
    if [ $side = xen ]; then
        losetup /dev/loop0 $IMG || { err "blk: losetup /dev/loop0 $IMG"; return; }
    fi
    v=
    [ $side = xen ] && v=-vv
    $T $v create /etc/mica/debian.cfg 'name="bench"' "disk=[\"$2\"]" >$TSB_OUT 2>&1 || {
        err "blk $1: create"
        grep -v '^ *$' $TSB_OUT | tail -n 40 | sed "s/^/TSB-INFO $side /"
        [ $side = xen ] && losetup -d /dev/loop0
        return
    }
    if wait_for 300 printed bench MICA-DOMU-READY; then
        sleep 3
        # dd's own report of one O_DIRECT read and write, errors included:
        # a check on blk-test's figures, which time dd by /proc/uptime.
        for d in "if=/dev/xvda of=/dev/null iflag=direct" "if=/dev/zero of=/dev/xvda oflag=direct"; do
            c="dd $d bs=1M count=16 2>&1 | awk '{ printf \"%s \", \$0 } END { print \"\" }'"
            echo "TSB-INFO $side $1 dd $d: $(gstep bench BLK-DD "$c | sed 's/^/BLK-DD /'")"
        done
        r=1
        while [ $r -le $N ]; do
            line=$(gstep bench BLK-BENCH "blk-test bench /dev/xvda")
            case $line in
            "BLK-BENCH ok "*) echo "${line#BLK-BENCH ok }" |
                awk -v s=$side -v m=$1 '{ for (i = 1; i < NF; i += 3) print "TSB-DEV", s, $i "," $(i + 2) ":" m, $(i + 1) }' ;;
            *) err "blk $1: round $r: $line"; tail -n 5 "$(clog bench)" | sed "s/^/TSB-INFO $side /" ;;
            esac
            r=$((r + 1))
        done
    else
        err "blk $1: no guest"
    fi
    $T destroy bench >/dev/null 2>&1
    wait_for 60 gone bench
    [ $side = xen ] && losetup -d /dev/loop0
}

if [ $side = mica ]; then
    blk_guest copy "$IMG,raw,xvda,w"
    MICA_BLKBACK_GRANTS=persistent blk_guest persistent "$IMG,raw,xvda,w"
else
    for m in drivers/block/loop drivers/block/xen-blkback/xen-blkback; do
        insmod $kmod/$m.ko || err "blk: insmod $m"
    done
    blk_guest kernel "phy:/dev/loop0,xvda,w"
    dmesg | grep -i blkback | tail -n 5 | sed "s/^/TSB-INFO $side /"
fi
