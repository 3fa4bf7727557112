#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/87-domu-migrate-bench.sh - `make bench-migrate`
# only (mica.tests=domu-migrate-bench): live migration of a 256 MiB Linux
# domU to the same dom0 over migrate's TCP channel, idle and then while a
# shell loop in the guest rewrites a 32 MiB file in its RAM-backed root
# (each pass dirties the same 8192 pages); MIG_BENCH_RUNS (default 3)
# moves of each.  Prints one "BENCH migrate <load> ..." line a move with
# the sender's total time, downtime, rounds and pages sent per round.
. /tests/lib.sh
case " $(cat /proc/cmdline) " in
*" mica.tests=domu-migrate-bench"*) ;;
*) skip domu/migrate-bench "only in make bench-migrate"; exit 0 ;;
esac
CFG=/etc/mica/debian.cfg T=/tmp/migbench PORT=8003 RUNS=${MIG_BENCH_RUNS:-3}
mkdir -p $T
ip link set lo up               # the TCP channel runs over dom0's loopback
domu_boot mb domu/migrate-bench $CFG 'name="mb"' 'memory=256' || exit 0
sleep 10                        # let the boot's own writes settle
move() {
    mica migrate-receive -e --listen 127.0.0.1:$PORT >$T/recv.out 2>&1 &
    mica migrate --tcp $PORT mb 127.0.0.1 >$T/send.out 2>&1
    r=$?
    wait
    if [ $r != 0 ]; then
        fail domu/migrate-bench-$1 "$(tr '\n' '|' <$T/send.out | tail -c 300)"
        return 1
    fi
    t=$(sed -n 's/^migration: total time \([0-9]*\) ms, downtime \([0-9]*\) ms$/total_ms \1 downtime_ms \2/p' $T/send.out)
    n=$(sed -n 's/^migration sender: \([0-9]*\) rounds, pages sent per round: \([0-9 ]*\);.*/rounds \1 pages \2/p' $T/send.out)
    echo "BENCH migrate $1 $t $n"
}
for i in $(seq $RUNS); do move idle || break; done
domu_console mb 2 'while :; do dd if=/dev/zero of=/dirty bs=1M count=32 conv=notrunc 2>/dev/null; done &\r' >/dev/null
sleep 5
for i in $(seq $RUNS); do move dirtying || break; done
pass domu/migrate-bench "$(grep -c . $T/send.out) lines from the last move"
mica destroy mb
exit 0
