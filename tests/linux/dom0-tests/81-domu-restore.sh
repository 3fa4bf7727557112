# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/81-domu-restore.sh - `mica save` then `mica
# restore` of a Linux domU.  The guest keeps a counter in a shell loop (a
# variable in its memory, printed on its console); after the round trip
# it runs under a new domid, answers on its console, its counter goes on
# from where it was and its uptime did not go back.  A file cut short or
# with a damaged byte is refused with one line and makes no domain.  When
# the restored guest is destroyed its frames all come back.  Prints TEST
# domu/restore-<name> lines.
. /tests/lib.sh
domu_selected domu/restore || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/restore "needs /usr/sbin/mica, $CFG and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-restore
mkdir -p $T
f0=$(free_mb)
ndom() { mica list | wc -l; }

# 128 MiB: dom0 keeps the file in its RAM.
mica create $CFG 'name="rs"' 'memory=128' >$T/c.out 2>&1
id=$(mica domid rs 2>/dev/null)
if [ -z "$id" ] || ! wait_for 300 ready rs; then
    fail domu/restore-boot "rs (domid '$id') never reached its shell: $(tail -n 2 $T/c.out)"
    mica destroy rs 2>/dev/null
    exit 0
fi
count() { tr -d '\r' <$GLOG/rs.log | sed -n 's/^COUNT=\([0-9][0-9]*\)$/\1/p' | tail -n 1; }
uptime_s() {
    domu_console rs 3 'echo UP=$(cut -d. -f1 /proc/uptime)\r' >$T/u.out
    tr -d '\r' <$T/u.out | sed -n 's/^UP=\([0-9][0-9]*\)$/\1/p' | tail -n 1
}
domu_console rs 2 'n=0; while :; do n=$((n+1)); echo COUNT=$n; sleep 1; done &\r' >/dev/null
sleep 3
u0=$(uptime_s)

mica save rs $T/rs.save >$T/s.out 2>&1
r=$?
c0=$(count)
check domu/restore-saved "status $r: $(tr '\n' '|' <$T/s.out)" \
    sh -c "[ $r = 0 ] && ! mica domid rs >/dev/null 2>&1"

# Damaged files first: nothing may be created.
n0=$(ndom)
head -c 100000 $T/rs.save >$T/cut.save
mica restore $T/cut.save >$T/cut.out 2>&1
r=$?
check domu/restore-truncated "status $r, $(ndom) list lines (was $n0): $(tr '\n' '|' <$T/cut.out)" \
    sh -c "[ $r = 1 ] && grep -q 'Savefile truncated' $T/cut.out && [ $(ndom) = $n0 ]"
rm -f $T/cut.save
printf 'X' | dd of=$T/rs.save bs=1 seek=3 conv=notrunc 2>/dev/null
mica restore $T/rs.save >$T/bad.out 2>&1
r=$?
check domu/restore-bad-magic "status $r: $(tr '\n' '|' <$T/bad.out)" \
    sh -c "[ $r = 1 ] && grep -q 'wrong magic number' $T/bad.out && [ $(ndom) = $n0 ]"
printf ' ' | dd of=$T/rs.save bs=1 seek=3 conv=notrunc 2>/dev/null

# The real thing.
mica restore $T/rs.save >$T/r.out 2>&1
r=$?
id2=$(mica domid rs 2>/dev/null)
check domu/restore "status $r, domid '$id2' (was $id): $(tr '\n' '|' <$T/r.out)" \
    sh -c "[ $r = 0 ] && [ -n '$id2' ] && [ '$id2' != '$id' ]"
rm -f $T/rs.save
sleep 4
c1=$(count)
check domu/restore-counter "counter '$c0' at the save, '$c1' after the restore" \
    sh -c "[ -n '$c0' ] && [ -n '$c1' ] && [ '$c1' -gt '$c0' ]"
domu_console rs 4 'echo RESTORED-$((6*7))\r' >$T/in.out
check domu/restore-console "no RESTORED-42 in: $(tr -d '\r' <$T/in.out | tail -n 3 | tr '\n' '|')" \
    grep -q RESTORED-42 $T/in.out
u1=$(uptime_s)
check domu/restore-uptime "uptime '$u0' before, '$u1' after" \
    sh -c "[ -n '$u0' ] && [ -n '$u1' ] && [ '$u1' -ge '$u0' ]"
bad=$(grep -aE 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' $GLOG/rs.log | head -n 1)
check domu/restore-log-clean "$bad" [ -z "$bad" ]
[ -z "$bad" ] || grep -aE -A6 'WARNING:|BUG:|Oops|Kernel panic' $GLOG/rs.log | head -n 14 | sed 's/^/  rs: /'

mica destroy rs
freed() { [ "$(free_mb)" -ge "$f0" ]; }
check domu/restore-frames "free memory $f0 MiB before, $(free_mb) after" wait_for 30 freed
exit 0
