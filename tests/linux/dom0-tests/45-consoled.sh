# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/45-consoled.sh - mica-consoled in dom0 without a
# domU: it runs, survives xenstore traffic and console nodes of domains
# that do not exist (one log line each, no crash, no growth), and its
# client refuses an unknown domain with one line.
. /tests/lib.sh
PIDF=/var/run/mica-consoled.pid
LOG=/var/log/mica/consoled.log

alive() { [ -f $PIDF ] && kill -0 "$(cat $PIDF)" 2>/dev/null; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$(cat $PIDF)"/status; }
fds() { ls /proc/"$(cat $PIDF)"/fd | wc -l; }

if [ ! -x /usr/sbin/mica-consoled ]; then
    skip consoled/running "no /usr/sbin/mica-consoled in the initramfs"
    exit 0
fi
if ! alive; then
    fail consoled/running "not running after S10mica-consoled: $(tail -n 3 $LOG 2>/dev/null)"
    exit 0
fi
pass consoled/running
check consoled/socket-dir "no /run/mica/console" [ -d /run/mica/console ]

xenstore_events() {
    # A console node for a domain the hypervisor does not have: reported once
    # at the next rescan (every 2 s), and never served.
    rss0=$(rss_kb) fd0=$(fds)
    xenstore-write /local/domain/999/name ghost /local/domain/999/console/ring-ref 12345 \
        /local/domain/999/console/port 7
    sleep 5
    n=$(grep -c 'domain 999: .* the domain does not; ignored' $LOG)
    check consoled/ghost-domain "expected one line about domain 999 in $LOG, got $n" \
        [ "$n" -eq 1 ]
    check consoled/ghost-not-served "a socket for domain 999 exists" \
        [ ! -e /run/mica/console/999.sock ]

    # Garbage in every console node, domain entries coming and going.
    i=0
    while [ $i -lt 40 ]; do
        xenstore-write /local/domain/$((1000 + i % 5))/console/ring-ref "x$i" \
            /local/domain/$((1000 + i % 5))/console/port 4294967296 \
            /local/domain/$((1000 + i % 5))/console/type ioemu
        xenstore-rm /local/domain/$((1000 + (i + 2) % 5)) 2>/dev/null
        i=$((i + 1))
    done
    xenstore-rm /local/domain/999
    i=0
    while [ $i -lt 5 ]; do xenstore-rm /local/domain/$((1000 + i)) 2>/dev/null; i=$((i + 1)); done
    sleep 3
    check consoled/survives-xenstore "died: $(tail -n 3 $LOG)" alive
    rss1=$(rss_kb) fd1=$(fds)
    echo "consoled: RSS ${rss0} -> ${rss1} kB, fds ${fd0} -> ${fd1}"
    ok=0
    [ "$rss1" -le $((rss0 + 64)) ] && [ "$fd1" -le "$fd0" ] && ok=1
    check consoled/no-growth "RSS ${rss0} -> ${rss1} kB, fds ${fd0} -> ${fd1}" [ $ok -eq 1 ]
}

if command -v xenstore-write >/dev/null; then
    xenstore_events
else
    skip consoled/ghost-domain "no xenstore-write in dom0"
fi

# The client for a domain with no console: one line, status 1, in ~5 s.
out=$(/usr/sbin/mica-console 999 </dev/null 2>&1)
rc=$?
ok=0
[ $rc -eq 1 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] &&
    echo "$out" | grep -q 'domain 999 has no console' && ok=1
check consoled/client-unknown "status $rc, said '$out'" [ $ok -eq 1 ]

# A wild option: one line on stderr, status 1, the running daemon untouched.
out=$(/usr/sbin/mica-consoled --backlog lots 2>&1)
rc=$?
ok=0
[ $rc -eq 1 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && ok=1
check consoled/bad-option "status $rc, said '$out'" [ $ok -eq 1 ]
check consoled/still-running "died: $(tail -n 3 $LOG)" alive
