# SPDX-License-Identifier: MIT
# pv-drivers/netback/netback.mk - the user-space network back end and its
# tests (PV_* variables from pv-drivers/common/common.mk).
#
#   make unit-netback      CUnit suite netif_parse (ASan/UBSan)
#   make fuzz-netif        libFuzzer on the tx parser and the offload
#                          headers (NETIF_FUZZ_TIME s)
#   make test-netif-fuzz   the same for NETIF_FUZZ_RUNS inputs (in make test)
#   make netback           $(BUILD)/pv-drivers/netback/mica-netback, static, for
#                          dom0 (/usr/lib/mica/mica-netback, started by mica),
#                          with vif-bridge and S15mica-net, and tun and bridge
#                          among dom0's modules
#   make bench-netback     one dom0 boot: TCP and ping between a Linux domU and
#                          dom0 (tests/linux/dom0-tests/74-domu-net-bench.sh)

include pv-drivers/common/common.mk

NET_PURE  := netif-parse.c net-offload.c
NET_BUILD := $(PV_BUILD)/netback

$(PV_UT_BUILD)/netback/%.o: pv-drivers/netback/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) $(PV_SAN) -c $< -o $@

NET_UT := $(PV_UT_BUILD)/test-netback
$(NET_UT): $(PV_UT_BUILD)/test-netif-parse.o \
		$(patsubst %.c,$(PV_UT_BUILD)/netback/%.o,$(NET_PURE)) $(PV_UT_BUILD)/cunit-runner.o
	$(quiet) LINK $@
	$(Q)$(PV_CC) $(PV_SAN) -o $@ $^ -lcunit

.PHONY: unit-netback fuzz-netif test-netif-fuzz
unit-netback: $(NET_UT)
	$(Q)ASAN_OPTIONS=detect_leaks=1 $(NET_UT)

# --- fuzzing (clang's libFuzzer) ---
NETIF_FUZZ_BUILD := $(BUILD)/tests/fuzz/netif
NETIF_FUZZ       := $(NETIF_FUZZ_BUILD)/netif-fuzz
NETIF_FUZZ_TIME  ?= 60
NETIF_FUZZ_RUNS  ?= 300000

$(NETIF_FUZZ): tests/fuzz/netif/netif-fuzz.c $(addprefix pv-drivers/netback/,$(NET_PURE))
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Ipv-drivers/netback -Iinclude \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ $^

fuzz-netif: $(NETIF_FUZZ)
	$(Q)mkdir -p $(NETIF_FUZZ_BUILD)/corpus
	$(Q)$(NETIF_FUZZ) -max_total_time=$(NETIF_FUZZ_TIME) -rss_limit_mb=1024 \
		-artifact_prefix=$(NETIF_FUZZ_BUILD)/ $(NETIF_FUZZ_BUILD)/corpus

test-netif-fuzz: $(NETIF_FUZZ)
	$(Q)mkdir -p $(NETIF_FUZZ_BUILD)/corpus-test
	$(Q)if $(NETIF_FUZZ) -runs=$(NETIF_FUZZ_RUNS) -seed=1 -rss_limit_mb=1024 \
		-artifact_prefix=$(NETIF_FUZZ_BUILD)/ $(NETIF_FUZZ_BUILD)/corpus-test \
		> $(NETIF_FUZZ_BUILD)/test.log 2>&1; then \
		echo "TEST fuzz/netif: PASS"; \
	else echo "TEST fuzz/netif: FAIL see $(NETIF_FUZZ_BUILD)/test.log"; exit 1; fi

TEST_SUITES  += unit-netback test-netif-fuzz
FUZZ_TARGETS += fuzz-netif

-include $(wildcard $(PV_UT_BUILD)/netback/*.d $(NET_BUILD)/*.d)

# --- the daemon, for dom0 ---
NET_IO  := main.c nb-xs.c tap.c queue.c tx.c rx.c
NET_BIN := $(NET_BUILD)/mica-netback

ifneq ($(wildcard dom0-tools/libmica/libmica.mk),)
.PHONY: netback
all: netback
netback: $(NET_BIN)

$(NET_BUILD)/%.o: pv-drivers/common/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) -Idom0-tools/libmica -Ixenbus/libxs -c $< -o $@

$(NET_BUILD)/%.o: pv-drivers/netback/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) -Idom0-tools/libmica -Ixenbus/libxs -c $< -o $@

.SECONDEXPANSION:
$(NET_BIN): $(patsubst %.c,$(NET_BUILD)/%.o,$(NET_PURE) $(NET_IO) $(PV_COMMON) $(PV_COMMON_IO)) \
		$$(LIBMICA_A) $(XS_LIBA)
	$(quiet) LINK $@
	$(Q)$(PV_CC) -static -o $@ $(filter %.o,$^) $(LIBMICA_A) $(XS_LIBA)

DOM0_EXTRA_FILES += $(NET_BIN):/usr/lib/mica/mica-netback \
	pv-drivers/netback/vif-bridge:/etc/mica/scripts/vif-bridge \
	pv-drivers/netback/S15mica-net:/etc/init.d/S15mica-net
# tun and bridge for dom0's vifs (loaded by S15mica-net), from the same kernel
DOM0_MODULES += drivers/net/tun net/llc/llc net/802/stp net/bridge/bridge
endif

# The network benchmark boots dom0 with only 74-domu-net-bench.sh selected:
# TCP each way (net-xfer, iperf3) and ping between a Linux domU and dom0.
.PHONY: bench-netback
bench-netback: $(HV_ELF) $(DOM0_KERNEL) $(DOM0_INITRD)
	$(Q)BUILD=$(BUILD) PREFIX=dom0 SMP=2 CPU=max,-smap MEM=$(DOM0_QEMU_MEM) \
		HV_CMDLINE="$(DOM0_HV_CMDLINE)" OFF_MARK="Powering off (status 0)" \
		DOM0_CMDLINE="$(DOM0_CMDLINE) mica.tests=domu-net-bench mica.autooff=1200" \
		CLOCK_CHECKS=0 TIMEOUT=1500 GRACE=60 \
		bash tests/linux/run-dom0.sh $(HV_ELF) $(DOM0_OUT)/mica-netbench.iso \
		$(DOM0_OUT)/mica-netbench.log
	$(Q)grep -a '^BENCH net' $(DOM0_OUT)/mica-netbench.log | tr -d '\r'

BENCH_TARGETS += bench-netback
