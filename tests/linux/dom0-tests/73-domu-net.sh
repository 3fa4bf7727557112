#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/73-domu-net.sh - Linux domUs' vifs served by
# mica-netback on dom0's bridge micabr0 (10.200.0.0/24, dom0 .1): the
# back end's and front end's keys and permissions, the TAP on the bridge,
# 100 pings each way without a loss, 64 MiB of TCP each way with matching
# checksums (tests/domu/net-xfer), the counters micatop reads, MTU 9000
# (netfront takes it with feature-sg), a second guest's address from
# dom0's udhcpd and traffic between the guests across the bridge,
# network-attach/-list/-detach while the guest runs, and a guest destroyed
# mid-transfer leaving no TAP, a clean bridge and no back end; net2 has
# two vCPUs, so its vif runs two queues.  The
# guest's half is /usr/bin/net-test of tests/domu.  Prints TEST
# domu/net-<name> lines.
. /tests/lib.sh
domu_selected domu/net || exit 0
CFG=/etc/mica/debian.cfg
if [ ! -x /usr/sbin/mica ] || [ ! -x /usr/lib/mica/mica-netback ] || [ ! -x /usr/bin/net-xfer ]; then
    skip domu/net "needs /usr/sbin/mica, /usr/lib/mica/mica-netback and /usr/bin/net-xfer"
    exit 0
fi
T=/tmp/net BR=micabr0
mkdir -p $T
# net_step NAME STEP ARGS: type "net-test step ARGS" into NAME's shell and
# print the "NET-STEP ..." line it answers with (up to NET_WAIT seconds).
net_step() {
    ns_log=$GLOG/$1.log ns_tag="NET-$2"
    ns_n0=$(grep -ac "^$ns_tag " "$ns_log")
    domu_console "$1" 1 "net-test $(echo "$2" | tr A-Z a-z) $3\r" >/dev/null
    ns_more() { [ "$(grep -ac "^$ns_tag " "$ns_log")" -gt "$ns_n0" ]; }
    wait_for "${NET_WAIT:-120}" ns_more
    grep -a "^$ns_tag " "$ns_log" | tail -n 1 | tr -d '\r'
}
nb_count() { ps | grep -c '[m]ica-netback '"$1"' '; }
xfer_ok() { echo "$1" | grep -q "^NET-$2 bytes 67108864 sum $3 "; }

mica create $CFG 'name="netbad"' 'vif=["type=ioemu"]' >$T/bad.out 2>&1
check domu/net-refuse-ioemu "$(cat $T/bad.out)" grep -q 'only type=vif' $T/bad.out

mica create $CFG 'name="net1"' 'vif=["mac=00:16:3e:00:20:01"]' >$T/c1.out 2>&1
r1=$?
mica create $CFG 'name="net2"' 'vcpus=2' 'vif=["bridge=micabr0"]' >$T/c2.out 2>&1
r2=$?
check domu/net-create "status $r1 $r2: $(tail -n 1 $T/c1.out) $(tail -n 1 $T/c2.out)" \
    [ "$r1$r2" = 00 ]
id=$(mica domid net1 2>/dev/null) id2=$(mica domid net2 2>/dev/null)
if [ -z "$id" ] || [ -z "$id2" ] || ! wait_for 300 ready net1 || ! wait_for 300 ready net2; then
    fail domu/net-boot "net1 ($id) or net2 ($id2) never reached its shell: $(tail -n 4 $GLOG/net1.log 2>&1 | tr '\n' '|') back end: $(tail -n 5 /var/log/mica/netback.$id.0.log 2>&1 | tr '\n' '|')"
    mica destroy net1 2>/dev/null
    mica destroy net2 2>/dev/null
    exit 0
fi
BE=/local/domain/0/backend/vif/$id/0 FE=/local/domain/$id/device/vif/0 VIF=vif$id.0
connected() { [ "$(xenstore-read $BE/state 2>/dev/null)" = 4 ] && [ "$(xenstore-read $FE/state 2>/dev/null)" = 4 ]; }
check domu/net-connected "back end $(xenstore-read $BE/state 2>&1), front end $(xenstore-read $FE/state 2>&1); $(tail -n 2 /var/log/mica/netback.$id.0.log 2>&1 | tr '\n' '|')" \
    wait_for 60 connected
