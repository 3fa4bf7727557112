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

# ---- the bzImage reader and the gzip/xz decoders (tests/fuzz/unzip) ----
#   make fuzz-unzip        a run of UNZ_FUZZ_TIME seconds (in make fuzz)
#   make test-unzip-fuzz   UNZ_FUZZ_RUNS inputs from a fixed seed (in make test)
UNZ_FUZZ_BUILD := $(BUILD)/tests/fuzz/unzip
UNZ_FUZZ       := $(UNZ_FUZZ_BUILD)/unzip-fuzz
UNZ_FUZZ_TIME  ?= 120
UNZ_FUZZ_RUNS  ?= 60000

$(UNZ_FUZZ): tests/fuzz/unzip/unzip-fuzz.c $(LIB_PVBOOT_SRCS) $(LIB_PVBOOT_HDRS)
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -g -O1 -Wall -Wextra -Werror $(LIB_PVBOOT_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_PVBOOT_SRCS)

.PHONY: fuzz-unzip test-unzip-fuzz test-unzip-vmlinuz
fuzz-unzip: $(UNZ_FUZZ)
	$(Q)mkdir -p $(UNZ_FUZZ_BUILD)/corpus
	$(Q)$(UNZ_FUZZ) -max_total_time=$(UNZ_FUZZ_TIME) -max_len=65536 -rss_limit_mb=1024 \
		-artifact_prefix=$(UNZ_FUZZ_BUILD)/ $(UNZ_FUZZ_BUILD)/corpus tests/fuzz/unzip/seeds

test-unzip-fuzz: $(UNZ_FUZZ)
	$(Q)rm -rf $(UNZ_FUZZ_BUILD)/corpus-test && mkdir -p $(UNZ_FUZZ_BUILD)/corpus-test
	$(Q)if $(UNZ_FUZZ) -runs=$(UNZ_FUZZ_RUNS) -seed=1 -max_len=8192 -rss_limit_mb=1024 \
		-artifact_prefix=$(UNZ_FUZZ_BUILD)/ \
		$(UNZ_FUZZ_BUILD)/corpus-test tests/fuzz/unzip/seeds \
		> $(UNZ_FUZZ_BUILD)/test.log 2>&1; then \
		echo "TEST fuzz/unzip: PASS"; \
	else echo "TEST fuzz/unzip: FAIL see $(UNZ_FUZZ_BUILD)/test.log"; exit 1; fi

# Debian's own vmlinuz through our decoder, against the vmlinux that the
# host's xz extracted from it (tests/linux/linux.mk's dom0 kernel).
test-unzip-vmlinuz: $(BUILD)/tests/unit/test-unzip $(DOM0_KERNEL)
	$(Q)UNZIP_VMLINUZ=$$(ls $(DOM0_ROOT)/boot/vmlinuz-* | head -1) UNZIP_VMLINUX=$(DOM0_KERNEL) \
		$(BUILD)/tests/unit/test-unzip | grep unzip_vmlinuz/ | \
		awk '{ print } / FAIL/ { bad = 1 } END { exit bad || !NR }'

TEST_SUITES  += test-unzip-fuzz test-unzip-vmlinuz
FUZZ_TARGETS += fuzz-unzip
