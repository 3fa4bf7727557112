# SPDX-License-Identifier: MIT
# tests/lib/result.sh - the one way a test harness reports (sourced by the
# host harnesses under bash, and by dom0's busybox sh).
#
#   pass NAME            TEST NAME: PASS
#   fail NAME WHY [LOG]  TEST NAME: FAIL WHY - Mica did something wrong
#   error NAME WHY [LOG] TEST NAME: ERROR WHY - the test itself broke (no
#                        ISO, no result line, a tool missing), as XTF
#                        tells the two apart
#   skip NAME WHY        TEST NAME: SKIP WHY
#   result_exit          exit non-zero if any fail or error was reported
#   check NAME WHY CMD.. pass NAME if CMD succeeds, else fail NAME WHY
#
# fail and error always mark the run failed: a harness cannot print a
# failure and still exit 0.  With LOG, the last 20 lines of that console
# log follow the line.  RESULT_PREFIX, when set, is put before every NAME.
failed=0

_result() {     # KIND NAME [WHY]
    if [ $# -ge 3 ]; then
        echo "TEST ${RESULT_PREFIX:-}$2: $1 $3"
    else
        echo "TEST ${RESULT_PREFIX:-}$2: $1"
    fi
}

_result_log() {
    [ -n "${1:-}" ] && [ -f "$1" ] || return 0
    echo "---- last 20 console lines of $1"
    tail -n 20 "$1" | sed 's/^/    | /'
    echo "----"
}

pass() { _result PASS "$1"; }
skip() { _result SKIP "$1" "$2"; }
fail() { _result FAIL "$1" "$2"; failed=1; _result_log "${3:-}"; }
error() { _result ERROR "$1" "$2"; failed=1; _result_log "${3:-}"; }
result_exit() { exit "$failed"; }
check() {
    ck_n=$1 ck_why=$2
    shift 2
    if "$@"; then pass "$ck_n"; else fail "$ck_n" "$ck_why"; fi
}