check domu/net-keys "rx-copy $(xenstore-read $BE/feature-rx-copy 2>&1) sg $(xenstore-read $BE/feature-sg 2>&1) mac $(xenstore-read $FE/mac 2>&1)" \
    sh -c "[ '$(xenstore-read $BE/feature-rx-copy)' = 1 ] && [ '$(xenstore-read $BE/feature-sg)' = 1 ] &&
           [ '$(xenstore-read $BE/feature-gso-tcpv4)' = 1 ] && [ '$(xenstore-read $BE/feature-split-event-channels)' = 1 ] &&
           [ '$(xenstore-read $FE/mac)' = 00:16:3e:00:20:01 ] && [ '$(xenstore-read $BE/bridge)' = $BR ] &&
           [ '$(xenstore-read $BE/hotplug-status)' = connected ]"
# net2 has two vCPUs, so netfront asks for two queues (queue-0/, queue-1/).
check domu/net-multi-queue "$(grep connected /var/log/mica/netback.$id2.0.log 2>&1)" \
    wait_for 60 grep -q 'connected: 2 queue(s), split' /var/log/mica/netback.$id2.0.log
mac2=$(xenstore-read /local/domain/$id2/device/vif/0/mac 2>&1)
check domu/net-default-mac "net2's mac $mac2" sh -c "echo '$mac2' | grep -Eq '^00:16:3e:[0-7][0-9a-f](:[0-9a-f]{2}){2}\$'"
check domu/net-perms "$(xenstore-ls -p /local/domain/$id/device/vif 2>&1 | head -n 1) / $(xenstore-ls -p /local/domain/0/backend/vif/$id 2>&1 | head -n 1)" \
    sh -c "xenstore-ls -p /local/domain/$id/device/vif | grep -Eq '^ *0 = \"\".*\\(n$id,r0\\)\$' &&
           xenstore-ls -p /local/domain/0/backend/vif/$id | grep -Eq '^ *0 = \"\".*\\(n0,r$id\\)\$'"
