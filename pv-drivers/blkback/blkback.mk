# SPDX-License-Identifier: MIT
# pv-drivers/blkback/blkback.mk - the user-space block back end and its
# tests (PV_* variables from pv-drivers/common/common.mk).
#
#   make blkback           $(BUILD)/pv-drivers/blkback/mica-blkback, static, for
#                          dom0 (/usr/lib/mica/mica-blkback, started by mica)
#   make unit-blkback      CUnit suites blkif_parse and pgrant_table (ASan/UBSan)
#   make fuzz-blkif        libFuzzer on the request parser (BLKIF_FUZZ_TIME s)
#   make test-blkif-fuzz   the same for BLKIF_FUZZ_RUNS inputs (in make test)
#   make bench-blkback     one dom0 boot: a Linux domU's O_DIRECT dd on two disks,
#                          persistent grants and grant copy, twice each
#                          (tests/linux/dom0-tests/68-domu-blk-bench.sh)

include pv-drivers/common/common.mk

BLK_PURE := blkif-parse.c pgrant-table.c

BLK_IO   := main.c disk.c bb-xs.c queue.c io.c pgrant.c
BLK_BUILD := $(PV_BUILD)/blkback
BLK_BIN  := $(BLK_BUILD)/mica-blkback

DEPS_PKGS += liburing-dev

# The daemon needs libmica and libmicaxs (their fragments come first in
# the top Makefile's order except libmica's: hence $$ below).
ifneq ($(wildcard dom0-tools/libmica/libmica.mk),)
.PHONY: blkback
all: blkback
blkback: $(BLK_BIN)

$(BLK_BUILD)/%.o: pv-drivers/common/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) -Idom0-tools/libmica -Ixenbus/libxs -c $< -o $@

$(BLK_BUILD)/%.o: pv-drivers/blkback/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) -Idom0-tools/libmica -Ixenbus/libxs -c $< -o $@

.SECONDEXPANSION:
$(BLK_BIN): $(patsubst %.c,$(BLK_BUILD)/%.o,$(BLK_PURE) $(BLK_IO) $(PV_COMMON) $(PV_COMMON_IO)) \
		$$(LIBMICA_A) $(XS_LIBA)
	$(quiet) LINK $@
	$(Q)$(PV_CC) -static -o $@ $(filter %.o,$^) $(LIBMICA_A) $(XS_LIBA) -luring

DOM0_EXTRA_FILES += $(BLK_BIN):/usr/lib/mica/mica-blkback
endif

$(PV_UT_BUILD)/blkback/%.o: pv-drivers/blkback/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) $(PV_SAN) -c $< -o $@

BLK_UT := $(PV_UT_BUILD)/test-blkback
$(BLK_UT): $(PV_UT_BUILD)/test-blkif-parse.o $(PV_UT_BUILD)/test-pgrant-table.o \
		$(patsubst %.c,$(PV_UT_BUILD)/blkback/%.o,$(BLK_PURE)) $(PV_UT_BUILD)/cunit-runner.o
	$(quiet) LINK $@
	$(Q)$(PV_CC) $(PV_SAN) -o $@ $^ -lcunit

.PHONY: unit-blkback fuzz-blkif test-blkif-fuzz
unit-blkback: $(BLK_UT)
	$(Q)ASAN_OPTIONS=detect_leaks=1 $(BLK_UT)

# --- fuzzing (clang's libFuzzer) ---
BLKIF_FUZZ_BUILD := $(BUILD)/tests/fuzz/blkif
BLKIF_FUZZ       := $(BLKIF_FUZZ_BUILD)/blkif-fuzz
BLKIF_FUZZ_TIME  ?= 60
BLKIF_FUZZ_RUNS  ?= 300000

$(BLKIF_FUZZ): tests/fuzz/blkif/blkif-fuzz.c pv-drivers/blkback/blkif-parse.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Ipv-drivers/blkback -Iinclude \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $^

fuzz-blkif: $(BLKIF_FUZZ)
	$(Q)mkdir -p $(BLKIF_FUZZ_BUILD)/corpus
	$(Q)$(BLKIF_FUZZ) -max_total_time=$(BLKIF_FUZZ_TIME) -rss_limit_mb=1024 \
		-artifact_prefix=$(BLKIF_FUZZ_BUILD)/ $(BLKIF_FUZZ_BUILD)/corpus

test-blkif-fuzz: $(BLKIF_FUZZ)
	$(Q)mkdir -p $(BLKIF_FUZZ_BUILD)/corpus-test
	$(Q)if $(BLKIF_FUZZ) -runs=$(BLKIF_FUZZ_RUNS) -seed=1 -rss_limit_mb=1024 \
		-artifact_prefix=$(BLKIF_FUZZ_BUILD)/ $(BLKIF_FUZZ_BUILD)/corpus-test \
		> $(BLKIF_FUZZ_BUILD)/test.log 2>&1; then \
		echo "TEST fuzz/blkif: PASS"; \
	else echo "TEST fuzz/blkif: FAIL see $(BLKIF_FUZZ_BUILD)/test.log"; exit 1; fi

# The disk benchmark, issue 15's figures: the same Linux domU and in-guest
# dd on Mica (mica-blkback, grant copy and persistent grants) and on Xen
# 4.17 (Linux's xen-blkback, phy: on a loop device), one boot each with
# bench-toolstack's image (tests/bench/toolstack/blk.sh); the table goes to
# $(BUILD)/bench/blk.txt.  BENCH_N rounds per guest (3).
.PHONY: bench-blkback bench-blkback-mica
bench-blkback: $(HV_ELF) $(DOM0_XEN_GZ) $(DOM0_KERNEL) $(TSB_INITRD)
	$(Q)BUILD=$(BUILD) NAME=blk STEPS=blk BENCH_N=$(or $(BENCH_N),3) \
		MICA_CMDLINE="$(DOM0_HV_CMDLINE)" XEN_CMDLINE="$(DOM0_XEN_CMDLINE)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE)" XEN_DOM0_CMDLINE="$(DOM0_XEN_DOM0_CMDLINE)" \
		MEM=$(DOM0_QEMU_MEM) bash $(TSB_DIR)/run.sh $(HV_ELF) $(DOM0_XEN_GZ) \
		$(DOM0_KERNEL) $(TSB_INITRD)

# Mica only, in more depth: dom0 boots with only 68-domu-blk-bench.sh
# selected (persistent grants against grant copy in one guest, the back
# ends' CPU time and grant counts, a data check).
bench-blkback-mica: $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)BUILD=$(BUILD) PREFIX=dom0 SMP=2 CPU=max,-smap MEM=$(DOM0_QEMU_MEM) \
		HV_CMDLINE="$(DOM0_HV_CMDLINE)" OFF_MARK="Powering off (status 0)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE) mica.tests=domu-blk-bench mica.autooff=1200" \
		CLOCK_CHECKS=0 TIMEOUT=1500 GRACE=60 \
		bash tests/linux/run-dom0.sh $(HV_ELF) $(DOM0_OUT)/mica-blkbench.iso \
		$(DOM0_OUT)/mica-blkbench.log
	$(Q)grep -a '^BENCH blk' $(DOM0_OUT)/mica-blkbench.log | tr -d '\r'

TEST_SUITES  += unit-blkback test-blkif-fuzz
BENCH_TARGETS += bench-blkback
FUZZ_TARGETS += fuzz-blkif

-include $(wildcard $(PV_UT_BUILD)/blkback/*.d $(BLK_BUILD)/*.d)
