# SPDX-License-Identifier: MIT
# tests/linux/dom0-tests/35-libmica.sh - libmica in dom0 (libmica-check):
# the device layer, then the domain builder on the PV test kernel, on a
# file that is no kernel, and on Debian's vmlinuz (the kernel dom0 runs)
# up to its first console lines.  Each prints TEST libmica/<name> lines.
. /tests/lib.sh
if [ ! -x /usr/bin/libmica-check ]; then
    skip libmica "no /usr/bin/libmica-check in the initramfs"
    exit 0
fi
libmica-check basic
# The builds boot guests, which the reference run on Xen has no time for
# (its one boot holds every dom0 test); they are checked under Mica.
if ! grep -q mica /sys/hypervisor/version/extra 2>/dev/null; then
    skip libmica/builds "domains are built under Mica only (the Xen run's time budget)"
    exit 0
fi
libmica-check testkernel /boot/mica-testkernel
libmica-check bad /tests/lib.sh
kernel=
for k in /boot/vmlinuz /boot/vmlinuz-*; do
    [ -f "$k" ] && { kernel=$k; break; }
done
if [ -z "$kernel" ]; then
    skip libmica/build-linux "no /boot/vmlinuz in the initramfs"
elif [ -f /boot/initrd-domU.img ]; then
    libmica-check linux "$kernel" /boot/initrd-domU.img
else
    libmica-check linux "$kernel"
fi
