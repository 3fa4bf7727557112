# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/47-consoled-ring.sh - mica-consoled on real
# console pages, before any toolstack boots guests: consoled-testguest
# makes domains that never run but own a console page and port, with
# text "printed" into the page by dom0 through a foreign mapping.  The
# daemon must find each domain, map and drain its ring, log it, replay it
# to a late client, type input into in[] within its free space, drop a
# ring with hostile indices with one line, follow a rename with its log,
# and free everything on destroy over create/destroy cycles.
. /tests/lib.sh
PIDF=/var/run/mica-consoled.pid
DLOG=/var/log/mica/consoled.log
TG=/usr/lib/mica/consoled-testguest

alive() { [ -f $PIDF ] && kill -0 "$(cat $PIDF)" 2>/dev/null; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$(cat $PIDF)"/status; }
fds() { ls /proc/"$(cat $PIDF)"/fd | wc -l; }

if [ ! -x $TG ] || ! alive; then
    skip consoled/ring "needs $TG and a running mica-consoled"
    exit 0
fi
rss0=$(rss_kb) fd0=$(fds)

d=$($TG create ringtest 'RING-HELLO from the page\r\n')
if [ -z "$d" ]; then
    fail consoled/ring-served "consoled-testguest could not make a domain"
    exit 0
fi
check consoled/ring-served "no /run/mica/console/$d.sock after 5 s: $(tail -n 2 $DLOG)" \
    wait_for 5 [ -S /run/mica/console/$d.sock ]
check consoled/ring-log "no RING-HELLO in $GLOG/ringtest.log" \
    wait_for 2 grep -q RING-HELLO $GLOG/ringtest.log
tty=$(xenstore-read /local/domain/$d/console/tty 2>/dev/null)
check consoled/ring-tty "console/tty is '$tty'" [ -c "$tty" ]
# mica rename writes a new name: the log file follows it.
xenstore-write /local/domain/$d/name ringtest-renamed
check consoled/ring-log-renamed "no RING-HELLO in $GLOG/ringtest-renamed.log: $(tail -n 1 $DLOG)" \
    wait_for 5 grep -q RING-HELLO $GLOG/ringtest-renamed.log
check consoled/ring-log-old-name "$GLOG/ringtest.log is still there" [ ! -e $GLOG/ringtest.log ]

# A late client gets the history, and what it types lands in in[].
out=$({ sleep 1; printf 'typed\r'; sleep 1; printf '\035'; } | mica-console "$d")
check consoled/ring-history "a late client got '$out'" \
    eval 'echo "$out" | grep -q RING-HELLO'
peek=$($TG peek "$d")
echo "consoled-testguest peek: $peek"
check consoled/ring-input "in[] holds '$peek'" \
    eval 'echo "$peek" | grep -q "^in 6 .*: typed"'
check consoled/ring-drained "out_cons != out_prod: $peek" \
    eval 'echo "$peek" | grep -q "out_cons \([0-9]*\) out_prod \1:"'

# 3000 more bytes: in[] has 1018 bytes free and the guest never reads,
# so exactly that much is typed and the rest waits.
out=$({ sleep 1; head -c 3000 /dev/zero | tr '\0' k; sleep 1; printf '\035'; } |
      mica-console "$d")
peek=$($TG peek "$d")
check consoled/ring-input-bounded "in[] not exactly full: ${peek%%:*}" \
    eval 'echo "$peek" | grep -q "^in 1024 "'

# A hostile page: dropped with one line, nobody else harmed.
h=$($TG create ringbad 'x' hostile)
check consoled/ring-hostile "no drop line for domain $h" \
    wait_for 5 grep -q "domain $h: console ring indices out of range" $DLOG
check consoled/ring-hostile-no-socket "a socket for hostile domain $h" \
    [ ! -e /run/mica/console/$h.sock ]
check consoled/ring-others-served "domain $d lost its socket" \
    [ -S /run/mica/console/$d.sock ]
$TG destroy "$h"

$TG destroy "$d"
check consoled/ring-release "socket kept 10 s after destroy" \
    wait_for 10 [ ! -e /run/mica/console/$d.sock ]
check consoled/ring-release-log "no release line for domain $d" \
    wait_for 5 grep -q "domain $d: gone, console released" $DLOG

# Create/destroy cycles: descriptors and memory stay flat after the
# first (which grows the heap and stdio buffers once).
i=0 bad=
while [ $i -lt 9 ]; do
    [ $i -eq 1 ] && rss0=$(rss_kb)
    c=$($TG create cycle$i "cycle $i\r\n")
    [ -n "$c" ] || { bad="create $i failed"; break; }
    wait_for 5 [ -S /run/mica/console/$c.sock ] || bad="no socket in cycle $i"
    $TG destroy "$c"
    wait_for 10 [ ! -e /run/mica/console/$c.sock ] || bad="socket kept in cycle $i"
    i=$((i + 1))
done
rss1=$(rss_kb) fd1=$(fds)
echo "consoled: after $i cycles RSS ${rss0} -> ${rss1} kB, fds ${fd0} -> ${fd1}"
ok=0
[ -z "$bad" ] && [ "$rss1" -le $((rss0 + 32)) ] && [ "$fd1" -le "$fd0" ] && ok=1
check consoled/ring-cycles "${bad:-RSS ${rss0} -> ${rss1} kB, fds ${fd0} -> ${fd1}}" [ $ok -eq 1 ]
check consoled/ring-alive "mica-consoled died: $(tail -n 3 $DLOG)" alive
