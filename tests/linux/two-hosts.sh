#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/linux/two-hosts.sh ISO LOGDIR - two Mica machines on one wire:
# machine A and machine B each boot ISO (Mica and Debian's Linux as dom0)
# in their own QEMU, joined by QEMU's -netdev socket on 127.0.0.1 only (A
# listens, B connects) through an emulated e1000, which dom0 drives on
# Mica: PCI configuration space, the MMIO BAR mapped into dom0 and the
# card's INTx line as a GSI through a PIRQ.  Once both dom0 shells answer,
# the host types the steps below on both consoles and prints
# "TEST two-hosts/<step>: PASS|FAIL why" for each:
#   shell-A, shell-B   the dom0 shell answers on the console
#   nic-A, nic-B       e1000 loaded, 10.99.0.1/24 on A and .2 on B, link up
#   ping               100 pings A -> B, none lost
#   ping-back          100 pings B -> A, none lost
#   irq                A's e1000 interrupt is a PIRQ on an IO-APIC line
#                      (level, GSI 11 on QEMU's pc) and has fired
#   xfer               16 MiB of TCP A -> B (net-xfer), same checksum at
#                      both ends
#   bridge-A, bridge-B the e1000 in micabr0 with the address on the bridge
#   ping-bridged       A -> B across both bridges
#   domu-*             a Linux domU on A with a vif on micabr0 boots, takes
#                      10.99.0.10/24 and pings B's dom0 20 times, none lost
#   migrate-*          a Linux domU on A (128 MiB, vif on micabr0) counting
#                      on its console and holding a TCP session to B's dom0
#                      is live-migrated to B (mica migrate --tcp to mica
#                      migrate-receive --listen): the counter and the
#                      session go on without a gap, the guest answers on
#                      B, A's free memory is back where it was (SKIP when
#                      dom0's mica has no migrate --tcp)
#   poweroff-A, -B     `poweroff` ends each QEMU with status 0 and Mica's
#                      "Powering off (status 0)"
#   frames-A, -B       Mica's count at power-off: 0 frames leaked
#   kernel-log         no WARNING, BUG, Oops or call trace in either dom0
# then one summary line with the times.  Later steps need earlier ones: a
# failed step skips what depends on it.  Consoles are kept in LOGDIR/A.log
# and LOGDIR/B.log (stamped: .stamped).
#
# Env: TIMEOUT (s, each QEMU; default 1800), CPU (max,-smap), MEM (1536),
# SMP (2), PORT (the wire's TCP port on 127.0.0.1; default a free one),
# STEPS (which groups to run, in this order: net, bridge, domu, migrate;
# default all; bridge and later need net, domu and migrate need bridge).
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: two-hosts.sh ISO LOGDIR" >&2; exit 2; }
ISO=$1 LOGDIR=$2
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$HERE/qemu-console.sh"
RESULT_PREFIX=two-hosts/
. "$TOP/tests/lib/result.sh"
. "$TOP/tests/lib/wait.sh"
TIMEOUT=${TIMEOUT:-1800}
CPU=${CPU:-max,-smap}
MEM=${MEM:-1536}
SMP=${SMP:-2}
STEPS=${STEPS:-net bridge domu migrate}
OFF_MARK="Powering off (status 0)"
declare -A IP=([A]=10.99.0.1 [B]=10.99.0.2) MAC=([A]=52:54:00:99:00:01 [B]=52:54:00:99:00:02)
declare -A LIVE=() FATAL_LINE=() READY=()
MIG_REPORT=

[ -f "$ISO" ] || { error setup "missing $ISO"; result_exit; }
mkdir -p "$LOGDIR"
if [ -z "${PORT:-}" ]; then
    # A port nothing on this host listens on; A's QEMU takes it at once.
    for PORT in $(shuf -i 20000-60000 -n 20); do
        ss -ltn 2>/dev/null | grep -q ":$PORT " || break
    done
fi

# boot M NIC: start machine M's QEMU with its e1000 on the socket NIC.
boot() {
    qc_use "$1"
    QEMU_NIC="socket,$2,model=e1000,mac=${MAC[$1]}" qc_start "$ISO" "$LOGDIR/$1.log" \
        -cpu "$CPU" -m "$MEM" -smp "$SMP"
    LIVE[$1]=1
}

