# xenbus/xenbus.mk - micastored (the xenstore daemon), libmicaxs (the
# client library) and their tests, benchmark and fuzz target.
#
#   make xenstore        build/xenbus/micastored and build/xenbus/libmicaxs.a
#   make test-xenstore   CUnit suites + integration tests with Debian's clients
#   make bench-xenstore  latency/throughput via Debian's libxenstore, beside
#                        Debian's C xenstored
#   make fuzz-xenstore   a bounded libFuzzer run over parsing and handling

XS_BUILD  := $(BUILD)/xenbus
XS_CC     ?= gcc
XS_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -Ixenbus -Iinclude -MMD -MP
XS_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer

# The daemon minus main.c: also linked into unit tests and the fuzzer.
XS_CORE := log.c perms.c path.c hashtab.c tree.c quota.c conn.c proto.c store.c \
	transaction.c txn-overlay.c watch.c domain.c ops-domain.c ops-node.c \
	control.c ring.c ring-conn.c ring-shm.c socket.c dump.c daemon.c
XS_LIB  := libxs/xs.c libxs/transport.c ring.c

XS_CORE_OBJS := $(patsubst %.c,$(XS_BUILD)/%.o,$(XS_CORE))
XS_LIB_OBJS  := $(patsubst %.c,$(XS_BUILD)/lib/%.o,$(XS_LIB))
XS_DAEMON    := $(XS_BUILD)/micastored
XS_LIBA      := $(XS_BUILD)/libmicaxs.a

DEPS_PKGS += xenstore-utils xen-utils-4.17 libxen-dev libcunit1-dev clang \
	libclang-rt-14-dev

.PHONY: xenstore test-xenstore bench-xenstore fuzz-xenstore
all: xenstore
xenstore: $(XS_DAEMON) $(XS_LIBA)

$(XS_BUILD)/%.o: xenbus/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(XS_CC) $(XS_CFLAGS) -c $< -o $@

$(XS_BUILD)/lib/%.o: xenbus/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(XS_CC) $(XS_CFLAGS) -c $< -o $@

# The host build has no hypervisor backend (xen-absent.c): it serves the
# socket and the shared-memory test rings.
$(XS_DAEMON): $(XS_BUILD)/main.o $(XS_CORE_OBJS) $(XS_BUILD)/xen-absent.o
	$(quiet) LINK $@
	$(Q)$(XS_CC) $(XS_CFLAGS) -o $@ $^

# --- dom0's micastored: static (dom0's initramfs is busybox only), with
# the Xen ring backend over libmica.  LIBMICA_A and LIBMICA_CFLAGS come from
# dom0-tools/libmica/libmica.mk, included after this file: hence $$.
XS_DOM0_BUILD := $(XS_BUILD)/dom0
XS_DOM0       := $(XS_DOM0_BUILD)/micastored
XS_DOM0_OBJS  := $(patsubst %.c,$(XS_DOM0_BUILD)/%.o,main.c $(XS_CORE) ring-xen.c xen.c)

$(XS_DOM0_BUILD)/%.o: xenbus/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(XS_CC) $(XS_CFLAGS) $(LIBMICA_CFLAGS) -c $< -o $@

.SECONDEXPANSION:
$(XS_DOM0): $(XS_DOM0_OBJS) $$(LIBMICA_A)
	$(quiet) LINK $@
	$(Q)$(XS_CC) -static -o $@ $(XS_DOM0_OBJS) $(LIBMICA_A) $(LIBMICA_LDLIBS)

# A dom0 test helper that corrupts a guest's ring as a hostile guest would.
XS_POKE := $(XS_DOM0_BUILD)/xs-ring-poke

$(XS_POKE): xenbus/dom0/xs-ring-poke.c $$(LIBMICA_A)
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(XS_CC) $(XS_CFLAGS) $(LIBMICA_CFLAGS) -static -o $@ $< $(LIBMICA_A)

.PHONY: micastored-dom0
micastored-dom0: $(XS_DOM0) $(XS_POKE)

# Into dom0's image once libmica exists: the daemon, its init script (S05,
# before mica-consoled's S10) and Debian's xenstore-utils with the shared
# libraries they need (scripts/dom0/debs-closed.sh checks the list).
ifneq ($(wildcard dom0-tools/libmica/libmica.mk),)
DOM0_EXTRA_FILES += $(XS_DOM0):/usr/sbin/micastored
DOM0_EXTRA_FILES += xenbus/dom0/S05micastored:/etc/init.d/S05micastored
DOM0_EXTRA_FILES += $(XS_POKE):/usr/lib/mica/xs-ring-poke
endif

# Debian's clients, unchanged and dynamically linked: each runs in dom0
# with Debian's libraries and loader, put where its loader looks for them.
XS_XSU_DIR   := $(XS_DOM0_BUILD)/xenstore-utils
XS_XSU_ROOT  := $(XS_XSU_DIR)/root
XS_XSU_STAMP := $(XS_XSU_DIR)/.unpacked
XS_XSU_TOOLS := $(addprefix usr/bin/xenstore-,read write ls rm list exists watch chmod)
XS_XSU_LIBS  := usr/lib/x86_64-linux-gnu/libxenstore.so.4 \
	usr/lib/x86_64-linux-gnu/libxentoolcore.so.1 lib/x86_64-linux-gnu/libc.so.6 \
	lib/x86_64-linux-gnu/libgcc_s.so.1
XS_XSU_LDSO  := lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
XS_XSU_FILES := $(addprefix $(XS_XSU_ROOT)/,$(XS_XSU_TOOLS) $(XS_XSU_LIBS) $(XS_XSU_LDSO))
# libgcc_s is on the list though nothing names it: glibc loads it when a
# thread is cancelled, as libxenstore's xs_close() does to its reader
# thread (xenstore-watch), and aborts when it is missing.
XS_XSU_DEBS  := xenstore-utils libxenstore4 libxentoolcore1 libc6 libgcc-s1

