#!/usr/bin/env bash
# scripts/mkautoconf.sh .config - print the C header for a Kconfig .config:
# CONFIG_X=y becomes "#define CONFIG_X 1", numbers and strings keep their
# value, and options that are off are simply not defined.
set -euo pipefail
echo "/* Generated from .config by scripts/mkautoconf.sh - do not edit. */"
echo "#ifndef GENERATED_AUTOCONF_H"
echo "#define GENERATED_AUTOCONF_H"
sed -n -E \
    -e 's/^(CONFIG_[A-Za-z0-9_]+)=y$/#define \1 1/p' \
    -e 's/^(CONFIG_[A-Za-z0-9_]+)=(-?[0-9]+|0x[0-9a-fA-F]+|".*")$/#define \1 \2/p' \
    "$1"
echo "#endif"
