# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/40-privcmd.sh - a hypercall through privcmd
# (xen_version) agrees with what the kernel put in /sys/hypervisor.
. /tests/lib.sh
if [ ! -x /usr/bin/xen-version ]; then
    skip xen-version "no /usr/bin/xen-version in the initramfs"
else
    got=$(/usr/bin/xen-version -q 2>&1)
    v=/sys/hypervisor/version
    want=$(cat $v/major).$(cat $v/minor)$(cat $v/extra)
    echo "xen-version: hypercall says '$got', sysfs says '$want'"
    check xen-version "privcmd says '$got', sysfs '$want'" [ "$got" = "$want" ]
fi
