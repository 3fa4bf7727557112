# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/71-micatop-load.sh - micatop -b under a known
# load: three test-kernel domUs, one spinning its one vCPU (multi/spin),
# one spinning but capped at 25% of a CPU (mica sched-credit -c 25), one
# sleeping (multi/wait_guests).  Over a 4 s sample micatop must show the
# spinner at 95-105%, the capped one at 20-30% and the idle one under 5%;
# the --json figures agree.  Mica in 2-CPU boots only (each boot's time
# budget; on one CPU dom0 and two spinners share it).
# Prints TEST micatop/<name> lines.
. /tests/lib.sh
CFG=/etc/mica/testkernel.cfg
if [ ! -x /usr/sbin/micatop ] || [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ]; then
    skip micatop/load "needs /usr/sbin/micatop, /usr/sbin/mica and $CFG"
    exit 0
fi
if ! grep -q mica /sys/hypervisor/version/extra 2>/dev/null; then
    skip micatop/load "guests are created by mica under Mica only (the boot's time budget)"
    exit 0
fi
if [ "$(grep -c ^processor /proc/cpuinfo)" -lt 2 ]; then
    skip micatop/load "a spinner and a capped spinner need two CPUs beside dom0"
    exit 0
fi
T=/tmp/micatop-load
mkdir -p $T
mica() { timeout 60 /usr/sbin/mica "$@"; }
SPIN='extra="test=multi/spin spin=60"'
IDLE='extra="test=multi/wait_guests guests=1 wait=900"'

mica create $CFG 'name="mtspin"' "$SPIN" >$T/c1 2>&1 &&
    mica create $CFG 'name="mtcap"' "$SPIN" >$T/c2 2>&1 &&
    mica create $CFG 'name="mtidle"' "$IDLE" >$T/c3 2>&1
r=$?
check micatop/load-create "status $r: $(cat $T/c1 $T/c2 $T/c3 | grep -v '^Parsing' | tail -n 2)" [ $r = 0 ]
mica sched-credit -d mtcap -c 25 >$T/cap.out 2>&1
r=$?
cap=$(mica sched-credit -d mtcap 2>&1 | awk '$1 == "mtcap" { print $4 }')
check micatop/load-cap-set "status $r, cap '$cap': $(cat $T/cap.out)" [ "$r:$cap" = "0:25" ]
# Let the guests boot and start spinning before the sample.
sleep 2
micatop -b -i 2 -d 4 >$T/b.out 2>$T/b.err
micatop -b -i 2 -d 4 --json >$T/j.out 2>>$T/b.err
# CPU(%) of NAME in the second (measured) table.
pct() { awk -v n="$1" '$1 == "NAME" { t++ } t == 2 && $1 == n { print $4 }' $T/b.out; }
# between VALUE LOW HIGH
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'; }
tbl="$(awk '$1 == "NAME" { t++ } t == 2' $T/b.out | cut -c1-40 | tr '\n' '|') $(cat $T/b.err)"
echo "micatop-load: spinning $(pct mtspin)%, capped $(pct mtcap)%, idle $(pct mtidle)% over 4 s"
check micatop/load-spinning "spinner at $(pct mtspin)%: $tbl" between "$(pct mtspin)" 95 105
check micatop/load-capped "capped (25) at $(pct mtcap)%: $tbl" between "$(pct mtcap)" 20 30
check micatop/load-idle "idle at $(pct mtidle)%: $tbl" between "$(pct mtidle)" 0 4.99
# The JSON line of the second sample says the same of the spinner.
jspin=$(tail -n 1 $T/j.out | sed 's/},{/}\n{/g' | grep '"name":"mtspin"' |
        sed 's/.*"cpu_pct":\([0-9.]*\).*/\1/')
echo "micatop-load: spinning $jspin% in the JSON sample"
check micatop/load-json "spinner at '$jspin'% in JSON" between "$jspin" 95 105
for d in mtspin mtcap mtidle; do mica destroy $d >/dev/null 2>&1; done
all_gone() { gone mtspin && gone mtcap && gone mtidle; }
check micatop/load-cleanup "left: $(mica list | tail -n +3 | tr '\n' '|')" wait_for 10 all_gone
