# tests/unit/unit.mk - host unit tests (CUnit) of the hypervisor's pure
# logic, built from the very .c files the hypervisor links, under
# AddressSanitizer and UndefinedBehaviorSanitizer.
#
# One binary per area: UNIT_<area> lists the hypervisor sources it needs,
# UNIT_LIB_<area> the lib/ sources, UNIT_TESTS_<area> any test files beside
# tests/unit/test-<area>.c.

UNIT_CC     ?= gcc
include lib/lib.mk

UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -Dvsnprintf=mica_vsnprintf -Dsnprintf=mica_snprintf \
	-Ihypervisor/include $(LIB_PVBOOT_CFLAGS) -I$(BUILD)/include -Itests/unit \
	-include $(AUTOCONF) -MMD -MP
# lib/ calls the C library's own vsnprintf (see lib/freestanding.h).
UNIT_LIB_CFLAGS = $(filter-out -D%,$(UNIT_CFLAGS)) -Wmissing-prototypes -Wshadow
# ... but lib/'s own vsnprintf is the one under test: renamed like the rest,
# beside glibc's.
$(BUILD)/tests/unit/pvboot/vsnprintf.o: UNIT_LIB_CFLAGS = $(UNIT_CFLAGS) -Wmissing-prototypes -Wshadow
UNIT_LDLIBS := -lcunit -pthread
DEPS_PKGS   += libcunit1-dev

UNIT_AREAS := printk cmdline multiboot2 frame-alloc page-type page-type-smp elf pv-layout \
	event-channel event-op event-pirq event-race grant-table sched-credit unzip efi spinlock tsc
UNIT_printk      :=
UNIT_cmdline     := common/cmdline.c common/params.c
UNIT_multiboot2  := arch/x86/boot/multiboot2.c arch/x86/boot/efi-memmap.c
UNIT_efi         := $(UNIT_multiboot2) arch/x86/boot/efi-systab.c
UNIT_frame-alloc := mm/frame-alloc.c
UNIT_page-type   := mm/page-type.c
UNIT_page-type-smp := mm/page-type.c
UNIT_elf         :=
UNIT_LIB_elf     := lib/elf.c lib/elf-notes.c lib/elf-guest-info.c
UNIT_pv-layout   :=
UNIT_LIB_pv-layout := $(LIB_PVBOOT_SRCS)
UNIT_TESTS_pv-layout := tests/unit/elf-image.c
UNIT_TESTS_elf   := tests/unit/elf-image.c tests/unit/test-elf-notes.c tests/unit/test-elf-fuzz.c \
	tests/unit/test-elf-legacy.c
UNIT_event-channel := common/event-channel.c common/event-virq.c \
	common/event-2l.c common/event-op.c
UNIT_event-op    := $(UNIT_event-channel)
UNIT_event-race  := $(UNIT_event-channel)
UNIT_event-pirq  := $(UNIT_event-channel) common/event-pirq.c
UNIT_grant-table := common/grant-table.c mm/page-type.c
UNIT_sched-credit := common/sched/credit.c
UNIT_unzip       :=
UNIT_spinlock    :=
UNIT_tsc         :=
UNIT_LIB_unzip   := $(LIB_PVBOOT_SRCS)

UNIT_BINS := $(foreach a,$(UNIT_AREAS),$(BUILD)/tests/unit/test-$(a))
UNIT_COMMON := tests/unit/cunit-runner.c tests/unit/harness.c

$(BUILD)/tests/unit/hv/%.o: hypervisor/%.c $(AUTOCONF)
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) -c $< -o $@

$(BUILD)/tests/unit/pvboot/%.o: lib/%.c $(AUTOCONF)
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(UNIT_CC) $(UNIT_LIB_CFLAGS) -c $< -o $@

$(BUILD)/tests/unit/%.o: tests/unit/%.c $(AUTOCONF)
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) -c $< -o $@

define unit_bin
$(BUILD)/tests/unit/test-$(1): $(BUILD)/tests/unit/test-$(1).o \
		$(patsubst %.c,$(BUILD)/tests/unit/hv/%.o,$(UNIT_$(1))) \
		$(patsubst lib/%.c,$(BUILD)/tests/unit/pvboot/%.o,$(UNIT_LIB_$(1)) $(LIB_FORMAT_SRCS)) \
		$(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%.o,$(UNIT_TESTS_$(1))) \
		$(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%.o,$(UNIT_COMMON))
	$$(quiet) LINK $$@
	$$(Q)$$(UNIT_CC) $$(UNIT_CFLAGS) -o $$@ $$^ $$(UNIT_LDLIBS)
endef
$(foreach a,$(UNIT_AREAS),$(eval $(call unit_bin,$(a))))

.PHONY: unit
TEST_SUITES += unit
unit: $(UNIT_BINS)
	$(Q)rc=0; for t in $(UNIT_BINS); do \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $$t || rc=1; \
	done; exit $$rc

-include $(wildcard $(BUILD)/tests/unit/*.d $(BUILD)/tests/unit/pvboot/*.d $(BUILD)/tests/unit/hv/*/*.d $(BUILD)/tests/unit/hv/*/*/*.d $(BUILD)/tests/unit/hv/*/*/*/*.d)
