#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/qemu/multidomain-tests.sh HYPERVISOR TESTKERNEL - tests that need
# more than one domain, or more than one vCPU, each one boot of Mica with
# the test kernel as dom0 and as boot-time guests:
#
#   weights    two CPU-bound guests, weight 256 and 512, on one CPU for 5 s
#              of guest time: CPU time 1:2 within 10%
#   cap        one CPU-bound guest with cap=25: 25% of a CPU within 5%
#   pingpong   dom0 and a guest bounce 10 000 events over an interdomain
#              channel on two CPUs, none lost
#   smp        dom0 with two vCPUs: bring-up and IPIs (tests/guest/tests/smp.c)
#   smpmm      dom0's two vCPUs race on pins, mmu_update and mappings of the
#              same frames for 3 s (tests/guest/tests/smp-mm.c); no panic,
#              and dom0's teardown then reports 0 frames leaked
#   poll       SCHEDOP_poll wakes on a masked port / with an upcall owed
#   death      a guest holding grants both ways and a port to dom0 shuts
#              down and is destroyed: dom0's mapping of its page outlives
#              it, everything is freed at the unmap, dom0's port is left
#              unbound; the guest also checks that control and foreign
#              memory hypercalls refuse it (-EPERM)
#   hammer     two guests with 2 vCPUs each send events to dom0 from both
#              vCPUs, periodic timers ticking, while dom0 destroys them:
#              no panic, every frame back (tests/guest/tests/multidom-hammer.c)
#   ring       a boot-time guest writes twice its console ring's size there:
#              all consumed, and printed on Mica's console as "(d1) " lines
#              (tests/guest/tests/console-ring.c); its "ramdisk=NAME" module
#              is loaded as its ramdisk
#
# Guest console lines carry a "(dN) " prefix.  dom0 runs multi/wait_guests,
# which blocks until every guest has shut down, then powers off.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}
. "$here/lib.sh"
hv=$1 kernel=$2
out=${BUILD:-build}/tests/multidomain
mkdir -p "$out"
cmdline=$GUEST_HV_CMDLINE

# boot NAME SMP DOM0_ARGS [GUEST_MODULE_STRING...]: log in $out/NAME.log,
# QEMU's exit status in qemu_rc[NAME].
declare -A qemu_rc
boot() {
    local name=$1 smp=$2 dom0=$3 mods=() m
    shift 3
    for m in "$@"; do mods+=(-m "$kernel $m"); done
    bash "$here/../../scripts/mkiso.sh" -o "$out/$name.iso" -c "$cmdline" "$hv" \
        -m "$kernel $dom0" ${mods[@]+"${mods[@]}"} ||
        { error "mica/$name/iso" "mkiso.sh failed"; qemu_rc[$name]=-1; return 1; }
    qemu_boot "$out/$name.log.raw" "$out/$name.iso" "max,-smap" 512 -smp "$smp"
    qemu_rc[$name]=$?
    hv_output "$out/$name.log.raw" > "$out/$name.log"
}

# Every TEST line of the run, dom0's and the guests', under "mica/NAME/".
report_lines() {
    sed -n "s|^\(([d0-9]*) \)\{0,1\}TEST \([^:]*\):|TEST mica/$1/\1\2:|p" "$out/$1.log" |
        sed 's|/(\(d[0-9]*\)) |/\1/|'
    grep -q 'TEST .*: FAIL' "$out/$1.log" && failed=1
    return 0
}

# The "spin: ... running N us" figure of domain $2 in run $1.
running_us() {
    sed -n "s/^(d$2)   spin: .* running \([0-9]*\) us .*/\1/p" "$out/$1.log" | head -1
}

boot weights 1 "test=multi/wait_guests guests=2" \
    "domain=w256 mem=32M weight=256 -- test=multi/spin spin=5" \
    "domain=w512 mem=32M weight=512 -- test=multi/spin spin=5"
report_lines weights
a=$(running_us weights 1) b=$(running_us weights 2)
if [ -z "$a" ] || [ -z "$b" ] || [ "$a" -eq 0 ]; then
    fail mica/weights/ratio "no spin figures" "$out/weights.log.raw"
else
    # 1:2 within 10%: b/a in [1.8, 2.2], in integer thousandths.
    r=$((b * 1000 / a))
    echo "weights: weight 256 ran $a us, weight 512 ran $b us, ratio $r/1000"
    if [ "$r" -ge 1800 ] && [ "$r" -le 2200 ]; then pass mica/weights/ratio
    else fail mica/weights/ratio "CPU time ratio $r/1000, want 2000 +-10%"; fi
