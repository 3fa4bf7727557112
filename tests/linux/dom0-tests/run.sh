#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/run.sh - /tests/run.sh in the dom0 initramfs: runs
# every /tests/NN-*.sh in order, or with mica.tests=WORD on the kernel
# command line only /tests/NN-WORD*.sh (make test-domu: mica.tests=domu).
# Each prints "TEST name: PASS|FAIL|SKIP why" lines on the console (tee'd
# as they come); this script ends with "dom0: N passed, N failed".
cd /tests || exit 1
only=
for w in $(cat /proc/cmdline); do
    case $w in mica.tests=*) only=${w#mica.tests=} ;; esac
done
: >/tmp/tests.out
for t in /tests/[0-9][0-9]-$only*.sh; do
    [ -f "$t" ] || continue
    sh "$t" 2>&1 | tee -a /tmp/tests.out
done
p=$(grep -c '^TEST .*: PASS' /tmp/tests.out)
f=$(grep -c '^TEST .*: FAIL' /tmp/tests.out)
echo "dom0: $p passed, $f failed"
