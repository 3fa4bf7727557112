# SPDX-License-Identifier: MIT
# tests/uefi/uefi.mk - Mica and its Debian dom0 on UEFI firmware (included
# by the top-level Makefile after tests/linux/linux.mk).
#
#   make test-uefi   boot the hybrid BIOS+UEFI ISO (scripts/mkiso.sh) under
#                    OVMF on q35 (tests/lib/qemu.sh, QEMU_FIRMWARE=ovmf),
#                    with Debian's bzImage under the GRUB entry Debian's Xen
#                    package writes; dom0 runs only the firmware-facing
#                    tests (UEFI_DOM0_TESTS) and must show ACPI, DMI and
#                    rtc0 as on a BIOS boot; Mica's console is checked by
#                    tests/uefi/check-log.sh.  Log in $(BUILD)/uefi/.
#
# dom0-firmware.sh goes into every dom0 initramfs as /tests/15-firmware.sh,
# so the BIOS boots of make test-linux make the same checks.

UEFI_OUT        := $(BUILD)/uefi
UEFI_DOM0_TESTS ?= xen,firmware,dmesg,modules,boot-log,clock
DOM0_EXTRA_FILES += tests/uefi/dom0-firmware.sh:/tests/15-firmware.sh

.PHONY: test-uefi
test-uefi: $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD) tests/uefi/check-log.sh
	$(Q)rc=0; kernel=$$(ls $(DOM0_ROOT)/boot/vmlinuz-* | head -1); \
	QEMU_FIRMWARE=ovmf MKISO_UEFI=1 BUILD=$(BUILD) PREFIX=uefi SMP=2 CPU=max,-smap MEM=$(DOM0_QEMU_MEM) \
		HV_CMDLINE="$(DOM0_HV_CMDLINE)" TIMEOUT=400 OFF_MARK="Powering off (status 0)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE) mica.tests=$(UEFI_DOM0_TESTS) mica.firmware=efi" \
		KERNEL=$$kernel bash $(DOM0_DIR)/run-dom0.sh $(HV_ELF) $(UEFI_OUT)/mica-dom0-uefi.iso \
		$(UEFI_OUT)/mica-uefi.log || rc=1; \
	bash tests/uefi/check-log.sh $(UEFI_OUT)/mica-uefi.log || rc=1; \
	exit $$rc

# About 70 s under TCG: OVMF and GRUB 5 s, unpacking the bzImage 8 s,
# dom0 to its shell 30 s, then the tests (sleep 5 among them).
TEST_SUITES += test-uefi
DEPS_PKGS   += ovmf grub-efi-amd64-bin

# ---- libFuzzer over the Multiboot2 parser, the EFI memory map and the EFI
# system table reader (tests/fuzz/multiboot2), built from the hypervisor's
# own files as the unit tests are ----
#   make fuzz-multiboot2       a run of MB2_FUZZ_TIME seconds (in make fuzz)
#   make test-multiboot2-fuzz  MB2_FUZZ_RUNS inputs from a fixed seed (make test)
MB2_FUZZ_BUILD := $(BUILD)/tests/fuzz/multiboot2
MB2_FUZZ       := $(MB2_FUZZ_BUILD)/mb2-fuzz
MB2_FUZZ_TIME  ?= 60
MB2_FUZZ_RUNS  ?= 50000
MB2_FUZZ_SRCS  := tests/fuzz/multiboot2/mb2-fuzz.c $(addprefix hypervisor/arch/x86/boot/,multiboot2.c \
	efi-memmap.c efi-systab.c) lib/vsnprintf.c

$(MB2_FUZZ): $(MB2_FUZZ_SRCS) $(AUTOCONF)
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
		-Dvsnprintf=mica_vsnprintf -Dsnprintf=mica_snprintf -Ihypervisor/include $(LIB_PVBOOT_CFLAGS) \
		-I$(BUILD)/include -include $(AUTOCONF) \
		-fsanitize=fuzzer,address,undefined -o $@ $(MB2_FUZZ_SRCS)

.PHONY: fuzz-multiboot2 test-multiboot2-fuzz
fuzz-multiboot2: $(MB2_FUZZ)
	$(Q)mkdir -p $(MB2_FUZZ_BUILD)/corpus
	$(Q)$(MB2_FUZZ) -max_total_time=$(MB2_FUZZ_TIME) -max_len=16384 -rss_limit_mb=1024 \
		-artifact_prefix=$(MB2_FUZZ_BUILD)/ $(MB2_FUZZ_BUILD)/corpus tests/fuzz/multiboot2/seeds

test-multiboot2-fuzz: $(MB2_FUZZ)
	$(Q)rm -rf $(MB2_FUZZ_BUILD)/corpus-test && mkdir -p $(MB2_FUZZ_BUILD)/corpus-test
	$(Q)if $(MB2_FUZZ) -runs=$(MB2_FUZZ_RUNS) -seed=1 -max_len=8192 -rss_limit_mb=1024 \
		-artifact_prefix=$(MB2_FUZZ_BUILD)/ \
		$(MB2_FUZZ_BUILD)/corpus-test tests/fuzz/multiboot2/seeds \
		> $(MB2_FUZZ_BUILD)/test.log 2>&1; then \
		echo "TEST fuzz/multiboot2: PASS"; \
	else echo "TEST fuzz/multiboot2: FAIL see $(MB2_FUZZ_BUILD)/test.log"; exit 1; fi

TEST_SUITES  += test-multiboot2-fuzz
FUZZ_TARGETS += fuzz-multiboot2
