# Mica - top-level build.  `make` builds the hypervisor and a bootable ISO,
# `make test` runs every test suite, `make run` boots Mica and dom0 in QEMU.
#
# Each component keeps its rules in a fragment next to its sources
# (<folder>/*.mk) and appends to the shared lists below:
#   TEST_SUITES  targets run by `make test`; each prints "TEST name: RESULT" lines
#   TEST_LONG_SUITES  the same for `make test-long`: runs too long for `make test`
#   BENCH_TARGETS, FUZZ_TARGETS  targets run by `make bench` / `make fuzz`
#   DEPS_PKGS    Debian packages `make deps` installs
# `make V=1` shows full commands instead of one line per file.

BUILD   ?= build
V       ?= 0
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

TEST_SUITES   :=
TEST_LONG_SUITES :=
BENCH_TARGETS :=
FUZZ_TARGETS  :=
DEPS_PKGS     := gcc make binutils xz-utils git

.PHONY: all deps test test-long bench fuzz clean distclean help
all:

include scripts/config.mk
include hypervisor/hypervisor.mk
include tests/unit/unit.mk
include tests/qemu/qemu.mk
-include tests/guest/guest.mk
-include xenbus/xenbus.mk
-include tests/linux/linux.mk
-include tests/uefi/uefi.mk
-include tests/qemu/multidomain.mk
-include tests/bench/bench.mk
-include $(sort $(wildcard lib/*.mk dom0-tools/*/*.mk pv-drivers/*/*.mk))

deps:
	$(Q)bash scripts/deps.sh $(sort $(DEPS_PKGS))

# Runs every suite even when one fails, then prints exactly one
# "N passed, N failed" line; the exit status is non-zero on any failure.
test:
	$(Q)bash scripts/run-tests.sh $(TEST_SUITES)

# The same, for the suites that take too long for every run.
test-long:
	$(Q)bash scripts/run-tests.sh $(TEST_LONG_SUITES)

bench: $(BENCH_TARGETS)
fuzz: $(FUZZ_TARGETS)

clean:
	$(Q)rm -rf $(BUILD)/hypervisor $(BUILD)/tests $(BUILD)/iso $(BUILD)/*.iso $(BUILD)/xenbus

distclean:
	$(Q)rm -rf $(BUILD) .config .config.old

help:
	@echo "make            build build/hypervisor/mica and build/mica.iso"
	@echo "make run        boot Mica + Linux dom0 in QEMU, dom0 shell on this terminal (Ctrl-A X quits)"
	@echo "make test       run every test suite ($(TEST_SUITES))"
	@echo "make test-long  the suites too long for make test ($(TEST_LONG_SUITES))"
	@echo "make deps       install the Debian packages needed to build and test"
	@echo "make defconfig  write .config from configs/defconfig"
	@echo "make menuconfig edit .config"
	@echo "make bench      run the benchmarks;  make fuzz  run the fuzzers"
