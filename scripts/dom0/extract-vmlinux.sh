#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/dom0/extract-vmlinux.sh BZIMAGE OUT - write the ELF kernel held in
# an x86 bzImage (Debian's vmlinuz) to OUT.
#
# The setup header gives the payload's place: setup_sects (u8 at 0x1f1; 0
# means 4) sectors of 512 bytes follow the boot sector, and payload_offset
# (u32 at 0x248, relative to the protected-mode code that starts right
# after them) and payload_length (u32 at 0x24c) locate the compressed
# vmlinux.  Debian builds it with XZ; gzip, zstd and lz4 payloads are
# recognised by their magic too.  The result must be an ELF64 file whose
# PT_NOTE segment carries Xen's notes, or OUT is not written.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: extract-vmlinux.sh BZIMAGE OUT" >&2; exit 2; }
in=$1 out=$2

# u8/u32 little-endian read at a byte offset
rd() { od -An -t "u$2" -j "$1" -N "$2" --endian=little "$in" | tr -d ' '; }
hex() { od -An -t x1 -j "$1" -N "$2" "$in" | tr -d ' \n'; }

[ "$(hex $((0x202)) 4)" = 48647253 ] || { echo "$in: no HdrS setup header" >&2; exit 1; }
proto=$(rd $((0x206)) 2)
[ "$proto" -ge $((0x208)) ] || { echo "$in: boot protocol too old for payload fields" >&2; exit 1; }
sects=$(rd $((0x1f1)) 1)
[ "$sects" -eq 0 ] && sects=4
poff=$(rd $((0x248)) 4)
plen=$(rd $((0x24c)) 4)
start=$(( (sects + 1) * 512 + poff ))

case $(hex "$start" 6) in
    fd377a585a00) dec=(xz -dc --single-stream) ;;
    1f8b*)        dec=(gzip -dc) ;;
    28b52ffd*)    dec=(zstd -dc) ;;
    02214c18*)    dec=(lz4 -dc) ;;
    *) echo "$in: unknown payload compression at $start" >&2; exit 1 ;;
esac

tmp=$out.tmp
# The payload ends with a u32 holding the decompressed size, after the
# compressed stream; --single-stream makes xz stop at the stream's end.
if ! dd if="$in" bs=64K iflag=skip_bytes,count_bytes skip="$start" count="$plen" \
        status=none | "${dec[@]}" > "$tmp"; then
    rm -f "$tmp"
    echo "$in: cannot decompress the payload" >&2
    exit 1
fi
want=$(rd $((start + plen - 4)) 4)
got=$(stat -c %s "$tmp")
[ "$got" = "$want" ] ||
    { rm -f "$tmp"; echo "$in: decompressed $got bytes, header says $want" >&2; exit 1; }
[ "$(od -An -t x1 -N 5 "$tmp" | tr -d ' \n')" = 7f454c4602 ] ||
    { rm -f "$tmp"; echo "$in: payload is not an ELF64 image" >&2; exit 1; }
# XEN_ELFNOTE_ENTRY is note type 1, which readelf names NT_VERSION.
readelf -n "$tmp" 2>/dev/null |
    grep -Eq '^[[:space:]]+Xen[[:space:]]+0x[0-9a-f]+[[:space:]]+(NT_VERSION|.*ENTRY)' ||
    { rm -f "$tmp"; echo "$in: no Xen ENTRY note in the ELF" >&2; exit 1; }
mv "$tmp" "$out"
