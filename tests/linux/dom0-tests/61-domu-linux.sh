# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/61-domu-linux.sh - Debian's Linux (the same
# linux-image-amd64 as dom0) as a domU through every part of the control
# plane: `mica create` of /etc/mica/debian.cfg boots it to the shell
# marker of its initramfs (tests/domu/init); a command typed through
# `mica console` is answered; it is not the control domain; `mica list`
# shows both domains in xl's columns; `mica shutdown -w` leaves Linux's
# orderly power-off in /var/log/mica/console/NAME.log; `mica reboot` gives
# a new domid and a second boot; `mica destroy` ends it; with
# on_crash="preserve" a crashed Linux stays in state c until destroyed.
# Prints TEST domu/<name> lines.  The README walk-through itself
# (`mica create -c`, Ctrl-]) is typed from the host: tests/linux/domu-session.
. /tests/lib.sh
domu_selected domu/linux || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/linux "needs /usr/sbin/mica, $CFG and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-linux
mkdir -p $T
f0=$(free_mb)

# Create, and the guest's shell marker in its console log.
mica create $CFG 'name="deb1"' >$T/c.out 2>&1
r=$?
check domu/create "status $r: $(tail -n 1 $T/c.out)" [ $r = 0 ]
id=$(mica domid deb1 2>/dev/null)
if [ -z "$id" ]; then
    fail domu/shell-marker "no domain deb1 after create"
    exit 0
fi
t0=$(cut -d' ' -f1 /proc/uptime)
check domu/shell-marker "no MICA-DOMU-READY in $GLOG/deb1.log after 300 s: $(tail -n 2 $GLOG/deb1.log 2>&1)" \
    wait_for 300 ready deb1
t1=$(cut -d' ' -f1 /proc/uptime)
echo "domu: deb1 (domid $id) reached its shell in $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", b - a }') s"
bad=$(grep -E 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' $GLOG/deb1.log | head -n 1)
check domu/boot-log-clean "$bad" [ -z "$bad" ]
[ -z "$bad" ] || grep -E -B3 -A4 'WARNING:|BUG:|Oops' $GLOG/deb1.log | head -n 12 | sed 's/^/  deb1: /'

# Typed through mica console, answered by the guest's shell.
domu_console deb1 4 'echo DOMU-IN-$((6*7))\r' >$T/in.out
check domu/console-input "no DOMU-IN-42 in: $(tr -d '\r' <$T/in.out | tail -n 3 | tr '\n' '|')" \
    grep -q DOMU-IN-42 $T/in.out
domu_console deb1 4 'echo "CAPS=[$(cat /proc/xen/capabilities)]"\r' >$T/caps.out
caps=$(tr -d '\r' <$T/caps.out | sed -n 's/^CAPS=\[\(.*\)\]$/\1/p' | tail -n 1)
check domu/not-control-d "capabilities '$caps' ($(grep -c CAPS= $T/caps.out) answers)" \
    sh -c "grep -q '^CAPS=\[' $T/caps.out && [ '$caps' != control_d ]"

# xl's columns: Name (padded to 40), ID, Mem, VCPUs, State, Time(s).
mica list >$T/l.out
check domu/list-header "$(head -n 1 $T/l.out)" \
    [ "$(head -n 1 $T/l.out)" = "$(printf 'Name                                        ID   Mem VCPUs\tState\tTime(s)')" ]
check domu/list-both "$(tr '\n' '|' <$T/l.out)" \
    sh -c "grep -Eq '^Domain-0 +0 +[0-9]+ +[0-9]+ +[r-][b-]---- +[0-9]+\.[0-9]\$' $T/l.out &&
           grep -Eq '^deb1 {36} +$id +25[0-9] +1 +[r-][b-]---- +[0-9]+\.[0-9]\$' $T/l.out"

# shutdown -w (as xl, it says "destroyed" instead of "shut down" when the
# monitor's destroy comes first): Linux powers itself off in order:
# busybox's init ends the processes and asks for the power-off, and the
# kernel halts (a PV domU has no power-off driver: "System halted", then
# SCHEDOP_shutdown poweroff, reason code 0).
orderly() {
    grep -q 'Requesting system poweroff' $GLOG/deb1.log &&
        grep -Eq 'reboot: (Power down|System halted)' $GLOG/deb1.log
}
mica shutdown -w deb1 >$T/s.out 2>&1
r=$?
check domu/shutdown-w "status $r: $(tr '\n' '|' <$T/s.out)" \
    sh -c "[ $r = 0 ] && grep -qx 'Shutting down domain $id' $T/s.out &&
           grep -Eqx 'Domain $id has been (shut down, reason code 0|destroyed\.)' $T/s.out"
check domu/shutdown-orderly "no orderly power-off in $GLOG/deb1.log, which ends: $(tail -n 4 $GLOG/deb1.log | tr -d '\r' | tr '\n' '|')" \
    wait_for 10 orderly
check domu/shutdown-gone "deb1 still listed: $(mica list deb1 2>&1 | tail -n 1)" wait_for 30 gone deb1

# reboot: the same name comes back with a new domid and boots again.
mica create $CFG 'name="deb2"' >/dev/null 2>&1
id2=$(mica domid deb2 2>/dev/null)
if [ -n "$id2" ] && wait_for 300 ready deb2; then
    n0=$(grep -c MICA-DOMU-READY $GLOG/deb2.log)
    mica reboot deb2 >$T/r.out 2>&1
    r=$?
    newid() { i=$(mica domid deb2 2>/dev/null) && [ "$i" != "$id2" ]; }
    rebooted() { [ $r = 0 ] && grep -qx "Rebooting domain $id2" $T/r.out && wait_for 60 newid; }
    check domu/reboot "status $r ($(cat $T/r.out)), domid $id2 -> $(mica domid deb2 2>&1)" rebooted
    again() { [ "$(grep -c MICA-DOMU-READY $GLOG/deb2.log 2>/dev/null)" -gt "$n0" ]; }
    check domu/reboot-boots-again "one MICA-DOMU-READY in $GLOG/deb2.log after 300 s" wait_for 300 again
    mica destroy deb2 >$T/d.out 2>&1
    r=$?
    check domu/destroy "status $r: $(cat $T/d.out)" sh -c "[ $r = 0 ] && [ ! -s $T/d.out ]"
    check domu/destroy-gone "deb2 still listed" gone deb2
else
    fail domu/reboot "deb2 (domid '$id2') never reached its shell"
    mica destroy deb2 2>/dev/null
fi

# A kernel panic with on_crash="preserve": state c until destroyed.
mica create $CFG 'name="deb3"' 'on_crash="preserve"' >/dev/null 2>&1
if mica domid deb3 >/dev/null 2>&1 && wait_for 300 ready deb3; then
    domu_console deb3 2 'echo c > /proc/sysrq-trigger\r' >/dev/null
    crashed() { [ "$(state deb3)" = "---sc-" ]; }
    check domu/crash-preserve "state '$(state deb3)'" wait_for 60 crashed
    check domu/crash-log "no 'Kernel panic' in $GLOG/deb3.log" grep -q 'Kernel panic' $GLOG/deb3.log
    mica destroy deb3
    check domu/crash-destroyed "deb3 still listed" gone deb3
else
    fail domu/crash-preserve "deb3 never reached its shell"
    mica destroy deb3 2>/dev/null
fi
check domu/memory-back "free $(free_mb) MiB, $f0 before" wait_for 10 out_is = "$f0" free_mb