# pump SECS [M REGEX]: read both consoles for up to SECS s, logging every
# line; with M and REGEX, return 0 at the first line of M matching REGEX
# (in MATCH).  Returns 1 at the timeout, 2 when a machine waited on is gone
# or either has printed a fatal line.  OUT collects M's lines meanwhile.
pump() {
    local until=$((${EPOCHREALTIME/./} + $1 * 1000000)) m st
    OUT=() MATCH=
    while [ "${EPOCHREALTIME/./}" -lt "$until" ]; do
        for m in A B; do
            [ -n "${LIVE[$m]:-}" ] || continue
            qc_use "$m"
            qc_line 0.05
            st=$?
            if [ $st -eq 2 ]; then
                LIVE[$m]=
                [ "${2:-}" = "$m" ] && return 2
                continue
            fi
            [ $st -eq 0 ] || continue
            [[ $QC_LINE =~ $QC_FATAL ]] && FATAL_LINE[$m]=${FATAL_LINE[$m]:-$QC_LINE}
            [[ $QC_LINE == *MICA-DOM0-READY* ]] && READY[$m]=1
            [ "${2:-}" = "$m" ] || continue
            OUT+=("$QC_LINE")
            [[ $QC_LINE =~ $3 ]] && { MATCH=$QC_LINE; return 0; }
        done
        [ -n "${FATAL_LINE[A]:-}${FATAL_LINE[B]:-}" ] && [ -n "${2:-}" ] && return 2
    done
    return 1
}

type_on() { qc_use "$1"; qc_send "$2"; }

# The last lines of M's step, for a FAIL line.
tail_out() { printf '%s|' "${OUT[@]: -${1:-3}}" | tr -d '\r'; }

