# SPDX-License-Identifier: MIT
# lib/lib.mk - the freestanding code that more than one program builds:
# ELF/Xen-note parsing and the PV bootstrap layout (see lib/README.md).
#
# Only variables: each program compiles these files with its own flags
# into its own objects.  The fragment may be included more than once (the
# hypervisor, test kernel, unit and libmica fragments include it before
# they use it; the top Makefile includes every lib/*.mk as well), hence
# the guard.  The fuzz target is in lib/fuzz.mk.
#
#   LIB_PVBOOT_SRCS    the .c files, relative to the top of the tree
#   LIB_PVBOOT_CFLAGS  the -I flags their users need (pvboot/*.h, public/*.h)
#   LIB_PVBOOT_HDRS    the headers, for dependency lists that want them

ifndef LIB_PVBOOT_SRCS
LIB_PVBOOT_SRCS   := lib/elf.c lib/elf-notes.c lib/elf-guest-info.c lib/pv-layout.c \
	lib/bzimage.c lib/inflate.c lib/lzma2.c lib/unxz.c lib/crc.c
LIB_PVBOOT_CFLAGS := -Ilib/include -Iinclude
# The printf core, for the programs without a C library only (libmica
# has glibc's).
LIB_FORMAT_SRCS   := lib/vsnprintf.c
LIB_PVBOOT_HDRS   := $(wildcard lib/*.h lib/include/pvboot/*.h)
endif
