# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/70-micatop.sh - micatop in dom0 with no guest:
# --help and bad arguments, `micatop -b` printing xentop -b's table
# (header byte for byte, a Domain-0 row in xentop's widths, one table per
# iteration, no summary lines), -v -r -f, --json, a reader that goes away,
# and the screen refusing a non-terminal.  Runs on Xen as on Mica.
# Prints TEST micatop/<name> lines.
. /tests/lib.sh
if [ ! -x /usr/sbin/micatop ]; then
    skip micatop/batch "no /usr/sbin/micatop in the initramfs"
    exit 0
fi
T=/tmp/micatop
mkdir -p $T
HDR='      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID'
# Domain-0 as xentop prints it: widths 10 6 10 6 10 6 10 9 5 4 8 8 4 8 8 8 10 10 4.
ROW0='^  Domain-0 [-dsbcpr]{6} {1,10}[0-9]+ {1,6}[0-9]+\.[0-9] {1,10}[0-9]+ {1,6}[0-9]+\.[0-9] ( {1,10}[0-9]+|  no limit) ( {1,9}[0-9]+\.[0-9]|      n/a) {1,5}[0-9]+    0        0        0    0        0        0        0          0          0    0$'

micatop --help >$T/help.out 2>&1
r=$?
check micatop/help "status $r, $(head -n 1 $T/help.out)" \
    sh -c "[ $r = 0 ] && grep -q '^-b, --batch' $T/help.out && grep -q '^-d, --delay=SECONDS' $T/help.out"
bad=
for a in "-d x" "-d 0" "-i 0" "-i -3" "-z" "extra" "--json"; do
    # shellcheck disable=SC2086
    micatop $a >$T/bad.out 2>$T/bad.err
    r=$?
    [ $r = 1 ] && [ "$(wc -l <$T/bad.err)" -ge 1 ] && grep -q '^micatop: \|^Usage' $T/bad.err &&
        [ ! -s $T/bad.out ] || bad="$bad [$a: $r $(head -n 1 $T/bad.err)]"
done
check micatop/bad-arguments "wrong for:$bad" [ -z "$bad" ]

micatop -b -i 2 -d 1 >$T/b.out 2>$T/b.err
r=$?
check micatop/batch-status "status $r, $(cat $T/b.err)" sh -c "[ $r = 0 ] && [ ! -s $T/b.err ]"
check micatop/batch-header "first line '$(head -n 1 $T/b.out)'" [ "$(head -n 1 $T/b.out)" = "$HDR" ]
check micatop/batch-two-tables "$(grep -c NAME $T/b.out) headers: $(cat $T/b.out | tr '\n' '|')" \
    sh -c "[ \$(grep -cxF '$HDR' $T/b.out) = 2 ] && [ \$(wc -l <$T/b.out) = \$((2 * \$(grep -c . $T/b.out) / 2)) ]"
check micatop/batch-dom0-row "$(grep Domain-0 $T/b.out | head -n 1)" \
    sh -c "[ \$(grep -Ec '$ROW0' $T/b.out) = 2 ]"
# The first sample's CPU(%) is 0.0, as xentop's.
check micatop/batch-first-zero "$(sed -n 2p $T/b.out)" \
    sh -c "sed -n 2p $T/b.out | awk '{ exit !(\$4 == \"0.0\") }'"
check micatop/batch-no-summary "$(grep -E 'domains:|^Mem:' $T/b.out)" \
    sh -c "! grep -Eq 'domains:|^Mem:|Delay' $T/b.out"
# MEM(k) is what mica list says in MiB.
mem=$(mica list 0 2>/dev/null | awk 'NR == 2 { print $3 }')
check micatop/batch-mem "micatop $(awk '$1 == "Domain-0" { print $5; exit }' $T/b.out) KiB, mica list $mem MiB" \
    sh -c "[ -z '$mem' ] || [ \$(awk '\$1 == \"Domain-0\" { print \$5; exit }' $T/b.out) = \$(($mem * 1024)) ]"

