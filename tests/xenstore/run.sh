#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/xenstore/run.sh DAEMON HELPER_DIR - integration tests of micastored:
# Debian's unchanged xenstore clients and test-xenstore against a daemon on
# a temporary socket, plus our own helpers (concurrency, ring transport,
# robustness). Prints one "TEST xenstore/<name>: PASS|FAIL|SKIP" per check
# and exits non-zero if any check failed.
set -u
daemon=$(readlink -f "$1")
helpers=$(readlink -f "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/micaxs.XXXXXX")
daemon_pid=
RESULT_PREFIX=xenstore/
. "$(dirname "$0")/../lib/result.sh"

cleanup() {
    stop_daemon
    rm -rf "$tmp"
}
trap cleanup EXIT

# Debian 12 installs the clients as real binaries in /usr/bin (only
# xenstore-control there is the hypervisor-probing wrapper), other
# releases under /usr/lib/xen-<ver>/bin: take a real binary, never a link.
find_tool() {
    local d
    for d in /usr/lib/xen-4.17/bin /usr/bin; do
        if [ -x "$d/$1" ] && [ ! -L "$d/$1" ]; then
            echo "$d/$1"
            return 0
        fi
    done
    return 1
}

# start_daemon [extra options...]: waits (bounded) for the socket.
start_daemon() {
    local i
    rm -f "$tmp/sock"
    "$daemon" -F -s "$tmp/sock" -l "$tmp/daemon.log" "$@" &
    daemon_pid=$!
    for i in $(seq 100); do
        [ -S "$tmp/sock" ] && return 0
        sleep 0.05
    done
    return 1
}

stop_daemon() {
    local i
    [ -n "$daemon_pid" ] || return 0
    kill -TERM "$daemon_pid" 2>/dev/null
    for i in $(seq 100); do
        kill -0 "$daemon_pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$daemon_pid" 2>/dev/null
    wait "$daemon_pid" 2>/dev/null
    daemon_pid=
}

export XENSTORED_PATH=$tmp/sock
T=10    # seconds any single client may take

# --- command line ---------------------------------------------------------
if "$daemon" --help | grep -q -- '--foreground'; then
    pass cli-help
else
    fail cli-help "--help does not describe --foreground"
fi
if "$daemon" --no-such-option >/dev/null 2>"$tmp/err"; then
    fail cli-bad-option "exit status 0 on an unknown option"
