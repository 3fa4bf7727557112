# SPDX-License-Identifier: MIT
# dom0-tools/micatop/micatop.mk - micatop, the curses monitor with xentop's
# columns, keys and batch mode, and its tests.
#
#   make micatop         $(BUILD)/dom0-tools/micatop/micatop, static, for dom0
#   make unit-micatop    CUnit: samples to percentages and rates, the table
#                        byte for byte against xentop's, the JSON lines
# In dom0 the binary is /usr/sbin/micatop, with terminfo entries for the
# terminals it is tested on; dom0 tests are tests/linux/dom0-tests/7x-micatop*.sh,
# the screen test tests/linux/micatop-screen.sh (make test-micatop-screen).
#
# ncurses is linked statically from Debian's libncurses-dev (libncurses.a
# and libtinfo.a): dom0's initramfs has no shared libraries.  The static
# library finds terminfo in /etc/terminfo, /lib/terminfo and
# /usr/share/terminfo, so dom0 gets the few entries it needs in /lib/terminfo.

MT_DIR    := dom0-tools/micatop
MT_BUILD  := $(BUILD)/dom0-tools/micatop
MT_CC     ?= gcc
MT_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes \
	-O2 -g -I$(MT_DIR) -Idom0-tools/libmica -Iinclude -MMD -MP
MT_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

# Pure logic: also built into the unit tests.
MT_PURE := sample.c table.c json.c tail.c stale.c
# What reads the hypervisor and xenstore, and draws.
MT_IO   := main.c collect.c batch.c screen.c detail.c prof.c
MT_BIN  := $(MT_BUILD)/micatop
MT_TERMINFO := v/vt100 x/xterm l/linux s/screen t/tmux

.PHONY: micatop unit-micatop

ifneq ($(and $(LIBMICA_A),$(wildcard $(MT_DIR)/main.c)),)
all: micatop
micatop: $(MT_BIN)

$(MT_BUILD)/%.o: $(MT_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(MT_CC) $(MT_CFLAGS) $(LIBMICA_CFLAGS) -Ixenbus/libxs -c $< -o $@

$(MT_BIN): $(patsubst %.c,$(MT_BUILD)/%.o,$(MT_PURE) $(MT_IO)) $(LIBMICA_A) $(XS_LIBA)
	$(quiet) LINK $@
	$(Q)$(MT_CC) -static -o $@ $(filter %.o,$^) $(LIBMICA_A) $(XS_LIBA) $(LIBMICA_LDLIBS) \
		-lncurses -ltinfo -lm

DOM0_EXTRA_FILES += $(MT_BIN):/usr/sbin/micatop
DOM0_EXTRA_FILES += $(foreach t,$(MT_TERMINFO),/lib/terminfo/$(t):/lib/terminfo/$(t))
DEPS_PKGS += libncurses-dev ncurses-base tmux
else
micatop:
	@echo "micatop: needs libmica (dom0-tools/libmica/libmica.mk)"; exit 1
endif

# --- the screen in a real terminal: tmux around QEMU's serial console ---
# About 3 minutes of one boot (BENCH=1 adds the 20-domain measurement of
# the README, UPDATE=1 rewrites the expected captures).
test-micatop-screen: $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)BUILD=$(BUILD) KERNEL=$(DOM0_KERNEL) INITRD=$(DOM0_INITRD) HV_CMDLINE="$(DOM0_HV_CMDLINE)" \
		bash tests/linux/micatop-screen.sh $(HV_ELF) $(DOM0_OUT)/micatop-screen.iso \
		$(DOM0_OUT)/micatop-screen

.PHONY: test-micatop-screen
TEST_SUITES += test-micatop-screen

