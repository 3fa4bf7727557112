# SPDX-License-Identifier: MIT
# lib/minimal-notes.mk - the PV test kernel as a kernel that leans on
# libelf's defaults (lib/elf-notes.c): only its GUEST_OS, XEN_VERSION,
# LOADER and HYPERCALL_PAGE notes, so the entry point is the ELF header's
# and VIRT_BASE is 0 (it is linked at its physical addresses, 1 MiB up).
#
#   make testkernel-minimal   $(BUILD)/tests/guest-minimal/testkernel
#   make test-minimal-notes   boot it as dom0 and as a boot-time guest
#                             (tests/qemu/minimal-notes-tests.sh)
#
# The same sources as tests/guest/guest.mk's kernel, compiled for the low
# 2 GiB (-mcmodel=small) with MINIMAL_NOTES and VIRT_BASE=0.

GUEST_MIN_OUT    := $(BUILD)/tests/guest-minimal
GUEST_MIN_KERNEL := $(GUEST_MIN_OUT)/testkernel
GUEST_MIN_CFLAGS := $(subst -mcmodel=kernel,-mcmodel=small,$(GUEST_CFLAGS)) \
	-DMINIMAL_NOTES -DVIRT_BASE=0
GUEST_MIN_OBJS   := $(patsubst $(GUEST_OUT)/%,$(GUEST_MIN_OUT)/%,$(GUEST_OBJS))

$(GUEST_MIN_OUT)/%.c.o: $(GUEST_DIR)/%.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_MIN_CFLAGS) -c $< -o $@

$(GUEST_MIN_OUT)/pvboot/%.c.o: lib/%.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_MIN_CFLAGS) -c $< -o $@

$(GUEST_MIN_OUT)/%.S.o: $(GUEST_DIR)/%.S
	@mkdir -p $(dir $@)
	$(quiet) AS $@
	$(Q)$(CC) $(GUEST_MIN_CFLAGS) -c $< -o $@

$(GUEST_MIN_OUT)/kernel.lds: $(GUEST_DIR)/kernel.lds
	@mkdir -p $(dir $@)
	$(Q)sed 's/^VIRT_BASE = 0xffffffff80000000;/VIRT_BASE = 0;/' $< > $@
	$(Q)grep -q '^VIRT_BASE = 0;' $@

$(GUEST_MIN_KERNEL): $(GUEST_MIN_OBJS) $(GUEST_MIN_OUT)/kernel.lds
	$(quiet) LD $@
	$(Q)$(CC) $(subst $(GUEST_DIR)/kernel.lds,$(GUEST_MIN_OUT)/kernel.lds,$(GUEST_LDFLAGS)) \
		-o $@ $(GUEST_MIN_OBJS)

-include $(GUEST_MIN_OBJS:.o=.d)

.PHONY: testkernel-minimal test-minimal-notes
testkernel-minimal: $(GUEST_MIN_KERNEL)

test-minimal-notes: $(HV_ELF) $(GUEST_MIN_KERNEL)
	$(Q)BUILD=$(BUILD) bash tests/qemu/minimal-notes-tests.sh $(HV_ELF) $(GUEST_MIN_KERNEL)

TEST_SUITES += test-minimal-notes
