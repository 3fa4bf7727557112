/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/client.h - attaching to a domain's console through
 * mica-consoled, for `mica console` and `mica create -c`.
 *
 * Link $(CONSOLE_CLIENT_A) with $(CONSOLE_CLIENT_CFLAGS) (consoled.mk).
 */
#ifndef CONSOLED_CLIENT_H
#define CONSOLED_CLIENT_H

/* Where the daemon listens: $MICA_CONSOLE_DIR, else this. */
#define MICA_CONSOLE_DIR "/run/mica/console"
#define MICA_CONSOLE_ESCAPE 0x1d    /* Ctrl-] */

/*
 * Copy the console of 'domid' to out_fd (everything it printed since boot
 * that the daemon still keeps, then live output) and in_fd to the guest,
 * until Ctrl-] is read from in_fd or the domain's console goes away
 * (destroyed).  End of file on in_fd stops input only, as xl's
 * non-interactive console does.  When in_fd is a tty it is put in raw mode
 * and restored on return.  Waits up to 5 s for the console to appear (as
 * right after `create`).  Returns 0, or -ENOENT when the domain has no
 * console served, or another -errno.
 */
int mica_console_attach(unsigned int domid, int in_fd, int out_fd);

#endif
