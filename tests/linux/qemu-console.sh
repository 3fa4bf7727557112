# SPDX-License-Identifier: MIT
# tests/linux/qemu-console.sh - a QEMU whose serial console is a live
# stream for the script that sources this: every line is stamped with the
# host's clock the moment it is read, and the script can type into it.
# Used by tests/linux/run-dom0.sh and tests/bench/dom0-boot-bench.sh.
#
# qc_start ISO LOG QEMU-ARGS...
#       boot ISO under TCG (no display, no network, no reboot) with the
#       serial port on a FIFO pair; at most $TIMEOUT s (default 300).
#       Sets QC_T0 (host time at start, in µs).  LOG gets the console with
#       CRs stripped, LOG.stamped the same lines as "+SECONDS line".
# qc_line WAIT
#       the next console line in QC_LINE and the host's time in QC_US (µs);
#       status 1 when no line came within WAIT s, 2 when QEMU has exited
#       and its output is drained.
# qc_send TEXT  type TEXT and Enter on the serial line.
# qc_alive      QEMU still runs.
# qc_stop       stop QEMU unless it has exited; QC_RC gets its exit status
#               (124 when $TIMEOUT struck).
# us_to_s US    print a µs count as seconds with two decimals.
# qc_use NAME   make NAME's console the one the functions above work on
#               (first console: NAME 0), so one script can run several
#               QEMUs at once: qc_use A; qc_start ...; qc_use B; qc_start ...
#               (tests/linux/two-hosts.sh).  QC_LINE and QC_US stay shared.
# QC_FATAL      an extended regex of console lines after which a boot
#               cannot recover (a panic, dom0 crashed).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/qemu.sh"

# Console lines after which a boot cannot recover.
QC_FATAL='Kernel panic - not syncing|Hardware Dom0 crashed|Panic on CPU|PANIC:|dom0: not started|crashing domain'

# Each console's own state; the others' is kept in QC_SAVED under NAME.
QC_VARS="QC_PID QC_IN QC_OUT QC_LOG QC_DIR QC_PART QC_T0 QC_RC"
QC_CUR=0
declare -gA QC_SAVED=()

qc_use() {
    local v
    [ "$1" = "$QC_CUR" ] && return 0
    for v in $QC_VARS; do QC_SAVED[$QC_CUR.$v]=${!v-}; done
    for v in $QC_VARS; do printf -v "$v" '%s' "${QC_SAVED[$1.$v]-}"; done
    QC_CUR=$1
}

qc_start() {
    local iso=$1
    QC_LOG=$2
    shift 2
    QC_DIR=$(mktemp -d)
    mkfifo "$QC_DIR/con.in" "$QC_DIR/con.out"
    # Read-write opens never block and never see EOF: QEMU's exit is
    # noticed by its PID instead.
    exec {QC_IN}<>"$QC_DIR/con.in" {QC_OUT}<>"$QC_DIR/con.out"
    : >"$QC_LOG"
    : >"$QC_LOG.stamped"
    QC_PART= QC_RC=
    QC_T0=${EPOCHREALTIME/./}
    qemu_cmd "${TIMEOUT:-300}" "$iso"
    "${QEMU_CMD[@]}" -chardev "pipe,id=con,path=$QC_DIR/con" -serial chardev:con "$@" \
        </dev/null >"$QC_LOG.qemu" 2>&1 &
    QC_PID=$!
}

qc_alive() { kill -0 "$QC_PID" 2>/dev/null; }

# Record LINE as read now.
qc_take() {
    local d
    QC_US=${EPOCHREALTIME/./}
    QC_LINE=${1//$'\r'/}
    d=$((QC_US - QC_T0))
    printf '%s\n' "$QC_LINE" >>"$QC_LOG"
    printf '+%d.%03d %s\n' $((d / 1000000)) $((d % 1000000 / 1000)) "$QC_LINE" >>"$QC_LOG.stamped"
}

# One complete line (a read that times out keeps what it got so far).
qc_read() {
    local chunk
    if IFS= read -r -t "$1" -u "$QC_OUT" chunk; then
        qc_take "$QC_PART$chunk"
        QC_PART=
        return 0
    fi
    QC_PART+=$chunk
    return 1
}

qc_line() {
    qc_read "$1" && return 0
    qc_alive && return 1
    # QEMU has gone: what is left in the FIFO, then an unterminated tail.
    qc_read 0.2 && return 0
    [ -n "$QC_PART" ] || return 2
    qc_take "$QC_PART"
    QC_PART=
}

qc_send() { printf '%s\r' "$1" >&"$QC_IN"; }

qc_stop() {
    qc_alive && kill "$QC_PID" 2>/dev/null
    wait "$QC_PID"
    QC_RC=$?
    exec {QC_IN}>&- {QC_OUT}<&-
    rm -rf "$QC_DIR"
}

us_to_s() {
    local us=$1 sign=
    [ "$us" -lt 0 ] && sign=- us=$((-us))
    printf '%s%d.%02d' "$sign" $((us / 1000000)) $((us % 1000000 / 10000))
}
