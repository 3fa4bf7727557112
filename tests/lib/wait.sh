# SPDX-License-Identifier: MIT
# tests/lib/wait.sh - waiting for a condition, for every shell harness: on
# the host (sourced from tests/lib/) and in dom0 (installed as
# /tests/wait.sh).  POSIX sh, so busybox ash runs it too.
#
# wait_for SECONDS COMMAND...: true as soon as COMMAND is, polled ten times
# a second; false when SECONDS pass first.  Ten a second keeps a timed
# step's readiness check from adding more than 0.1 s to it.
wait_for() {
    wf_t=$(($1 * 10))
    shift
    while [ $wf_t -gt 0 ]; do
        "$@" && return 0
        sleep 0.1
        wf_t=$((wf_t - 1))
    done
    return 1
}
#
# out_is OP VALUE COMMAND...: true if COMMAND's output compares to VALUE by
# test(1)'s OP.  Give it to wait_for rather than `[ "$(...)" ... ]`, whose
# $(...) the shell expands once, before wait_for ever polls:
#   wait_for 30 out_is = 0 blk_backends "$id"
out_is() {
    oi_op=$1 oi_want=$2
    shift 2
    [ "$("$@")" "$oi_op" "$oi_want" ]
}
