# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/50-evtchn.sh - an event channel loop in dom0
# through /dev/xen/evtchn.
. /tests/lib.sh
if [ ! -x /usr/bin/evtchn-selftest ]; then
    skip evtchn-loop "no /usr/bin/evtchn-selftest in the initramfs"
else
    out=$(/usr/bin/evtchn-selftest 2>&1)
    rc=$?
    echo "$out"
    check evtchn-loop "$(echo "$out" | tail -n 1)" [ $rc -eq 0 ]
fi
