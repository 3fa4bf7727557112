# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/53-mica-domu.sh - `mica` running the PV test
# kernel as a domU: create, list, the xenstore layout and its permissions,
# pause/unpause state letters, create -p, a duplicate name refused, the
# monitor's log, on_poweroff=destroy, destroy freeing everything, and
# create/destroy cycles with free memory back to its start each time.
# Prints TEST mica/<name> lines.
#
# on_crash="preserve" is not tried here: the test kernel crashes only when
# a test failed, and its TEST lines reach the serial log the harness reads.
. /tests/lib.sh
CFG=/etc/mica/testkernel.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f /boot/mica-testkernel ] || [ ! -f $CFG ]; then
    skip mica/domu "needs /usr/sbin/mica, /boot/mica-testkernel and $CFG"
    exit 0
fi
# Each boot has 300 s for all of dom0's tests: guests are made under Mica
# only, with every check in the 2-CPU configurations and a short round
# (create, list, destroy) with one CPU.
if ! grep -q mica /sys/hypervisor/version/extra 2>/dev/null; then
    skip mica/domu "guests are created by mica under Mica only (the boot's time budget)"
    exit 0
fi
FULL=0
[ "$(grep -c ^processor /proc/cpuinfo)" -ge 2 ] && FULL=1
T=/tmp/mica-domu
mkdir -p $T
# A hung verb fails its check instead of the whole run.
mica() { timeout 60 /usr/sbin/mica "$@"; }
# The guest sleeps (100 ms at a time) until it is destroyed: blocked, not
# burning the CPUs dom0's tests need.
SPIN='extra="test=multi/wait_guests guests=1 wait=900"'
f0=$(free_mb)
n0=$(mica list | wc -l)

mica create $CFG 'name="mt1"' "$SPIN" >$T/c.out 2>$T/c.err
r=$?
if grep -q 'build failed: .*Function not implemented' $T/c.err; then
    skip mica/domu "libmica's builder is not there yet: $(tail -n 1 $T/c.err)"
    exit 0
fi
check mica/domu-create "status $r: $(cat $T/c.err)" \
    sh -c "[ $r = 0 ] && [ \"\$(cat $T/c.err)\" = 'Parsing config from $CFG' ] && [ ! -s $T/c.out ]"
id=$(mica domid mt1 2>/dev/null)
if [ -z "$id" ]; then
    fail mica/domu-domid "no domain mt1 after create"
    exit 0
fi
mica list >$T/l.out
printf '%-40s %5u ' mt1 "$id" >$T/l.want
check mica/domu-list "$(grep '^mt1 ' $T/l.out)" \
    sh -c "grep -q \"^\$(cat $T/l.want) \{3\}3[23] \{5\}1     [r-][b-]----  [ 0-9]\{6\}\.[0-9]\$\" $T/l.out"
check mica/domu-list-both "$(cat $T/l.out)" sh -c "[ \$(wc -l < $T/l.out) = $((n0 + 1)) ] && grep -q '^Domain-0 ' $T/l.out"
check mica/domu-domname "domname $id: $(mica domname $id 2>&1)" [ "$(mica domname $id 2>&1)" = mt1 ]

# xenstore as libxl leaves it: (n0,rN) home, guest-owned control/shutdown.
check mica/domu-xs-name "name is '$(xenstore-read /local/domain/$id/name 2>&1)'" \
    [ "$(xenstore-read /local/domain/$id/name 2>&1)" = mt1 ]
check mica/domu-xs-home-perms "$(xenstore-ls -p /local/domain/$id 2>&1 | head -n 1)" \
    sh -c "xenstore-ls -p /local/domain | grep -Eq '^ *$id = \"\".*\\(n0,r$id\\)\$'"
check mica/domu-xs-shutdown-perms "$(xenstore-ls -p /local/domain/$id/control 2>&1 | grep shutdown)" \
    sh -c "xenstore-ls -p /local/domain/$id/control | grep -Eq '^ *shutdown = \"\".*\\(n$id\\)\$'"
vm=$(xenstore-read /local/domain/$id/vm 2>/dev/null)
check mica/domu-xs-vm "vm '$vm', name '$(xenstore-read $vm/name 2>&1)'" \
    sh -c "[ \"\$(xenstore-read $vm/name)\" = mt1 ] && [ \"/vm/\$(xenstore-read $vm/uuid)\" = '$vm' ]"
check mica/domu-xs-store "store/port '$(xenstore-read /local/domain/$id/store/port 2>&1)'" \
    sh -c "[ \$(xenstore-read /local/domain/$id/store/port) -gt 0 ] &&
           [ \$(xenstore-read /local/domain/$id/console/ring-ref) -gt 0 ]"
check mica/domu-monitor-log "$(cat /var/log/mica/mica-mt1.log 2>&1)" \
    wait_for 5 grep -q "^Waiting for domain mt1 (domid $id) to die \[pid [0-9]*\]$" /var/log/mica/mica-mt1.log

if [ $FULL = 0 ]; then
    mica destroy mt1 >$T/x.out 2>&1
    r=$?
    check mica/domu-destroy "status $r, $(cat $T/x.out)" sh -c "[ $r = 0 ] && ! mica domid mt1 >/dev/null 2>&1"
    check mica/domu-destroy-memory "free $(free_mb) MiB, $f0 before" [ "$(free_mb)" = "$f0" ]
    exit 0
