# SPDX-License-Identifier: MIT
# dom0-tools/etc/etc.mk - guest configurations installed in dom0's
# /etc/mica/ (included by the top-level Makefile).  tests/linux/linux.mk
# puts the kernels and ramdisk they name into dom0's /boot.
DOM0_EXTRA_FILES += dom0-tools/etc/debian.cfg:/etc/mica/debian.cfg
DOM0_EXTRA_FILES += dom0-tools/etc/testkernel.cfg:/etc/mica/testkernel.cfg
