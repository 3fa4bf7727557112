# SPDX-License-Identifier: MIT
# tests/guest/guest.mk - the PV test kernel, the ABI cross-check and the
# run of the test kernel on real Xen (included by the top-level Makefile).
#
#   make testkernel       build $(BUILD)/tests/guest/testkernel
#   make test-abi         compare include/public with Xen's installed headers
#   make test-guest-xen   boot the test kernel as dom0 of Xen 4.17 in QEMU
#                         (builds the reference rig under $(BUILD)/ref once)
#   make test-logdirty    log-dirty tracking against test-kernel domUs
#   make test-hvfuzz      the hostile-guest hypercall fuzzer: 10^5 calls on
#                         one vCPU (seed 1, deterministic), then a replay
#   make fuzz-hv          6*10^5 calls on vCPU 0 raced by vCPU 1, over 10^6
#                         in all (FUZZ_SEED= picks the seed; FUZZ_ARGS= adds
#                         fuzz.* words, see fuzz.sh)
#
# The kernel is linked Linux-style at VIRT_BASE 0xffffffff80000000 + 1 MiB
# (see kernel.lds); its command line comes from start_info: "test=all",
# "test=NAME[,NAME]" or "test=AREA", optionally "hypercall=syscall".

GUEST_DIR   := tests/guest
GUEST_OUT   := $(BUILD)/tests/guest
GUEST_KERNEL := $(GUEST_OUT)/testkernel
SHARED      ?= ../shared

include lib/lib.mk

GUEST_CFLAGS := -std=gnu11 -ffreestanding -nostdlib -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pie -mcmodel=kernel -mno-red-zone -mno-sse -mno-mmx -mno-avx \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fcf-protection=none -fno-strict-aliasing -fno-toplevel-reorder \
	-Wall -Wextra -Werror -O2 -g \
	$(LIB_PVBOOT_CFLAGS) -I$(GUEST_DIR)/include -MMD -MP
GUEST_LDFLAGS := -nostdlib -no-pie -static -Wl,-T,$(GUEST_DIR)/kernel.lds \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

GUEST_SRCS := $(wildcard $(GUEST_DIR)/arch/*.S) \
	$(wildcard $(GUEST_DIR)/lib/*.c) \
	$(wildcard $(GUEST_DIR)/tests/*.c) $(wildcard $(GUEST_DIR)/tests/*.S)
# lib/ (ELF notes, bootstrap layout) for the builder tests, with our flags.
GUEST_OBJS := $(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/%.o,$(GUEST_SRCS)) \
	$(patsubst lib/%,$(GUEST_OUT)/pvboot/%.o,$(LIB_PVBOOT_SRCS) $(LIB_FORMAT_SRCS))

.PHONY: testkernel test-abi test-guest-xen
testkernel: $(GUEST_KERNEL)

$(GUEST_OUT)/%.c.o: $(GUEST_DIR)/%.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/pvboot/%.c.o: lib/%.c
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.S.o: $(GUEST_DIR)/%.S
	@mkdir -p $(dir $@)
	$(quiet) AS $@
	$(Q)$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_KERNEL): $(GUEST_OBJS) $(GUEST_DIR)/kernel.lds
	$(quiet) LD $@
	$(Q)$(CC) $(GUEST_LDFLAGS) -o $@ $(GUEST_OBJS)

-include $(GUEST_OBJS:.o=.d)

# --- ABI cross-check against Xen's own headers (libxen-dev) ---------------
ABI_DIR := include/public/check
ABI_OUT := $(BUILD)/tests/abi
ABI_BIN := $(ABI_OUT)/abi-vs-xen

$(ABI_OUT)/ours.o: $(ABI_DIR)/abi-ours.c $(wildcard $(ABI_DIR)/*.h) $(wildcard include/public/*.h include/public/*/*.h)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -std=gnu11 -Wall -Wextra -Werror -O1 -Iinclude -c $< -o $@