# ask M SECS CMD: type CMD on M's dom0 shell and wait up to SECS s for
# its exit status, in RC (empty when none came).  Only the shell's answer
# has a number after the tag; OUT holds what M printed meanwhile.
NSTEP=0
ask() {
    local tag
    NSTEP=$((NSTEP + 1))
    tag="STEP$NSTEP-rc="
    RC=
    type_on "$1" "$3; echo $tag\$?"
    pump "$2" "$1" "^$tag[0-9]+" && RC=${MATCH#"$tag"}
    [ "$RC" = 0 ]
}

# run M NAME SECS CMD: NAME passes when CMD exits 0 on M within SECS s.
run() {
    ask "$1" "$3" "$4" && { pass "$2"; return 0; }
    if [ -n "$RC" ]; then
        fail "$2" "status $RC: $(tail_out 4)"
    else
        fail "$2" "no answer within $3 s: $(tail_out 4)${FATAL_LINE[$1]:+ (fatal: ${FATAL_LINE[$1]})}"
    fi
    return 1
}

# The first match of the extended REGEX in OUT.
out_get() { printf '%s\n' "${OUT[@]}" | tr -d '\r' | grep -Eo "$1" | head -n 1; }

# shell M: dom0's /init said it is ready and its shell answers.
shell() {
    local i
    [ -n "${READY[$1]:-}" ] || pump "$TIMEOUT" "$1" MICA-DOM0-READY ||
        { fail "shell-$1" "no MICA-DOM0-READY: $(tail_out 3)"; return 1; }
    # The shell may not read yet: ask every 2 s.
    for i in $(seq 15); do
        type_on "$1" 'echo MICA-IN-$((6*7))'
        pump 2 "$1" MICA-IN-42 && { pass "shell-$1"; return 0; }
    done
    fail "shell-$1" "no answer to a typed command"
    return 1
}

# The NIC steps: addresses, pings both ways, the interrupt, 16 MiB of TCP.
net_steps() {
    run A nic-A 120 "twohost up ${IP[A]}/24" && run B nic-B 120 "twohost up ${IP[B]}/24" || return 1
    run A ping 300 "ping -q -A -c 100 -W 5 ${IP[B]} | tee /tmp/ping; grep -q ' 0% packet loss' /tmp/ping" || return 1
    run B ping-back 300 "ping -q -A -c 100 -W 5 ${IP[A]} | tee /tmp/ping; grep -q ' 0% packet loss' /tmp/ping"
    run A irq 30 'twohost irq'
    run B xfer-listen 60 'twohost recv 5001' || return 1
    run A xfer-send 600 "net-xfer send ${IP[B]} 5001 16" || return 1
    local sent got
    sent=$(out_get 'NET-XFER bytes 16777216 sum [^ ]*')
    run B xfer-recv 600 'twohost result 5001' || return 1
    got=$(out_get 'TWOHOST-RESULT ok bytes [0-9]* sum [^ ]*')
    check xfer "sent '${sent:-nothing}', received '${got:-nothing}'" \
        [ -n "$sent" -a "${sent#NET-XFER }" = "${got#TWOHOST-RESULT ok }" ]
}

bridge_steps() {
    run A bridge-A 60 'twohost bridge' && run B bridge-B 60 'twohost bridge' || return 1
    run A ping-bridged 300 "ping -q -A -c 20 -W 5 ${IP[B]} | tee /tmp/ping; grep -q ' 0% packet loss' /tmp/ping"
}

# A Linux domU on A, its vif on A's micabr0, on the same wire as B's dom0.
domu_steps() {
    run A domu-create 300 "mica create /etc/mica/debian.cfg 'name=\"wire\"' 'vif=[\"mac=00:16:3e:99:00:10\"]'" || return 1
    run A domu-boot 900 '. /tests/lib.sh; twohost wait 880 ready wire' || return 1
    run A domu-up 120 "domu_step wire NET-UP 100 'net-test up 10.99.0.10/24' | tee /tmp/up; grep -q 'NET-UP ok' /tmp/up" || return 1
    run A domu-ping-B 300 "domu_step wire NET-PING 280 'net-test ping ${IP[B]} 20' | tee /tmp/p; grep -q '20 packets transmitted, 20 packets received' /tmp/p"
    run A domu-destroy 120 'mica destroy wire'
}

# Live migration A -> B of a Linux domU (mica migrate --tcp to B's mica
# migrate-receive --listen) that counts on its console and holds a TCP
# session to B's dom0: both go on without a gap, and A gets back every
# frame (free memory as before the domU was made; the exact count is
# Mica's own at power-off, frames-A).
MPORT=8002 SPORT=6000 GUEST=mover GIP=10.99.0.10
# continues LAST FIRST NOW: numbers that went on from LAST: FIRST at most
# LAST + 1 (no gap) and NOW past LAST.
continues() {
    [ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ "$2" -le $(($1 + 1)) ] && [ "$3" -gt "$1" ]
}
migrate_steps() {
    if ! ask A 30 'mica migrate --help 2>&1 | grep -q -- --tcp'; then
        skip migrate "no mica migrate with --tcp in this dom0"
        return 0
    fi
    run A migrate-free-before 30 '. /tests/lib.sh; F0=$(free_mb); echo FREE0=$F0' || return 1
    local c_a
    run A migrate-create 300 "mica create /etc/mica/debian.cfg 'name=\"$GUEST\"' 'memory=128' 'vif=[\"mac=00:16:3e:99:00:11\"]'" || return 1
    run A migrate-boot 900 "twohost wait 880 ready $GUEST" || return 1
    run A migrate-guest-up 120 "domu_step $GUEST NET-UP 100 'net-test up $GIP/24' | grep 'NET-UP ok'" || return 1
    run B migrate-session-listen 30 ". /tests/lib.sh; sleep 100000 | nc -l -p $SPORT >/tmp/sess & sleep 1; netstat -ltn | grep -q :$SPORT" || return 1
    run A migrate-guest-count 60 "twohost count $GUEST" || return 1
    run A migrate-guest-session 60 "twohost session $GUEST ${IP[B]} $SPORT" || return 1
    if ! run B migrate-session-before 150 "twohost wait 120 grep -q TICK=3 /tmp/sess"; then
        # For the log: what the guest's console and B's sockets show.
        ask A 30 "grep -av COUNT= /var/log/mica/console/$GUEST.log | tail -n 15"
        ask B 30 "netstat -tn; ls -l /tmp/sess"
        return 1
    fi
    run B migrate-listen 30 "mica migrate-receive --listen ${IP[B]}:$MPORT >/tmp/recv.out 2>&1 & twohost wait 30 sh -c 'netstat -ltn | grep -q :$MPORT'" || return 1
    run A migrate 900 "mica migrate --tcp $MPORT $GUEST ${IP[B]} >/tmp/send.out 2>&1; r=\$?; cat /tmp/send.out; [ \$r = 0 ]"
    local ok=$?
    [ $ok = 0 ] || ask B 30 'cat /tmp/recv.out'
    MIG_REPORT=$(out_get '^migration: total time [0-9]+ ms, downtime [0-9]+ ms')
    echo "  migrate: $(printf '%s\n' "${OUT[@]}" | tr -d '\r' | grep -E '^migration( sender)?: ' | tr '\n' ';')"
    [ $ok = 0 ] || return 1
    run B migrate-received 120 "twohost wait 100 grep -q 'Domain started' /tmp/recv.out; cat /tmp/recv.out; mica list $GUEST" || return 1
    run A migrate-source-gone 60 "twohost wait 50 gone $GUEST; ! mica list | grep -q $GUEST" || return 1
    run A migrate-source-freed 60 "twohost wait 50 out_is -ge \$F0 free_mb; echo FREE \$F0 MiB before, \$(free_mb) after" || return 1
    ask A 30 "twohost seq COUNT $GUEST $GUEST--migratedaway"
    c_a=$(out_get 'TWOHOST-SEQ ok first [0-9]+ last [0-9]+') c_a=${c_a##* }
    run B migrate-counter 60 "sleep 3; twohost seq COUNT $GUEST--incoming $GUEST | grep -E 'ok first [0-9]+ last'" || return 1
    local seq_b first_b last_b
    seq_b=$(out_get 'TWOHOST-SEQ ok first [0-9]+ last [0-9]+')
    first_b=$(echo "$seq_b" | awk '{ print $4 }') last_b=${seq_b##* }
    check migrate-counter-continues "COUNT on A up to '${c_a:-none}', on B from '$first_b' to '$last_b'" \
        continues "$c_a" "$first_b" "$last_b"
    # The session: B's listener still takes TICKs, none missing, after the
    # move.  Its input is a pipe that never speaks: busybox nc reading the
    # console from the background would be stopped (SIGTTIN), and one whose
    # input ends shuts its half down, which ends the guest's nc.
    local t1 t2
    ask B 30 'twohost seq TICK /tmp/sess'
    t1=$(out_get 'TWOHOST-SEQ ok first [0-9]+ last [0-9]+') t1=${t1##* }
    pump 4
    ask B 30 'twohost seq TICK /tmp/sess'
    t2=$(out_get 'TWOHOST-SEQ ok first [0-9]+ last [0-9]+') t2=${t2##* }
    check migrate-session "TICKs on B's end of the session: ${t1:-$(tail_out 1)}, 4 s later ${t2:-$(tail_out 1)}" \
        continues "$t1" "$t1" "$t2"
    run B migrate-guest-answers 60 ". /tests/lib.sh; domu_console $GUEST 3 'echo MOVED-\$((6*7))\r' | grep -q MOVED-42"
    run B migrate-destroy 120 "mica destroy $GUEST"
}

# poweroff M: the QEMU exits by itself, with status 0 and Mica's line.
poweroff() {
    type_on "$1" poweroff
    # Until that QEMU is gone: the pattern can match no line.
    pump 300 "$1" '^$-never' && true
    qc_use "$1"
    qc_stop
    local rc=$QC_RC
    LIVE[$1]=
    if [ "$rc" = 0 ] && grep -aq "$OFF_MARK" "$LOGDIR/$1.log"; then
        pass "poweroff-$1"
    else
        fail "poweroff-$1" "QEMU status $rc$(grep -aq "$OFF_MARK" "$LOGDIR/$1.log" || echo ", no '$OFF_MARK'")"
    fi
    # Mica counts every frame back when dom0 is gone.
    local torn
    torn=$(grep -a 'dom0 torn down: ' "$LOGDIR/$1.log" | tail -n 1)
    check "frames-$1" "${torn:-no 'dom0 torn down' line}" \
        sh -c "echo '$torn' | grep -q ': 0 leaked'"
}

T0=${EPOCHREALTIME/./}
boot A "listen=127.0.0.1:$PORT"
# B connects only once A's QEMU listens.
listening() { ss -ltn 2>/dev/null | grep -q "127.0.0.1:$PORT "; }
if ! wait_for 30 listening; then
    error wire "A's QEMU does not listen on 127.0.0.1:$PORT (see $LOGDIR/A.log.qemu)"
    qc_use A
    qc_stop
    result_exit
fi
boot B "connect=127.0.0.1:$PORT"
ok=1
shell A || ok=0
shell B || ok=0
T_SHELLS=$(( (${EPOCHREALTIME/./} - T0) / 1000000 ))
if [ $ok = 1 ]; then
    case " $STEPS " in *" net "*) net_steps || ok=0 ;; esac
    case " $STEPS " in *" bridge "*) [ $ok = 1 ] && { bridge_steps || ok=0; } ;; esac
    case " $STEPS " in *" domu "*) [ $ok = 1 ] && { domu_steps || ok=0; } ;; esac
    case " $STEPS " in *" migrate "*) [ $ok = 1 ] && { migrate_steps || ok=0; } ;; esac
fi
# What a failed step left running would count as leaked at power-off.
for m in A B; do
    [ -n "${LIVE[$m]:-}" ] && ask "$m" 120 'for d in $(mica list | awk '"'"'NR > 2 { print $1 }'"'"'); do mica destroy $d; done'
done
for m in A B; do
    if [ -n "${LIVE[$m]:-}" ]; then poweroff "$m"; else fail "poweroff-$m" "QEMU had already gone"; fi
done
bad=$(grep -aE '^\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Call Trace)' "$LOGDIR/A.log" "$LOGDIR/B.log" | head -n 1)
check kernel-log "$bad" [ -z "$bad" ]
echo "two-hosts: both shells after ${T_SHELLS}s,${MIG_REPORT:+ ${MIG_REPORT#migration: } (migrate),} whole run $(( (${EPOCHREALTIME/./} - T0) / 1000000 ))s, wire 127.0.0.1:$PORT (logs $LOGDIR/A.log, B.log)"
result_exit
