# SPDX-License-Identifier: MIT
# tests/bench/bench.mk - `make bench`: null-hypercall and event-channel
# costs in the test kernel on Mica and on Xen 4.17, side by side
# (tests/bench/hypercall-bench.sh).  Included by the top-level Makefile.

.PHONY: bench-hypercall
BENCH_TARGETS += bench-hypercall
bench-hypercall: $(HV_ELF) $(BUILD)/tests/guest/testkernel
	$(Q)BUILD=$(BUILD) SHARED=$(SHARED) REF_WORK=$(abspath $(BUILD)/ref) \
		bash tests/bench/hypercall-bench.sh $(HV_ELF) $(BUILD)/tests/guest/testkernel
