# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/25-xenstore.sh - micastored in dom0: it runs,
# Debian's xenstore-* clients work over its socket and through dom0's
# kernel (/dev/xen/xenbus), and dom0's kernel's own xenbus is served.
. /tests/lib.sh
PID=/var/run/xenstored.pid
SOCK=/var/run/xenstored/socket
LOG=/var/log/mica/micastored.log
if [ ! -x /usr/sbin/micastored ]; then
    skip xenstore/daemon "no /usr/sbin/micastored in the initramfs"
    exit 0
fi

# --- the daemon -----------------------------------------------------------
pid=$(cat $PID 2>/dev/null)
check xenstore/daemon-running "pid file '$pid', socket $([ -S $SOCK ] && echo present || echo missing)" \
    sh -c "[ -n '$pid' ] && kill -0 '$pid' 2>/dev/null && [ -S $SOCK ]"
v=$(xenstore-read /local/domain/0/name 2>&1)
d=$(xenstore-read /local/domain/0/domid 2>&1)
check xenstore/dom0-named "name '$v', domid '$d'" [ "$v" = Domain-0 -a "$d" = 0 ]

# --- Debian's clients over the socket --------------------------------------
rt() {      # NAME: write, read, ls, list, exists, chmod, rm round trip
    n=$1
    xenstore-write /mica-test/$n/a hello /mica-test/$n/b world || return 1
    [ "$(xenstore-read /mica-test/$n/a)" = hello ] || return 2
    xenstore-ls /mica-test/$n | grep -q 'b = "world"' || return 3
    [ "$(xenstore-list /mica-test/$n | tr '\n' ' ')" = "a b " ] || return 4
    xenstore-chmod /mica-test/$n/a n0 r5 || return 5
    xenstore-ls -p /mica-test/$n | grep '^a ' | grep -q 'n0,r5' || return 7
    xenstore-rm /mica-test/$n || return 8
    ! xenstore-exists /mica-test/$n/a || return 9
    return 0
}
rt sock; r=$?
check xenstore/socket-roundtrip "step $r of write/read/ls/list/chmod/rm failed" [ $r -eq 0 ]

# The same clients through dom0's kernel: libxenstore opens a device when
# XENSTORED_PATH is not a socket, and the kernel forwards over its ring.
if [ -c /dev/xen/xenbus ]; then
    XENSTORED_PATH=/dev/xen/xenbus rt kern; r=$?
    check xenstore/kernel-roundtrip "step $r over /dev/xen/xenbus failed" [ $r -eq 0 ]
    XENSTORED_PATH=/dev/xen/xenbus xenstore-write /mica-test/k via-kernel
    v=$(xenstore-read /mica-test/k 2>&1)
    check xenstore/kernel-and-socket-agree "socket reads '$v'" [ "$v" = via-kernel ]
    xenstore-rm /mica-test/k
else
    fail xenstore/kernel-roundtrip "no /dev/xen/xenbus"
fi

# A watch fires for a write from another client.
xenstore-write /mica-test/w 0
# Its exit status counts too: it cancels its reader thread on the way out.
( timeout 5 xenstore-watch -n 2 /mica-test/w >/tmp/xs-watch.out 2>&1
  echo $? >/tmp/xs-watch.rc ) &
wp=$!
sleep 0.5
xenstore-write /mica-test/w 1
wait $wp
check xenstore/watch "xenstore-watch exited $(cat /tmp/xs-watch.rc), printed '$(tr '\n' ' ' </tmp/xs-watch.out)'" \
    [ "$(grep -c '^/mica-test/w' /tmp/xs-watch.out)" -eq 2 -a "$(cat /tmp/xs-watch.rc)" = 0 ]
xenstore-rm /mica-test

# --- dom0's kernel xenbus: its backend bus watches "backend" and makes a
# device for a new backend node in state Initialising, then drops it when
# the node goes: both need micastored's events on the kernel's ring.
# The kernel names the device only if the frontend's node exists too.
be=/local/domain/0/backend/micatest/1/0
fe=/local/domain/1/device/micatest/0
dev=/sys/bus/xen-backend/devices/micatest-1-0
xenstore-write $fe/state 1
xenstore-write $be/frontend-id 1 $be/frontend $fe $be/state 1
i=0
while [ ! -e $dev ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check xenstore/kernel-backend-watch "no $dev 5 s after writing $be" [ -e $dev ]
# As a toolstack does: remove the device's own node (the kernel ignores
# events for paths less than three levels deep, such as backend/micatest).
xenstore-rm $be
i=0
while [ -e $dev ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check xenstore/kernel-backend-gone "$dev still there 5 s after removing $be" [ ! -e $dev ]
xenstore-rm /local/domain/0/backend /local/domain/1

# --- health ----------------------------------------------------------------
check xenstore/still-running "micastored exited (log: $(tail -n 2 $LOG 2>/dev/null | tr '\n' ' '))" \
    kill -0 "$pid"
bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace' | head -n 1)
check xenstore/dmesg-clean "$bad" [ -z "$bad" ]
bad=$(grep -E 'error|warning' $LOG 2>/dev/null | head -n 1)
check xenstore/log-clean "$bad" [ -z "$bad" ]
