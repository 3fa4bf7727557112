#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/linux/micatop-screen.sh HV_IMAGE ISO OUTDIR - micatop's screen in
# a real terminal: QEMU runs Mica and dom0 inside a tmux pane (its serial
# console on the pane's terminal), tmux types into dom0's shell and
# micatop's keys, and capture-pane reads what micatop drew.  Prints
#   TEST micatop-screen/<check>: PASS|FAIL why
# for: boot, shell, guest (a test-kernel domU to watch), table (header,
# summaries, header row, the guest and Domain-0), sort (S S moves the
# bold header cell from NAME to CPU(sec) and Domain-0 above the guest),
# colour (Domain-0's state in green), select-detail (Down, Up, Enter: the guest's vCPUs and console tail),
# back (Enter returns to the table), vcpus-on/off (V), delay-prompt and
# delay-set (D 2 Enter), resize (the tty shrunk under it: SIGWINCH,
# redrawn at 100x30), quit (Q, status 0), and that each screen matches
# the expected capture in tests/linux/micatop-screen/NAME.txt once its
# volatile numbers are masked (mask() below).  Captures land in OUTDIR;
# UPDATE=1 copies them over the expected ones instead.
# Env: BUILD, KERNEL, INITRD, TIMEOUT (s, default 400), HV_CMDLINE;
# BENCH=1 also measures micatop's CPU with 20 domains (README).
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: micatop-screen.sh HV_IMAGE ISO OUTDIR" >&2; exit 2; }
HV=$1 ISO=$2 OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
WANT=$HERE/micatop-screen
. "$TOP/tests/lib/qemu.sh"
. "$TOP/tests/lib/wait.sh"
. "$TOP/tests/lib/result.sh"
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/dom0/vmlinux-dom0}
INITRD=${INITRD:-$BUILD/dom0/initrd-dom0}
HV_CMDLINE=${HV_CMDLINE:-console=com1 loglvl=all dom0_mem=512M,max:512M}
TIMEOUT=${TIMEOUT:-400}
W=220 H=40
SOCK=micatop-screen-$$
RESULT_PREFIX=micatop-screen/

for f in "$HV" "$KERNEL" "$INITRD"; do
    [ -f "$f" ] || { error setup "missing $f"; exit 1; }
done
command -v tmux >/dev/null || { error setup "no tmux (make deps)"; exit 1; }
mkdir -p "$OUT" "$(dirname "$ISO")"
bash "$TOP/scripts/mkiso.sh" -o "$ISO" -c "$HV_CMDLINE" "$HV" --dom0 "$KERNEL" \
    "console=hvc0 earlyprintk=xen" "$INITRD" || { error setup "mkiso.sh failed"; exit 1; }

tm() { tmux -L "$SOCK" "$@"; }
# The pane as text (-e: with its attributes as escape sequences).
screen() { tm capture-pane -p -t mt "$@"; }
# wait_screen SECS REGEX: true once the pane (with 200 lines of history) matches.
wait_screen() {
    local t=$(($1 * 5))
    while [ $t -gt 0 ]; do
        tm capture-pane -p -t mt -S -200 2>/dev/null | grep -Eq "$2" && return 0
        tm has-session -t mt 2>/dev/null || return 1
        sleep 0.2
        t=$((t - 1))
    done
    return 1
}
type_line() { tm send-keys -t mt -l "$1"; tm send-keys -t mt Enter; }
# Volatile figures become N, right-aligned in the same width, so that the
# columns are still checked; the history column and the guest's state
# letters (it wakes now and then) are masked too.  Lines are cut after
# SSID, the xentop table's last column (162 characters).
mask() {
    perl -pe 's/\s+$//; s/^( *(?!Domain-0)\S+ )[-dsbcpr]{6} /$1?????? /;
              s/(\[)[^\]]*(\])/$1~$2/; s/^(.{162}).+/$1/;
              s/  [-r][-b]-   /  ???   /;
              s/( *)(\d[\d.:]*)/" " x (length($1) + length($2) - 1) . "N"/ge; $_ .= "\n"'
}
# compare NAME: the pane now against the expected capture NAME.txt.
compare() {
    screen >"$OUT/$1.raw"
    mask <"$OUT/$1.raw" >"$OUT/$1.txt"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$OUT/$1.txt" "$WANT/$1.txt"
    fi
    if diff -u "$WANT/$1.txt" "$OUT/$1.txt" >"$OUT/$1.diff"; then
        pass "$1-capture"
    else
        fail "$1-capture" "differs from $WANT/$1.txt: $(grep -m 2 '^[-+][^-+]' "$OUT/$1.diff" | tr '\n' '|')"
    fi
}

