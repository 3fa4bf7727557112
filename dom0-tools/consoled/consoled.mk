# SPDX-License-Identifier: MIT
# dom0-tools/consoled/consoled.mk - mica-consoled (dom0's console daemon),
# the console client library the `mica` CLI links, and their tests.
#
#   make consoled        $(BUILD)/dom0-tools/consoled/{mica-consoled,
#                        mica-console,libmicaconsole.a} (static, for dom0)
#   make test-consoled   CUnit suites: ring copy, backlog, rate limiter, and
#                        a console served end to end over a fake dom0
#   make fuzz-consoled   libFuzzer over the ring consumption (CONS_FUZZ_TIME s)
#   make test-consoled-fuzz  the same for CONS_FUZZ_RUNS inputs (in make test)
#
# For the CLI: link $(CONSOLE_CLIENT_A), compile with $(CONSOLE_CLIENT_CFLAGS),
# call mica_console_attach() (dom0-tools/consoled/client.h).

CONS_DIR    := dom0-tools/consoled
CONS_BUILD  := $(BUILD)/dom0-tools/consoled
CONS_CC     ?= gcc
CONS_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes \
	-O2 -g -I$(CONS_DIR) -Iinclude -MMD -MP
CONS_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

# Pure logic: also built into the unit tests and the fuzzer.
CONS_PURE   := cons-ring.c backlog.c ratelimit.c
# The I/O files the host tests run over a fake device layer and store.
CONS_IO     := console.c cons-io.c cons-sock.c cons-log.c log.c clock.c client.c
CONS_DAEMON := main.c discover.c $(filter-out client.c,$(CONS_IO)) $(CONS_PURE)

CONSOLE_CLIENT_A      := $(CONS_BUILD)/libmicaconsole.a
CONSOLE_CLIENT_CFLAGS := -I$(CONS_DIR)
CONSOLED_BIN          := $(CONS_BUILD)/mica-consoled
CONSOLE_BIN           := $(CONS_BUILD)/mica-console
CONS_TESTGUEST        := $(CONS_BUILD)/consoled-testguest

.PHONY: consoled test-consoled test-consoled-fuzz fuzz-consoled

