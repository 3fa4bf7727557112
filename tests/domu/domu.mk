# SPDX-License-Identifier: MIT
# tests/domu/domu.mk - the small initramfs Linux domUs boot with
# (included by tests/linux/linux.mk, which fetches the packages).
#
#   make domu-initrd    $(BUILD)/domu/initrd-domU.img: busybox-static,
#                       /init (tests/domu/init), and from the same
#                       linux-image-amd64 as dom0 xen-privcmd and xenfs
#                       (loaded, for /proc/xen), xen-blkfront and ext4
#                       with what it needs (loaded), xen-netfront (loaded;
#                       vif=[...] entries appear as eth0...); Debian's
#                       mkfs.ext4 and e2fsck with their libraries, and
#                       /usr/bin/blk-test (tests/domu/blk-test) for the
#                       disk tests (tests/linux/dom0-tests/65-domu-blk*.sh),
#                       net-test, net-xfer and udhcpc's script for the
#                       network tests (73-domu-net*.sh)
#
# dom0 carries it as /boot/initrd-domU.img beside Debian's vmlinuz
# (/etc/mica/debian.cfg boots the pair).

DOMU_INITRD  := $(BUILD)/domu/initrd-domU.img
DOMU_MODULES := drivers/xen/xen-privcmd drivers/xen/xenfs/xenfs \
		drivers/block/xen-blkfront drivers/net/xen-netfront \
		lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4

# Debian's e2fsprogs, dynamically linked, with the libraries it needs
# where its loader looks (scripts/dom0/debs-closed.sh checks the list).
E2FS_DIR   := $(BUILD)/domu/e2fsprogs
E2FS_ROOT  := $(E2FS_DIR)/root
E2FS_STAMP := $(E2FS_DIR)/.unpacked
E2FS_LIBS  := $(addprefix lib/x86_64-linux-gnu/,libext2fs.so.2 libcom_err.so.2 libe2p.so.2) \
	$(addprefix usr/lib/x86_64-linux-gnu/,libblkid.so.1 libuuid.so.1)
E2FS_LIBC  := lib/x86_64-linux-gnu/libc.so.6
E2FS_LDSO  := lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
E2FS_TOOLS := sbin/mke2fs sbin/e2fsck
E2FS_DOM0  := sbin/debugfs
E2FS_LIBSS := lib/x86_64-linux-gnu/libss.so.2

E2FS_DEBS  := e2fsprogs libext2fs2 libcom-err2 libss2 libblkid1 libuuid1 libc6

$(E2FS_STAMP): scripts/dom0/debs-closed.sh
	$(quiet) FETCH "$(E2FS_DEBS)"
	$(Q)bash scripts/dom0/debs-closed.sh $(E2FS_DIR) "$(E2FS_DEBS)" $(E2FS_TOOLS) $(E2FS_DOM0) \
		$(E2FS_LIBS) $(E2FS_LIBSS) $(E2FS_LIBC) $(E2FS_LDSO)
	$(Q)touch $@

$(addprefix $(E2FS_ROOT)/,$(E2FS_TOOLS) $(E2FS_DOM0) $(E2FS_LIBS) $(E2FS_LIBSS) $(E2FS_LIBC) \
		$(E2FS_LDSO)): $(E2FS_STAMP)
	@:

# Everything into /lib/x86_64-linux-gnu, one of the loader's own directories.
# busybox's mke2fs applet keeps its name; mke2fs makes ext4 when called mkfs.ext4.
E2FS_FILES := $(E2FS_ROOT)/sbin/e2fsck:/sbin/e2fsck \
	$(foreach f,$(E2FS_LIBS) $(E2FS_LIBC),$(E2FS_ROOT)/$(f):/lib/x86_64-linux-gnu/$(notdir $(f)))
DOMU_FILES := $(E2FS_FILES) $(E2FS_ROOT)/sbin/mke2fs:/sbin/mkfs.ext4 \
	$(E2FS_ROOT)/$(E2FS_LDSO):/lib64/ld-linux-x86-64.so.2 tests/domu/blk-test:/usr/bin/blk-test
# The network tests' halves: net-xfer (a checked TCP transfer, in dom0 too),
# net-test's steps, and the script busybox udhcpc runs with a lease.
NET_XFER := $(BUILD)/domu/net-xfer
DOMU_FILES += $(NET_XFER):/usr/bin/net-xfer tests/domu/net-test:/usr/bin/net-test \
	tests/domu/udhcpc.script:/etc/udhcpc/default.script
DOM0_EXTRA_FILES += $(NET_XFER):/usr/bin/net-xfer

# Debian's iperf3 with its libraries, in the domU and in dom0, for
# make bench-netback (libc and the loader come with e2fsprogs and
# xenstore-utils).
IPERF_DIR   := $(BUILD)/domu/iperf3
IPERF_ROOT  := $(IPERF_DIR)/root
IPERF_STAMP := $(IPERF_DIR)/.unpacked
IPERF_DEBS  := iperf3 libiperf0 libsctp1 libssl3 libc6
IPERF_FILES := usr/bin/iperf3 $(addprefix usr/lib/x86_64-linux-gnu/,libiperf.so.0 libsctp.so.1 \
	libssl.so.3 libcrypto.so.3) lib/x86_64-linux-gnu/libm.so.6

$(IPERF_STAMP): scripts/dom0/debs-closed.sh
	$(quiet) FETCH "$(IPERF_DEBS)"
	$(Q)bash scripts/dom0/debs-closed.sh $(IPERF_DIR) "$(IPERF_DEBS)" $(IPERF_FILES) \
		$(E2FS_LIBC) $(E2FS_LDSO)
	$(Q)touch $@

$(addprefix $(IPERF_ROOT)/,$(IPERF_FILES)): $(IPERF_STAMP)
	@:

iperf_files = $(IPERF_ROOT)/usr/bin/iperf3:/usr/bin/iperf3 \
	$(foreach f,$(filter %.so.0 %.so.1 %.so.3 %.so.6,$(IPERF_FILES)),$(IPERF_ROOT)/$(f):/lib/x86_64-linux-gnu/$(notdir $(f)))
DOMU_FILES += $(iperf_files)
DOM0_EXTRA_FILES += $(iperf_files)

$(NET_XFER): tests/domu/net-xfer.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -static -O2 -Wall -Wextra -Werror -o $@ $<
# dom0 checks images with e2fsck and reads files out of them with debugfs
# (libc and the loader come with xenstore-utils).
DOM0_EXTRA_FILES += $(foreach f,sbin/e2fsck $(E2FS_DOM0),$(E2FS_ROOT)/$(f):/$(f)) \
	$(foreach f,$(E2FS_LIBS) $(E2FS_LIBSS),$(E2FS_ROOT)/$(f):/lib/x86_64-linux-gnu/$(notdir $(f)))

.PHONY: domu-initrd
domu-initrd: $(DOMU_INITRD)

$(DOMU_INITRD): $(DOM0_STAMP) tests/domu/init scripts/dom0/mkinitrd.sh tests/domu/domu.mk \
		$(foreach f,$(DOMU_FILES),$(firstword $(subst :, ,$(f))))
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)bash scripts/dom0/mkinitrd.sh -o $@ -r $(DOM0_ROOT) -i tests/domu/init \
		$(foreach m,$(DOMU_MODULES),-m $(m)) $(foreach f,$(DOMU_FILES),-f $(f))
