#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/run.sh - /tests/run.sh in the dom0 initramfs: runs
# every /tests/NN-*.sh in order, or with mica.tests=WORD on the kernel
# command line only /tests/NN-WORD*.sh (make test-domu: mica.tests=domu).
# Each prints "TEST name: PASS|FAIL|SKIP why" lines on the console (tee'd
# as they come); this script ends with "dom0: N passed, N failed".
# A script that printed no result line at all broke (a syntax error, a
# missing tool): it gets an ERROR line of its own, which counts as failed.
cd /tests || exit 1
only=
for w in $(cat /proc/cmdline); do
    case $w in mica.tests=*) only=${w#mica.tests=} ;; esac
done
: >/tmp/tests.out
for t in /tests/[0-9][0-9]-$only*.sh; do
    [ -f "$t" ] || continue
    sh "$t" 2>&1 | tee /tmp/test.out
    cat /tmp/test.out >>/tmp/tests.out
    if ! grep -qE '^TEST .*: (PASS|FAIL|ERROR|SKIP)' /tmp/test.out; then
        n=${t##*/}
        echo "TEST script/${n%.sh}: ERROR printed no result line" |
            tee -a /tmp/tests.out
    fi
done
p=$(grep -c '^TEST .*: PASS' /tmp/tests.out)
f=$(grep -cE '^TEST .*: (FAIL|ERROR)' /tmp/tests.out)
echo "dom0: $p passed, $f failed"
