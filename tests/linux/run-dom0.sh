#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/linux/run-dom0.sh HV_IMAGE ISO LOG - boot the Debian dom0 kernel
# and initramfs under a Multiboot2 hypervisor (real Xen or Mica) in QEMU,
# with mica.test=1 so that dom0's /init runs the in-guest tests, then talk
# to dom0's shell on the serial console and report the results.
#
# Prints "TEST $PREFIX/<check>: PASS|FAIL why" for
#   boot           dom0's /init printed MICA-DOM0-READY
#   <name>         every TEST line the dom0 tests printed, re-prefixed
#   tests-ran      the dom0 test runner printed its final count
#   date           dom0's `date +%s` is within 2 s of the host's clock at
#                  the moment the line is read
#   sleep          `sleep 5` in dom0 lasts 5 s +-10% of the host's wall time
#   console-input  a command typed on the serial line runs in dom0's shell
#   poweroff       after `poweroff` is typed, QEMU exits on its own with a
#                  status in OK_RC
#   kernel-log     no WARNING, BUG, Oops or call trace in any kernel line of
#                  the whole run (dmesg-clean in dom0 sees only the boot)
#   <step name>    each "expect" step of SESSION (below)
# then one summary line with the measured figures, and exits non-zero if
# any check failed.  The console is kept in LOG, stamped in LOG.stamped.
#
# Env: KERNEL, INITRD (default $BUILD/dom0/vmlinux-dom0, initrd-dom0),
#   HV_CMDLINE (hypervisor command line), HV_NAME (its file name in /boot:
#   mica or xen.gz; GRUB unpacks a gzipped image), DOM0_CMDLINE (kernel
#   command line; mica.test=1 is appended), PREFIX (default linux), TIMEOUT
#   (seconds, default 300), GRACE (seconds from the end of the tests to
#   power-off, default 40; dom0 powers itself off after 25), CPU
#   (max,-smap), MEM (1024), SMP (2), QEMU_EXTRA (more QEMU arguments),
#   OK_RC (QEMU exit statuses meaning "powered off", default "0"), OFF_MARK
#   (a console line the hypervisor prints when it powers off, checked when
#   set), FATAL (extended regex of console lines after which the boot
#   cannot recover; QEMU is stopped 3 s later instead of at the timeout),
#   CLOCK_CHECKS (1: the date and sleep checks, which need 90-clock.sh;
#   0 leaves them out), SESSION (a file of steps typed and awaited on
#   dom0's console once the dom0 tests are done, before console-input and
#   poweroff; one step a line, '#' comments:
#       send TEXT                type TEXT and Enter
#       key BYTES                type BYTES as printf %b reads them (\035
#                                is Ctrl-], which leaves `mica console`)
#       pause SECS               let SECS pass (a shell that has just got
#                                the terminal back may eat what comes)
#       expect NAME SECS REGEX   a console line matching the extended
#                                REGEX within SECS: TEST $PREFIX/NAME
#                                PASS, else FAIL and the session ends).
# ISO is rebuilt only when its inputs or command lines changed, so several
# runs with different QEMU settings share one.
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: run-dom0.sh HV_IMAGE ISO LOG" >&2; exit 2; }
HV=$1 ISO=$2 LOG=$3
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
. "$HERE/qemu-console.sh"
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/dom0/vmlinux-dom0}
INITRD=${INITRD:-$BUILD/dom0/initrd-dom0}
HV_CMDLINE=${HV_CMDLINE:-}
HV_NAME=${HV_NAME:-mica}
DOM0_CMDLINE=${DOM0_CMDLINE:-console=hvc0 earlyprintk=xen}
PREFIX=${PREFIX:-linux}
GRACE=${GRACE:-40}
CPU=${CPU:-max,-smap}
MEM=${MEM:-1024}
SMP=${SMP:-2}
OK_RC=${OK_RC:-0}
OFF_MARK=${OFF_MARK:-}
CLOCK_CHECKS=${CLOCK_CHECKS:-1}
SESSION=${SESSION:-}
FATAL=${FATAL:-$QC_FATAL}
READY=MICA-DOM0-READY
DONE=MICA-DOM0-TESTS-DONE
# Typed into dom0's shell; only the shell's answer contains the number.
INPUT_CMD='echo MICA-IN-$((6*7))'
INPUT_WANT=MICA-IN-42

RESULT_PREFIX=$PREFIX/
. "$TOP/tests/lib/result.sh"
abs() { echo $(($1 < 0 ? -$1 : $1)); }

