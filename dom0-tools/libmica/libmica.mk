# SPDX-License-Identifier: MIT
# dom0-tools/libmica/libmica.mk - libmica, the library every dom0 program
# links (privcmd hypercalls, foreign mappings, evtchn, gntdev/gntalloc,
# typed domctl/sysctl/memory_op wrappers, the PV domain builder), its
# host unit tests and its fuzz target.
#
#   make libmica        $(LIBMICA_A), a static archive
#   make test-libmica   CUnit suites of the pure parts (kernel images) and
#                       the unpacked-kernel cache (in a temporary dir), the
#                       real vmlinuz down to its Xen notes, 10 s of fuzzing
#   make fuzz-libmica   a bounded libFuzzer run over the kernel-image front end
#
# A dom0 program links it statically:
#   $(CC) -static $(LIBMICA_CFLAGS) ... $(LIBMICA_A) $(LIBMICA_LDLIBS)

# The ELF/Xen-note parser and the layout planner are lib/'s, compiled here
# with our flags into the archive (lib.mk only sets variables).
include lib/lib.mk

LIBMICA_DIR    := dom0-tools/libmica
LIBMICA_BUILD  := $(BUILD)/dom0-tools/libmica
LIBMICA_A      := $(LIBMICA_BUILD)/libmica.a
LIBMICA_CFLAGS := -I$(LIBMICA_DIR) -Iinclude -Ilib/include
LIBMICA_LDLIBS := -llzma -lz -lzstd
LIBMICA_CC     ?= gcc
LIBMICA_WARN   := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes

LIBMICA_SRCS := error.c privcmd.c foreign.c domctl.c sched.c sysctl.c memory.c \
	evtchn.c gntdev.c decompress.c kernel-image.c kernel-cache.c builder.c builder-mem.c \
	sr-write.c sr-read.c sr-walk.c sr-canon.c sr-fixup.c sr-save.c sr-restore.c domctl-save.c
LIBMICA_SRCS += shadow.c gnttab-seed.c
LIBMICA_OBJS := $(patsubst %.c,$(LIBMICA_BUILD)/%.o,$(LIBMICA_SRCS)) \
	$(patsubst lib/%.c,$(LIBMICA_BUILD)/lib/%.o,$(LIB_PVBOOT_SRCS))

DEPS_PKGS += liblzma-dev zlib1g-dev libzstd-dev libcunit1-dev clang

.PHONY: libmica test-libmica fuzz-libmica
all: libmica
libmica: $(LIBMICA_A)