fi

boot cap 1 "test=multi/wait_guests guests=1" \
    "domain=cap25 mem=32M cap=25 -- test=multi/spin spin=5"
report_lines cap
share=$(sed -n 's/^(d1)   spin: .* share \([0-9]*\)\.\([0-9]*\)% .*/\1\2/p' "$out/cap.log" | head -1)
if [ -z "$share" ]; then
    fail mica/cap/share "no spin figures" "$out/cap.log.raw"
else
    # 25% within 5% of itself: 23.75% .. 26.25% (share is in 1/100 %).
    echo "cap: cap=25 guest got $((10#$share / 100)).$(printf %02d $((10#$share % 100)))% of the CPU"
    if [ $((10#$share)) -ge 2375 ] && [ $((10#$share)) -le 2625 ]; then pass mica/cap/share
    else fail mica/cap/share "share $share/100 %, want 25% +-5%"; fi
fi

# dom0's first port for a fresh guest is 1 on both Mica and Xen.
boot pingpong 2 "test=multi/pingpong_dom0,multi/wait_guests peer=1 peer_port=1 guests=1" \
    "domain=pp mem=32M -- test=multi/pingpong_guest peer_port=1"
report_lines pingpong

boot smp 2 "test=smp"
report_lines smp

boot smpmm 2 "test=smpmm"
report_lines smpmm
if grep -q '^dom0 torn down: .* 0 leaked$' "$out/smpmm.log"; then
    pass mica/smpmm/teardown-no-leak
else
    fail mica/smpmm/teardown-no-leak "$(grep -E '^dom0 torn down|PANIC' "$out/smpmm.log" || echo 'no teardown report')" "$out/smpmm.log.raw"
fi

boot poll 1 "test=multi/poll_wakeup poll_check=1"
report_lines poll

# Grant ref 12 both ways; dom0's first port for a fresh guest is 1.
boot death 2 "test=multi/peer_death peer=1 dead_ref=12" \
    "domain=dead mem=32M -- test=multi/grant_then_die,multi/unprivileged dead_ref=12 peer_port=1 unpriv=1"
report_lines death

# dom0's ports 1 and 2 go to d1 and d2, in that order.
boot hammer 2 "test=multi/hammer_destroy peers=2" \
    "domain=ham1 mem=16M vcpus=2 -- test=multi/hammer_guest peer_port=1" \
    "domain=ham2 mem=16M vcpus=2 -- test=multi/hammer_guest peer_port=2"
report_lines hammer

# A boot-time guest's console ring is drained onto Mica's console: twice
# the ring's size written, all of it consumed and printed in order.  Its
# "ramdisk=ring" module (the kernel file again) is loaded as its ramdisk.
boot ring 1 "test=multi/wait_guests guests=1" "domain=ring mem=32M -- test=console/ring_drained" \
    "ramdisk=ring"
report_lines ring
rd=$(sed -n '/^d1 (ring):/,/^(d1)/s/^  initrd *0x\([0-9a-f]*\)-0x\([0-9a-f]*\)$/\1 \2/p' "$out/ring.log" | head -1)
want=$(stat -c %s "$kernel")
if [ -n "$rd" ] && [ $((0x${rd#* } - 0x${rd% *})) -eq "$want" ]; then
    pass mica/ring/ramdisk
else
    fail mica/ring/ramdisk "no $want-byte initrd in d1's build report" "$out/ring.log"
fi
lines=$(grep -c '^(d1) console/ring_drained: line [0-9]* of 64$' "$out/ring.log")
if [ "$lines" -eq 64 ] && grep -q '^(d1) console/ring_drained: line 64 of 64$' "$out/ring.log"; then
    pass mica/ring/printed
else
    fail mica/ring/printed "$lines of the guest's 64 ring lines on Mica's console" "$out/ring.log"
fi

# Every boot ends in dom0's clean power-off (status 1 through
# isa-debug-exit): a panic at teardown, after every test passed, fails too.
for r in weights cap pingpong smp smpmm poll death hammer ring; do
    grep -qE '^[0-9]+ passed, [0-9]+ failed' "$out/$r.log" ||
        fail "mica/$r/run" "dom0 did not finish" "$out/$r.log.raw"
    qemu_status "mica/$r/poweroff" "${qemu_rc[$r]}" 1 "$out/$r.log.raw"
done
result_exit
