#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/uefi/check-log.sh LOG - what Mica's own console says about a UEFI
# boot (the dom0 side is dom0-firmware.sh):
#   efi-systab      Mica read the EFI system table GRUB passed (tag 12)
#   efi-memmap      Mica's memory map came from the EFI map (tag 17), and
#                   no range in it has a type Mica cannot name (GRUB's own
#                   map calls runtime services code "type 20")
#   cmdline-quiet   no command-line warning: Debian's entry writes
#                   "placeholder" and, on EFI, "no-real-mode edd=off"
#   efi-runtime     dom0 asked for no runtime service Mica lacks and
#                   crashed (it is told EFI_UNSUPPORTED): no "efi:" error
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: check-log.sh LOG" >&2; exit 2; }
LOG=$1
HERE=$(cd "$(dirname "$0")" && pwd)
RESULT_PREFIX=uefi/
. "$HERE/../lib/result.sh"
[ -f "$LOG" ] || { error log "no $LOG"; result_exit; }

line=$(grep -a '^EFI: system table at' "$LOG" | head -n 1)
if [ -n "$line" ]; then pass efi-systab; else fail efi-systab "no 'EFI: system table at' line"; fi
unknown=$(grep -a '^  \[[0-9a-f]*-[0-9a-f]*\] unknown' "$LOG" | head -n 1)
if ! grep -aq '^EFI: memory map of' "$LOG"; then
    fail efi-memmap "no 'EFI: memory map of' line"
elif [ -n "$unknown" ]; then
    fail efi-memmap "a range of unknown type: $unknown"
else
    pass efi-memmap
fi
warn=$(grep -a '^cmdline: ' "$LOG" | head -n 1)
if [ -z "$warn" ]; then pass cmdline-quiet; else fail cmdline-quiet "$warn"; fi
bad=$(grep -aE '^\[ *[0-9.]+\] efi: .*([Ff]ailed|[Ee]rror|[Ii]nvalid)' "$LOG" | head -n 1)
if [ -z "$bad" ]; then pass efi-runtime; else fail efi-runtime "$bad"; fi
result_exit