$(ABI_OUT)/xen.o: $(ABI_DIR)/abi-xen.c $(wildcard $(ABI_DIR)/*.h)
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) -std=gnu11 -Wall -Wextra -Werror -O1 -c $< -o $@

$(ABI_BIN): $(ABI_DIR)/abi-vs-xen.c $(wildcard $(ABI_DIR)/*.h) $(ABI_OUT)/ours.o $(ABI_OUT)/xen.o
	$(quiet) LD $@
	$(Q)$(CC) -std=gnu11 -Wall -Wextra -Werror -O1 -o $@ $< $(ABI_OUT)/ours.o $(ABI_OUT)/xen.o

# Without Xen's headers there is nothing to compare against: say so.
ifneq ($(wildcard /usr/include/xen/xen.h),)
test-abi: $(ABI_BIN)
	$(Q)$(ABI_BIN)
else
test-abi:
	@echo "TEST abi/xen-headers: SKIP libxen-dev is not installed"
endif

# --- the test kernel on real Xen (the oracle) -----------------------------
# Runs the test kernel on real Xen, then (when test-guest has run) prints
# the Mica/Xen table and fails on any undeclared disagreement.
test-guest-xen: $(GUEST_KERNEL)
	$(Q)rc=0; SHARED=$(SHARED) REF_WORK=$(abspath $(BUILD)/ref) \
		LOG=$(GUEST_OUT)/xen.log bash $(GUEST_DIR)/run-xen.sh $(GUEST_KERNEL) "test=all" || rc=1; \
	if [ -f $(GUEST_OUT)/mica-max.log.hv ]; then \
		if bash $(GUEST_DIR)/compare.sh $(GUEST_OUT)/mica-max.log.hv $(GUEST_OUT)/xen.log \
			> $(GUEST_OUT)/compare.txt; then \
			cat $(GUEST_OUT)/compare.txt; echo "TEST compare/mica-vs-xen: PASS"; \
		else \
			cat $(GUEST_OUT)/compare.txt; rc=1; \
			echo "TEST compare/mica-vs-xen: FAIL Mica and Xen disagree (see the table)"; \
		fi; \
	else \
		echo "TEST compare/mica-vs-xen: SKIP no Mica log to compare with (run test-guest first)"; \
	fi; exit $$rc

TEST_SUITES += test-abi test-guest-xen

# Log-dirty tracking (XEN_DOMCTL_shadow_op) from the test kernel as dom0
# against domUs built from its own image (tests/logdirty*.c).
.PHONY: test-logdirty
test-logdirty: $(HV_ELF) $(GUEST_KERNEL)
	$(Q)BUILD=$(BUILD) bash $(GUEST_DIR)/logdirty-tests.sh $(HV_ELF) $(GUEST_KERNEL)
TEST_SUITES += test-logdirty

# --- the hostile-guest hypercall fuzzer (tests/fuzz-*.c, fuzz.sh) ----------
# make test's run keeps vCPU 1 out (fuzz.race=0), so that it is the same
# run every time; make fuzz's races it (see the README's security section).
FUZZ_SEED ?= 1
.PHONY: test-hvfuzz fuzz-hv
test-hvfuzz: $(HV_ELF) $(GUEST_KERNEL)
	$(Q)BUILD=$(BUILD) FUZZ_ARGS=fuzz.race=0 bash $(GUEST_DIR)/fuzz.sh $(HV_ELF) \
		$(GUEST_KERNEL) 100000 1
fuzz-hv: $(HV_ELF) $(GUEST_KERNEL)
	$(Q)BUILD=$(BUILD) BOOT_TIMEOUT=3600 bash $(GUEST_DIR)/fuzz.sh $(HV_ELF) $(GUEST_KERNEL) \
		600000 $(FUZZ_SEED)
TEST_SUITES += test-hvfuzz
FUZZ_TARGETS += fuzz-hv
DEPS_PKGS   += libxen-dev qemu-system-x86 grub-pc-bin grub-common xorriso mtools