micatop -b -i 1 -v -r -f >$T/v.out 2>&1
check micatop/batch-vcpus "$(cat $T/v.out | tr '\n' '|')" \
    sh -c "sed -n 1p $T/v.out | grep -qxF '$HDR' && sed -n 2p $T/v.out | grep -Eq '$ROW0' &&
           sed -n 3p $T/v.out | grep -Eq '^VCPUs\(sec\): ( [ 0-9]{2}: {1,10}[0-9]+s)+$' &&
           [ \$(sed -n 3p $T/v.out | grep -o 's ' | wc -l) = \$(($(grep -c ^processor /proc/cpuinfo) - 1)) ]"

micatop -b -i 2 -d 0.5 --json >$T/j.out 2>&1
check micatop/json "$(head -c 300 $T/j.out)" \
    sh -c "[ \$(wc -l <$T/j.out) = 2 ] &&
           grep -Eq '^\{\"time\":[0-9]+,\"host\":\{\"version\":\"[^\"]+\",\"total_kb\":[0-9]+,.*\"domains\":\[\{\"domid\":0,\"name\":\"Domain-0\",\"state\":\"[-dsbcpr]{6}\",\"cpu_ns\":[0-9]+,\"cpu_pct\":[0-9.]+,' $T/j.out &&
           tail -n 1 $T/j.out | grep -q '\]}\$'"

# A reader that stops after one line: micatop ends at once, quietly.
s=$(date +%s)
micatop -b -d 0.2 2>$T/pipe.err | head -n 1 >/dev/null
check micatop/batch-pipe "took $(($(date +%s) - s)) s, '$(cat $T/pipe.err)'" \
    sh -c "[ $(($(date +%s) - s)) -le 5 ] && [ ! -s $T/pipe.err ]"

micatop </dev/null >$T/tty.out 2>$T/tty.err
r=$?
check micatop/screen-needs-tty "status $r, '$(cat $T/tty.err)'" \
    sh -c "[ $r = 1 ] && grep -qx 'micatop: the screen needs a terminal (batch mode: -b)' $T/tty.err"

# Counters follow the back end: micatop keeps each domain's devices and
# reads them again only when its watch on /local/domain sees a change, so
# a running micatop must show a counter that changes and a device that
# appears.  A made-up vbd and vif of Domain-0 stand in for back ends; -x
# and -n print their lines.
BEV=/local/domain/0/backend/vbd/0
BEN=/local/domain/0/backend/vif/0
xenstore-write $BEV/51712/statistics/rd_req 5 $BEN/0/statistics/tx_bytes 2048
micatop -b -x -n -d 0.5 -i 60 >$T/w.out 2>$T/w.err &
mp=$!
# vbd_rd DEVID RD: the last table shows that device with that RD count.
vbd_rd() {
    awk -v re="^VBD BlkBack +$1 .* RD: +$2 " '$1 == "NAME" { ok = 0 } $0 ~ re { ok = 1 }
                                          END { exit !ok }' $T/w.out
}
wait_for 15 vbd_rd 51712 5
check micatop/batch-nets "$(grep -m 1 '^Net0' $T/w.out)" \
    sh -c "grep -Eq '^Net0 RX: +0bytes .* TX: +2048bytes' $T/w.out"
xenstore-write $BEV/51712/statistics/rd_req 7
xenstore-write $BEV/51728/statistics/rd_req 3
both() { vbd_rd 51712 7 && vbd_rd 51728 3; }
check micatop/watch-counters "$(grep -c NAME $T/w.out) tables, last: $(awk '$1 == "NAME" { l = "" } $1 == "VBD" { l = l $0 "|" } END { print l }' $T/w.out | tr -s ' ') $(cat $T/w.err)" \
    wait_for 15 both
kill $mp 2>/dev/null
wait $mp 2>/dev/null
xenstore-rm $BEV
xenstore-rm $BEN
