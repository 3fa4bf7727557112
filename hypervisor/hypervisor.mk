# hypervisor/hypervisor.mk - builds build/hypervisor/mica, the Multiboot2
# ELF image, and build/mica.iso, a GRUB BIOS rescue image that boots it.
#
# Files are listed by layer; a file that also builds on the host for the
# unit tests (tests/unit) must include only the freestanding headers.

HV_SRCS := \
	arch/x86/boot/head.S \
	arch/x86/boot/trampoline.S \
	arch/x86/smp.c \
	arch/x86/boot/multiboot2.c \
	arch/x86/boot/efi-memmap.c \
	arch/x86/boot/efi-systab.c \
	arch/x86/efi.c \
	arch/x86/setup.c \
	arch/x86/boot-domains.c \
	arch/x86/descriptors.c \
	arch/x86/entry.S \
	arch/x86/traps.c \
	arch/x86/paging.c \
	arch/x86/acpi.c \
	arch/x86/power.c \
	arch/x86/apic.c \
	arch/x86/io-apic.c \
	arch/x86/xstate.c \
	arch/x86/mca.c \
	arch/x86/time.c \
	arch/x86/selftest.c \
	arch/x86/rtc.c \
	arch/x86/guest-access.c \
	drivers/ns16550.c \
	common/string.c \
	common/console.c \
	common/cmdline.c \
	common/params.c \
	common/panic.c \
	common/domain.c \
	common/timer.c \
	common/sched/core.c \
	common/sched/credit.c \
	common/hypercall.c \
	common/version.c \
	common/console-io.c \
	common/guest-console.c \
	common/sched-op.c \
	common/vm-assist.c \
	common/vcpu-op.c \
	common/memory.c \
	common/target-domain.c \
	common/memory-exchange.c \
	common/event-channel.c \
	common/event-virq.c \
	common/event-2l.c \
	common/event-op.c \
	common/event-pirq.c \
	common/grant-table.c \
	common/grant-map.c \
	common/grant-copy.c \
	common/grant-op.c \
	common/domctl.c \
	common/domctl-vcpu.c \
	common/domctl-save.c \
	common/sysctl.c \
	common/platform-op.c \
	pv/domain-build.c \
	pv/hypercall-page.c \
	pv/traps.c \
	pv/iret.c \
	pv/callback.c \
	pv/vcpu.c \
	pv/segment-base.c \
	pv/debugreg.c \
	pv/emulate.c \
	pv/cpuid.c \
	pv/mmu.c \
	pv/descriptor-tables.c \
	pv/ptwr.c \
	pv/physdev.c \
	pv/physdev-irq.c \
	pv/context-switch.c \
	mm/frame-alloc.c \
	mm/heap.c \
	mm/m2p.c \
	mm/page-type.c \
	mm/frame-table.c \
	mm/tlb-clock.c \
	mm/pagetable.c \
	mm/seg-desc.c \
	mm/log-dirty.c \
	mm/shadow.c \
	mm/shadow-fault.c \
	mm/perdomain.c \
	mm/grant-pte.c

include lib/lib.mk

# lib/ (ELF notes, bootstrap layout) is compiled with the hypervisor's flags.
HV_OBJS  := $(patsubst %,$(BUILD)/hypervisor/%.o,$(HV_SRCS)) \
	$(patsubst lib/%,$(BUILD)/hypervisor/pvboot/%.o,$(LIB_PVBOOT_SRCS) $(LIB_FORMAT_SRCS))
HV_ELF   := $(BUILD)/hypervisor/mica
HV_LDS   := hypervisor/arch/x86/mica.lds
VERSION_H := $(BUILD)/include/generated/version.h
MICA_VERSION := 0.1.0

HV_CC     ?= gcc
HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wno-unused-parameter \
	-ffreestanding -nostdinc -isystem $(shell $(HV_CC) -print-file-name=include) \
	-fpie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -fno-strict-aliasing -mno-red-zone -mgeneral-regs-only \
	-Ihypervisor/include/libc -Ihypervisor/include $(LIB_PVBOOT_CFLAGS) -I$(BUILD)/include \
	-include hypervisor/include/mica/visibility.h -include $(AUTOCONF) -MMD -MP
HV_LDFLAGS := -nostdlib -static --build-id=sha1 -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

DEPS_PKGS += grub-pc-bin grub-common xorriso mtools qemu-system-x86

.PHONY: hypervisor iso
all: hypervisor iso
hypervisor: $(HV_ELF)

# Objects depend on the flags too, so changing them rebuilds everything.
HV_FLAGS_FILE := $(BUILD)/hypervisor/.flags
$(HV_FLAGS_FILE): FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)echo '$(HV_CC) $(HV_CFLAGS) $(HV_LDFLAGS)' | cmp -s - $@ || \
		echo '$(HV_CC) $(HV_CFLAGS) $(HV_LDFLAGS)' > $@

$(BUILD)/hypervisor/%.c.o: hypervisor/%.c $(AUTOCONF) $(HV_FLAGS_FILE) | $(VERSION_H)
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(HV_CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/hypervisor/pvboot/%.c.o: lib/%.c $(AUTOCONF) $(HV_FLAGS_FILE) | $(VERSION_H)
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(HV_CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/hypervisor/%.S.o: hypervisor/%.S $(AUTOCONF) $(HV_FLAGS_FILE)
	$(Q)mkdir -p $(dir $@)
	$(quiet) AS $<
	$(Q)$(HV_CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(HV_ELF): $(HV_OBJS) $(HV_LDS)
	$(quiet) LD $@
	$(Q)ld $(HV_LDFLAGS) -T $(HV_LDS) -o $@ $(HV_OBJS)
	$(Q)grub-file --is-x86-multiboot2 $@ || { echo "$@: not a Multiboot2 image" >&2; exit 1; }

# The version string is rebuilt only when git describe changes.
$(VERSION_H): FORCE
	$(Q)mkdir -p $(dir $@)
	$(Q)d=$$(git describe --always --dirty 2>/dev/null || echo unknown); \
	printf '#define MICA_VERSION "%s"\n#define MICA_GIT_DESCRIBE "%s"\n' \
		"$(MICA_VERSION)" "$$d" > $@.tmp; \
	if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
.PHONY: FORCE
FORCE:

# ---- bootable image -------------------------------------------------------
# HV_CMDLINE is what the hypervisor receives; MODULES is a list of
# "file[:string]" entries passed as module2 lines (a dom0 kernel later).
HV_CMDLINE ?= console=com1 loglvl=info
MODULES    ?=

iso: $(BUILD)/mica.iso
$(BUILD)/mica.iso: $(HV_ELF) scripts/mkiso.sh
	$(quiet) ISO $@
	$(Q)bash scripts/mkiso.sh -o $@ -c "$(HV_CMDLINE)" $(HV_ELF) $(foreach m,$(MODULES),-m "$(m)")

-include $(HV_OBJS:.o=.d)
