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
# The test kernel's test list here obeys no control/shutdown: only Linux
# gets `shutdown -w`.
# With mica.bench.steps=save (`make bench-save`, issue 18) only this runs:
# one Debian Linux with 256 MiB (debian.cfg) up to its shell, then N
# rounds of `save NAME /tmp/FILE` (the suspend handshake, the write and
# the destroy) and `restore /tmp/FILE`, each timed to its return; dom0
# needs 768 MiB there, so that the save file fits in its /tmp.  Each figure is printed as
# "TSB SIDE STEP MICROSECONDS" for the host to take medians; a step that
# went wrong prints "TSB-ERROR SIDE what" and the run goes on.
# With mica.bench.steps=blk (`make bench-blkback`, issue 15) only blk.sh
# runs (/tests/bench-blk.sh): the disk benchmark, the same on both sides.
# mica.bench.n=N on dom0's command line sets N (default 5).
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu
TSB=/usr/bin/tsb
# Each command's output, shown when it failed.
export TSB_OUT=/tmp/tsb.out
N=5 STEPS=toolstack
for w in $(cat /proc/cmdline); do
    case $w in
    mica.bench.n=*) N=${w#mica.bench.n=} ;;
    mica.bench.steps=*) STEPS=${w#mica.bench.steps=} ;;
    esac
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
# getv KEY "k=v k=v": the value of KEY in $v, without a subshell (fewer
# processes; under Xen 4.17 dom0's busybox now and then dies of a bad
# FS base, see README.md).
getv() {
    v=" $2 "
    v=${v#* $1=}
    v=${v%% *}
}
# wait_for SECONDS COMMAND...
. /tests/wait.sh
gone() { ! $T domid "$1" >/dev/null 2>&1; }
printed() { grep -q "$2" "$(clog "$1")" 2>/dev/null; }

# timed STEP CMD...: one TSB line for CMD's wall time; CMD's status.
timed() {
    tstep=$1
    shift
    r=$($TSB run "$@")
    getv rc "$r"
    rc=$v
    getv us "$r"
    if [ "$rc" = 0 ] && [ -n "$v" ]; then
        echo "TSB $side $tstep $v"
    else
        err "$tstep: '$*' status $rc"
    fi
    return "${rc:-1}"
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
    # Where the create's time went (with LIBMICA_TRACE set): mica's
    # builder steps, and the create's start by the clock mica-consoled
    # stamps its log with.
    if [ -n "${LIBMICA_TRACE:-}" ]; then
        echo "TSB-INFO $side $n: $r"
        grep libmica: $TSB_OUT | sed "s/^/TSB-INFO $side /"
    fi
    getv first "$r"
    first=$v
    getv ret "$r"
    ret=$v
    getv rc "$r"
    if [ "$v" != 0 ] || [ -z "$first" ] || [ "$first" = -1 ] || [ -z "$ret" ]; then
        err "$s: create $n: $r"
        return 1
    fi
    echo "TSB $side $s.ret $ret"
    echo "TSB $side $s.first $first"
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

rep() {         # STEP CMD...: N + 2 timings
    ri=0
    while [ $ri -lt $((N + 2)) ]; do
        timed "$@"
        ri=$((ri + 1))
    done
}
lists() {       # STEP: N + 2 invocations of list, then list's output once
    rep "$1" $T list
    $T list 2>&1 | sed "s/^/TSB-INFO $side /"
}

# Save and restore (STEPS=save): N rounds on one Linux guest; a round
# that fails ends them.
save_restore_rounds() {
    f=/tmp/sr.save
    mk linux sr sr.boot || { $T destroy sr >/dev/null 2>&1; return; }
    sleep 2
    i=1
    while [ $i -le $N ]; do
        rm -f $f
        timed sr.save $T save sr $f || break
        wait_for 60 gone sr || { err "sr.save: sr still there"; break; }
        echo "TSB-INFO $side save file $(wc -c <$f) bytes"
        timed sr.restore $T restore $f || break
        rm -f $f
        # Linux finishes its resume (devices, xenstore) before the next.
        sleep 3
        i=$((i + 1))
    done
    rm -f $f
    $T destroy sr >/dev/null 2>&1
}

# For the device benchmarks (blk.sh): the guest's shell, typed into.
kmod=/lib/modules/$(uname -r)/kernel
# type NAME KEYS: KEYS into the guest's console.  Under Xen, into the pty
# xenconsoled gives it (console/tty), as `xl console` would.
type_in() {
    if [ $side = mica ]; then
        { sleep 1; printf '%b' "$2"; sleep 1; printf '\035'; } | $T console "$1" >/dev/null 2>&1
    else
        printf '%b' "$2" >"$(xenstore-read "/local/domain/$($T domid "$1")/console/tty")"
    fi
}
# gstep NAME TAG COMMAND: COMMAND typed into NAME's shell; its new "TAG ..."
# line (blk-test answers each step with one), or "no answer".
gstep() {
    glog=$(clog "$1") gtag=$2
    g0=$(grep -ac "^$2 " "$glog")
    type_in "$1" "$3\\r"
    gmore() { [ "$(grep -ac "^$gtag " "$glog")" -gt "$g0" ]; }
    if wait_for 900 gmore; then grep -a "^$2 " "$glog" | tail -n 1 | tr -d '\r'
    else echo "no answer in 900 s"; fi
}
echo "TSB-BEGIN $side n=$N $(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)$(cat /sys/hypervisor/version/extra)"
if [ "$STEPS" = blk ]; then
    . /tests/bench-blk.sh
    echo "TSB-INFO $side $(cat /proc/loadavg)"
    echo "TSB-END $side"
    exit 0
fi
if [ "$STEPS" = save ]; then
    save_restore_rounds
    echo "TSB-INFO $side $(cat /proc/loadavg)"
    echo "TSB-END $side"
    exit 0
fi
timed list0.cold $T list
lists list0
# Where a verb's time goes: starting a static busybox applet (the floor of
# any command here), the toolstack's own start with nothing to do (`help`:
# exec, and for xl its dynamic linking), and a verb that only asks
# xenstore (domid).
rep exec.true /bin/true
rep exec.help $T help
rep exec.domid $T domid Domain-0

for k in tk linux; do
    if mk "$k" "${k}0" "$k.cold"; then
        end destroy "$k.destroy.cold" "${k}0"
    else
        $T destroy "${k}0" >/dev/null 2>&1
    fi
    i=1
    while [ $i -le $N ]; do
        [ $i = 2 ] && export LIBMICA_TRACE=1
        mk "$k" "$k$i" "$k"
        ok=$?
        unset LIBMICA_TRACE
        if [ $ok = 0 ]; then
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

# After the timings, where the time goes, by strace (the host's, when the
# image has it), for one list, one test-kernel create and its destroy:
# per system call, how many, the time spent in them and the time spent
# before each (in the program, or waiting to be scheduled).  strace slows
# every call, so these are proportions, not figures.  (Without -f: the
# create's monitor child would keep strace waiting.)
slow() {        # NAME CMD...
    sn=$1
    shift
    strace -tt -T -o /tmp/strace.out "$@" >/dev/null 2>&1
    awk '{ split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]
           if (NR == 1) s0 = s
           d = 0
           if (match($0, /<[0-9.]+>$/)) d = substr($0, RSTART + 1, RLENGTH - 2) + 0
           name = $2; sub(/\(.*/, "", name)
           n[name]++; took[name] += d; gap[name] += (NR > 1 ? s - p - pd : 0)
           p = s; pd = d }
         END { printf "%d calls in %.3f s; call, count, s in it, s before it, sum\n", NR, p + pd - s0 > "/tmp/strace.head"
               for (k in n) printf "%-16s %5d %8.3f %8.3f %8.3f\n", k, n[k], took[k], gap[k], took[k] + gap[k] }' \
        /tmp/strace.out | sort -k5 -n -r | head -n 10 >/tmp/strace.sum
    cat /tmp/strace.head /tmp/strace.sum | sed "s/^/TSB-INFO $side strace $sn: /"
}
if command -v strace >/dev/null; then
    slow list $T list
    slow create $T create /etc/mica/testkernel.cfg 'name="tkst"' "$TK_EXTRA"
    wait_for 60 printed tkst "$TK_LAST"
    slow destroy $T destroy tkst
fi
grep -h 'console on port' /var/log/mica/consoled.log 2>/dev/null | sed "s/^/TSB-INFO $side /"
echo "TSB-INFO $side $(cat /proc/loadavg)"
echo "TSB-END $side"