# line_has N REGEX: line N of the pane, with its attributes, matches.
line_has() { screen -e | sed -n "$1p" | grep -Eq "$2"; }
# After S S: CPU(sec) bold, and Domain-0 (tens of seconds) above amber.
sort_moved() {
    line_has 4 $'\e\\[1(;7)?m +CPU\\(sec\\)' && ! line_has 4 $'\e\\[1(;7)?m +NAME' &&
        screen | sed -n 5p | grep -q '^  Domain-0 ' && screen | sed -n 6p | grep -q '^     amber '
}
detail_now() { detail_ok "$(screen)"; }
net_line() { screen | grep -Eq '^Net0 RX: +0bytes .* TX: +2048bytes'; }
vbd_only() {
    screen | grep -Eq '^VBD BlkBack 51712 .* RD: +5 ' && ! screen | grep -q '^Net0 '
}
two_headers() {
    [ "$(screen | grep -c '^      NAME  STATE')" = 2 ] && ! screen | grep -q '^VBD '
}
# selected_row N: line N has the name in reverse video, the other row not.
selected_row() {
    local other=$((11 - $1))
    line_has "$1" $'\e\\[([0-9]+;)*7(;[0-9]+)*m' && ! line_has "$other" $'\e\\[([0-9]+;)*7(;[0-9]+)*m'
}
vcpu_line() { screen | grep -Eq '^VCPUs\(sec\): ( [ 0-9]{2}: {1,10}[0-9]+s)+$'; }
no_vcpu_line() { ! screen | grep -q '^VCPUs(sec):'; }
prompt_shown() { screen | tail -n 1 | grep -qx '  Delay(sec): 2'; }
legend_back() { screen | tail -n 1 | grep -q '^  Delay  Networks'; }
resize_now() { resize_ok "$(screen)"; }
table_now() { table_ok "$(screen)"; }
detail_ok() {
    local s=$1
    echo "$s" | grep -q '^VCPU  CPU  State     Time(s)' && echo "$s" | grep -Eq '^   0 ' &&
        echo "$s" | grep -qx 'Disks: 0' && echo "$s" | grep -qx 'Vifs: 0' &&
        echo "$s" | grep -q '^Console /var/log/mica/console/amber.log$' &&
        echo "$s" | grep -q '^console/ring_drained: line 6[0-4] of 64'
}
resize_ok() {
    local s=$1
    [ "$(echo "$s" | sed -n 4p | wc -c)" -le 101 ] && echo "$s" | sed -n 30p | grep -q '^  Delay' &&
        echo "$s" | sed -n 4p | grep -q '^      NAME  STATE'
}
table_ok() {
    local s=$1
    echo "$s" | sed -n 1p | grep -Eq '^micatop - [0-9]{2}:[0-9]{2}:[0-9]{2}   Xen [0-9]+\.[0-9]+' &&
        echo "$s" | sed -n 2p | grep -Eq '^2 domains: [0-9]+ running, [0-9]+ blocked, 0 paused, 0 crashed, 0 dying, 0 shutdown$' &&
        echo "$s" | sed -n 3p | grep -Eq '^Mem: [0-9]+k total, [0-9]+k used, [0-9]+k free    CPUs: 2 @ [0-9]+MHz$' &&
        echo "$s" | sed -n 4p | grep -q '^      NAME  STATE   CPU(sec) CPU(%)' &&
        echo "$s" | sed -n 5p | grep -q '^     amber ' && echo "$s" | sed -n 6p | grep -q '^  Domain-0 ' &&
        echo "$s" | tail -n 1 | grep -q '^  Delay  Networks  vBds  VCPUs  Repeat header  Sort order  Quit  Enter details'
}
tm kill-server 2>/dev/null
# QEMU's serial port is the pane's terminal.
qemu_cmd --tty "$TIMEOUT" "$ISO"
QEMU_CMD+=(-cpu max,-smap -m 1536 -smp 2 -chardev stdio,id=con,signal=off -serial chardev:con)
tm new-session -d -s mt -x $W -y $H "$(printf '%q ' "${QEMU_CMD[@]}"); echo QEMU-EXIT-\$?; sleep 600"
tm set-option -t mt history-limit 5000 >/dev/null

if ! wait_screen 300 'MICA-DOM0-READY'; then
    fail boot "no MICA-DOM0-READY in the pane"
    screen -S -60 >"$OUT/boot.raw"
    tm kill-server
    exit 1
