# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/86-domu-balloon.sh - ballooning a Linux domU
# with `mica mem-set`: from 256 MiB down to 160 MiB and back.  The
# toolstack only writes memory/target (KiB) and moves max_pages; Linux's
# balloon driver gives the pages back with XENMEM_decrease_reservation and
# takes them again with XENMEM_populate_physmap.  Checked from inside the
# guest (the balloon's info/current_kb and MemTotal in /proc/meminfo),
# from `mica list` (Mem, the pages the domain holds) and from `mica info`
# (free_memory grows by what the guest gave back, and shrinks again).
# Prints TEST domu/balloon-<name> lines.
. /tests/lib.sh
domu_selected domu/balloon || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/balloon "needs /usr/sbin/mica, $CFG and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-balloon
mkdir -p $T
BAL=/sys/devices/system/xen_memory/xen_memory0

# What the guest says: "CUR TOTAL", its balloon's current_kb and its
# MemTotal in KiB, each line tagged so that the echo of the command is not
# read as the answer.
guest_mem() {
    domu_console bal 3 "echo BAL-CUR=\$(cat $BAL/info/current_kb); grep MemTotal /proc/meminfo\r" \
        >$T/g.out
    tr -d '\r' <$T/g.out | awk '/^BAL-CUR=[0-9]/ { sub("BAL-CUR=", ""); c = $0 }
        /^MemTotal:/ { t = $2 } END { print c + 0, t + 0 }'
}
list_mb() { mica list bal 2>/dev/null | awk 'NR == 2 { print $3 }'; }
target() { xenstore-read /local/domain/$id/memory/target 2>&1; }

mica create $CFG 'name="bal"' >$T/c.out 2>&1
id=$(mica domid bal 2>/dev/null)
if [ -z "$id" ] || ! wait_for 300 ready bal; then
    fail domu/balloon-boot "bal (domid '$id') never reached its shell: $(tail -n 2 $T/c.out)"
    mica destroy bal 2>/dev/null
    exit 0
fi
set -- $(guest_mem)
cur0=$1 tot0=$2
f0=$(free_mb)
check domu/balloon-start "current_kb $cur0 (want 262144), list $(list_mb) MiB" \
    sh -c "[ '$cur0' = 262144 ] && [ '$(list_mb)' -ge 255 ]"

# Down by 96 MiB: the target in KiB, then the guest lets go of the pages.
t0=$(cut -d' ' -f1 /proc/uptime)
mica mem-set bal 160m >$T/s.out 2>&1
r=$?
check domu/balloon-set-down "status $r ($(cat $T/s.out)), target $(target)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/s.out ] && [ '$(target)' = 163840 ]"
shrunk() { [ "$(list_mb)" -le 161 ]; }
check domu/balloon-list-down "mica list shows $(list_mb) MiB, want <= 161" wait_for 60 shrunk
t1=$(cut -d' ' -f1 /proc/uptime)
echo "balloon: 96 MiB given back in $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", b - a }') s"
set -- $(guest_mem)
check domu/balloon-guest-down "current_kb $1 (want 163840), MemTotal $2 kB (was $tot0)" \
    sh -c "[ '$1' = 163840 ] && [ $(($tot0 - $2)) -ge 96000 ] && [ $(($tot0 - $2)) -le 100000 ]"
f1=$(free_mb)
check domu/balloon-free-grows "free_memory $f0 -> $f1 MiB, want about +96" \
    sh -c "[ $(($f1 - $f0)) -ge 94 ] && [ $(($f1 - $f0)) -le 98 ]"
bad=$(grep -E 'WARNING:|BUG:|Oops|Call Trace' $GLOG/bal.log | head -n 1)
check domu/balloon-log-clean "$bad" [ -z "$bad" ]

# And back up: populate_physmap refills what the balloon holds.
mica mem-set bal 256 >$T/u.out 2>&1
r=$?
check domu/balloon-set-up "status $r ($(cat $T/u.out)), target $(target)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/u.out ] && [ '$(target)' = 262144 ]"
grown() { [ "$(list_mb)" -ge 255 ]; }
check domu/balloon-list-up "mica list shows $(list_mb) MiB, want >= 255" wait_for 60 grown
set -- $(guest_mem)
check domu/balloon-guest-up "current_kb $1 (want 262144), MemTotal $2 kB (was $tot0)" \
    sh -c "[ '$1' = 262144 ] && [ '$2' = '$tot0' ]"
check domu/balloon-free-back "free_memory $(free_mb) MiB, $f0 before" [ "$(free_mb)" = "$f0" ]
domu_console bal 3 'echo BAL-ALIVE-$((6*7))\r' >$T/a.out
check domu/balloon-alive "no BAL-ALIVE-42 in: $(tr -d '\r' <$T/a.out | tail -n 2 | tr '\n' '|')" \
    grep -q BAL-ALIVE-42 $T/a.out
bad=$(grep -E 'WARNING:|BUG:|Oops|Call Trace' $GLOG/bal.log | head -n 1)
check domu/balloon-log-clean-up "$bad" [ -z "$bad" ]
mica destroy bal
check domu/balloon-gone "bal still listed" wait_for 10 gone bal
