#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/run.sh - /tests/run.sh in the dom0 initramfs: runs
# every /tests/NN-*.sh in order, or with mica.tests=WORD[,WORD...] on the
# kernel command line only the /tests/NN-WORD*.sh (make test-domu:
# mica.tests=domu; make test-uefi picks the firmware-facing few).
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
pats=/tests/[0-9][0-9]-*.sh
[ -n "$only" ] && pats=$(echo "$only" | tr , '\n' | sed 's|.*|/tests/[0-9][0-9]-&*.sh|')
# shellcheck disable=SC2086
for t in $(ls -d $pats 2>/dev/null | sort); do
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