fi
pass boot
sleep 3
type_line 'echo SHELL-$((40+2))'
wait_screen 60 '^SHELL-42' || type_line 'echo SHELL-$((40+2))'
check shell "dom0's shell never answered" wait_screen 60 '^SHELL-42'
# The console is the pane: its size, a terminal type tmux speaks, kernel
# messages kept off it, and a guest whose console log has lines.
type_line "stty rows $H cols $W; export TERM=screen; dmesg -n 1"
type_line "mica create -q /etc/mica/testkernel.cfg 'name=\"amber\"' \
'extra=\"test=console/ring_drained,multi/wait_guests guests=1 wait=900\"' && echo GUEST-\$((1+1))"
check guest "mica create failed: $(screen | tail -n 3 | tr '\n' '|')" wait_screen 120 '^GUEST-2'
sleep 3
type_line 'xenstore-write /local/domain/0/backend/vbd/0/51712/statistics/rd_req 5 /local/domain/0/backend/vif/0/0/statistics/tx_bytes 2048'
type_line 'clear; micatop -d 1; echo MICATOP-RC-$?'
if ! wait_screen 30 '^ +amber [-dsbcpr]{6} '; then
    fail table "no table with the guest: $(screen | head -n 6 | tr '\n' '|')"
else
    sleep 2.5
    s=$(screen)
    check table "$(echo "$s" | head -n 6 | tr '\n' '|')" wait_for 10 table_now
    compare table
    check colour "Domain-0's state not green: $(screen -e | sed -n 6p | cut -c1-80 | cat -v)" \
        line_has 6 $'\e\\[32m-----r'
fi
# S: the sort column is bold in the header; S S moves it from NAME to
# CPU(sec), which puts Domain-0 above the guest.
check sort-default "NAME not bold: $(screen -e | sed -n 4p | cut -c1-60 | cat -v)" \
    line_has 4 $'\e\\[1(;7)?m +NAME'
tm send-keys -t mt S S
check sort "not sorted by CPU(sec) after S S: $(screen -e | sed -n 4,6p | cut -c1-80 | cat -v | tr '\n' '|')" \
    wait_for 10 sort_moved
compare sort
# Back to NAME order (S through all 19 columns): the selection followed
# the guest, on top again; Down and Up, then Enter.
for _ in $(seq 17); do tm send-keys -t mt S; done
tm send-keys -t mt Down Up
sleep 0.5
tm send-keys -t mt Enter
check select-detail "no detail view: $(screen | sed -n 4,8p | tr '\n' '|')" \
    wait_screen 10 '^Domain amber \(id [0-9]+\)  state '
sleep 1.5
s=$(screen)
check detail-content "$(echo "$s" | sed -n 4,12p | tr '\n' '|')" wait_for 10 detail_now
compare detail
tm send-keys -t mt Enter
check back "Enter did not return to the table" wait_screen 10 '^      NAME  STATE'
# V adds each domain's vCPU line, V again takes it away; D prompts for
# the delay on the bottom line.
tm send-keys -t mt V
check vcpus-on "no VCPUs(sec) line after V" wait_for 10 vcpu_line
tm send-keys -t mt V
check vcpus-off "VCPUs(sec) lines still there after V V" wait_for 10 no_vcpu_line
# N, B and R: a made-up vif and vbd of Domain-0 (written before micatop
# started) get their lines, and R puts a header before each domain.
tm send-keys -t mt N
check nets-on "no Net0 line after N" wait_for 10 net_line
tm send-keys -t mt N B
check vbds-on "no VBD line after N B: $(screen | sed -n 4,9p | tr '\n' '|')" wait_for 10 vbd_only
tm send-keys -t mt B R
check repeat-header "not two headers after B R: $(screen | sed -n 4,9p | tr '\n' '|')" \
    wait_for 10 two_headers
tm send-keys -t mt R
# PgDn selects the last domain, PgUp the first again.
tm send-keys -t mt NPage
check page-down "Domain-0 not selected after PgDn: $(screen -e | sed -n 5,6p | cut -c1-40 | cat -v | tr '\n' '|')" \
    wait_for 10 selected_row 6