$(LIBMICA_BUILD)/%.o: $(LIBMICA_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O2 -g $(LIBMICA_CFLAGS) -MMD -MP -c $< -o $@

$(LIBMICA_BUILD)/lib/%.o: lib/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O2 -g $(LIB_PVBOOT_CFLAGS) -MMD -MP -c $< -o $@

$(LIBMICA_A): $(LIBMICA_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

-include $(wildcard $(LIBMICA_BUILD)/*.d $(LIBMICA_BUILD)/lib/*.d)

# --- host unit tests of the pure parts, under ASan/UBSan ---
LIBMICA_PURE    := decompress.c kernel-image.c
LIBMICA_UT      := $(BUILD)/tests/unit/libmica
LIBMICA_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
LIBMICA_UT_BIN  := $(LIBMICA_UT)/test-image
LIBMICA_UT_OBJS := $(LIBMICA_UT)/test-image.o $(LIBMICA_UT)/test-kernel-cache.o \
	$(LIBMICA_UT)/cunit-runner.o $(patsubst %.c,$(LIBMICA_UT)/pure/%.o,$(LIBMICA_PURE)) \
	$(LIBMICA_UT)/pure/kernel-cache.o $(patsubst lib/%.c,$(LIBMICA_UT)/lib/%.o,$(LIB_PVBOOT_SRCS))

$(LIBMICA_UT)/pure/%.o: $(LIBMICA_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) $(LIBMICA_CFLAGS) -MMD -MP -c $< -o $@

$(LIBMICA_UT)/%.o: tests/unit/libmica/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) $(LIBMICA_CFLAGS) \
		$(LIB_PVBOOT_CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

# The real vmlinuz down to its notes, with lib/'s parser.
LIBMICA_NOTES_BIN := $(LIBMICA_UT)/vmlinuz-notes
LIBMICA_VMLINUZ    = $(firstword $(wildcard $(BUILD)/dom0/root/boot/vmlinuz-*))

$(LIBMICA_UT)/lib/%.o: lib/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) $(LIB_PVBOOT_CFLAGS) -MMD -MP -c $< -o $@

$(LIBMICA_NOTES_BIN): $(LIBMICA_UT)/vmlinuz-notes.o $(patsubst %.c,$(LIBMICA_UT)/pure/%.o,$(LIBMICA_PURE)) \
		$(patsubst lib/%.c,$(LIBMICA_UT)/lib/%.o,$(LIB_PVBOOT_SRCS))
	$(quiet) LINK $@
	$(Q)$(LIBMICA_CC) $(LIBMICA_SAN) -o $@ $^ $(LIBMICA_LDLIBS)

$(LIBMICA_UT)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) -Itests/unit -c $< -o $@

$(LIBMICA_UT_BIN): $(LIBMICA_UT_OBJS)
	$(quiet) LINK $@
	$(Q)$(LIBMICA_CC) $(LIBMICA_SAN) -o $@ $^ -lcunit $(LIBMICA_LDLIBS)

# --- libFuzzer over the kernel-image front end (clang) ---
LIBMICA_FUZZ      := $(LIBMICA_UT)/kernel-image-fuzz
LIBMICA_FUZZ_TIME ?= 60

$(LIBMICA_FUZZ): tests/fuzz/libmica/kernel-image-fuzz.c $(addprefix $(LIBMICA_DIR)/,$(LIBMICA_PURE) image.h) \
		$(LIB_PVBOOT_SRCS)
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 $(LIBMICA_CFLAGS) $(LIB_PVBOOT_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $@ $< \
		$(addprefix $(LIBMICA_DIR)/,$(LIBMICA_PURE)) $(LIB_PVBOOT_SRCS) $(LIBMICA_LDLIBS)

fuzz-libmica: $(LIBMICA_FUZZ)
	$(Q)mkdir -p $(LIBMICA_UT)/corpus
	$(Q)$(LIBMICA_FUZZ) -max_total_time=$(LIBMICA_FUZZ_TIME) -rss_limit_mb=1024 \
		$(LIBMICA_UT)/corpus tests/fuzz/libmica/seeds

# The suite: CUnit, then 10 s of fuzzing from the seeds (cheap, and it
# catches a crash the unit tests did not think of).
test-libmica: $(LIBMICA_UT_BIN) $(LIBMICA_NOTES_BIN) $(LIBMICA_FUZZ)
	$(Q)rc=0; ASAN_OPTIONS=detect_leaks=1 $(LIBMICA_UT_BIN) || rc=1; \
	ASAN_OPTIONS=detect_leaks=1 $(LIBMICA_NOTES_BIN) "$(LIBMICA_VMLINUZ)" || rc=1; \
	mkdir -p $(LIBMICA_UT)/corpus-test; \
	if $(LIBMICA_FUZZ) -max_total_time=10 -rss_limit_mb=1024 \
		$(LIBMICA_UT)/corpus-test tests/fuzz/libmica/seeds > $(LIBMICA_UT)/fuzz-test.log 2>&1; \
	then echo "TEST libmica/fuzz-kernel-image-10s: PASS"; \
	else echo "TEST libmica/fuzz-kernel-image-10s: FAIL see $(LIBMICA_UT)/fuzz-test.log"; rc=1; fi; \
	exit $$rc

TEST_SUITES   += test-libmica
FUZZ_TARGETS  += fuzz-libmica

-include $(wildcard $(LIBMICA_UT)/*.d $(LIBMICA_UT)/pure/*.d $(LIBMICA_UT)/lib/*.d)

# --- libmica-check: the in-dom0 test program (tests/linux/dom0-tests/3x-libmica*.sh) ---
LIBMICA_CHECK      := $(LIBMICA_BUILD)/libmica-check
LIBMICA_CHECK_SRCS := $(wildcard $(LIBMICA_DIR)/check/*.c)

$(LIBMICA_CHECK): $(LIBMICA_CHECK_SRCS) $(LIBMICA_DIR)/check/check.h $(LIBMICA_A)
	$(quiet) CC $@
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -static -O2 -g $(LIBMICA_CFLAGS) -o $@ \
		$(LIBMICA_CHECK_SRCS) $(LIBMICA_A) $(LIBMICA_LDLIBS)

DOM0_EXTRA_FILES += $(LIBMICA_CHECK):/usr/bin/libmica-check
