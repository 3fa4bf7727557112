# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/86-domu-runtime.sh - a Linux domU's memory and
# vCPUs changed while it runs, on one 2-vCPU guest (one boot for both):
#
# Ballooning with `mica mem-set`, 256 MiB down to 160 MiB, back, and up
# to its maxmem of 320 MiB.  The toolstack only writes memory/target (KiB)
# and moves max_pages; Linux's balloon driver gives the pages back with
# XENMEM_decrease_reservation and takes them again with
# XENMEM_populate_physmap.  Above the 256 MiB it booted with it grows into
# the RAM its memory map (XENMEM_memory_map, set at create as libxl does)
# says is there.  Seen in the guest (the balloon's info/current_kb,
# MemTotal), in `mica list` (Mem: the pages the domain holds) and in
# `mica info` (free_memory grows by what was given back, and shrinks
# again).
#
# vCPU hot plug with `mica vcpu-set`, 2 down to 1 and back.  The toolstack
# only writes cpu/N/availability; Linux unplugs vCPU 1 itself (VCPUOP_down
# on the dying CPU, VCPUOP_is_up polled until it reads 0).  On "online" it
# only marks the CPU present, and as in Debian (no udev rule for it) user
# space brings it up by writing 1 to its sysfs online file: VCPUOP_up, and
# it continues from where it went down.  Seen in the guest's /proc/cpuinfo
# and in `mica vcpu-list` (an offline vCPU shows CPU "-" and state "--p",
# as in xl).  Prints TEST domu/balloon-<name> and domu/vcpu-<name> lines.
. /tests/lib.sh
domu_selected domu/runtime || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/runtime "needs /usr/sbin/mica, $CFG and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-runtime
mkdir -p $T
BAL=/sys/devices/system/xen_memory/xen_memory0/info/current_kb
CPU1=/sys/devices/system/cpu/cpu1/online
# The guest's view in one line each, tagged so that the echo of the typed
# command is not read as the answer.
SHOW="echo RT-MEM=\$(cat $BAL) \$(grep MemTotal /proc/meminfo) RT-CPUS=\$(grep -c ^processor /proc/cpuinfo)"
# guest_view FILE: "CURRENT_KB MEMTOTAL_KB CPUS" from a console capture.
guest_view() {
    tr -d '\r' <"$1" | awk '/^RT-MEM=[0-9]/ { sub("RT-MEM=", ""); c = $1; t = $3;
        sub("RT-CPUS=", "", $5); n = $5 } END { print c + 0, t + 0, n + 0 }'
}
list_mb() { mica list rt 2>/dev/null | awk 'NR == 2 { print $3 }'; }
# vcpu-list's row of vCPU 1: "CPU STATE".
vcpu1() { mica vcpu-list rt 2>/dev/null | awk '$3 == 1 { print $4, $5 }'; }
key() { xenstore-read /local/domain/$id/$1 2>&1; }
clean_log() {
    bad=$(grep -E 'WARNING:|BUG:|Oops|Call Trace' $GLOG/rt.log | head -n 1)
    check "$1" "$bad" [ -z "$bad" ]
}

mica create $CFG 'name="rt"' 'vcpus=2' 'maxmem=320' >$T/c.out 2>&1
id=$(mica domid rt 2>/dev/null)
if [ -z "$id" ] || ! wait_for 300 ready rt; then
    fail domu/runtime-boot "rt (domid '$id') never reached its shell: $(tail -n 2 $T/c.out)"
    mica destroy rt 2>/dev/null
    exit 0
fi
domu_console rt 3 "$SHOW\r" >$T/v0.out
set -- $(guest_view $T/v0.out)
cur0=$1 tot0=$2
f0=$(free_mb)
check domu/balloon-start "current_kb $1 (want 262144), list $(list_mb) MiB" \
    sh -c "[ '$1' = 262144 ] && [ '$(list_mb)' -ge 255 ]"
check domu/vcpu-start "the guest lists '$3' CPUs, vCPU 1 is '$(vcpu1)'" \
    sh -c "[ '$3' = 2 ] && mica vcpu-list rt | awk '\$3 == 1 { exit !(\$4 ~ /^[0-9]+\$/) }'"

# xl's vcpu-set refusals: more vCPUs than the host has CPUs (unless -i),
# and more than the domain was made with (none at all: 88-mica-mem.sh).
mica vcpu-set rt 3 >$T/h.out 2>&1
r=$?
check domu/vcpu-set-overcommit "status $r: $(tr '\n' '|' <$T/h.out)" \
    sh -c "[ $r = 1 ] && [ \"\$(cat $T/h.out)\" = 'You are overcommmitting! You have 2 physical CPUs and want 3 vCPUs! Aborting, use --ignore-host to continue' ]"
mica vcpu-set -i rt 3 >$T/x.out 2>&1
r=$?
check domu/vcpu-set-over-max "status $r: $(tr '\n' '|' <$T/x.out)" \
    sh -c "[ $r = 1 ] && grep -qx 'libxl: error: Domain $id:Requested 3 VCPUs, however maxcpus is 2!' $T/x.out &&
           grep -qx 'libxl_set_vcpuonline failed domid=$id max_vcpus=3, rc: -3' $T/x.out"
check domu/vcpu-refused-untouched "availability $(key cpu/0/availability)/$(key cpu/1/availability)" \
    [ "$(key cpu/0/availability)" = online -a "$(key cpu/1/availability)" = online ]

