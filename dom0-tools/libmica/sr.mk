# SPDX-License-Identifier: MIT
# dom0-tools/libmica/sr.mk - the save/restore stream's pure parts
# (sr-write.c, sr-read.c, sr-walk.c, sr-canon.c, sr-fixup.c; in libmica.a through
# libmica.mk): their host unit tests and the reader's fuzz target.
#
#   make test-sr-stream   CUnit (round trip, truncation, damage, PTE and
#                         vCPU canonicalisation), then 10 s of fuzzing
#   make fuzz-sr-stream   a bounded libFuzzer run over the stream reader

SR_PURE      := sr-write.c sr-read.c sr-walk.c sr-canon.c sr-fixup.c
SR_UT        := $(BUILD)/tests/unit/sr-stream
SR_UT_BIN    := $(SR_UT)/test-sr-stream
SR_UT_OBJS   := $(SR_UT)/test-sr-stream.o $(SR_UT)/cunit-runner.o \
	$(patsubst %.c,$(SR_UT)/pure/%.o,$(SR_PURE))
SR_FUZZ      := $(SR_UT)/sr-stream-fuzz
SR_FUZZ_TIME ?= 60

$(SR_UT)/pure/%.o: $(LIBMICA_DIR)/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) $(LIBMICA_CFLAGS) -MMD -MP -c $< -o $@

$(SR_UT)/test-sr-stream.o: tests/unit/libmica/test-sr-stream.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) $(LIBMICA_CFLAGS) -Itests/unit \
		-MMD -MP -c $< -o $@

$(SR_UT)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(LIBMICA_CC) $(LIBMICA_WARN) -O1 -g $(LIBMICA_SAN) -Itests/unit -c $< -o $@

$(SR_UT_BIN): $(SR_UT_OBJS)
	$(quiet) LINK $@
	$(Q)$(LIBMICA_CC) $(LIBMICA_SAN) -o $@ $^ -lcunit

$(SR_FUZZ): tests/fuzz/sr-stream/sr-stream-fuzz.c $(addprefix $(LIBMICA_DIR)/,$(SR_PURE) sr-stream.h)
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 $(LIBMICA_CFLAGS) \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(addprefix $(LIBMICA_DIR)/,$(SR_PURE))

.PHONY: test-sr-stream fuzz-sr-stream
fuzz-sr-stream: $(SR_FUZZ)
	$(Q)mkdir -p $(SR_UT)/corpus
	$(Q)$(SR_FUZZ) -max_total_time=$(SR_FUZZ_TIME) -rss_limit_mb=1024 \
		$(SR_UT)/corpus tests/fuzz/sr-stream/seeds

test-sr-stream: $(SR_UT_BIN) $(SR_FUZZ)
	$(Q)rc=0; ASAN_OPTIONS=detect_leaks=1 $(SR_UT_BIN) || rc=1; \
	mkdir -p $(SR_UT)/corpus-test; \
	if $(SR_FUZZ) -max_total_time=10 -rss_limit_mb=1024 \
		$(SR_UT)/corpus-test tests/fuzz/sr-stream/seeds > $(SR_UT)/fuzz-test.log 2>&1; \
	then echo "TEST sr-stream/fuzz-reader-10s: PASS"; \
	else echo "TEST sr-stream/fuzz-reader-10s: FAIL see $(SR_UT)/fuzz-test.log"; rc=1; fi; \
	exit $$rc

TEST_SUITES  += test-sr-stream
FUZZ_TARGETS += fuzz-sr-stream

-include $(wildcard $(SR_UT)/*.d $(SR_UT)/pure/*.d)
