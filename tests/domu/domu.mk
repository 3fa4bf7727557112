# SPDX-License-Identifier: MIT
# tests/domu/domu.mk - the small initramfs Linux domUs boot with
# (included by tests/linux/linux.mk, which fetches the packages).
#
#   make domu-initrd    $(BUILD)/domu/initrd-domU.img: busybox-static,
#                       /init (tests/domu/init), and from the same
#                       linux-image-amd64 as dom0 xen-privcmd and xenfs
#                       (loaded, for /proc/xen) and xen-blkfront and
#                       xen-netfront (not loaded: the disk and network
#                       back ends come with later work)
#
# dom0 carries it as /boot/initrd-domU.img beside Debian's vmlinuz
# (/etc/mica/debian.cfg boots the pair).

DOMU_INITRD  := $(BUILD)/domu/initrd-domU.img
DOMU_MODULES := drivers/xen/xen-privcmd drivers/xen/xenfs/xenfs \
		drivers/block/xen-blkfront drivers/net/xen-netfront

.PHONY: domu-initrd
domu-initrd: $(DOMU_INITRD)

$(DOMU_INITRD): $(DOM0_STAMP) tests/domu/init scripts/dom0/mkinitrd.sh tests/domu/domu.mk
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)bash scripts/dom0/mkinitrd.sh -o $@ -r $(DOM0_ROOT) -i tests/domu/init \
		$(foreach m,$(DOMU_MODULES),-m $(m))
