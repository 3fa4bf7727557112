# SPDX-License-Identifier: MIT
# lib/fuzz.mk - libFuzzer (clang) over lib/'s kernel-image parser, layout
# planner and page-table writer (tests/fuzz/pvboot):
#
#   make fuzz-pvboot       a run of PVB_FUZZ_TIME seconds (in make fuzz)
#   make test-pvboot-fuzz  PVB_FUZZ_RUNS inputs from a fixed seed (in make test)

include lib/lib.mk

PVB_FUZZ_BUILD := $(BUILD)/tests/fuzz/pvboot
PVB_FUZZ       := $(PVB_FUZZ_BUILD)/pvboot-fuzz
PVB_FUZZ_TIME  ?= 60
PVB_FUZZ_RUNS  ?= 300000

$(PVB_FUZZ): tests/fuzz/pvboot/pvboot-fuzz.c $(LIB_PVBOOT_SRCS) $(LIB_PVBOOT_HDRS)
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -g -O1 -Wall -Wextra -Werror $(LIB_PVBOOT_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_PVBOOT_SRCS)

.PHONY: fuzz-pvboot test-pvboot-fuzz
fuzz-pvboot: $(PVB_FUZZ)
	$(Q)mkdir -p $(PVB_FUZZ_BUILD)/corpus
	$(Q)$(PVB_FUZZ) -max_total_time=$(PVB_FUZZ_TIME) -max_len=65536 -rss_limit_mb=1024 \
		-artifact_prefix=$(PVB_FUZZ_BUILD)/ $(PVB_FUZZ_BUILD)/corpus tests/fuzz/pvboot/seeds

test-pvboot-fuzz: $(PVB_FUZZ)
	$(Q)rm -rf $(PVB_FUZZ_BUILD)/corpus-test && mkdir -p $(PVB_FUZZ_BUILD)/corpus-test
	$(Q)if $(PVB_FUZZ) -runs=$(PVB_FUZZ_RUNS) -seed=1 -max_len=4096 -rss_limit_mb=1024 \
		-artifact_prefix=$(PVB_FUZZ_BUILD)/ \
		$(PVB_FUZZ_BUILD)/corpus-test tests/fuzz/pvboot/seeds \
		> $(PVB_FUZZ_BUILD)/test.log 2>&1; then \
		echo "TEST fuzz/pvboot: PASS"; \
	else echo "TEST fuzz/pvboot: FAIL see $(PVB_FUZZ_BUILD)/test.log"; exit 1; fi

TEST_SUITES  += test-pvboot-fuzz
FUZZ_TARGETS += fuzz-pvboot
DEPS_PKGS    += clang
