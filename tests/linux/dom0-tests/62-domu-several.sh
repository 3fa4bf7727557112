# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/62-domu-several.sh - two Debian Linux domUs and
# a test-kernel domU at once: all three listed running, both Linux guests
# reach their shells and answer through their own consoles, the test
# kernel's console ring is drained by mica-consoled (its lines in the
# guest's log, its console/ring_drained test passing), and destroying all
# three gives every MiB back.
# Prints TEST domu/several-<name> lines.
. /tests/lib.sh
domu_selected domu/several || exit 0
CFG=/etc/mica/debian.cfg
TK=/etc/mica/testkernel.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f $TK ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/several "needs /usr/sbin/mica, $CFG, $TK and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-several
mkdir -p $T
f0=$(free_mb)

bad=
for n in lin1 lin2; do
    mica create $CFG "name=\"$n\"" >$T/$n.out 2>&1 || bad="$bad $n: $(tail -n 1 $T/$n.out)"
done
check domu/several-lin1-ready "no MICA-DOMU-READY from lin1" wait_for 400 ready lin1
check domu/several-lin2-ready "no MICA-DOMU-READY from lin2" wait_for 400 ready lin2
# Then the test kernel, which spins for 10 minutes after its tests, so
# that it stays listed.
mica create $TK 'name="tk"' 'extra="test=console/write,console/ring_drained,multi/spin spin=600"' \
    >$T/tk.out 2>&1 || bad="$bad tk: $(tail -n 1 $T/tk.out)"
check domu/several-create "${bad# }" [ -z "$bad" ]
check domu/several-tk-ring "no ring line 64 in $GLOG/tk.log; $(mica dmesg | grep 'ring_drained: [PF]' | tail -n 1)" \
    wait_for 60 grep -q 'console/ring_drained: line 64 of 64' $GLOG/tk.log
check domu/several-tk-test "$(mica dmesg | grep 'ring_drained: [PF]' | tail -n 1)" \
    sh -c "mica dmesg | grep -q 'TEST console/ring_drained: PASS'"
mica list >$T/l.out
running() { grep -Eq "^$1 +[0-9]+ +[0-9]+ +1 +[r-][b-]---- " $T/l.out; }
all_listed() { running lin1 && running lin2 && running tk && grep -q '^Domain-0 ' $T/l.out; }
check domu/several-listed "$(tr '\n' '|' <$T/l.out)" all_listed
domu_console lin1 3 'echo ONE-$((1+1))\r' >$T/c1.out
domu_console lin2 3 'echo TWO-$((2+2))\r' >$T/c2.out
check domu/several-consoles "lin1: $(grep -c ONE-2 $T/c1.out), lin2: $(grep -c TWO-4 $T/c2.out)" \
    sh -c "grep -q ONE-2 $T/c1.out && grep -q TWO-4 $T/c2.out && ! grep -q TWO-4 $T/c1.out"
for n in lin1 lin2 tk; do mica destroy $n; done
none_left() { gone lin1 && gone lin2 && gone tk; }
check domu/several-destroyed "$(mica list | tail -n +2 | tr '\n' '|')" none_left
check domu/several-memory-back "free $(free_mb) MiB, $f0 before" wait_for 10 out_is = "$f0" free_mb