for f in "$HV" "$KERNEL" "$INITRD" ${SESSION:+"$SESSION"}; do
    [ -f "$f" ] || { error setup "missing $f"; result_exit; }
done
steps=()
[ -n "$SESSION" ] && mapfile -t steps < <(grep -Ev '^[[:space:]]*(#|$)' "$SESSION")
si=0 step_until=

# Carry the SESSION on from step si; $1 = 1 when QC_LINE is a new line.
# An expect step only ever matches a line read after it became current.
session() {
    local kind rest name secs
    while [ "$si" -lt ${#steps[@]} ]; do
        kind=${steps[$si]%% *} rest=
        [[ ${steps[$si]} == *" "* ]] && rest=${steps[$si]#* }
        case $kind in
        send) qc_send "$rest" ;;
        key) printf '%b' "$rest" >&"$QC_IN" ;;
        pause)
            if [ -z "$step_until" ]; then
                step_until=$((now + rest * 1000000))
                return
            fi
            [ "$now" -ge "$step_until" ] || return
            step_until= ;;
        expect)
            name=${rest%% *} rest=${rest#* }
            secs=${rest%% *} rest=${rest#* }
            if [ -z "$step_until" ]; then
                step_until=$((now + secs * 1000000))
                return
            fi
            if [ "$1" = 1 ] && [[ $QC_LINE =~ $rest ]]; then
                pass "$name"
            elif [ "$now" -ge "$step_until" ]; then
                fail "$name" "no console line matching '$rest' within $secs s"
                si=${#steps[@]}
                return
            else
                return
            fi
            step_until= ;;
        *) error session "bad step '${steps[$si]}'"; si=${#steps[@]}; return ;;
        esac
        si=$((si + 1))
        set -- 0
    done
}
mkdir -p "$(dirname "$LOG")" "$(dirname "$ISO")"
args="$HV_NAME|$HV_CMDLINE|$DOM0_CMDLINE mica.test=1"
fresh=1
for f in "$HV" "$KERNEL" "$INITRD" "$TOP/scripts/mkiso.sh"; do
    [ "$ISO" -nt "$f" ] || fresh=0
done
if [ $fresh = 0 ] || [ "$(cat "$ISO.args" 2>/dev/null)" != "$args" ]; then
    rm -f "$ISO.args"
    if ! bash "$TOP/scripts/mkiso.sh" -o "$ISO" -n "$HV_NAME" -c "$HV_CMDLINE" \
            "$HV" --dom0 "$KERNEL" "$DOM0_CMDLINE mica.test=1" "$INITRD"; then
        error iso "mkiso.sh failed"
        result_exit
    fi
    printf '%s\n' "$args" >"$ISO.args"
fi

# shellcheck disable=SC2086
qc_start "$ISO" "$LOG" -cpu "$CPU" -m "$MEM" -smp "$SMP" ${QEMU_EXTRA:-}
ready= clock= begin= end= up0= up1= done_at= typed=0 next_type= input_ok= fatal_at= why_stop=
while :; do
    qc_line 1
    st=$?
    [ $st -eq 2 ] && break
    now=${EPOCHREALTIME/./}
    if [ $st -eq 0 ]; then
        case $QC_LINE in
        *"$READY"*) ready=${ready:-$QC_US} ;;
        *MICA-CLOCK\ [0-9]*)
            s=${QC_LINE##*MICA-CLOCK }
            s=${s%%[!0-9.]*}
            if [[ $s == *.* ]]; then
                clock=$((QC_US - ${s%%.*} * 1000000 - 10#${s#*.}))
            else
                # Whole seconds only: dom0's time was within that second.
                clock=$((QC_US - s * 1000000 - 500000))
            fi ;;
        *MICA-SLEEP-BEGIN*) begin=$QC_US up0=${QC_LINE##* } ;;
        *MICA-SLEEP-END*) end=$QC_US up1=${QC_LINE##* } ;;
        *"$DONE"*) done_at=${done_at:-$QC_US} next_type=$((QC_US + 300000)) ;;
        *"$INPUT_WANT"*)
            if [ $typed -gt 0 ] && [ -z "$input_ok" ]; then
                input_ok=$QC_US
                qc_send poweroff
            fi ;;
        esac
        [ -z "$fatal_at" ] && [[ $QC_LINE =~ $FATAL ]] && fatal_at=$now
    fi
    if [ -n "$done_at" ] && [ "$si" -lt ${#steps[@]} ]; then
        session $((st == 0))
        [ "$si" -ge ${#steps[@]} ] && done_at=$now next_type=$((now + 300000))
    fi
    if [ -n "$fatal_at" ] && [ $((now - fatal_at)) -ge 3000000 ]; then
        why_stop="stopped QEMU 3 s after a fatal console line"
        break
    fi
    # The shell may not be reading yet: type again every 2 s, 8 times
    # (dom0 gives up waiting after 25 s).
    if [ -n "$done_at" ] && [ "$si" -ge ${#steps[@]} ] && [ -z "$input_ok" ] &&
        [ $typed -lt 8 ] && [ "$now" -ge "$next_type" ]; then
        qc_send "$INPUT_CMD"
        typed=$((typed + 1)) next_type=$((now + 2000000))
    fi
    if [ -n "$done_at" ] && [ "$si" -ge ${#steps[@]} ] &&
        [ $((now - done_at)) -ge $((GRACE * 1000000)) ]; then
        why_stop="QEMU still running ${GRACE}s after the tests (stopped it)"
        break
    fi
done
qc_stop
rc=$QC_RC
elapsed=$(( (${EPOCHREALTIME/./} - QC_T0) / 1000000 ))

if [ -n "$ready" ]; then
    pass boot
else
    last=$(grep -aE "$FATAL" "$LOG" | head -n 1)
    fail boot "no $READY on the console${last:+ ($last)} (see $LOG)"
fi
# dom0's lines only: a guest's console_io lines ("(dN) TEST ...") are not
# dom0's tests.
grep -av '^(d[0-9]*) ' "$LOG" | grep -ao 'TEST [^ :]*: \(PASS\|FAIL\|ERROR\|SKIP\).*' |
    sed "s|^TEST |TEST $PREFIX/|"
grep -av '^(d[0-9]*) ' "$LOG" | grep -aqE 'TEST [^ :]*: (FAIL|ERROR)' && failed=1
summary=$(grep -ao 'dom0: [0-9]* passed, [0-9]* failed' "$LOG" | tail -n 1)
check tests-ran "the dom0 tests did not finish (see $LOG)" [ -n "$summary" ]

if [ "$CLOCK_CHECKS" = 0 ]; then
    :
elif [ -z "$clock" ]; then
    fail date "no MICA-CLOCK line from dom0"
else
    check date "dom0's clock is $(us_to_s "$clock") s off the host's" \
        [ "$(abs "$clock")" -le 2000000 ]
fi
if [ "$CLOCK_CHECKS" = 0 ]; then
    :
elif [ -z "$begin" ] || [ -z "$end" ]; then
    fail sleep "no MICA-SLEEP-BEGIN/END pair from dom0"
else
    slept=$((end - begin))
    check sleep "sleep 5 took $(us_to_s $slept) s of wall time" \
        [ $slept -ge 4500000 -a $slept -le 5500000 ]
fi
[ "$si" -ge ${#steps[@]} ] || fail session "stopped at step $((si + 1)) of ${#steps[@]}: ${steps[$si]}"
if [ -n "$input_ok" ]; then
    pass console-input
elif [ -z "$done_at" ]; then
    fail console-input "never reached $DONE"
else
    fail console-input "typed '$INPUT_CMD' $typed times, no $INPUT_WANT came back"
fi

why=
if [ -z "$done_at" ]; then
    why="never reached $DONE"
elif [ -n "$why_stop" ]; then
    why=$why_stop
elif [ "$rc" -eq 124 ]; then
    why="QEMU timed out"
elif ! [[ " $OK_RC " == *" $rc "* ]]; then
    why="QEMU exit status $rc, expected one of: $OK_RC"
elif [ -n "$OFF_MARK" ] && ! grep -aq "$OFF_MARK" "$LOG"; then
    why="no '$OFF_MARK' on the console"
fi
if [ -z "$why" ]; then pass poweroff; else fail poweroff "$why"; fi
bad=$(grep -aE '^\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Call Trace)' "$LOG" | head -n 1)
check kernel-log "$bad" [ -z "$bad" ]

counts=${summary#dom0: }
figures="$READY never"
[ -n "$ready" ] && figures="$READY after $(us_to_s $((ready - QC_T0)))s"
[ -n "$clock" ] && figures+=", clock off by $(us_to_s "$clock")s"
if [ -n "$begin" ] && [ -n "$end" ]; then
    figures+=", sleep 5 took $(us_to_s $((end - begin)))s"
    figures+=" ($(awk -v a="$up0" -v b="$up1" 'BEGIN { printf "%.2f", b - a }')s by dom0's uptime)"
fi
echo "$PREFIX: ${counts:-no result line} in dom0; $figures; QEMU ran ${elapsed}s, status $rc (log $LOG)"
result_exit
