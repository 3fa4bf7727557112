# SPDX-License-Identifier: MIT
# dom0-tools/mica/mica.mk - the `mica` toolstack CLI (xl's verbs and
# xl.cfg), its host unit tests, its fuzz target and its dom0 tests.
#
#   make mica             $(BUILD)/dom0-tools/mica/mica, static, for dom0
#   make unit-mica        CUnit: the xl.cfg parser against golden files,
#                         output formats, domain specs, uuids
#   make fuzz-xlcfg       libFuzzer on the cfg parser (XLCFG_FUZZ_TIME s)
#   make test-xlcfg-fuzz  the same for XLCFG_FUZZ_RUNS inputs (in make test)
#   make bench-migrate    live migration's total time and downtime, idle and
#                         dirtying (tests/linux/dom0-tests/84-*)
# In dom0 the binary is /usr/sbin/mica; tests/linux/dom0-tests/5x-mica*.sh.

MICA_BUILD  := $(BUILD)/dom0-tools/mica
MICA_CC     ?= gcc
MICA_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes \
	-O2 -g -Idom0-tools/mica -Idom0-tools/libmica -Iinclude -MMD -MP
MICA_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

# Pure logic: no I/O beyond a FILE handed in; linked into the unit tests
# and the fuzzer as well as the binary.
MICA_PURE := xlcfg-syntax.c domcfg.c devspec.c cpumap.c uuid.c domcfg-json.c \
	format.c domspec.c xs-layout.c vbd-layout.c vif-layout.c
# The verbs and what talks to the hypervisor and xenstore.
MICA_IO   := main.c verbs.c cli.c cmd-list.c cmd-info.c cmd-domain.c cmd-mem.c cmd-vcpu.c \
	cmd-create.c cmd-shutdown.c cmd-console.c console-attach.c domain.c domain-create.c \
	monitor.c backend.c vbd.c cmd-block.c vif.c cmd-network.c
MICA_BIN  := $(MICA_BUILD)/mica
# save, restore and migrate (the stream itself is libmica's).
MICA_IO   += cmd-save.c save-config.c cmd-restore.c stream-fd.c migrate-chan.c cmd-migrate.c \
	cmd-migrate-receive.c

.PHONY: mica unit-mica fuzz-xlcfg test-xlcfg-fuzz

# The binary needs libmica (dom0-tools/libmica/libmica.mk, included
# before this file) and libmicaxs (xenbus/xenbus.mk).
ifneq ($(and $(LIBMICA_A),$(wildcard dom0-tools/mica/main.c)),)
all: mica
mica: $(MICA_BIN)

$(MICA_BUILD)/%.o: dom0-tools/mica/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(MICA_CC) $(MICA_CFLAGS) $(LIBMICA_CFLAGS) -Ixenbus/libxs -c $< -o $@

# `mica console` and `create -c` use mica-consoled's client library when
# its fragment (dom0-tools/consoled/consoled.mk) provides one.
ifneq ($(CONSOLE_CLIENT_A),)
$(MICA_BUILD)/console-attach.o: MICA_CFLAGS += $(CONSOLE_CLIENT_CFLAGS)
MICA_CONSOLE_A := $(CONSOLE_CLIENT_A)
else
$(MICA_BUILD)/console-attach.o: MICA_CFLAGS += -DMICA_NO_CONSOLE_CLIENT
MICA_CONSOLE_A :=
endif

$(MICA_BIN): $(patsubst %.c,$(MICA_BUILD)/%.o,$(MICA_PURE) $(MICA_IO)) $(LIBMICA_A) $(XS_LIBA) \
		$(MICA_CONSOLE_A)
	$(quiet) LINK $@
	$(Q)$(MICA_CC) -static -o $@ $(filter %.o,$^) $(MICA_CONSOLE_A) $(LIBMICA_A) $(XS_LIBA) \
		$(LIBMICA_LDLIBS)

DOM0_EXTRA_FILES += $(MICA_BIN):/usr/sbin/mica
else
mica:
	@echo "mica: needs libmica (dom0-tools/libmica/libmica.mk)"; exit 1
endif

