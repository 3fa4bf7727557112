# scripts/config.mk - Kconfig integration (Debian's kconfig-frontends).
# .config is the user's configuration; autoconf.h is derived from it with a
# small script so the build does not depend on kconfig's include/ layout.

KCONF     ?= kconfig-conf
KMCONF    ?= kconfig-mconf
AUTOCONF  := $(BUILD)/include/generated/autoconf.h
DEPS_PKGS += kconfig-frontends-nox

.PHONY: defconfig menuconfig oldconfig

defconfig:
	$(Q)KCONFIG_CONFIG=.config $(KCONF) --defconfig=configs/defconfig Kconfig >/dev/null
	$(quiet) CONFIG .config

menuconfig:
	$(Q)KCONFIG_CONFIG=.config $(KMCONF) Kconfig

oldconfig:
	$(Q)KCONFIG_CONFIG=.config $(KCONF) --oldconfig Kconfig

# A fresh checkout has no .config: start from the default one.
.config: configs/defconfig Kconfig $(wildcard */Kconfig */*/Kconfig)
	$(Q)if [ -f .config ]; then \
		KCONFIG_CONFIG=.config $(KCONF) --olddefconfig Kconfig >/dev/null; \
	else \
		KCONFIG_CONFIG=.config $(KCONF) --defconfig=configs/defconfig Kconfig >/dev/null; \
	fi
	$(Q)touch .config
	$(quiet) CONFIG .config

$(AUTOCONF): .config scripts/mkautoconf.sh
	$(Q)mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)bash scripts/mkautoconf.sh .config > $@.tmp && mv $@.tmp $@