check domu/net-tap-on-bridge "$(ls /sys/class/net/$BR/brif 2>&1 | tr '\n' ' ')" \
    sh -c "[ -e /sys/class/net/$BR/brif/$VIF ] && [ -e /sys/class/net/$BR/brif/vif$id2.0 ] &&
           [ \"\$(cat /sys/class/net/$VIF/address)\" = fe:ff:ff:ff:ff:ff ]"
ip addr add 10.200.0.1/24 dev $BR 2>/dev/null
ip link set $BR up

u=$(net_step net1 UP "10.200.0.2/24")
check domu/net-guest-up "$u" sh -c "echo '$u' | grep -q '^NET-UP ok 00:16:3e:00:20:01'"
p=$(net_step net1 PING "10.200.0.1 100")
check domu/net-ping-domu-dom0 "$p" sh -c "echo '$p' | grep -q '100 packets transmitted, 100 packets received'"
p=$(ping -q -A -c 100 -W 5 10.200.0.2 2>&1 | grep -E 'transmitted|round-trip' | tr '\n' ' ')
check domu/net-ping-dom0-domu "$p" sh -c "echo '$p' | grep -q '100 packets transmitted, 100 packets received'"

# 64 MiB each way, checksummed at both ends.
net-xfer recv 5001 >$T/r1 2>&1 &
rpid=$!
s=$(NET_WAIT=300 net_step net1 SEND "10.200.0.1 5001 64")
wait $rpid
sum=$(awk '{ print $5 }' $T/r1)
check domu/net-tcp-domu-dom0 "guest: $s; dom0: $(cat $T/r1)" xfer_ok "$s" SEND "$sum"
net-xfer serve 5002 64 >$T/s2 2>&1 &
spid=$!
f=$(NET_WAIT=300 net_step net1 FETCH "10.200.0.1 5002")
wait $spid
sum=$(awk '{ print $5 }' $T/s2)
check domu/net-tcp-dom0-domu "dom0: $(cat $T/s2); guest: $f" xfer_ok "$f" FETCH "$sum"
sleep 2                             # the counters are published once a second
txb=$(xenstore-read $BE/statistics/tx_bytes 2>&1) rxb=$(xenstore-read $BE/statistics/rx_bytes 2>&1)
check domu/net-counters "tx_bytes $txb rx_bytes $rxb drops $(xenstore-read $BE/statistics/tx_drops 2>&1)" \
    sh -c "[ '$txb' -gt 67108864 ] && [ '$rxb' -gt 67108864 ]"

# Jumbo frames: netfront allows MTU 9000 because the back end offers feature-sg.
ip link set $VIF mtu 9000 && ip link set $BR mtu 9000
domu_console net1 1 'ip link set eth0 mtu 9000\r' >/dev/null
p=$(net_step net1 PING "10.200.0.1 10 8900")
p0=$(ping -q -A -c 10 -s 8900 -W 5 10.200.0.2 2>&1 | grep -E 'transmitted' | tr '\n' ' ')
check domu/net-mtu-9000 "guest: $p; dom0: $p0" \
    sh -c "echo '$p' | grep -q '10 packets received' && echo '$p0' | grep -q '10 packets received'"

# net2 takes its address from dom0's udhcpd, then the guests talk across the bridge.
cat >$T/udhcpd.conf <<EOF
start 10.200.0.100
end 10.200.0.110
interface $BR
lease_file $T/udhcpd.leases
pidfile $T/udhcpd.pid
option subnet 255.255.255.0
EOF
: >$T/udhcpd.leases
udhcpd -f $T/udhcpd.conf >$T/udhcpd.out 2>&1 &
dpid=$!
d=$(net_step net2 DHCP "")
kill $dpid 2>/dev/null
check domu/net-dhcp "$d" sh -c "echo '$d' | grep -Eq '^NET-DHCP ok 10\\.200\\.0\\.1[01][0-9]/24'"
a2=$(echo "$d" | sed -n 's/^NET-DHCP ok \([0-9.]*\).*/\1/p')
p=$(net_step net1 PING "${a2:-10.200.0.100} 20")
check domu/net-domu-domu "net1 -> net2 ($a2): $p" sh -c "echo '$p' | grep -q '20 packets received'"

# Hot plug: a second vif while net1 runs, listed as xl lists it, then gone again.
mica network-attach net1 bridge=$BR >$T/att.out 2>&1
w=$(net_step net1 WAIT eth1)
mica network-list net1 >$T/list.out 2>&1
check domu/net-attach "$(cat $T/att.out) $w; $(tr '\n' '|' <$T/list.out)" \
    sh -c "echo '$w' | grep -q '^NET-WAIT ok' && [ -e /sys/class/net/$BR/brif/vif$id.1 ] &&
           grep -q '^Idx BE Mac Addr.  *handle state evt-ch' $T/list.out &&
           grep -Eq '^1   0  00:16:3e:[0-9a-f:]{8} +1 +4 ' $T/list.out"
mica network-detach net1 1 >$T/det.out 2>&1
r=$?
g=$(net_step net1 GONE eth1)
check domu/net-detach "status $r $(cat $T/det.out); $g; $(nb_count $id) back ends" \
    sh -c "[ $r = 0 ] && echo '$g' | grep -q '^NET-GONE ok' && [ ! -e /sys/class/net/vif$id.1 ] &&
           [ \"\$(ps | grep -c '[m]ica-netback $id 1')\" = 0 ]"

# Destroyed in the middle of a transfer: nothing of the vif is left behind.
net-xfer recv 5003 >$T/r3 2>&1 &
rpid=$!
domu_console net1 1 'net-xfer send 10.200.0.1 5003 1024 &\r' >/dev/null
sleep 3
mica destroy net1
mica destroy net2
kill $rpid 2>/dev/null
left() { [ ! -e /sys/class/net/$VIF ] && [ ! -e /sys/class/net/vif$id2.0 ] && [ "$(nb_count $id)" = 0 ] &&
         [ "$(nb_count $id2)" = 0 ] && ! xenstore-read /local/domain/0/backend/vif/$id >/dev/null 2>&1; }
check domu/net-destroy-clean "TAPs $(ls /sys/class/net | tr '\n' ' '); bridge $(ls /sys/class/net/$BR/brif | tr '\n' ' '); back ends $(nb_count $id) $(nb_count $id2); $(tail -n 1 /var/log/mica/netback.$id.0.log)" \
    wait_for 30 left
check domu/net-bridge-clean "bridge ports: $(ls /sys/class/net/$BR/brif | tr '\n' ' ')" \
    [ -z "$(ls /sys/class/net/$BR/brif)" ]
