# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/lib.sh - helpers sourced by the dom0 tests.
# pass, fail, error, skip: the harnesses' one reporter (tests/lib/result.sh).
. /tests/result.sh
# check NAME WHY-IF-FAILED COMMAND...
check() {
    n=$1 why=$2
    shift 2
    if "$@"; then pass "$n"; else fail "$n" "$why"; fi
}
# wait_for SECONDS COMMAND...: true as soon as COMMAND is (polled 5 times
# a second).
wait_for() {
    wf_t=$(($1 * 5))
    shift
    while [ $wf_t -gt 0 ]; do
        "$@" && return 0
        sleep 0.2
        wf_t=$((wf_t - 1))
    done
    return 1
}
# domu_selected NAME: the Linux domU tests (NN-domu*.sh) boot guests for
# minutes under TCG, so they run only in `make test-domu` (mica.tests=domu
# on dom0's command line); elsewhere this prints one SKIP for NAME.
domu_selected() {
    case " $(cat /proc/cmdline) " in
    *" mica.tests=domu"*) return 0 ;;
    esac
    skip "$1" "Linux domUs are booted by make test-domu only"
    return 1
}

# Guests made with mica: their console logs (mica-consoled), free memory
# as `mica info` reports it, a domain's state letters, whether a name is
# gone, whether a Linux domU printed its shell marker, and
# domu_console NAME SECONDS [KEYS]: what `mica console` shows for SECONDS
# after KEYS are typed; then Ctrl-] detaches.
GLOG=/var/log/mica/console
free_mb() { mica info | awk '$1 == "free_memory" { print $3 }'; }
state() { mica list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
gone() { ! mica domid "$1" >/dev/null 2>&1; }
ready() { grep -q MICA-DOMU-READY "$GLOG/$1.log" 2>/dev/null; }
domu_console() {
    { sleep 1; [ -n "${3:-}" ] && printf '%b' "$3"; sleep "$2"; printf '\035'; } |
        mica console "$1" 2>&1
}
