# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/82-domu-save-loop.sh - save and restore of one
# Linux domU SAVE_LOOPS times (5; mica.saveloops=N on dom0's command line
# for more): each round the guest comes back under a new domid with its
# counter going on, and at the end, once it is destroyed, dom0 sees as
# much free memory as before it was created: no round leaks a frame.
# Prints TEST domu/save-loop-<name> lines.
. /tests/lib.sh
domu_selected domu/save-loop || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/save-loop "needs /usr/sbin/mica, $CFG and a running mica-consoled"
    exit 0
fi
N=$(cmdline_value mica.saveloops 5)
T=/tmp/domu-save-loop
mkdir -p $T
f0=$(free_mb)
count() { tr -d '\r' <$GLOG/lp.log | sed -n 's/^COUNT=\([0-9][0-9]*\)$/\1/p' | tail -n 1; }

mica create $CFG 'name="lp"' 'memory=128' >$T/c.out 2>&1
if ! wait_for 300 ready lp; then
    fail domu/save-loop-boot "lp never reached its shell: $(tail -n 2 $T/c.out)"
    mica destroy lp 2>/dev/null
    exit 0
fi
domu_console lp 2 'n=0; while :; do n=$((n+1)); echo COUNT=$n; sleep 1; done &\r' >/dev/null
sleep 2
i=0 ok=0 why=
while [ $i -lt "$N" ]; do
    i=$((i + 1))
    c0=$(count)
    if ! save_restore lp $T/lp.save; then
        why="round $i: $sr_why"
        break
    fi
    more() { [ "$(count)" -gt "$c0" ]; }
    if ! wait_for 20 more; then
        why="round $i: the counter stays at '$(count)' (was '$c0')"
        break
    fi
    ok=$i
done
check domu/save-loop-rounds "$ok of $N rounds; $why" [ "$ok" = "$N" ]
mica destroy lp 2>/dev/null
rm -f $T/lp.save
freed() { [ "$(free_mb)" -ge "$f0" ]; }
check domu/save-loop-frames "free memory $f0 MiB before, $(free_mb) after $ok rounds" wait_for 30 freed
exit 0
