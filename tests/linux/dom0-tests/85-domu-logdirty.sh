# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/85-domu-logdirty.sh - log-dirty tracking on
# Debian's Linux as a domU, as a live migration's pre-copy drives it
# (tests/linux/logdirty-probe.c, libmica's shadow_op wrappers): log-dirty
# is enabled on the paused domain, so Linux boots entirely on the
# hypervisor's shadow tables while CLEAN rounds read its dirty pages; its
# shell answers on shadows and again after OFF; its boot log is clean; the
# destroy gives every page back.  Prints TEST domu/logdirty-<name> lines.
# Runs in make test-domu, or alone with mica.tests=domu-logdirty.
. /tests/lib.sh
domu_selected domu/logdirty || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -x /usr/bin/logdirty-probe ] || [ ! -f $CFG ]; then
    skip domu/logdirty "needs /usr/sbin/mica, /usr/bin/logdirty-probe and $CFG"
    exit 0
fi
T=/tmp/domu-logdirty
mkdir -p $T
f0=$(free_mb)
probe() { out=$1; shift; timeout 120 logdirty-probe "$@" >"$T/$out" 2>&1; }
for f in on r1 r2 off; do : >$T/$f.out; done     # named in messages before they run

mica create -p $CFG 'name="ld1"' >$T/c.out 2>&1
id=$(mica domid ld1 2>/dev/null)
if [ -z "$id" ]; then
    fail domu/logdirty-create "$(tail -n 1 $T/c.out)"
    exit 0
fi
check domu/logdirty-enable "$(tail -n 1 $T/on.out)" probe on.out on "$id"
mica unpause ld1
check domu/logdirty-rounds-boot "$(tail -n 1 $T/r1.out)" probe r1.out rounds "$id" 8 1000
sed 's/^/  ld1 booting: /' $T/r1.out | head -n 8
check domu/logdirty-shell-marker "no MICA-DOMU-READY in $GLOG/ld1.log after 300 s: $(tail -n 2 $GLOG/ld1.log 2>&1)" \
    wait_for 300 ready ld1
bad=$(grep -E 'WARNING:|BUG:|Oops|Kernel panic|Call Trace|segfault' $GLOG/ld1.log | head -n 1)
check domu/logdirty-boot-log-clean "$bad" [ -z "$bad" ]
domu_console ld1 4 'echo LD-IN-$((6*7))\r' >$T/in.out
check domu/logdirty-console-on-shadows "no LD-IN-42 in: $(tr -d '\r' <$T/in.out | tail -n 2 | tr '\n' '|')" \
    grep -q LD-IN-42 $T/in.out
check domu/logdirty-rounds-idle "$(tail -n 1 $T/r2.out)" probe r2.out rounds "$id" 4 500
sed 's/^/  ld1 idle: /' $T/r2.out | head -n 4
check domu/logdirty-off "$(tail -n 1 $T/off.out)" probe off.out off "$id"
domu_console ld1 4 'echo LD-OFF-$((6*7))\r' >$T/off-in.out
check domu/logdirty-console-after-off "no LD-OFF-42 in: $(tr -d '\r' <$T/off-in.out | tail -n 2 | tr '\n' '|')" \
    grep -q LD-OFF-42 $T/off-in.out
mica destroy ld1 >$T/d.out 2>&1
check domu/logdirty-destroy "$(cat $T/d.out)" wait_for 30 gone ld1
freed() { [ "$(free_mb)" = "$f0" ]; }
check domu/logdirty-memory-back "free $(free_mb) MiB, $f0 before" wait_for 30 freed