# Down by 96 MiB: the target in KiB, then the guest lets go of the pages.
t0=$(cut -d' ' -f1 /proc/uptime)
mica mem-set rt 160m >$T/s.out 2>&1
r=$?
check domu/balloon-set-down "status $r ($(cat $T/s.out)), target $(key memory/target)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/s.out ] && [ '$(key memory/target)' = 163840 ]"
shrunk() { [ "$(list_mb)" -le 161 ]; }
check domu/balloon-list-down "mica list shows $(list_mb) MiB, want <= 161" wait_for 60 shrunk
t1=$(cut -d' ' -f1 /proc/uptime)
echo "balloon: 96 MiB given back in $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", b - a }') s"
f1=$(free_mb)
check domu/balloon-free-grows "free_memory $f0 -> $f1 MiB, want about +96" \
    sh -c "[ $(($f1 - $f0)) -ge 94 ] && [ $(($f1 - $f0)) -le 98 ]"

# Down to 1 vCPU: the guest unplugs vCPU 1 and the hypervisor sees it down.
mica vcpu-set rt 1 >$T/d.out 2>&1
r=$?
check domu/vcpu-set-down "status $r ($(cat $T/d.out)), availability $(key cpu/0/availability)/$(key cpu/1/availability)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/d.out ] && [ '$(key cpu/0/availability)' = online ] &&
           [ '$(key cpu/1/availability)' = offline ]"
down() { [ "$(vcpu1)" = "- --p" ]; }
check domu/vcpu-list-offline "vCPU 1 is '$(vcpu1)', want '- --p'" wait_for 30 down
domu_console rt 3 "$SHOW\r" >$T/v1.out
set -- $(guest_view $T/v1.out)
check domu/balloon-guest-down "current_kb $1 (want 163840), MemTotal $2 kB (was $tot0)" \
    sh -c "[ '$1' = 163840 ] && [ $(($tot0 - $2)) -ge 96000 ] && [ $(($tot0 - $2)) -le 100000 ]"
check domu/vcpu-guest-down "the guest lists '$3' CPUs, want 1" [ "$3" = 1 ]
clean_log domu/runtime-log-clean-down

# Both back: populate_physmap refills what the balloon holds, and vCPU 1
# is brought up from the guest's sysfs once Linux has made it present.
mica mem-set rt 256 >$T/u.out 2>&1
r=$?
check domu/balloon-set-up "status $r ($(cat $T/u.out)), target $(key memory/target)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/u.out ] && [ '$(key memory/target)' = 262144 ]"
grown() { [ "$(list_mb)" -ge 255 ]; }
check domu/balloon-list-up "mica list shows $(list_mb) MiB, want >= 255" wait_for 60 grown
check domu/balloon-free-back "free_memory $(free_mb) MiB, $f0 before" [ "$(free_mb)" = "$f0" ]
mica vcpu-set rt 2 >$T/p.out 2>&1
r=$?
check domu/vcpu-set-up "status $r ($(cat $T/p.out)), availability $(key cpu/1/availability)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/p.out ] && [ '$(key cpu/1/availability)' = online ]"
domu_console rt 4 "i=0; while [ ! -e $CPU1 ] && [ \$i -lt 30 ]; do sleep 0.1; i=\$((i+1)); done; echo 1 >$CPU1; echo RT-ON=\$?; $SHOW\r" \
    >$T/v2.out
check domu/vcpu-guest-online "writing cpu1/online: '$(tr -d '\r' <$T/v2.out | grep '^RT-ON=' | tail -n 1)'" \
    sh -c "tr -d '\r' <$T/v2.out | grep -qx 'RT-ON=0'"
up() { mica vcpu-list rt | awk '$3 == 1 { exit !($4 ~ /^[0-9]+$/) }'; }
check domu/vcpu-list-online "vCPU 1 is '$(vcpu1)'" wait_for 30 up
set -- $(guest_view $T/v2.out)
check domu/balloon-guest-up "current_kb $1 (want 262144), MemTotal $2 kB (was $tot0)" \
    sh -c "[ '$1' = 262144 ] && [ '$2' = '$tot0' ]"
check domu/vcpu-guest-up "the guest lists '$3' CPUs, want 2" [ "$3" = 2 ]

# Above the boot memory, up to static-max: 64 MiB more from the free pool.
mica mem-set rt 320m >$T/g.out 2>&1
r=$?
check domu/balloon-set-above-boot "status $r ($(cat $T/g.out)), target $(key memory/target)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/g.out ] && [ '$(key memory/target)' = 327680 ]"
above() { [ "$(list_mb)" -ge 319 ]; }
check domu/balloon-list-above-boot "mica list shows $(list_mb) MiB, want >= 319" wait_for 60 above
check domu/balloon-free-above-boot "free_memory $(free_mb) MiB, $f0 at 256 MiB" \
    sh -c "[ $(($f0 - $(free_mb))) -ge 63 ] && [ $(($f0 - $(free_mb))) -le 65 ]"
domu_console rt 3 "$SHOW\r" >$T/v3.out
set -- $(guest_view $T/v3.out)
check domu/balloon-guest-above-boot "current_kb $1 (want 327680), MemTotal $2 kB (was $tot0)" \
    sh -c "[ '$1' = 327680 ] && [ $(($2 - $tot0)) -ge 65000 ] && [ $(($2 - $tot0)) -le 65536 ]"
clean_log domu/runtime-log-clean-up
mica destroy rt
check domu/runtime-gone "rt still listed" wait_for 10 gone rt
