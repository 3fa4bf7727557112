# SPDX-License-Identifier: MIT
# lib/fuzz.mk - `make fuzz-pvboot`: a bounded libFuzzer run (clang) of
# lib/'s kernel-image parser, layout planner and page-table writer
# (tests/fuzz/pvboot), part of `make fuzz`.

include lib/lib.mk

PVB_FUZZ_BUILD := $(BUILD)/tests/fuzz/pvboot
PVB_FUZZ       := $(PVB_FUZZ_BUILD)/pvboot-fuzz
PVB_FUZZ_TIME  ?= 60

$(PVB_FUZZ): tests/fuzz/pvboot/pvboot-fuzz.c $(LIB_PVBOOT_SRCS) $(LIB_PVBOOT_HDRS)
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -g -O1 -Wall -Wextra -Werror $(LIB_PVBOOT_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_PVBOOT_SRCS)

.PHONY: fuzz-pvboot
fuzz-pvboot: $(PVB_FUZZ)
	$(Q)mkdir -p $(PVB_FUZZ_BUILD)/corpus
	$(Q)$(PVB_FUZZ) -max_total_time=$(PVB_FUZZ_TIME) -max_len=65536 -rss_limit_mb=1024 \
		$(PVB_FUZZ_BUILD)/corpus tests/fuzz/pvboot/seeds

FUZZ_TARGETS += fuzz-pvboot
