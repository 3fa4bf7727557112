# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/83-domu-migrate.sh - live migration of a Linux
# domU with a vif to the same dom0, over migrate's plain TCP channel
# (`mica migrate --tcp PORT dom 127.0.0.1` to `mica migrate-receive
# --listen 127.0.0.1:PORT`).  The guest keeps a counter in a shell loop
# and answers pings on micabr0 (10.200.0.0/24, dom0 .1).  Bad input
# first: bytes that are not a migration make no domain and one line;
# a receiver killed mid-stream leaves the source running (its counter
# goes on, its console answers).  Then the real migration: the source is
# renamed and destroyed, the copy runs under a new domid as the same
# name, its counter goes on, its console answers, dom0 pings it again,
# and once it is destroyed too every frame is back.  The sender's report
# (rounds, pages per round, total time, downtime) is printed.  Prints
# TEST domu/migrate-<name> lines; alone with mica.tests=domu-migrate.
. /tests/lib.sh
domu_selected domu/migrate || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -x /usr/lib/mica/mica-netback ] || [ ! -f $CFG ] ||
    [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/migrate "needs /usr/sbin/mica, mica-netback, $CFG and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-migrate PORT=8002 BR=micabr0 IP=10.200.0.3
mkdir -p $T
f0=$(free_mb)
ndom() { mica list | wc -l; }
# The counter as the console log shows it: consoled names a log after the
# domain and renames it with the domain, so the received copy's log is
# mg--incoming.log or mg.log, the source's mg.log or mg--migratedaway.log.
count() { tr -d '\r' <"$GLOG/$1.log" 2>/dev/null | sed -n 's/^COUNT=\([0-9][0-9]*\)$/\1/p' | tail -n 1; }
# The highest count in any of mg's logs: mica-consoled renames a log with
# its domain, so which file holds the source's and the copy's lines
# depends on when it saw each rename.
count_moved() {
    cm_max=
    for cm_n in mg mg--incoming mg--migratedaway; do
        cm_c=$(count $cm_n)
        [ -n "$cm_c" ] && [ "$cm_c" -gt "${cm_max:-0}" ] && cm_max=$cm_c
    done
    echo "$cm_max"
}
answers() { domu_console mg 3 "echo $1-\$((6*7))\r" | grep -q "$1-42"; }

domu_boot mg domu/migrate-boot $CFG 'name="mg"' 'memory=128' 'vif=["mac=00:16:3e:00:30:01"]' ||
    exit 0
id=$(mica domid mg)
# migrate's TCP channel runs over dom0's loopback, which /init leaves down
ip link set lo up
ip addr add 10.200.0.1/24 dev $BR 2>/dev/null
ip link set $BR up
u=$(domu_step mg NET-UP 120 "net-test up $IP/24")
check domu/migrate-net-up "$u" sh -c "echo '$u' | grep -q '^NET-UP ok'"
domu_console mg 2 'n=0; while :; do n=$((n+1)); echo COUNT=$n; sleep 1; done &\r' >/dev/null
sleep 2
p=$(ping -q -c 3 -W 5 $IP 2>&1 | grep transmitted)
check domu/migrate-ping-before "$p" sh -c "echo '$p' | grep -q ' 3 packets received'"

# Not a migration stream: one line, exit 1, nothing made.
n0=$(ndom)
head -c 8192 /dev/urandom | mica migrate-receive -e >/dev/null 2>$T/garbage.out
r=$?
check domu/migrate-garbage "status $r, $(ndom) list lines (was $n0): $(tr '\n' '|' <$T/garbage.out)" \
    sh -c "[ $r = 1 ] && grep -q 'not a migration stream: File has wrong magic number' $T/garbage.out &&
           [ $(ndom) = $n0 ] && ! mica domid mg--incoming >/dev/null 2>&1"

# The receiver stopped (SIGTERM) while the pages flow: it destroys what it
# made, and the source carries on.
mica migrate-receive -e --listen 127.0.0.1:$PORT >$T/kill-recv.out 2>&1 &
rpid=$!
mica migrate --tcp $PORT mg 127.0.0.1 >$T/kill-send.out 2>&1 &
spid=$!
flowing() { grep -q 'round 1:' $T/kill-send.out; }
wait_for 120 flowing
kill $rpid
wait $spid
r=$?
wait $rpid
rr=$?
c0=$(count mg)
sleep 3
c1=$(count mg)
check domu/migrate-receiver-killed "status $r/$rr, state '$(state mg)', counter $c0 -> $c1: $(tr '\n' '|' <$T/kill-send.out | tail -c 300) / $(tr '\n' '|' <$T/kill-recv.out | tail -c 200)" \
    sh -c "[ $r = 1 ] && [ $rr = 1 ] && grep -q 'Migration failed, resuming at sender.' $T/kill-send.out &&
           [ '$(mica domid mg)' = $id ] && [ -n '$c1' ] && [ '$c1' -gt '${c0:-0}' ] && [ $(ndom) = $n0 ]"
check domu/migrate-source-answers "no MG-ALIVE-42 on mg's console" answers MG-ALIVE

# The real thing.
fs=$(free_mb)
ping -i 0.2 -w 120 $IP >$T/ping.out 2>&1 &
ppid=$!
mica migrate-receive --listen 127.0.0.1:$PORT >$T/recv.out 2>&1 &
rpid=$!
timeout 600 mica migrate --tcp $PORT mg 127.0.0.1 >$T/send.out 2>&1
r=$?
wait $rpid
rr=$?
c0=$(count_moved)
id2=$(mica domid mg 2>/dev/null)
sed -n 's/^migration\( sender\)*: \(round\|total\|[0-9]* rounds\)/  mg: &/p' $T/send.out
check domu/migrate "status $r/$rr, domid '$id2' (was $id): $(tr '\n' '|' <$T/send.out | tail -c 300) / $(tr '\n' '|' <$T/recv.out | tail -c 200)" \
    sh -c "[ $r = 0 ] && [ $rr = 0 ] && [ -n '$id2' ] && [ '$id2' != $id ] &&
           grep -q 'Migration successful.' $T/send.out &&
           grep -q 'Domain started successsfully.' $T/recv.out"
check domu/migrate-names "$(mica list | tr '\n' '|')" \
    sh -c "! mica list | grep -q -- '--migratedaway\|--incoming' && ! mica list $id >/dev/null 2>&1"
check domu/migrate-report "$(grep '^migration: ' $T/send.out)" \
    grep -Eq '^migration: total time [0-9]+ ms, downtime [0-9]+ ms$' $T/send.out
sleep 3
c1=$(count_moved)
check domu/migrate-counter "counter '$c0' at the move, '$c1' after" \
    sh -c "[ -n '$c0' ] && [ -n '$c1' ] && [ '$c1' -gt '$c0' ]"
check domu/migrate-console "no MIGRATED-42 on mg's console" answers MIGRATED
kill -INT $ppid 2>/dev/null   # busybox ping prints its summary on SIGINT
wait $ppid 2>/dev/null
echo "  mg: ping during the move: $(grep -E 'transmitted' $T/ping.out)"
pinged() { ping -q -c 1 -W 2 $IP >/dev/null 2>&1; }
check domu/migrate-ping-after "no answer from $IP after the move; netback: $(tail -n 2 /var/log/mica/netback.$id2.0.log 2>&1 | tr '\n' '|')" \
    wait_for 60 pinged
# The source's frames: with one copy left, free memory is where it was.
same() { [ "$(free_mb)" -ge "$((fs - 2))" ]; }
check domu/migrate-source-freed "free $(free_mb) MiB after, $fs before the move" wait_for 30 same
bad=$(cat $GLOG/mg.log $GLOG/mg--incoming.log $GLOG/mg--migratedaway.log 2>/dev/null | grep -aE 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' | head -n 1)
check domu/migrate-log-clean "$bad" [ -z "$bad" ]

mica destroy mg
freed() { [ "$(free_mb)" -ge "$f0" ]; }
check domu/migrate-frames "free memory $f0 MiB before, $(free_mb) after" wait_for 30 freed
exit 0
