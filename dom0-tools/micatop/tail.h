/* SPDX-License-Identifier: MIT */
/*
 * tail.h - the last lines of a guest's console log, made safe to draw:
 * the log holds whatever bytes the guest wrote, and an escape sequence
 * reaching the terminal would move micatop's cursor or retitle the
 * window.  Pure: a buffer in, printable lines out.
 */
#ifndef MICATOP_TAIL_H
#define MICATOP_TAIL_H

#include <stddef.h>

/*
 * The last 'nlines' lines of buf[0..len) (a partial last line counts),
 * each cut to 'width' bytes: tabs become a space, other control bytes,
 * DEL and bytes >= 0x80 a '.', CRs are dropped.  Line i lands in
 * out + i * (width + 1), nul-terminated, oldest first.  Returns how many
 * lines were written.
 */
size_t mt_tail(const char *buf, size_t len, size_t nlines, size_t width, char *out);

#endif