elif [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    fail cli-bad-option "error message is not one line"
else
    pass cli-bad-option
fi
# The host build has no hypervisor backend: --xen must fail, and say why.
if timeout 5 "$daemon" -F --xen -s "$tmp/xsock" >/dev/null 2>"$tmp/err"; then
    fail cli-xen-absent "exit status 0 with --xen and no hypervisor backend"
elif ! grep -q "hypervisor" "$tmp/err"; then
    fail cli-xen-absent "no reason given: $(head -n 1 "$tmp/err")"
else
    pass cli-xen-absent
fi
rm -f "$tmp/xsock"
if "$daemon" -F --quota nodes=abc >/dev/null 2>&1; then
    fail cli-bad-quota "exit status 0 on a bad quota"
else
    pass cli-bad-quota
fi

if ! start_daemon; then
    fail daemon-start "no socket after 5 s"
    exit 1
fi

# --- Debian's xenstore-utils ---------------------------------------------
xs_read=$(find_tool xenstore-read) xs_write=$(find_tool xenstore-write)
xs_ls=$(find_tool xenstore-ls) xs_rm=$(find_tool xenstore-rm)
xs_chmod=$(find_tool xenstore-chmod) xs_watch=$(find_tool xenstore-watch)
xs_exists=$(find_tool xenstore-exists) xs_list=$(find_tool xenstore-list)

if [ -z "$xs_read" ] || [ -z "$xs_write" ] || [ -z "$xs_ls" ] ||
   [ -z "$xs_rm" ] || [ -z "$xs_chmod" ] || [ -z "$xs_watch" ] ||
   [ -z "$xs_exists" ] || [ -z "$xs_list" ]; then
    for t in write-read ls exists list chmod rm watch relative; do
        skip "utils-$t" "xenstore-utils not installed (make deps)"
    done
else
    if timeout $T "$xs_write" /local/domain/0/name Domain-0 /t/a hello &&
       [ "$(timeout $T "$xs_read" /local/domain/0/name /t/a)" = \
         "$(printf 'Domain-0\nhello')" ]; then
        pass utils-write-read
    else
        fail utils-write-read "values did not read back"
    fi

    out=$(timeout $T "$xs_ls" -f /t)
    if [ "$out" = '/t/a = "hello"' ]; then
        pass utils-ls
    else
        fail utils-ls "unexpected listing: $out"
    fi

    if timeout $T "$xs_exists" /t/a && ! timeout $T "$xs_exists" /t/nope; then
        pass utils-exists
    else
        fail utils-exists "wrong exit status"
    fi

    timeout $T "$xs_write" /t/b 1 /t/c 2
    out=$(timeout $T "$xs_list" /t | tr '\n' ' ')
    if [ "$out" = "a b c " ]; then
        pass utils-list
    else
        fail utils-list "got '$out'"
    fi

    if timeout $T "$xs_chmod" /t/a n0 r5 b7 &&
       timeout $T "$xs_ls" -p /t | grep -q '(n0,r5,b7)'; then
        pass utils-chmod
    else
        fail utils-chmod "permissions not applied"
    fi

    timeout 10 "$xs_watch" -n 3 /t >"$tmp/watch.out" 2>&1 &
    wpid=$!
    # The initial event shows the watch is registered.
    for i in $(seq 100); do
        [ -s "$tmp/watch.out" ] && break
        sleep 0.05
    done
    timeout $T "$xs_write" /t/b x /t/c/d y
    wait $wpid
    if [ "$(tr '\n' ' ' <"$tmp/watch.out")" = "/t /t/b /t/c/d " ]; then
        pass utils-watch
    else
        fail utils-watch "events: $(tr '\n' ' ' <"$tmp/watch.out")"
    fi

    if timeout $T "$xs_rm" /t && ! timeout $T "$xs_read" /t/a 2>/dev/null &&
       ! timeout $T "$xs_exists" /t; then
        pass utils-rm
    else
        fail utils-rm "node survived"
    fi

    if timeout $T "$xs_write" rel/x 42 &&
       [ "$(timeout $T "$xs_read" /local/domain/0/rel/x)" = 42 ]; then
        pass utils-relative
    else
        fail utils-relative "relative path not under /local/domain/0"
    fi
fi

xs_control=$(find_tool xenstore-control)
if [ -z "$xs_control" ]; then
    skip utils-control "xenstore-control not installed"
elif timeout $T "$xs_control" check | grep -q OK &&
     timeout $T "$xs_control" quota | grep -q '^nodes  *1000'; then
    pass utils-control
else
    fail utils-control "check/quota answers wrong"
fi

# --- Debian's test-xenstore, one line per subtest --------------------------
txs=/usr/lib/xen-4.17/bin/test-xenstore
if [ ! -x "$txs" ]; then
    skip test-xenstore "xen-utils-4.17 not installed (make deps)"
else
    n=0
    while IFS= read -r line; do
        name=${line%%:*}
        name=$(echo "$name" | sed 's/ *$//')
        id=$(echo "$name" | tr ' ' '-')
        n=$((n + 1))
        if timeout 30 "$txs" -t "$name" >"$tmp/txs.out" 2>&1; then
            pass "test-xenstore/$id"
        else
            fail "test-xenstore/$id" "$(tail -n1 "$tmp/txs.out")"
        fi
    done < <("$txs" -l)
    [ "$n" -eq 12 ] || fail test-xenstore-count "expected 12 subtests, saw $n"
fi

# --- our helpers ------------------------------------------------------------
run_helper() {  # name, timeout, program args...
    local name=$1 t=$2 prog=$helpers/$3
    shift 3
    if [ ! -x "$prog" ]; then
        fail "$name" "helper $(basename "$prog") not built"
        return
    fi
    timeout "$t" "$prog" "$@" >"$tmp/helper.out" 2>&1
    local rc=$?
    grep '^TEST ' "$tmp/helper.out"
    if [ $rc -ne 0 ] && ! grep -q '^TEST .*: FAIL' "$tmp/helper.out"; then
        fail "$name" "exit status $rc: $(grep -v '^TEST ' "$tmp/helper.out" | tail -n1)"
    elif grep -q '^TEST .*: FAIL' "$tmp/helper.out"; then
        failed=1
    fi
}

run_helper concurrency 120 xs-concurrency "$tmp/sock" 32 20
run_helper protocol 60 xs-protocol "$tmp/sock"
run_helper robustness 60 xs-robust "$tmp/sock"

# --- ring transport across two processes ----------------------------------
stop_daemon
mkdir -p "$tmp/rings"
if start_daemon --ring-dir "$tmp/rings"; then
    run_helper ring 60 xs-ring "$tmp/sock" "$tmp/rings"
else
    fail ring "daemon did not start with --ring-dir"
fi

# --- dump and restore -------------------------------------------------------
stop_daemon
if [ -z "$xs_write" ] || [ -z "$xs_read" ]; then
    skip dump-restore "xenstore-utils not installed"
elif start_daemon --dump "$tmp/state"; then
    timeout $T "$xs_write" /keep/a 1 /keep/b/c 2 &&
        timeout $T "$xs_chmod" /keep/a n3 r4
    kill -USR1 "$daemon_pid"
    for i in $(seq 100); do
        [ -s "$tmp/state" ] && break
        sleep 0.05
    done
    if [ ! -s "$tmp/state" ]; then
        fail dump-signal "no dump after SIGUSR1"
    else
        pass dump-signal
    fi
    timeout $T "$xs_write" /keep/late 3
    stop_daemon
    if start_daemon --restore "$tmp/state" &&
       [ "$(timeout $T "$xs_read" /keep/a /keep/b/c /keep/late | tr '\n' ' ')" = "1 2 3 " ] &&
       timeout $T "$xs_ls" -p /keep | grep -q '(n3,r4)'; then
        pass dump-restore
    else
        fail dump-restore "state lost across restart"
    fi
else
    fail dump-restore "daemon did not start"
fi
stop_daemon

exit $failed
