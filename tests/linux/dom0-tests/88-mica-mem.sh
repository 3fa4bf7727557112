# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/88-mica-mem.sh - `mica mem-set`, `mem-max` and
# `vcpu-set` against a PV test-kernel domU (it has no balloon driver and
# no vCPU hot plug, so only the toolstack's half is seen): the xenstore
# keys in xl's units, the hypervisor's max_pages 1 MiB above (`list -l`'s
# max_memkb), xl's refusals and messages, and nothing written when a
# request is refused.  The guest's half is 86-domu-balloon.sh and
# 87-domu-vcpu.sh.  Prints TEST mica/mem-<name> lines.
. /tests/lib.sh
CFG=/etc/mica/testkernel.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f /boot/mica-testkernel ] || [ ! -f $CFG ]; then
    skip mica/mem "needs /usr/sbin/mica, /boot/mica-testkernel and $CFG"
    exit 0
fi
if ! grep -q mica /sys/hypervisor/version/extra 2>/dev/null; then
    skip mica/mem "guests are created by mica under Mica only (the boot's time budget)"
    exit 0
fi
T=/tmp/mica-mem
mkdir -p $T
mica() { timeout 60 /usr/sbin/mica "$@"; }
# runs NAME WANT-STATUS WANT-STDERR VERB ARGS...: the status and the whole
# of stderr (lines joined with |) as xl gives them, nothing on stdout.
runs() {
    rn=$1 rs=$2 re=$3
    shift 3
    mica "$@" >$T/o.out 2>$T/e.out
    r=$?
    e=$(tr '\n' '|' <$T/e.out)
    check mica/mem-$rn "mica $* gave status $r, stderr '$e', stdout '$(cat $T/o.out)'" \
        [ "$r" = "$rs" -a "$e" = "$re" -a ! -s $T/o.out ]
}
key() { xenstore-read /local/domain/$id/$1 2>&1; }
maxkb() { mica list -l mm | sed -n 's/.*"max_memkb": \([0-9]*\),/\1/p'; }

mica create $CFG 'name="mm"' 'maxmem=48' 'vcpus=1' 'maxvcpus=2' \
    'extra="test=multi/wait_guests guests=1 wait=900"' >/dev/null 2>$T/c.err
id=$(mica domid mm 2>/dev/null)
if [ -z "$id" ]; then
    fail mica/mem-create "no domain mm: $(tail -n 1 $T/c.err)"
    exit 0
fi
vm=$(key vm)
check mica/mem-created "target $(key memory/target), static-max $(key memory/static-max), max_memkb $(maxkb)" \
    [ "$(key memory/target)" = 32768 -a "$(key memory/static-max)" = 49152 -a "$(maxkb)" = 50176 ]

# mem-set: KiB in memory/target, MiB in /vm/UUID/memory, max_pages + 1 MiB.
runs set-down 0 "" mem-set mm 24m
check mica/mem-set-keys "target $(key memory/target), $vm/memory $(xenstore-read $vm/memory 2>&1), max_memkb $(maxkb)" \
    [ "$(key memory/target)" = 24576 -a "$(xenstore-read $vm/memory 2>&1)" = 24 -a "$(maxkb)" = 25600 ]
runs set-kib 0 "" mem-set mm 30720k
check mica/mem-set-kib-key "target $(key memory/target)" [ "$(key memory/target)" = 30720 ]
runs set-over-max 1 "libxl: error: Domain $id:memory_dynamic_max must be less than or equal to memory_static_max|cannot set domid $id dynamic max memory to : 49m|" \
    mem-set mm 49m
runs set-bad-size 1 "invalid memory size: 12q|" mem-set mm 12q
runs set-no-domain 1 "nosuch is an invalid domain identifier (rc=-6)|" mem-set nosuch 16
check mica/mem-refused-untouched "target $(key memory/target), max_memkb $(maxkb)" \
    [ "$(key memory/target)" = 30720 -a "$(maxkb)" = 31744 ]

# mem-max: never below the target; static-max follows, so mem-set may go up to it.
runs max-below-target 1 "libxl: error: Domain $id:memory_static_max must be greater than or or equal to memory_dynamic_max|cannot set domid $id static max memory to : 16m|" \
    mem-max mm 16m
runs max-up 0 "" mem-max mm 64m
check mica/mem-max-keys "static-max $(key memory/static-max), max_memkb $(maxkb)" \
    [ "$(key memory/static-max)" = 65536 -a "$(maxkb)" = 66560 ]
runs set-to-new-max 0 "" mem-set mm 64m
check mica/mem-set-to-new-max-key "target $(key memory/target)" [ "$(key memory/target)" = 65536 ]

# vcpu-set: xl's refusals, then every availability key rewritten.
runs vcpu-zero 1 "libxl: error: Domain $id:Requested 0 VCPUs!|libxl_set_vcpuonline failed domid=$id max_vcpus=0, rc: -3|" \
    vcpu-set mm 0
runs vcpu-over-max 1 "libxl: error: Domain $id:Requested 3 VCPUs, however maxcpus is 2!|libxl_set_vcpuonline failed domid=$id max_vcpus=3, rc: -3|" \
    vcpu-set -i mm 3
runs vcpu-bad 1 "Error: Invalid argument.|" vcpu-set mm x
check mica/mem-vcpu-start "availability $(key cpu/0/availability)/$(key cpu/1/availability)" \
    [ "$(key cpu/0/availability)" = online -a "$(key cpu/1/availability)" = offline ]
runs vcpu-two 0 "" vcpu-set --ignore-host mm 2
check mica/mem-vcpu-two-keys "availability $(key cpu/0/availability)/$(key cpu/1/availability)" \
    [ "$(key cpu/0/availability)" = online -a "$(key cpu/1/availability)" = online ]
runs vcpu-one 0 "" vcpu-set mm 1
check mica/mem-vcpu-one-keys "availability $(key cpu/0/availability)/$(key cpu/1/availability)" \
    [ "$(key cpu/0/availability)" = online -a "$(key cpu/1/availability)" = offline ]
mica destroy mm
check mica/mem-destroyed "mm still listed" wait_for 10 gone mm
