# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/80-domu-save.sh - `mica save` of a Linux domU.
# The guest keeps a counter in a shell loop (in memory: a variable, shown
# on its console); `mica save -c` asks it to suspend (control/shutdown),
# writes every page of it with its page tables canonicalised, and cancels
# the suspend (SCHEDOP_shutdown returns 1): the guest keeps its console,
# its counter goes on and its uptime does not jump back; -p leaves it
# paused until `mica unpause`.  A plain
# `mica save` then leaves a file and no domain, with its frames back.
# Prints TEST domu/save-<name> lines.
. /tests/lib.sh
domu_selected domu/save || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/save "needs /usr/sbin/mica, $CFG and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-save
mkdir -p $T
f0=$(free_mb)

# 128 MiB: dom0 keeps the files in its RAM.
mica create $CFG 'name="sv"' 'memory=128' >$T/c.out 2>&1
id=$(mica domid sv 2>/dev/null)
if [ -z "$id" ] || ! wait_for 300 ready sv; then
    fail domu/save-boot "sv (domid '$id') never reached its shell: $(tail -n 2 $T/c.out)"
    mica destroy sv 2>/dev/null
    exit 0
fi
# The last COUNT=N line on the console, and the guest's uptime in seconds.
count() { tr -d '\r' <$GLOG/sv.log | sed -n 's/^COUNT=\([0-9][0-9]*\)$/\1/p' | tail -n 1; }
uptime_s() {
    domu_console sv 3 'echo UP=$(cut -d. -f1 /proc/uptime)\r' >$T/u.out
    tr -d '\r' <$T/u.out | sed -n 's/^UP=\([0-9][0-9]*\)$/\1/p' | tail -n 1
}
domu_console sv 2 'n=0; while :; do n=$((n+1)); echo COUNT=$n; sleep 1; done &\r' >/dev/null
wait_for 20 sh -c "[ -n \"\$(tr -d '\r' <$GLOG/sv.log | grep '^COUNT=')\" ]"
u0=$(uptime_s)
c0=$(count)

mica save -c sv $T/sv.save >$T/s1.out 2>&1
r=$?
check domu/save-c "status $r: $(tr '\n' '|' <$T/s1.out)" \
    sh -c "[ $r = 0 ] && grep -q '^Saving to $T/sv.save new xl format (info 0x3/0x0/' $T/s1.out"
size=$(wc -c <$T/sv.save 2>/dev/null)
check domu/save-file "file of '$size' bytes for a 128 MiB guest" \
    sh -c "[ '${size:-0}' -gt 50000000 ] && head -c 27 $T/sv.save | grep -q 'Xen saved domain, xl format'"
check domu/save-c-running "state '$(state sv)' after save -c" \
    wait_for 10 sh -c "mica list sv | awk 'NR == 2 { exit !(\$5 ~ /^[rb-]+\$/ && \$5 !~ /s/) }'"
sleep 3
c1=$(count)
check domu/save-c-counter "counter '$c0' before, '$c1' after" \
    sh -c "[ -n '$c0' ] && [ -n '$c1' ] && [ '$c1' -gt '$c0' ]"
domu_console sv 4 'echo SAVED-$((6*7))\r' >$T/in.out
check domu/save-c-console "no SAVED-42 in: $(tr -d '\r' <$T/in.out | tail -n 3 | tr '\n' '|')" \
    grep -q SAVED-42 $T/in.out
u1=$(uptime_s)
check domu/save-c-uptime "uptime '$u0' before, '$u1' after" \
    sh -c "[ -n '$u0' ] && [ -n '$u1' ] && [ '$u1' -ge '$u0' ]"
bad=$(grep -aE 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' $GLOG/sv.log | head -n 1)
check domu/save-c-log-clean "$bad" [ -z "$bad" ]

# save -p: the same, but left paused; unpaused, it carries on.
rm -f $T/sv.save
mica save -p sv $T/sv.save >$T/s3.out 2>&1
r=$?
check domu/save-p "status $r, state '$(state sv)': $(tr '\n' '|' <$T/s3.out)" \
    sh -c "[ $r = 0 ] && mica list sv | awk 'NR == 2 { exit !(\$5 ~ /p/ && \$5 !~ /s/) }'"
c2=$(count)
sleep 3
c3=$(count)
mica unpause sv
sleep 3
c4=$(count)
check domu/save-p-counter "counter '$c2' paused, '$c3' 3 s later, '$c4' once unpaused" \
    sh -c "[ -n '$c2' ] && [ '$c3' = '$c2' ] && [ -n '$c4' ] && [ '$c4' -gt '$c3' ]"

# Save for good: the domain goes, its memory comes back.
rm -f $T/sv.save
mica save sv $T/sv2.save >$T/s2.out 2>&1
r=$?
check domu/save "status $r: $(tr '\n' '|' <$T/s2.out)" [ $r = 0 ]
check domu/save-gone "sv still listed: $(mica list sv 2>&1 | tail -n 1)" wait_for 30 gone sv
freed() { [ "$(free_mb)" -ge "$f0" ]; }
check domu/save-frames "free memory $f0 MiB before, $(free_mb) after" wait_for 30 freed
mica destroy sv 2>/dev/null
rm -f $T/sv.save $T/sv2.save
exit 0
