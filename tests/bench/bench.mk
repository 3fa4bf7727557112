# SPDX-License-Identifier: MIT
# tests/bench/bench.mk - `make bench`: null-hypercall and event-channel
# costs in the test kernel on Mica and on Xen 4.17, side by side
# (tests/bench/hypercall-bench.sh).  Included by the top-level Makefile.

.PHONY: bench-hypercall
BENCH_TARGETS += bench-hypercall
bench-hypercall: $(HV_ELF) $(BUILD)/tests/guest/testkernel
	$(Q)BUILD=$(BUILD) SHARED=$(SHARED) REF_WORK=$(abspath $(BUILD)/ref) \
		bash tests/bench/hypercall-bench.sh $(HV_ELF) $(BUILD)/tests/guest/testkernel

# Debian's Linux from QEMU's start to dom0's shell, Mica against Xen 4.17
# (tests/bench/dom0-boot-bench.sh), median of 3 boots each: about 3 min.
.PHONY: bench-dom0-boot
BENCH_TARGETS += bench-dom0-boot
bench-dom0-boot: $(HV_ELF) $(DOM0_XEN_GZ) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)BUILD=$(BUILD) MICA_CMDLINE="$(DOM0_HV_CMDLINE)" XEN_CMDLINE="$(DOM0_XEN_CMDLINE)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE)" bash tests/bench/dom0-boot-bench.sh $(HV_ELF) $(DOM0_XEN_GZ)

# Issue 12's toolstack figures (tests/bench/toolstack): `mica` on Mica and
# Debian's `xl` on Xen 4.17, each timed inside dom0 in one boot of each
# hypervisor with the same kernel and benchmark initramfs; the table goes
# to $(BUILD)/bench/toolstack.txt.  About 10 min under TCG.
TSB_DIR    := tests/bench/toolstack
TSB_OUT    := $(BUILD)/bench
TSB_BIN    := $(TSB_OUT)/tsb
TSB_INITRD := $(TSB_OUT)/initrd-bench
TSB_XEN    := $(TSB_OUT)/xen-tools.list
# Linux's own back end for the Xen side of bench-blkback (blk.sh loads it
# there only: under Mica it would claim mica-blkback's devices), and the
# stand-in for Xen's hotplug script there (Xen's needs bash).
TSB_MODULES := drivers/block/loop drivers/block/xen-blkback/xen-blkback
TSB_DEV     := blk.sh:/tests/bench-blk.sh xen-block:/etc/xen/scripts/block
# dom0's own files, with micastored's and mica-consoled's start-up scripts
# moved aside: S05bench-daemons starts them under Mica, Xen's under Xen.
TSB_MOVED   = %/S05micastored %/S10mica-consoled
tsb_files   = $(foreach p,$(DOM0_EXTRA_FILES),$(if $(filter $(TSB_MOVED),$(p)),$(firstword $(subst :, ,$(p))):/usr/lib/mica-bench/,$(p)))

$(TSB_BIN): $(TSB_DIR)/tsb.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -static -O2 -std=gnu11 -Wall -Wextra -Werror -Wmissing-prototypes -o $@ $<

$(TSB_XEN): $(DOM0_XEN_GZ) $(TSB_DIR)/xen-tools.sh
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)bash $(TSB_DIR)/xen-tools.sh $(BUILD)/ref/root > $@.tmp && mv $@.tmp $@

# Xen's pairs first: dom0's own libc and loader (xenstore-utils') win.
$(TSB_INITRD): $(DOM0_STAMP) scripts/dom0/init scripts/dom0/mkinitrd.sh $(TSB_XEN) $(TSB_BIN) \
		$(TSB_DIR)/dom0-bench.sh $(TSB_DIR)/S05bench-daemons $(addprefix $(TSB_DIR)/,$(foreach p,$(TSB_DEV),$(firstword $(subst :, ,$(p))))) \
		$(DOM0_OUT)/extra-files.list \
		$$(dom0_extra_srcs)
	$(quiet) GEN $@
	$(Q)bash scripts/dom0/mkinitrd.sh -o $@ -r $(DOM0_ROOT) -i scripts/dom0/init -k \
		$(foreach m,$(DOM0_MODULES) $(TSB_MODULES),-m $(m)) $$(sed 's/^/-f /' $(TSB_XEN)) \
		$(foreach p,$(tsb_files),-f $(p)) -f $(TSB_BIN):/usr/bin/tsb \
		-f $(TSB_DIR)/dom0-bench.sh:/tests/run.sh $(foreach p,$(TSB_DEV),-f $(TSB_DIR)/$(p)) \
		-f $(TSB_DIR)/S05bench-daemons:/etc/init.d/S05bench-daemons

.PHONY: bench-toolstack
BENCH_TARGETS += bench-toolstack
bench-toolstack: $(HV_ELF) $(DOM0_XEN_GZ) $(DOM0_KERNEL) $(TSB_INITRD)
	$(Q)BUILD=$(BUILD) MICA_CMDLINE="$(DOM0_HV_CMDLINE)" XEN_CMDLINE="$(DOM0_XEN_CMDLINE)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE)" XEN_DOM0_CMDLINE="$(DOM0_XEN_DOM0_CMDLINE)" \
		MEM=$(DOM0_QEMU_MEM) bash $(TSB_DIR)/run.sh $(HV_ELF) $(DOM0_XEN_GZ) \
		$(DOM0_KERNEL) $(TSB_INITRD)

# Issue 18's save and restore of a 256 MiB Linux domU: `mica save` and
# `mica restore` on Mica against Debian's `xl` on Xen 4.17, with
# bench-toolstack's boots and image and only that step
# (mica.bench.steps=save in tests/bench/toolstack/dom0-bench.sh).  dom0
# gets 768 MiB on both sides, so that the save file fits in its /tmp
# (half of its memory).  Table in $(BUILD)/bench/save.txt; about 15 min
# under TCG.
BSR_DOM0_MEM := dom0_mem=768M,max:768M
.PHONY: bench-save
BENCH_TARGETS += bench-save
bench-save: $(HV_ELF) $(DOM0_XEN_GZ) $(DOM0_KERNEL) $(TSB_INITRD)
	$(Q)BUILD=$(BUILD) NAME=save STEPS=save BENCH_N=$(or $(BENCH_N),3) \
		MICA_CMDLINE="$(patsubst dom0_mem=%,$(BSR_DOM0_MEM),$(DOM0_HV_CMDLINE))" \
		XEN_CMDLINE="$(patsubst dom0_mem=%,$(BSR_DOM0_MEM),$(DOM0_XEN_CMDLINE))" \
		DOM0_CMDLINE="$(DOM0_CMDLINE)" XEN_DOM0_CMDLINE="$(DOM0_XEN_DOM0_CMDLINE)" \
		MEM=$(DOM0_QEMU_MEM) bash $(TSB_DIR)/run.sh $(HV_ELF) $(DOM0_XEN_GZ) \
		$(DOM0_KERNEL) $(TSB_INITRD)