$(XS_XSU_STAMP): scripts/dom0/debs-closed.sh
	$(quiet) FETCH "$(XS_XSU_DEBS)"
	$(Q)bash scripts/dom0/debs-closed.sh $(XS_XSU_DIR) "$(XS_XSU_DEBS)" $(XS_XSU_TOOLS) \
		$(XS_XSU_LIBS) $(XS_XSU_LDSO)
	$(Q)touch $@

$(XS_XSU_FILES): $(XS_XSU_STAMP)
	@:

DOM0_EXTRA_FILES += $(foreach f,$(XS_XSU_TOOLS) $(XS_XSU_LIBS),$(XS_XSU_ROOT)/$(f):/$(f))
DOM0_EXTRA_FILES += $(XS_XSU_ROOT)/$(XS_XSU_LDSO):/lib64/ld-linux-x86-64.so.2

$(XS_LIBA): $(XS_LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

# --- unit tests: the daemon core again, under ASan/UBSan ---
XS_UT_BUILD := $(BUILD)/tests/unit/xenstore
XS_UT_SRCS  := $(wildcard tests/unit/xenstore/*.c)
XS_UT_OBJS  := $(patsubst tests/unit/xenstore/%.c,$(XS_UT_BUILD)/%.o,$(XS_UT_SRCS)) \
	$(patsubst %.c,$(XS_UT_BUILD)/core/%.o,$(XS_CORE)) \
	$(XS_UT_BUILD)/cunit-runner.o
XS_UT_BIN   := $(XS_UT_BUILD)/xs-unit

$(XS_UT_BUILD)/core/%.o: xenbus/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(XS_CC) $(XS_CFLAGS) $(XS_SAN) -c $< -o $@

$(XS_UT_BUILD)/%.o: tests/unit/xenstore/%.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(XS_CC) $(XS_CFLAGS) $(XS_SAN) -Itests/unit -c $< -o $@

$(XS_UT_BUILD)/cunit-runner.o: tests/unit/cunit-runner.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(XS_CC) $(XS_CFLAGS) $(XS_SAN) -Itests/unit -c $< -o $@

$(XS_UT_BIN): $(XS_UT_OBJS)
	$(quiet) LINK $@
	$(Q)$(XS_CC) $(XS_CFLAGS) $(XS_SAN) -o $@ $^ -lcunit

# --- integration test helpers, linked with our client library ---
XS_IT_BUILD := $(BUILD)/tests/xenstore
XS_IT_PROGS := $(patsubst tests/xenstore/%.c,$(XS_IT_BUILD)/%,$(wildcard tests/xenstore/*.c))

$(XS_IT_BUILD)/%: tests/xenstore/%.c $(XS_LIBA)
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(XS_CC) $(XS_CFLAGS) -Ixenbus/libxs -o $@ $< $(XS_LIBA)

test-xenstore: $(XS_UT_BIN) $(XS_DAEMON) $(XS_IT_PROGS)
	$(Q)rc=0; \
	ASAN_OPTIONS=detect_leaks=1 $(XS_UT_BIN) || rc=1; \
	bash tests/xenstore/run.sh $(XS_DAEMON) $(XS_IT_BUILD) || rc=1; \
	exit $$rc

# --- benchmark, against Debian's libxenstore ---
XS_BENCH := $(BUILD)/tests/bench/xenstore/xs-bench

$(XS_BENCH): tests/bench/xenstore/xs-bench.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(XS_CC) $(XS_CFLAGS) -o $@ $< -lxenstore -lpthread

# Lets Debian's unmodified C xenstored start without a hypervisor, to be
# measured beside micastored (tests/bench/xenstore/xen-shim.c).
XS_SHIM := $(BUILD)/tests/bench/xenstore/xen-shim.so

$(XS_SHIM): tests/bench/xenstore/xen-shim.c
	$(Q)mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(XS_CC) -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -shared -fPIC \
		-o $@ $< -ldl

bench-xenstore: $(XS_BENCH) $(XS_DAEMON) $(XS_SHIM)
	$(Q)bash tests/bench/xenstore/run.sh $(XS_DAEMON) $(XS_BENCH) $(XS_SHIM)

# --- fuzzing (clang's libFuzzer) ---
XS_FUZZ_BUILD := $(BUILD)/tests/fuzz/xenstore
XS_FUZZ := $(XS_FUZZ_BUILD)/xs-fuzz
XS_FUZZ_TIME ?= 60

$(XS_FUZZ): tests/fuzz/xenstore/xs-fuzz.c $(addprefix xenbus/,$(XS_CORE))
	$(Q)mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -g -O1 -Ixenbus -Iinclude -fsanitize=fuzzer,address,undefined \
		-o $@ $< $(addprefix xenbus/,$(XS_CORE))

fuzz-xenstore: $(XS_FUZZ)
	$(Q)mkdir -p $(XS_FUZZ_BUILD)/corpus
	$(Q)$(XS_FUZZ) -max_total_time=$(XS_FUZZ_TIME) -rss_limit_mb=1024 \
		$(XS_FUZZ_BUILD)/corpus tests/fuzz/xenstore/seeds

TEST_SUITES   += test-xenstore
BENCH_TARGETS += bench-xenstore
FUZZ_TARGETS  += fuzz-xenstore

-include $(wildcard $(XS_BUILD)/*.d $(XS_BUILD)/lib/*.d $(XS_BUILD)/lib/libxs/*.d $(XS_DOM0_BUILD)/*.d \
	$(XS_UT_BUILD)/*.d $(XS_UT_BUILD)/core/*.d)