tm send-keys -t mt PPage
check page-up "amber not selected after PgUp" wait_for 10 selected_row 5
tm send-keys -t mt D 2
check delay-prompt "bottom line '$(screen | tail -n 1)'" wait_for 10 prompt_shown
tm send-keys -t mt Enter
check delay-set "prompt still there after Enter" wait_for 10 legend_back
tm send-keys -t mt Q
check quit "no status 0 after Q: $(screen | tail -n 3 | tr '\n' '|')" wait_screen 10 '^MICATOP-RC-0'
# The terminal shrinks under micatop: the pane, then the tty's size (the
# kernel sends SIGWINCH on TIOCSWINSZ; a serial line carries no resize).
type_line "clear; (sleep 4; stty rows 30 cols 100) & micatop -d 1; echo MICATOP-RC-\$?"
sleep 2
tm resize-window -t mt -x 100 -y 30
sleep 5
s=$(screen)
check resize "not redrawn at 100x30: $(echo "$s" | sed -n 4p | cut -c1-120)" wait_for 10 resize_now
compare resize
tm send-keys -t mt q
wait_screen 10 '^MICATOP-RC-0.*' >/dev/null
type_line 'xenstore-rm /local/domain/0/backend/vbd/0; xenstore-rm /local/domain/0/backend/vif/0'
# BENCH=1: micatop's own CPU at a 1 s refresh with 20 domains (dom0, the
# guest above and 18 more test kernels of 16 MiB), on this screen and in
# batch mode, from its utime + stime in /proc (USER_HZ 100) over 60 s.
if [ "${BENCH:-0}" = 1 ]; then
    type_line 'clear; for i in $(seq 1 18); do mica create -q /etc/mica/testkernel.cfg "name=\"b$i\"" memory=16 "extra=\"test=multi/wait_guests guests=1 wait=900\"" || break; done; echo MADE-$(mica list | tail -n +2 | wc -l)-DOMAINS'
    wait_screen 300 '^MADE-[0-9]+-DOMAINS' || fail bench-guests "no MADE line"
    echo "micatop-screen: $(screen -S -50 | grep -o 'MADE-[0-9]*-DOMAINS' | tail -n 1)"
    tm resize-window -t mt -x $W -y $H
    type_line "stty rows $H cols $W"
    # SIGTERM ends the screen as Q does, after the 60 s are counted.
    # 60 s each of the screen (what it sends the terminal counted by
    # tmux's pipe-pane) and of batch mode, from /proc/PID/stat; then 30 s
    # each with MICATOP_PROFILE=1 for its per-refresh counts and exact CPU
    # time by phase (prof.h), which its own clock reads add to.
    tm pipe-pane -t mt "wc -c >$OUT/bench-screen.bytes"
    type_line 'rm -f /tmp/mt-bench; (sleep 60; p=$(pidof micatop); set -- $(cat /proc/$p/stat); echo SCREEN-TICKS-$((${14} + ${15})) >>/tmp/mt-bench; kill $p) & micatop -d 1; echo SCREEN-DONE'
    wait_screen 150 '^SCREEN-DONE' || fail bench-screen "the screen did not end"
    tm pipe-pane -t mt
    type_line 'micatop -b -d 1 >/dev/null & p=$!; sleep 60; set -- $(cat /proc/$p/stat); kill $p; echo BATCH-TICKS-$((${14} + ${15})) >>/tmp/mt-bench; echo BATCH-DONE'
    wait_screen 90 '^BATCH-DONE' || fail bench-batch "batch mode did not end"
    type_line '(sleep 30; kill $(pidof micatop)) & MICATOP_PROFILE=1 micatop -d 1 2>>/tmp/mt-bench; echo PROF-SCREEN-DONE'
    wait_screen 90 '^PROF-SCREEN-DONE' || fail bench-profile-screen "the profiled screen did not end"
    type_line 'MICATOP_PROFILE=1 micatop -b -d 1 >/dev/null 2>>/tmp/mt-bench & p=$!; sleep 30; kill $p; wait $p; echo PROF-BATCH-DONE'
    wait_screen 60 '^PROF-BATCH-DONE' || fail bench-profile-batch "the profiled batch did not end"
    type_line 'clear; cat /tmp/mt-bench; echo BENCH-END'
    wait_screen 20 '^BENCH-END' >/dev/null
    screen | grep -E '^(SCREEN|BATCH)-TICKS-' | sed 's/^/micatop-screen: /; s/$/ ticks of 10 ms in 60 s/'
    echo "micatop-screen: the screen sent $(cat "$OUT/bench-screen.bytes" 2>/dev/null) bytes to the terminal in 60 s"
    screen | grep -E '^micatop: profile:' | sed 's/^/micatop-screen: /'
    type_line 'for i in $(seq 1 18); do mica destroy b$i; done'
    sleep 20
fi
type_line 'mica destroy amber; poweroff'
wait_screen 60 'QEMU-EXIT-' >/dev/null
screen -S -400 >"$OUT/session.raw"
tm kill-server 2>/dev/null
result_exit