# --- host unit tests, under ASan/UBSan ---
MT_UT_BUILD := $(BUILD)/tests/unit/micatop
MT_UT_BIN   := $(MT_UT_BUILD)/test-micatop
MT_UT_OBJS  := $(patsubst tests/unit/micatop/%.c,$(MT_UT_BUILD)/%.o,$(wildcard tests/unit/micatop/*.c)) \
	$(patsubst %.c,$(MT_UT_BUILD)/pure/%.o,$(MT_PURE)) $(MT_UT_BUILD)/cunit-runner.o

$(MT_UT_BUILD)/pure/%.o: $(MT_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(MT_CC) $(MT_CFLAGS) $(MT_SAN) -c $< -o $@

$(MT_UT_BUILD)/%.o: tests/unit/micatop/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(MT_CC) $(MT_CFLAGS) $(MT_SAN) -Itests/unit -c $< -o $@

$(MT_UT_BUILD)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(MT_CC) $(MT_CFLAGS) $(MT_SAN) -Itests/unit -c $< -o $@

$(MT_UT_BIN): $(MT_UT_OBJS)
	$(quiet) LINK $@
	$(Q)$(MT_CC) $(MT_SAN) -o $@ $^ -lcunit -lm

unit-micatop: $(MT_UT_BIN)
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(MT_UT_BIN)

TEST_SUITES += unit-micatop



# --- fuzzing (clang's libFuzzer): guest bytes reach the console tail
# (tail-fuzz) and, as xenstore paths in watch events, stale.c (stale-fuzz).
MT_FUZZ_BUILD := $(BUILD)/tests/fuzz/micatop
MT_FUZZ_NAMES := tail stale
MT_FUZZ_TIME  ?= 60
MT_FUZZ_RUNS  ?= 200000

$(MT_FUZZ_BUILD)/%-fuzz: tests/fuzz/micatop/%-fuzz.c $(MT_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 -I$(MT_DIR) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $^

fuzz-micatop: $(MT_FUZZ_NAMES:%=$(MT_FUZZ_BUILD)/%-fuzz)
	$(Q)for f in $(MT_FUZZ_NAMES); do \
		mkdir -p $(MT_FUZZ_BUILD)/corpus-$$f && \
		$(MT_FUZZ_BUILD)/$$f-fuzz -max_total_time=$(MT_FUZZ_TIME) -rss_limit_mb=1024 \
			-artifact_prefix=$(MT_FUZZ_BUILD)/$$f- $(MT_FUZZ_BUILD)/corpus-$$f \
			tests/fuzz/micatop/$$f-seeds || exit 1; \
	done

# In make test: a fixed number of runs from a fixed seed and a fresh corpus.
test-micatop-fuzz: $(MT_FUZZ_NAMES:%=$(MT_FUZZ_BUILD)/%-fuzz)
	$(Q)rc=0; for f in $(MT_FUZZ_NAMES); do \
		rm -rf $(MT_FUZZ_BUILD)/corpus-test-$$f && mkdir -p $(MT_FUZZ_BUILD)/corpus-test-$$f; \
		if $(MT_FUZZ_BUILD)/$$f-fuzz -runs=$(MT_FUZZ_RUNS) -seed=1 -rss_limit_mb=1024 \
			-artifact_prefix=$(MT_FUZZ_BUILD)/$$f- $(MT_FUZZ_BUILD)/corpus-test-$$f \
			tests/fuzz/micatop/$$f-seeds \
			> $(MT_FUZZ_BUILD)/test-$$f.log 2>&1; then \
			echo "TEST fuzz/micatop-$$f: PASS"; \
		else echo "TEST fuzz/micatop-$$f: FAIL see $(MT_FUZZ_BUILD)/test-$$f.log"; rc=1; fi; \
	done; exit $$rc

.PHONY: fuzz-micatop test-micatop-fuzz
TEST_SUITES  += test-micatop-fuzz
FUZZ_TARGETS += fuzz-micatop
-include $(wildcard $(MT_BUILD)/*.d $(MT_UT_BUILD)/*.d $(MT_UT_BUILD)/pure/*.d)
