/* SPDX-License-Identifier: MIT */
/*
 * dom0-tools/consoled/cons-log.c - a guest's log, DIR/NAME.log.
 *
 * dom0's file systems live in RAM, so a guest that prints without end
 * must not be able to fill them: past cd_log_max bytes the log is renamed
 * NAME.log.1 (replacing the previous one) and started afresh, which caps
 * a guest at twice that.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "console.h"
#include "consoled.h"
#include "log.h"

void cons_make_dirs(const char *dir)
{
    char p[256];
    size_t n = strlen(dir);

    if (n >= sizeof(p))
        return;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        p[i] = '\0';
        mkdir(p, 0755);
        p[i] = dir[i];
    }
}

static int name_path(struct consoled *cd, const char *name, char *buf,
                     size_t len, const char *suffix)
{
    int n = snprintf(buf, len, "%s/%s.log%s", cd->cd_log_dir, name, suffix);

    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int log_path(struct consoled *cd, struct console *con, char *buf,
                    size_t len, const char *suffix)
{
    return name_path(cd, con->con_name, buf, len, suffix);
}

int cons_log_open(struct consoled *cd, struct console *con)
{
    char path[320];
    struct stat st;
    int rc = log_path(cd, con, path, sizeof(path), "");

    if (rc)
        return rc;
    cons_make_dirs(cd->cd_log_dir);
    con->con_log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
                           O_NOFOLLOW, 0640);
    if (con->con_log_fd < 0)
        return -errno;
    con->con_log_size = fstat(con->con_log_fd, &st) ? 0 : (uint64_t)st.st_size;
    return 0;
}

static void rotate(struct consoled *cd, struct console *con)
{
    char old[320], cur[320];

    cons_log_close(con);
    if (log_path(cd, con, cur, sizeof(cur), "") ||
        log_path(cd, con, old, sizeof(old), ".1"))
        return;
    if (rename(cur, old))
        unlink(cur);
    cons_log_open(cd, con);
}

void cons_log_write(struct consoled *cd, struct console *con,
                    const char *p, size_t n)
{
    ssize_t w;

    if (con->con_log_fd < 0)
        return;
    if (con->con_log_size + n > cd->cd_log_max)
        rotate(cd, con);
    while (n && con->con_log_fd >= 0) {
        w = write(con->con_log_fd, p, n);
        if (w <= 0)
            return;     /* a full disk loses log lines, nothing else */
        p += w;
        n -= (size_t)w;
        con->con_log_size += (uint64_t)w;
    }
}

/*
 * The guest was renamed from OLD: its files move to the new name, and the
 * open descriptor stays valid across rename(2).  A log the new name
 * already has (an earlier guest's) is never overwritten: then the old
 * files stay as they are and writing goes on at the end of the new one.
 */
void cons_log_rename(struct consoled *cd, struct console *con, const char *old)
{
    static const char *const sfx[] = { "", ".1" };
    char from[320], to[320];
    struct stat st;

    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
        if (name_path(cd, old, from, sizeof(from), sfx[i]) ||
            log_path(cd, con, to, sizeof(to), sfx[i]))
            return;
        if (!lstat(to, &st) || (rename(from, to) && errno != ENOENT)) {
            cons_log_close(con);
            cons_log_open(cd, con);
            return;
        }
    }
}

void cons_log_close(struct console *con)
{
    if (con->con_log_fd >= 0)
        close(con->con_log_fd);
    con->con_log_fd = -1;
}