# --- host unit tests, under ASan/UBSan ---
MICA_UT_BUILD := $(BUILD)/tests/unit/mica
MICA_UT_BIN   := $(MICA_UT_BUILD)/test-mica
MICA_UT_OBJS  := $(patsubst tests/unit/mica/%.c,$(MICA_UT_BUILD)/%.o,$(wildcard tests/unit/mica/*.c)) \
	$(patsubst %.c,$(MICA_UT_BUILD)/pure/%.o,$(MICA_PURE)) $(MICA_UT_BUILD)/cunit-runner.o

$(MICA_UT_BUILD)/pure/%.o: dom0-tools/mica/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(MICA_CC) $(MICA_CFLAGS) $(MICA_SAN) -c $< -o $@

$(MICA_UT_BUILD)/%.o: tests/unit/mica/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(MICA_CC) $(MICA_CFLAGS) $(MICA_SAN) -Itests/unit -c $< -o $@

$(MICA_UT_BUILD)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(MICA_CC) $(MICA_CFLAGS) $(MICA_SAN) -Itests/unit -c $< -o $@

$(MICA_UT_BIN): $(MICA_UT_OBJS)
	$(quiet) LINK $@
	$(Q)$(MICA_CC) $(MICA_SAN) -o $@ $^ -lcunit

unit-mica: $(MICA_UT_BIN)
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(MICA_UT_BIN)

# --- fuzzing (clang's libFuzzer); seeds are the golden configs ---
XLCFG_FUZZ_BUILD := $(BUILD)/tests/fuzz/xlcfg
XLCFG_FUZZ       := $(XLCFG_FUZZ_BUILD)/xlcfg-fuzz
XLCFG_FUZZ_TIME  ?= 60
XLCFG_FUZZ_RUNS  ?= 200000
XLCFG_FUZZ_SRCS  := $(addprefix dom0-tools/mica/,xlcfg-syntax.c domcfg.c devspec.c \
	cpumap.c uuid.c domcfg-json.c)

$(XLCFG_FUZZ): tests/fuzz/xlcfg/xlcfg-fuzz.c $(XLCFG_FUZZ_SRCS)
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Idom0-tools/mica -Idom0-tools/libmica \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $^

# Seeds are the golden configs with the selector byte (>= 4: whole file) in front.
$(XLCFG_FUZZ_BUILD)/seeds/.stamp: $(wildcard tests/unit/mica/cfg/*.cfg) tests/fuzz/xlcfg/seeds.sh
	$(Q)bash tests/fuzz/xlcfg/seeds.sh $(dir $@) tests/unit/mica/cfg
	$(Q)touch $@

fuzz-xlcfg: $(XLCFG_FUZZ) $(XLCFG_FUZZ_BUILD)/seeds/.stamp
	$(Q)mkdir -p $(XLCFG_FUZZ_BUILD)/corpus
	$(Q)$(XLCFG_FUZZ) -max_total_time=$(XLCFG_FUZZ_TIME) -rss_limit_mb=1024 \
		-artifact_prefix=$(XLCFG_FUZZ_BUILD)/ \
		$(XLCFG_FUZZ_BUILD)/corpus $(XLCFG_FUZZ_BUILD)/seeds

test-xlcfg-fuzz: $(XLCFG_FUZZ) $(XLCFG_FUZZ_BUILD)/seeds/.stamp
	$(Q)mkdir -p $(XLCFG_FUZZ_BUILD)/corpus-test
	$(Q)if $(XLCFG_FUZZ) -runs=$(XLCFG_FUZZ_RUNS) -seed=1 -rss_limit_mb=1024 \
		-artifact_prefix=$(XLCFG_FUZZ_BUILD)/ \
		$(XLCFG_FUZZ_BUILD)/corpus-test $(XLCFG_FUZZ_BUILD)/seeds \
		> $(XLCFG_FUZZ_BUILD)/test.log 2>&1; then \
		echo "TEST fuzz/xlcfg: PASS"; \
	else echo "TEST fuzz/xlcfg: FAIL see $(XLCFG_FUZZ_BUILD)/test.log"; exit 1; fi

TEST_SUITES   += unit-mica test-xlcfg-fuzz
FUZZ_TARGETS  += fuzz-xlcfg

-include $(wildcard $(MICA_BUILD)/*.d $(MICA_UT_BUILD)/*.d $(MICA_UT_BUILD)/pure/*.d)

# make bench-migrate: one dom0 boot running only 87-domu-migrate-bench.sh,
# live migration of a 256 MiB Linux domU to the same dom0 (idle, then
# dirtying 32 MiB over and over); its "BENCH migrate" lines: total time,
# downtime, rounds and pages sent per round.
.PHONY: bench-migrate
bench-migrate: $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)$(call dom0_tests_boot,domu-migrate-bench,migbench,1500)
	$(Q)grep -a '^BENCH migrate' $(DOM0_OUT)/mica-migbench.log | tr -d '\r'

BENCH_TARGETS += bench-migrate
