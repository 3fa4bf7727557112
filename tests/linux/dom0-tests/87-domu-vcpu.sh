# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/87-domu-vcpu.sh - vCPU hot plug of a 2-vCPU Linux
# domU with `mica vcpu-set`: down to 1 and back to 2.  The toolstack only
# writes cpu/N/availability; Linux unplugs vCPU 1 itself (VCPUOP_down from
# the dying CPU, then VCPUOP_is_up polled until it reads 0), and on
# "online" marks it present again, where, as in Debian (no udev rule for
# it), user space brings it up by writing 1 to its sysfs online file:
# VCPUOP_up, and it continues from where it went down.  Checked in the
# guest's /proc/cpuinfo and in `mica vcpu-list` (an offline vCPU shows
# CPU "-" and state "--p", as in xl).  Prints TEST domu/vcpu-<name> lines.
. /tests/lib.sh
domu_selected domu/vcpu || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -f $CFG ] || [ ! -f /var/run/mica-consoled.pid ]; then
    skip domu/vcpu "needs /usr/sbin/mica, $CFG and a running mica-consoled"
    exit 0
fi
T=/tmp/domu-vcpu
mkdir -p $T

# How many CPUs the guest's /proc/cpuinfo lists (a tagged line, so that
# the echo of the command is not read as the answer).
guest_cpus() {
    domu_console hot 3 'echo HOT-CPUS=$(grep -c ^processor /proc/cpuinfo)\r' >$T/g.out
    tr -d '\r' <$T/g.out | sed -n 's/^HOT-CPUS=\([0-9][0-9]*\)$/\1/p' | tail -n 1
}
# vcpu-list's row of vCPU 1: "CPU STATE".
vcpu1() { mica vcpu-list hot 2>/dev/null | awk '$3 == 1 { print $4, $5 }'; }
avail() { xenstore-read /local/domain/$id/cpu/$1/availability 2>&1; }

mica create $CFG 'name="hot"' 'vcpus=2' >$T/c.out 2>&1
id=$(mica domid hot 2>/dev/null)
if [ -z "$id" ] || ! wait_for 300 ready hot; then
    fail domu/vcpu-boot "hot (domid '$id') never reached its shell: $(tail -n 2 $T/c.out)"
    mica destroy hot 2>/dev/null
    exit 0
fi
n=$(guest_cpus)
check domu/vcpu-start "the guest lists '$n' CPUs, vCPU 1 is '$(vcpu1)'" \
    sh -c "[ '$n' = 2 ] && mica vcpu-list hot | awk '\$3 == 1 { exit !(\$4 ~ /^[0-9]+\$/) }'"

# xl's refusals: more vCPUs than the host has CPUs (unless -i), and more
# than the domain was made with (none at all: 88-mica-mem.sh).
mica vcpu-set hot 3 >$T/h.out 2>&1
r=$?
check domu/vcpu-set-overcommit "status $r: $(tr '\n' '|' <$T/h.out)" \
    sh -c "[ $r = 1 ] && [ \"\$(cat $T/h.out)\" = 'You are overcommmitting! You have 2 physical CPUs and want 3 vCPUs! Aborting, use --ignore-host to continue' ]"
mica vcpu-set -i hot 3 >$T/x.out 2>&1
r=$?
check domu/vcpu-set-over-max "status $r: $(tr '\n' '|' <$T/x.out)" \
    sh -c "[ $r = 1 ] && grep -qx 'libxl: error: Domain $id:Requested 3 VCPUs, however maxcpus is 2!' $T/x.out &&
           grep -qx 'libxl_set_vcpuonline failed domid=$id max_vcpus=3, rc: -3' $T/x.out"
check domu/vcpu-refused-untouched "availability $(avail 0)/$(avail 1)" \
    [ "$(avail 0)" = online -a "$(avail 1)" = online ]

# Down to 1: the guest unplugs vCPU 1 and the hypervisor sees it down.
mica vcpu-set hot 1 >$T/d.out 2>&1
r=$?
check domu/vcpu-set-down "status $r ($(cat $T/d.out)), availability $(avail 0)/$(avail 1)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/d.out ] && [ '$(avail 0)' = online ] && [ '$(avail 1)' = offline ]"
down() { [ "$(vcpu1)" = "- --p" ]; }
check domu/vcpu-list-offline "vCPU 1 is '$(vcpu1)', want '- --p'" wait_for 30 down
n=$(guest_cpus)
check domu/vcpu-guest-down "the guest lists '$n' CPUs, want 1" [ "$n" = 1 ]

# Back to 2: present again, then brought up from the guest's sysfs.
mica vcpu-set hot 2 >$T/u.out 2>&1
r=$?
check domu/vcpu-set-up "status $r ($(cat $T/u.out)), availability $(avail 1)" \
    sh -c "[ $r = 0 ] && [ ! -s $T/u.out ] && [ '$(avail 1)' = online ]"
domu_console hot 3 'echo 1 > /sys/devices/system/cpu/cpu1/online; echo HOT-ON=$?\r' >$T/o.out
check domu/vcpu-guest-online "writing cpu1/online: $(tr -d '\r' <$T/o.out | grep '^HOT-ON=' | tail -n 1)" \
    sh -c "tr -d '\r' <$T/o.out | grep -qx 'HOT-ON=0'"
up() { mica vcpu-list hot | awk '$3 == 1 { exit !($4 ~ /^[0-9]+$/) }'; }
check domu/vcpu-list-online "vCPU 1 is '$(vcpu1)'" wait_for 30 up
n=$(guest_cpus)
check domu/vcpu-guest-up "the guest lists '$n' CPUs, want 2" [ "$n" = 2 ]
bad=$(grep -E 'WARNING:|BUG:|Oops|Call Trace' $GLOG/hot.log | head -n 1)
check domu/vcpu-log-clean "$bad" [ -z "$bad" ]
mica destroy hot
check domu/vcpu-gone "hot still listed" wait_for 10 gone hot
