# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/lib.sh - helpers sourced by the dom0 tests.
# pass, fail, error, skip, check: the harnesses' one reporter (tests/lib/result.sh).
. /tests/result.sh
# wait_for SECONDS COMMAND...
. /tests/wait.sh
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

# cmdline_value KEY DEFAULT: the value of KEY=VALUE on dom0's command
# line (the last one), else DEFAULT.
cmdline_value() {
    cv=$2
    for w in $(cat /proc/cmdline); do
        case $w in "$1"=*) cv=${w#"$1"=} ;; esac
    done
    echo "$cv"
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
# domu_boot NAME TEST CREATE-ARGS...: `mica create CREATE-ARGS` and wait
# up to 300 s for NAME's shell; on failure one "TEST TEST: FAIL" line,
# NAME destroyed, false.  The create's output is in /tmp/NAME.create.
domu_boot() {
    db_name=$1 db_test=$2
    shift 2
    mica create "$@" >/tmp/$db_name.create 2>&1
    db_id=$(mica domid "$db_name" 2>/dev/null)
    if [ -z "$db_id" ] || ! wait_for 300 ready "$db_name"; then
        fail "$db_test" "$db_name (domid '$db_id') never reached its shell: $(tail -n 2 /tmp/$db_name.create | tr '\n' '|')"
        mica destroy "$db_name" 2>/dev/null
        return 1
    fi
}
# domu_step NAME TAG SECONDS COMMAND: type COMMAND into NAME's shell and
# print the first new console line that starts with "TAG " (waiting up to
# SECONDS), without its carriage return.  The guest-side tools of
# tests/domu answer each step with one such line.
domu_step() {
    ds_log=$GLOG/$1.log ds_tag=$2
    ds_n0=$(grep -ac "^$2 " "$ds_log")
    domu_console "$1" 1 "$4\r" >/dev/null
    ds_more() { [ "$(grep -ac "^$ds_tag " "$ds_log")" -gt "$ds_n0" ]; }
    wait_for "$3" ds_more
    grep -a "^$2 " "$ds_log" | tail -n 1 | tr -d '\r'
}
# save_restore NAME FILE: `mica save NAME FILE`, then `mica restore FILE`,
# and the file removed; 0, or 1 with sr_why naming the step and its output.
save_restore() {
    if ! mica save "$1" "$2" >"$2.out" 2>&1; then
        sr_why="save: $(tr '\n' '|' <"$2.out")"
        return 1
    fi
    if ! mica restore "$2" >"$2.out" 2>&1; then
        sr_why="restore: $(tr '\n' '|' <"$2.out")"
        return 1
    fi
    rm -f "$2" "$2.out"
}
# Disks (65-68): blk_step NAME STEP [DEV] runs one step of tests/domu's
# blk-test; blk_backends DOMID counts the mica-blkback serving DOMID.
blk_step() { domu_step "$1" "BLK-$2" 400 "blk-test $(echo "$2" | tr A-Z a-z) ${3:-}"; }
blk_backends() { ps | grep -c '[m]ica-blkback '"$1"' '; }
