# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/lib.sh - helpers sourced by the dom0 tests.
pass() { echo "TEST $1: PASS"; }
fail() { echo "TEST $1: FAIL $2"; }
skip() { echo "TEST $1: SKIP $2"; }
# check NAME WHY-IF-FAILED COMMAND...
check() {
    n=$1 why=$2
    shift 2
    if "$@"; then pass "$n"; else fail "$n" "$why"; fi
}