$(CONS_BUILD)/%.o: $(CONS_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(CONS_CC) $(CONS_CFLAGS) $(LIBMICA_CFLAGS) -Ixenbus/libxs -c $< -o $@

$(CONSOLE_CLIENT_A): $(CONS_BUILD)/client.o
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

$(CONSOLE_BIN): $(CONS_BUILD)/console-main.o $(CONSOLE_CLIENT_A)
	$(quiet) LINK $@
	$(Q)$(CONS_CC) -static -o $@ $^

# The daemon needs libmica, whose fragment is included after this one:
# its variables are read at second expansion.
ifneq ($(wildcard dom0-tools/libmica/libmica.mk),)
.SECONDEXPANSION:
$(CONSOLED_BIN): $(patsubst %.c,$(CONS_BUILD)/%.o,$(CONS_DAEMON)) $(XS_LIBA) $$(LIBMICA_A)
	$(quiet) LINK $@
	$(Q)$(CONS_CC) -static -o $@ $(filter %.o,$^) $(LIBMICA_A) $(XS_LIBA) $(LIBMICA_LDLIBS)

# A never-running domain with a real console page, for the dom0 tests.
$(CONS_TESTGUEST): $(CONS_BUILD)/testguest.o $(XS_LIBA) $$(LIBMICA_A)
	$(quiet) LINK $@
	$(Q)$(CONS_CC) -static -o $@ $(filter %.o,$^) $(LIBMICA_A) $(XS_LIBA) $(LIBMICA_LDLIBS)

consoled: $(CONSOLED_BIN) $(CONS_TESTGUEST)
DOM0_EXTRA_FILES += $(CONSOLED_BIN):/usr/sbin/mica-consoled
DOM0_EXTRA_FILES += $(CONS_TESTGUEST):/usr/lib/mica/consoled-testguest
DOM0_EXTRA_FILES += $(CONS_DIR)/S10mica-consoled:/etc/init.d/S10mica-consoled
endif
consoled: $(CONSOLE_BIN) $(CONSOLE_CLIENT_A)
all: consoled
DOM0_EXTRA_FILES += $(CONSOLE_BIN):/usr/sbin/mica-console

# --- unit tests: the pure files again, under ASan/UBSan ---
CONS_UT_BUILD := $(BUILD)/tests/unit/consoled
CONS_UT_SRCS  := $(wildcard tests/unit/consoled/*.c)
CONS_UT_OBJS  := $(patsubst tests/unit/consoled/%.c,$(CONS_UT_BUILD)/%.o,$(CONS_UT_SRCS)) \
	$(patsubst %.c,$(CONS_UT_BUILD)/core/%.o,$(CONS_PURE) $(CONS_IO)) \
	$(CONS_UT_BUILD)/cunit-runner.o
CONS_UT_BIN   := $(CONS_UT_BUILD)/consoled-unit
CONS_UT_INC   := -Idom0-tools/libmica -Ixenbus/libxs -Itests/unit

$(CONS_UT_BUILD)/core/%.o: $(CONS_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(CONS_CC) $(CONS_CFLAGS) $(CONS_SAN) $(CONS_UT_INC) -c $< -o $@

$(CONS_UT_BUILD)/%.o: tests/unit/consoled/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(CONS_CC) $(CONS_CFLAGS) $(CONS_SAN) $(CONS_UT_INC) -c $< -o $@

$(CONS_UT_BUILD)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(CONS_CC) $(CONS_CFLAGS) $(CONS_SAN) -Itests/unit -c $< -o $@

$(CONS_UT_BIN): $(CONS_UT_OBJS)
	$(quiet) LINK $@
	$(Q)$(CONS_CC) $(CONS_CFLAGS) $(CONS_SAN) -o $@ $^ -lcunit

test-consoled: $(CONS_UT_BIN)
	$(Q)ASAN_OPTIONS=detect_leaks=1 $(CONS_UT_BIN)

# --- fuzzing (clang's libFuzzer) ---
CONS_FUZZ_BUILD := $(BUILD)/tests/fuzz/consoled
CONS_FUZZ       := $(CONS_FUZZ_BUILD)/cons-fuzz
CONS_FUZZ_TIME  ?= 60

$(CONS_FUZZ): tests/fuzz/consoled/cons-fuzz.c $(addprefix $(CONS_DIR)/,$(CONS_PURE))
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 -I$(CONS_DIR) -Iinclude \
		-fsanitize=fuzzer,address,undefined -o $@ $^

fuzz-consoled: $(CONS_FUZZ)
	$(Q)mkdir -p $(CONS_FUZZ_BUILD)/corpus
	$(Q)$(CONS_FUZZ) -max_total_time=$(CONS_FUZZ_TIME) -rss_limit_mb=1024 \
		$(CONS_FUZZ_BUILD)/corpus tests/fuzz/consoled/seeds

# In make test: a fixed number of runs from a fixed seed and a fresh corpus.
CONS_FUZZ_RUNS ?= 200000
test-consoled-fuzz: $(CONS_FUZZ)
	$(Q)rm -rf $(CONS_FUZZ_BUILD)/corpus-test && mkdir -p $(CONS_FUZZ_BUILD)/corpus-test
	$(Q)if $(CONS_FUZZ) -runs=$(CONS_FUZZ_RUNS) -seed=1 -rss_limit_mb=1024 \
		-artifact_prefix=$(CONS_FUZZ_BUILD)/ \
		$(CONS_FUZZ_BUILD)/corpus-test tests/fuzz/consoled/seeds \
		> $(CONS_FUZZ_BUILD)/test.log 2>&1; then \
		echo "TEST fuzz/consoled: PASS"; \
	else echo "TEST fuzz/consoled: FAIL see $(CONS_FUZZ_BUILD)/test.log"; exit 1; fi

TEST_SUITES  += test-consoled test-consoled-fuzz
FUZZ_TARGETS += fuzz-consoled

-include $(wildcard $(CONS_BUILD)/*.d $(CONS_UT_BUILD)/*.d $(CONS_UT_BUILD)/core/*.d)
