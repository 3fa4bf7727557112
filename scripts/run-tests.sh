#!/usr/bin/env bash
# scripts/run-tests.sh SUITE... - run each suite as `make SUITE`, keep its
# output in build/test-logs/SUITE.log, count its "TEST name: RESULT" lines
# and finish with exactly one "N passed, N failed" line.
#
# A suite whose make target fails without reporting a FAIL line (a build
# error, a crash) is counted as one failed test named after the suite.
# ERROR lines (the test itself broke, tests/lib/result.sh) count as
# failures and are named apart in the last line.
set -u
logdir=${BUILD:-build}/test-logs
mkdir -p "$logdir"
pass=0 fail=0 skip=0 err=0
for s in "$@"; do
    log=$logdir/$s.log
    echo "=== $s"
    make --no-print-directory "$s" 2>&1 | tee "$log" \
        | sed -u 's/^\([0-9]* passed, [0-9]* failed\)/[suite] \1/'
    rc=${PIPESTATUS[0]}
    p=$(grep -c '^TEST .*: PASS' "$log")
    f=$(grep -c '^TEST .*: FAIL' "$log")
    k=$(grep -c '^TEST .*: SKIP' "$log")
    e=$(grep -c '^TEST .*: ERROR' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$e" -eq 0 ]; then
        echo "TEST $s: FAIL make $s exited with status $rc"
        f=1
    fi
    pass=$((pass + p)) fail=$((fail + f + e)) skip=$((skip + k)) err=$((err + e))
done
errors=
[ "$err" -gt 0 ] && errors=" ($err of them errors of the tests themselves)"
echo "$pass passed, $fail failed$errors, $skip skipped"
[ "$fail" -eq 0 ]
