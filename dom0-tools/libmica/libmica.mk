# SPDX-License-Identifier: MIT
# dom0-tools/libmica/libmica.mk - libmica, the library every dom0 program
# links (privcmd hypercalls, foreign mappings, evtchn, gntdev/gntalloc,
# typed domctl/sysctl/memory_op wrappers, the PV domain builder), its
# host unit tests and its fuzz target.
#
#   make libmica        $(LIBMICA_A), a static archive
#   make test-libmica   CUnit suite of the pure parts (kernel images)
#   make fuzz-libmica   a bounded libFuzzer run over the kernel-image front end
#
# A dom0 program links it statically:
#   $(CC) -static $(LIBMICA_CFLAGS) ... $(LIBMICA_A) $(LIBMICA_LDLIBS)

LIBMICA_DIR    := dom0-tools/libmica
LIBMICA_BUILD  := $(BUILD)/dom0-tools/libmica
LIBMICA_A      := $(LIBMICA_BUILD)/libmica.a
LIBMICA_CFLAGS := -I$(LIBMICA_DIR) -Iinclude
LIBMICA_LDLIBS := -llzma -lz -lzstd
LIBMICA_CC     ?= gcc
LIBMICA_WARN   := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes

LIBMICA_SRCS := error.c privcmd.c foreign.c domctl.c sched.c sysctl.c memory.c \
	evtchn.c gntdev.c bzimage.c decompress.c kernel-image.c builder.c
LIBMICA_OBJS := $(patsubst %.c,$(LIBMICA_BUILD)/%.o,$(LIBMICA_SRCS))

DEPS_PKGS += liblzma-dev zlib1g-dev libzstd-dev libcunit1-dev clang

.PHONY: libmica test-libmica fuzz-libmica
all: libmica
libmica: $(LIBMICA_A)

$(LIBMICA_BUILD)/%.o: $(LIBMICA_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O2 -g $(LIBMICA_CFLAGS) -MMD -MP -c $< -o $@

$(LIBMICA_A): $(LIBMICA_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

-include $(wildcard $(LIBMICA_BUILD)/*.d)

# --- host unit tests of the pure parts, under ASan/UBSan ---
LIBMICA_PURE    := bzimage.c decompress.c kernel-image.c
LIBMICA_UT      := $(BUILD)/tests/unit/libmica
LIBMICA_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
LIBMICA_UT_BIN  := $(LIBMICA_UT)/test-image
LIBMICA_UT_OBJS := $(LIBMICA_UT)/test-image.o $(LIBMICA_UT)/cunit-runner.o \
	$(patsubst %.c,$(LIBMICA_UT)/pure/%.o,$(LIBMICA_PURE))

$(LIBMICA_UT)/pure/%.o: $(LIBMICA_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) $(LIBMICA_CFLAGS) -MMD -MP -c $< -o $@

$(LIBMICA_UT)/%.o: tests/unit/libmica/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) $(LIBMICA_CFLAGS) \
		$(LIB_PVBOOT_CFLAGS) -Itests/unit -MMD -MP -c $< -o $@

$(LIBMICA_UT)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) -Itests/unit -c $< -o $@

$(LIBMICA_UT_BIN): $(LIBMICA_UT_OBJS)
	$(quiet) LINK $@
	$(Q)$(LIBMICA_CC) $(LIBMICA_SAN) -o $@ $^ -lcunit $(LIBMICA_LDLIBS)

test-libmica: $(LIBMICA_UT_BIN)
	$(Q)ASAN_OPTIONS=detect_leaks=1 $(LIBMICA_UT_BIN)

TEST_SUITES += test-libmica

-include $(wildcard $(LIBMICA_UT)/*.d $(LIBMICA_UT)/pure/*.d)
