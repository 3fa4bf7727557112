# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/10-xen.sh - the kernel runs as Xen's control domain.
. /tests/lib.sh
caps=$(cat /proc/xen/capabilities 2>&1)
check capabilities "/proc/xen/capabilities is '$caps', not control_d" \
    [ "$caps" = control_d ]
type=$(cat /sys/hypervisor/type 2>&1)
check sys-hypervisor "/sys/hypervisor/type is '$type'" [ "$type" = xen ]
