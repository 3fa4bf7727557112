#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/guest/compare.sh MICA_LOG XEN_LOG - side-by-side results of the test
# kernel on Mica and on real Xen.
#
# Reads the "TEST name: RESULT ..." lines of both console logs (raw logs or
# re-printed ones with a "xen/" or "mica/<cpu>/" prefix) and prints
#   name | mica | xen | note
# Exits 1 if any test has different results, or ran on one side only,
# unless the test declared .xen_differs (the kernel prints
# "  xen-differs NAME: reason" before running such a test, in either log).
set -u
[ $# -eq 2 ] || { echo "usage: $0 MICA_LOG XEN_LOG" >&2; exit 2; }
mica=$1 xen=$2
for f in "$mica" "$xen"; do
    [ -r "$f" ] || { echo "compare.sh: cannot read $f" >&2; exit 2; }
done

# name<TAB>result for every TEST line; the first result of a name wins.
results() {
    tr -d '\r' <"$1" | sed -n 's/^.*TEST \([^ :]*\): \(PASS\|FAIL\|SKIP\).*$/\1\t\2/p' |
        sed 's#^xen/##; s#^mica/[^/]*/##' | awk -F'\t' '!seen[$1]++'
}

differs() {
    tr -d '\r' <"$1" | sed -n 's/^.*xen-differs \([^ :]*\): \(.*\)$/\1\t\2/p'
}

awk -F'\t' '
    FILENAME == ARGV[1] { mica[$1] = $2; if (!($1 in order)) { order[$1] = ++n; names[n] = $1 } next }
    FILENAME == ARGV[2] { xen[$1] = $2;  if (!($1 in order)) { order[$1] = ++n; names[n] = $1 } next }
    FILENAME == ARGV[3] { why[$1] = $2; next }
    END {
        w = 4
        for (i = 1; i <= n; i++) if (length(names[i]) > w) w = length(names[i])
        printf "%-*s | %-4s | %-4s | %s\n", w, "name", "mica", "xen", "note"
        bad = 0
        for (i = 1; i <= n; i++) {
            t = names[i]
            m = (t in mica) ? mica[t] : "-"
            x = (t in xen) ? xen[t] : "-"
            note = ""
            if (m != x) {
                if (t in why) note = "xen differs: " why[t]
                else { note = "DISAGREE"; bad++ }
            }
            printf "%-*s | %-4s | %-4s | %s\n", w, t, m, x, note
        }
        printf "%d tests, %d disagreements\n", n, bad
        exit bad ? 1 : 0
    }' <(results "$mica") <(results "$xen") <(differs "$mica"; differs "$xen")
