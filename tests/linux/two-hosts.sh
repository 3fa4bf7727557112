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
#   poweroff-A, -B     `poweroff` ends each QEMU with status 0 and Mica's
#                      "Powering off (status 0)"
#   kernel-log         no WARNING, BUG, Oops or call trace in either dom0
# then one summary line with the times.  Later steps need earlier ones: a
# failed step skips what depends on it.  Consoles are kept in LOGDIR/A.log
# and LOGDIR/B.log (stamped: .stamped).
#
# Env: TIMEOUT (s, each QEMU; default 1800), CPU (max,-smap), MEM (1536),
# SMP (2), PORT (the wire's TCP port on 127.0.0.1; default a free one),
# STEPS (which groups to run: net, bridge, domu; default all three).
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
STEPS=${STEPS:-net bridge domu}
OFF_MARK="Powering off (status 0)"
declare -A IP=([A]=10.99.0.1 [B]=10.99.0.2) MAC=([A]=52:54:00:99:00:01 [B]=52:54:00:99:00:02)
declare -A LIVE=() FATAL_LINE=() READY=()

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

# run M NAME SECS CMD: type CMD on M's dom0 shell; NAME passes when it
# exits 0 within SECS s.  Only the shell's answer has the number in it.
NSTEP=0
run() {
    local m=$1 name=$2 secs=$3 tag
    NSTEP=$((NSTEP + 1))
    tag="STEP$NSTEP-rc="
    type_on "$m" "$4; echo $tag\$?"
    if pump "$secs" "$m" "^$tag[0-9]+"; then
        if [ "${MATCH#"$tag"}" = 0 ]; then pass "$name"; return 0; fi
        fail "$name" "status ${MATCH#"$tag"}: $(tail_out 4)"
        return 1
    fi
    fail "$name" "no answer within $secs s: $(tail_out 4)${FATAL_LINE[$m]:+ (fatal: ${FATAL_LINE[$m]})}"
    return 1
}

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
    sent=$(printf '%s\n' "${OUT[@]}" | grep -o 'NET-XFER bytes 16777216 sum [^ ]*' | head -n 1)
    run B xfer-recv 600 'twohost result 5001' || return 1
    got=$(printf '%s\n' "${OUT[@]}" | grep -o 'NIC-RESULT ok bytes [0-9]* sum [^ ]*' | head -n 1)
    check xfer "sent '${sent:-nothing}', received '${got:-nothing}'" \
        [ -n "$sent" -a "${sent#NET-XFER }" = "${got#NIC-RESULT ok }" ]
}

bridge_steps() {
    run A bridge-A 60 'twohost bridge' && run B bridge-B 60 'twohost bridge' || return 1
    run A ping-bridged 300 "ping -q -A -c 20 -W 5 ${IP[B]} | tee /tmp/ping; grep -q ' 0% packet loss' /tmp/ping"
}

# A Linux domU on A, its vif on A's micabr0, on the same wire as B's dom0.
domu_steps() {
    run A domu-create 300 "mica create /etc/mica/debian.cfg 'name=\"wire\"' 'vif=[\"mac=00:16:3e:99:00:10\"]'" || return 1
    run A domu-boot 900 '. /tests/lib.sh; wait_for 880 ready wire' || return 1
    run A domu-up 120 "domu_step wire NET-UP 100 'net-test up 10.99.0.10/24' | tee /tmp/up; grep -q 'NET-UP ok' /tmp/up" || return 1
    run A domu-ping-B 300 "domu_step wire NET-PING 280 'net-test ping ${IP[B]} 20' | tee /tmp/p; grep -q '20 packets transmitted, 20 packets received' /tmp/p"
    run A domu-destroy 120 'mica destroy wire'
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
fi
for m in A B; do
    if [ -n "${LIVE[$m]:-}" ]; then poweroff "$m"; else fail "poweroff-$m" "QEMU had already gone"; fi
done
bad=$(grep -aE '^\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Call Trace)' "$LOGDIR/A.log" "$LOGDIR/B.log" | head -n 1)
check kernel-log "$bad" [ -z "$bad" ]
echo "two-hosts: both shells after ${T_SHELLS}s, whole run $(( (${EPOCHREALTIME/./} - T0) / 1000000 ))s, wire 127.0.0.1:$PORT (logs $LOGDIR/A.log, B.log)"
result_exit