fi

mica pause mt1 >$T/p.out 2>&1
rp=$? sp=$(state mt1)
mica unpause mt1 >>$T/p.out 2>&1
ru=$? su=$(state mt1)
check mica/domu-pause "pause $rp -> '$sp', unpause $ru -> '$su', $(cat $T/p.out)" \
    sh -c "[ $rp = 0 ] && [ $ru = 0 ] && [ ! -s $T/p.out ] &&
           echo '$sp' | grep -Eq '^[r-][b-]p---$' && echo '$su' | grep -Eq '^[r-][b-]-{4}$'"

mica create $CFG 'name="mt1"' >$T/d.out 2>$T/d.err
r=$?
check mica/domu-duplicate "status $r: $(tail -n 1 $T/d.err)" \
    sh -c "[ $r = 3 ] && tail -n 1 $T/d.err | grep -qx 'mica: Domain with name \"mt1\" already exists.'"

mica create -p $CFG 'name="mt2"' "$SPIN" >/dev/null 2>$T/p2.err
check mica/domu-create-paused "state '$(state mt2)': $(cat $T/p2.err)" [ "$(state mt2)" = "--p---" ]
mica destroy mt2

mica destroy mt1 >$T/x.out 2>&1
r=$?
check mica/domu-destroy "status $r, $(cat $T/x.out)" sh -c "[ $r = 0 ] && [ ! -s $T/x.out ] && ! mica domid mt1 >/dev/null 2>&1"
check mica/domu-destroy-xenstore "left: $(xenstore-ls /local/domain/$id 2>&1 | head -n 2)" \
    sh -c "! xenstore-read /local/domain/$id/name >/dev/null 2>&1 && ! xenstore-read $vm/name >/dev/null 2>&1 &&
           ! xenstore-read /mica/$id/uuid >/dev/null 2>&1"
check mica/domu-destroy-memory "free $(free_mb) MiB, $f0 before" [ "$(free_mb)" = "$f0" ]
check mica/domu-monitor-destroyed "$(tail -n 1 /var/log/mica/mica-mt1.log)" \
    wait_for 5 grep -qx "Domain $id has been destroyed." /var/log/mica/mica-mt1.log

# The guest powers off when its tests pass: the monitor destroys it.
# ("test=," selects no test: the guest's TEST lines would land in this log.)
mica create $CFG 'name="mt3"' 'extra="test=,"' 'on_poweroff="destroy"' >/dev/null 2>&1
id3=$(mica domid mt3 2>/dev/null)
if ! wait_for 60 gone mt3; then
    fail mica/domu-poweroff-destroy "mt3 (domid $id3) still there: $(mica list mt3 2>&1 | tail -n 1)"
    cat /var/log/mica/mica-mt3.log
    ps
else
    pass mica/domu-poweroff-destroy
fi
check mica/domu-poweroff-log "$(cat /var/log/mica/mica-mt3.log 2>&1 | tr '\n' '|')" \
    sh -c "grep -qx 'Action for shutdown reason code 0 is destroy' /var/log/mica/mica-mt3.log &&
           grep -qx 'Done. Exiting now' /var/log/mica/mica-mt3.log"

# Create/destroy cycles: free memory back to its start every time, the RSS
# of micastored and mica-consoled flat from cycle 5 to the end.  10 in a
# test-linux boot (each takes 2-3 s under TCG, and the boot has 300 s for
# every dom0 test); the kernel option mica.cycles=50 runs the full 50.
ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
rss() { [ -f "$1" ] && awk '/^VmRSS:/ { print $2 }' /proc/"$(cat "$1")"/status 2>/dev/null; }
XSPID=/var/run/xenstored.pid CONSPID=/var/run/mica-consoled.pid
N=$(sed -n 's/.*mica\.cycles=\([0-9]*\).*/\1/p' /proc/cmdline)
N=${N:-10}
bad=0 i=0
while [ $i -lt $N ]; do
    t0=$(ms)
    mica create -p $CFG 'name="cyc"' 'memory=16' >/dev/null 2>$T/cyc.err ||
        { bad=$((bad + 1)); cat $T/cyc.err; }
    t1=$(ms)
    mica destroy cyc 2>>$T/cyc.err || bad=$((bad + 1))
    t2=$(ms)
    f=$(free_mb)
    [ "$f" = "$f0" ] || { bad=$((bad + 1)); echo "cycle $i: free $f MiB, $f0 before"; }
    [ $i -lt 2 ] && echo "mica cycle $i: create $((t1 - t0)) ms, destroy $((t2 - t1)) ms, info $(($(ms) - t2)) ms"
    [ $i = 4 ] && xs5=$(rss $XSPID) cons5=$(rss $CONSPID)
    i=$((i + 1))
done
check mica/domu-cycles "$bad failures in $N create/destroy cycles" [ $bad = 0 ]
xs50=$(rss $XSPID) cons50=$(rss $CONSPID)
check mica/domu-cycles-rss "micastored $xs5 -> $xs50 kB, mica-consoled $cons5 -> $cons50 kB" \
    [ "${xs50:-0}" -le "$((${xs5:-0} + 32))" ] && [ "${cons50:-0}" -le "$((${cons5:-0} + 32))" ]
check mica/domu-all-gone "$(mica list | tail -n +2)" [ "$(mica list | wc -l)" = "$n0" ]
