# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/63-domu-xenstore.sh - micastored serving domUs:
# a Debian Linux domU's kernel writes its nodes over its ring and obeys
# control/shutdown; a guest whose ring turns hostile loses only its own
# connection; destroyed domains are released through VIRQ_DOM_EXC with
# @releaseDomain; create/destroy cycles leave the daemon's memory flat.
#
# Needs `mica create` with /etc/mica/debian.cfg and testkernel.cfg; until
# they are in the image it reports one SKIP.
. /tests/lib.sh
domu_selected xenstore/domu || exit 0
PIDF=/var/run/xenstored.pid
LOG=/var/log/mica/micastored.log
POKE=/usr/lib/mica/xs-ring-poke

alive() { [ -f $PIDF ] && kill -0 "$(cat $PIDF)" 2>/dev/null; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$(cat $PIDF)"/status; }
is() { [ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ]; }
# watch_start FILE PATH: events of PATH into FILE (first line: the initial one).
watch_start() { xenstore-watch "$2" >"$1" 2>&1 & wpid=$!; }
watch_count() { grep -c "^$2" "$1"; }
# gone DOMID: how many times the daemon logged that DOMID's release.
gone() { grep -c "domain $1 is gone" $LOG; }

if [ ! -x /usr/sbin/mica ] || [ ! -f /etc/mica/debian.cfg ] ||
   [ ! -f /etc/mica/testkernel.cfg ] || [ ! -x $POKE ] || ! alive; then
    skip xenstore/domu "needs /usr/sbin/mica, /etc/mica/{debian,testkernel}.cfg, $POKE and micastored"
    exit 0
fi
rss0=$(rss_kb)

# --- a Linux domU on its ring ---------------------------------------------
watch_start /tmp/xs-intro.out @introduceDomain
if ! out=$(mica create /etc/mica/debian.cfg name=\"xs-linux\" 2>&1); then
    fail xenstore/domu-create "mica create: $out"
    kill $wpid
    exit 0
fi
good=$(mica domid xs-linux)
check xenstore/domu-introduce-event "no @introduceDomain after create" \
    wait_for 10 out_is -ge 2 watch_count /tmp/xs-intro.out @introduceDomain
kill $wpid
# Linux's manage.c announces what control/shutdown may ask, over its ring.
check xenstore/domu-kernel-writes "no control/feature-poweroff from domain $good in 120 s" \
    wait_for 120 is /local/domain/$good/control/feature-poweroff 1

# --- a hostile ring: a paused test-kernel domU whose page dom0 corrupts ---
if out=$(mica create -p /etc/mica/testkernel.cfg name=\"xs-bad\" 2>&1); then
    bad=$(mica domid xs-bad)
    mfn=$(xenstore-read /local/domain/$bad/store/ring-ref)
    $POKE "$bad" "$mfn" corrupt
    xenstore-read /local/domain/0/name >/dev/null     # any request wakes the loop
    check xenstore/hostile-ring-dropped "no line for domain $bad in $LOG" \
        wait_for 5 grep -q "domain $bad: ring indices corrupted" $LOG
    check xenstore/hostile-ring-error "error field is '$($POKE "$bad" "$mfn" error)'" \
        [ "$($POKE "$bad" "$mfn" error)" = 2 ]
    n=$(grep -c "domain $bad: ring indices corrupted" $LOG)
    check xenstore/hostile-ring-one-line "$n log lines" [ "$n" -eq 1 ]
else
    fail xenstore/hostile-ring-dropped "mica create -p: $out"
fi
check xenstore/hostile-daemon-alive "micastored died: $(tail -n 2 $LOG)" alive

# The Linux guest is still served: it sees control/shutdown and powers off,
# and its death is seen through VIRQ_DOM_EXC.  Linux's orderly power-off
# signals PID 1, which ignores it while it is still the domU's /init
# script: wait for the marker /init prints just before busybox's init
# takes over, and a moment more.
wait_for 300 grep -q MICA-DOMU-READY /var/log/mica/console/xs-linux.log
sleep 1
watch_start /tmp/xs-rel.out @releaseDomain
sleep 0.3
if out=$(timeout 120 mica shutdown -w xs-linux 2>&1); then
    pass xenstore/domu-shutdown
else
    fail xenstore/domu-shutdown "mica shutdown -w: $out"
    mica destroy xs-linux 2>/dev/null
fi
check xenstore/domu-released "no 'domain $good is gone' in $LOG" \
    wait_for 10 grep -q "domain $good is gone" $LOG
check xenstore/domu-release-event "no @releaseDomain event" \
    wait_for 5 out_is -ge 2 watch_count /tmp/xs-rel.out @releaseDomain
kill $wpid
if [ -n "${bad:-}" ]; then
    mica destroy xs-bad
    check xenstore/hostile-released "no 'domain $bad is gone' in $LOG" \
        wait_for 10 grep -q "domain $bad is gone" $LOG
fi

# --- create/destroy cycles of a paused test kernel: introduce, map, bind,
# then release, unmap, unbind.  After two cycles have warmed the daemon up
# (its domain table, the allocator's pools), ten more leave RSS flat.
i=0 why=
while [ $i -lt 12 ] && [ -z "$why" ]; do
    mica create -p /etc/mica/testkernel.cfg name=\"xs-cycle-$i\" >/dev/null 2>&1 ||
        why="create $i failed"
    d=$(mica domid xs-cycle-$i 2>/dev/null)
    g=$(gone "$d")
    mica destroy xs-cycle-$i 2>/dev/null
    [ -z "$why" ] && ! wait_for 10 out_is -gt "$g" gone "$d" &&
        why="domain $d not released in cycle $i"
    i=$((i + 1))
    [ $i -eq 2 ] && rss1=$(rss_kb)
done
rss2=$(rss_kb)
echo "micastored: RSS $rss0 kB before the domUs, $rss1 kB after 2 cycles, $rss2 kB after 12"
check xenstore/domu-cycles "${why:-RSS $rss1 -> $rss2 kB over 10 cycles}" \
    [ -z "$why" -a "$rss2" -le $((rss1 + 64)) ]
check xenstore/domu-daemon-alive "micastored died: $(tail -n 2 $LOG)" alive
