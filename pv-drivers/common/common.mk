# SPDX-License-Identifier: MIT
# pv-drivers/common/common.mk - what the user-space back ends share: the
# xenbus back-end state machine and the shared-ring helpers (pure code),
# their host unit tests, and a back end's xenstore life (be-xs.c).
#
#   make unit-pv-common   CUnit suites pv_ring and pv_xenbus_be (ASan/UBSan)
#
# The back ends' fragments include this one first (the top Makefile reads
# pv-drivers/*/*.mk in name order, blkback before common): hence the guard.

ifndef PV_COMMON_MK
PV_COMMON_MK := 1

PV_BUILD  := $(BUILD)/pv-drivers
PV_CC     ?= gcc
PV_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wmissing-prototypes \
	-O2 -g -Ipv-drivers/common -Iinclude -MMD -MP
PV_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
PV_COMMON := ring.c xenbus-be.c
# A back end's xenstore life (libmica, libmicaxs): the daemons only.
PV_COMMON_IO := be-xs.c

PV_UT_BUILD := $(BUILD)/tests/unit/pv-drivers

$(PV_UT_BUILD)/common/%.o: pv-drivers/common/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) $(PV_SAN) -c $< -o $@

$(PV_UT_BUILD)/%.o: tests/unit/pv-drivers/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) $(PV_SAN) -Ipv-drivers/blkback -Ipv-drivers/netback -Itests/unit -c $< -o $@

$(PV_UT_BUILD)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(PV_CC) $(PV_CFLAGS) $(PV_SAN) -Itests/unit -c $< -o $@

PV_COMMON_UT := $(PV_UT_BUILD)/test-pv-common
$(PV_COMMON_UT): $(PV_UT_BUILD)/test-ring.o $(PV_UT_BUILD)/test-xenbus-be.o \
		$(patsubst %.c,$(PV_UT_BUILD)/common/%.o,$(PV_COMMON)) $(PV_UT_BUILD)/cunit-runner.o
	$(quiet) LINK $@
	$(Q)$(PV_CC) $(PV_SAN) -o $@ $^ -lcunit

.PHONY: unit-pv-common
unit-pv-common: $(PV_COMMON_UT)
	$(Q)ASAN_OPTIONS=detect_leaks=1 $(PV_COMMON_UT)

TEST_SUITES += unit-pv-common

-include $(wildcard $(PV_UT_BUILD)/*.d $(PV_UT_BUILD)/common/*.d)

endif
