# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/20-dmesg.sh - the kernel log shows a Xen PV boot
# and no warning, BUG or oops.
. /tests/lib.sh
dmesg > /tmp/dmesg.txt
check kernel-on-xen "no 'Booting kernel on Xen' in dmesg" \
    grep -q 'Booting kernel on Xen' /tmp/dmesg.txt
check pv-console "no hvc0 console in dmesg" grep -q 'console \[hvc0\] enabled' /tmp/dmesg.txt
bad=$(grep -E 'WARNING:|BUG:|Oops|Kernel panic|Call Trace' /tmp/dmesg.txt | head -n 1)
check dmesg-clean "dmesg: $bad" [ -z "$bad" ]
