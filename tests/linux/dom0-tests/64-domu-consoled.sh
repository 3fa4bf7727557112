# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/64-domu-consoled.sh - mica-consoled serving a
# real Linux domU: the guest's log and console/tty, the whole history for
# a late client, typed input answered, a flood that harms nobody, and
# everything freed on destroy (create/destroy cycles: 47-consoled-ring).
#
# Needs `mica create` and /etc/mica/debian.cfg; until both are in the
# image it reports one SKIP.
. /tests/lib.sh
domu_selected consoled/domu || exit 0
PIDF=/var/run/mica-consoled.pid
DLOG=/var/log/mica/consoled.log
NAME=consoled-t

alive() { [ -f $PIDF ] && kill -0 "$(cat $PIDF)" 2>/dev/null; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$(cat $PIDF)"/status; }
fds() { ls /proc/"$(cat $PIDF)"/fd | wc -l; }
# attach DOMID SECONDS [KEYS]: the console's output for SECONDS, after
# typing KEYS; then Ctrl-] detaches.
attach() {
    { sleep 1; [ -n "${3:-}" ] && printf '%b' "$3"; sleep "$2"; printf '\035'; } |
        /usr/sbin/mica-console "$1"
}

if [ ! -x /usr/sbin/mica ] || [ ! -f /etc/mica/debian.cfg ] || ! alive; then
    skip consoled/domu "needs /usr/sbin/mica, /etc/mica/debian.cfg and mica-consoled"
    exit 0
fi
rss0=$(rss_kb) fd0=$(fds)

# Whether create works is the 5x-mica tests' verdict; these judge only
# the console daemon, so without a domain they skip.
if ! out=$(mica create /etc/mica/debian.cfg "name=\"$NAME\"" 2>&1); then
    skip consoled/domu "mica create failed: $(echo "$out" | tail -n 1)"
    exit 0
fi
domid=$(mica domid $NAME)
check consoled/domu-log "no MICA-DOMU-READY in $GLOG/$NAME.log after 120 s" \
    wait_for 120 grep -q MICA-DOMU-READY $GLOG/$NAME.log
tty=$(xenstore-read /local/domain/$domid/console/tty 2>/dev/null)
check consoled/domu-tty "console/tty is '$tty'" [ -c "$tty" ]
check consoled/domu-socket "no /run/mica/console/$domid.sock" \
    [ -S /run/mica/console/$domid.sock ]

# A late client sees the kernel's first lines, printed long before.
attach "$domid" 2 >/tmp/cons-late.out
check consoled/domu-history "a late attach lacks 'Linux version'" \
    grep -q 'Linux version' /tmp/cons-late.out

# Typed input reaches the guest's shell and its answer comes back.
attach "$domid" 4 'echo CONS-$((6*7))\r' >/tmp/cons-in.out
check consoled/domu-input "no CONS-42 in the answer" grep -q CONS-42 /tmp/cons-in.out

# A flood of about 1.1 MB: the daemon stays responsive, bounded in memory
# and in log size (it rotates past 1 MiB), and the guest's shell still
# answers afterwards.
rss1=$(rss_kb)
attach "$domid" 1 'yes flood-flood-flood | head -n 50000; echo FLOOD-$((1+1))\r' \
    >/dev/null
t0=$(date +%s)
attach "$domid" 1 >/dev/null
t1=$(date +%s)
check consoled/flood-responsive "a second attach took $((t1 - t0)) s" [ $((t1 - t0)) -le 6 ]
check consoled/flood-done "the flood never ended" \
    wait_for 120 grep -qs FLOOD-2 $GLOG/$NAME.log $GLOG/$NAME.log.1
sz=$(cat $GLOG/$NAME.log $GLOG/$NAME.log.1 2>/dev/null | wc -c)
check consoled/flood-log-bounded "guest logs hold $sz bytes" [ "$sz" -le 2200000 ]
rss2=$(rss_kb)
echo "consoled: RSS ${rss0} kB at start, ${rss1} with a guest, ${rss2} after the flood"
check consoled/flood-rss "RSS ${rss1} -> ${rss2} kB" [ "$rss2" -le $((rss1 + 1024)) ]
attach "$domid" 3 'echo AFTER-$((2*3))\r' >/tmp/cons-after.out
check consoled/flood-after "no AFTER-6 after the flood" grep -q AFTER-6 /tmp/cons-after.out

# Destroy frees the socket, the pty and the rest.
mica destroy $NAME
check consoled/domu-released "socket still there 10 s after destroy" \
    wait_for 10 [ ! -e /run/mica/console/$domid.sock ]
check consoled/domu-released-log "no release line in $DLOG" \
    grep -q "domain $domid: gone, console released" $DLOG
fdl() { [ "$(fds)" -le "$fd0" ]; }
check consoled/domu-freed "daemon fds ${fd0} before the guest, $(fds) after" fdl

check consoled/domu-alive "mica-consoled died: $(tail -n 3 $DLOG)" alive
# The daemon's own account, for whoever reads a failure above.
tail -n 6 $DLOG | sed 's/^/consoled log: /'
