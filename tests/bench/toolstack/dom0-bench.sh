#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/bench/toolstack/dom0-bench.sh - /tests/run.sh of the toolstack
# benchmark's dom0 image (dom0's /init runs it with mica.test=1): the same
# steps with `mica` under Mica and with Debian's `xl` under Xen 4.17, timed
# by tsb (CLOCK_MONOTONIC, no shell between clock and command):
#   list with dom0 alone; then for the test kernel and for Debian's Linux
#   (/etc/mica/testkernel.cfg, /etc/mica/debian.cfg): one cold create (the
#   first after boot, reported apart), then N creates timed to their return
#   and to the first whole line in the guest's console log, each guest
#   destroyed once it has finished printing; `list` with that one domU up;
#   and for Linux N more creates ended by `shutdown -w` once its shell runs
#   (step linux2: under Mica these run with LIBMICA_NO_CACHE=1, so that
#   mica unpacks Debian's xz vmlinuz each time, as xl always does).
# The test kernel has no xenstore client, so it cannot obey a shutdown:
# only Linux gets `shutdown -w`.  Each figure is printed as
# "TSB SIDE STEP MICROSECONDS" for the host to take medians; a step that
# went wrong prints "TSB-ERROR SIDE what" and the run goes on.
# mica.bench.n=N on dom0's command line sets N (default 5).
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu
TSB=/usr/bin/tsb
# Each command's output, shown when it failed.
export TSB_OUT=/tmp/tsb.out
N=5
for w in $(cat /proc/cmdline); do
    case $w in mica.bench.n=*) N=${w#mica.bench.n=} ;; esac
done
if grep -q mica /sys/hypervisor/version/extra 2>/dev/null; then
    side=mica T=/usr/sbin/mica LOGDIR=/var/log/mica/console LOGPRE=
else
    side=xen T=/usr/lib/xen-4.17/bin/xl LOGDIR=/var/log/xen/console LOGPRE=guest-
fi
# The test kernel prints 64 lines into its console ring, then idles
# (wait_guests polls for a guest that never ends, blocked between polls).
TK_EXTRA='extra="test=console/ring_drained,multi/wait_guests guests=1 wait=900"'
TK_LAST='line 64 of 64'
LX_LAST=MICA-DOMU-READY

clog() { echo "$LOGDIR/$LOGPRE$1.log"; }
err() {
    echo "TSB-ERROR $side $*"
    tail -n 3 $TSB_OUT 2>/dev/null | sed "s/^/TSB-ERROR $side   /"
}
# val KEY "k=v k=v": the value of KEY.
val() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# wait_for SECONDS COMMAND...: polled 10 times a second.
wait_for() {
    wf=$(($1 * 10))
    shift
    while [ $wf -gt 0 ]; do
        "$@" && return 0
        sleep 0.1
        wf=$((wf - 1))
    done
    return 1
}
gone() { ! $T domid "$1" >/dev/null 2>&1; }
printed() { grep -q "$2" "$(clog "$1")" 2>/dev/null; }

# timed STEP CMD...: one TSB line for CMD's wall time; CMD's status.
timed() {
    tstep=$1
    shift
    r=$($TSB run "$@")
    rc=$(val rc "$r")
    if [ "$rc" = 0 ]; then
        echo "TSB $side $tstep $(val us "$r")"
    else
        err "$tstep: '$*' status $rc"
    fi
    return "$rc"
}

# mk KIND NAME STEP: create a guest (tk or linux) and time its return and
# first console line as STEP.ret and STEP.first; then wait until it has
# printed all it prints before idling.  Status 1 if any of that failed.
mk() {
    k=$1 n=$2 s=$3 log=$(clog "$2")
    rm -f "$log"
    if [ "$k" = tk ]; then
        r=$($TSB create "$log" 120 $T create /etc/mica/testkernel.cfg "name=\"$n\"" "$TK_EXTRA")
        last=$TK_LAST
    else
        r=$($TSB create "$log" 300 $T create /etc/mica/debian.cfg "name=\"$n\"")
        last=$LX_LAST
    fi
    if [ "$(val rc "$r")" != 0 ] || [ "$(val first "$r")" = -1 ]; then
        err "$s: create $n: $r"
        return 1
    fi
    echo "TSB $side $s.ret $(val ret "$r")"
    echo "TSB $side $s.first $(val first "$r")"
    wait_for 300 printed "$n" "$last" || { err "$s: $n never printed '$last'"; return 1; }
}

# end HOW STEP NAME: destroy or shutdown -w, timed, then wait for it to go.
end() {
    if [ "$1" = destroy ]; then
        timed "$2" $T destroy "$3"
    else
        timed "$2" $T shutdown -w "$3"
    fi
    wait_for 60 gone "$3" || { err "$2: $3 still there"; $T destroy "$3" >/dev/null 2>&1; }
}

lists() {       # STEP: N + 2 invocations of list, then list's output once
    li=0
    while [ $li -lt $((N + 2)) ]; do
        timed "$1" $T list
        li=$((li + 1))
    done
    $T list 2>&1 | sed "s/^/TSB-INFO $side /"
}

echo "TSB-BEGIN $side n=$N $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)$(cat /sys/hypervisor/version/extra)"
timed list0.cold $T list
lists list0

for k in tk linux; do
    if mk "$k" "${k}0" "$k.cold"; then
        end destroy "$k.destroy.cold" "${k}0"
    else
        $T destroy "${k}0" >/dev/null 2>&1
    fi
    i=1
    while [ $i -le $N ]; do
        if mk "$k" "$k$i" "$k"; then
            [ $i = 1 ] && lists "list1.$k"
            end destroy "$k.destroy" "$k$i"
        else
            $T destroy "$k$i" >/dev/null 2>&1
        fi
        i=$((i + 1))
    done
done
[ $side = mica ] && export LIBMICA_NO_CACHE=1
i=1
while [ $i -le $N ]; do
    if mk linux "lsd$i" linux2; then
        end shutdown linux.shutdown "lsd$i"
    else
        $T destroy "lsd$i" >/dev/null 2>&1
    fi
    i=$((i + 1))
done
unset LIBMICA_NO_CACHE
$T list 2>&1 | sed "s/^/TSB-INFO $side /"
echo "TSB-INFO $side $(cat /proc/loadavg)"
echo "TSB-END $side"
