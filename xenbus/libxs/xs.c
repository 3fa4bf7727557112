/* SPDX-License-Identifier: MIT */
/*
 * xenbus/libxs/xs.c - libmicaxs requests: framing, error names, the watch
 * event queue and the libxenstore-like calls built on them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "list.h"
#include "micaxs.h"
#include "transport.h"

struct mxs_event {
    struct xs_list link;
    char *path, *token;
};

struct mxs_handle {
    struct mxs_transport tp;
    struct xs_list events;
    uint32_t next_req;
};

static const char *const err_names[] = {
    "EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM", "ENOSPC",
    "EIO", "ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN",
    "E2BIG", "EPERM",
};
static const int err_values[] = {
    EINVAL, EACCES, EEXIST, EISDIR, ENOENT, ENOMEM, ENOSPC, EIO, ENOTEMPTY,
    ENOSYS, EROFS, EBUSY, EAGAIN, EISCONN, E2BIG, EPERM,
};

static int err_from_name(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++)
        if (!strcmp(name, err_names[i]))
            return -err_values[i];
    return -EINVAL;
}

static struct mxs_handle *handle_new(void)
{
    struct mxs_handle *h = calloc(1, sizeof(*h));

    if (h)
        xs_list_init(&h->events);
    return h;
}

struct mxs_handle *mxs_open(const char *path)
{
    char buf[4096];
    struct mxs_handle *h;
    int rc;

    if (!path)
        path = getenv("XENSTORED_PATH");
    if (!path) {
        const char *dir = getenv("XENSTORED_RUNDIR");

        snprintf(buf, sizeof(buf), "%s/socket",
                 dir && *dir ? dir : "/var/run/xenstored");
        path = buf;
    }
    h = handle_new();
    if (!h)
        return NULL;
    rc = mxs_tp_socket(&h->tp, path);
    if (rc) {
        free(h);
        errno = -rc;
        return NULL;
    }
    return h;
}

struct mxs_handle *mxs_open_ring_shm(const char *dir, unsigned int domid)
{
    struct mxs_handle *h = handle_new();
    int rc;

    if (!h)
        return NULL;
    rc = mxs_tp_ring_shm(&h->tp, dir, domid);
    if (rc) {
        free(h);
        errno = -rc;
        return NULL;
    }
    return h;
}

static void event_free(struct mxs_event *e)
{
    free(e->path);
    free(e->token);
    free(e);
}

void mxs_close(struct mxs_handle *h)
{
    if (!h)
        return;
    while (!xs_list_empty(&h->events)) {
        struct mxs_event *e = xs_container_of(h->events.next,
                                              struct mxs_event, link);

        xs_list_del(&e->link);
        event_free(e);
    }
    mxs_tp_close(&h->tp);
    free(h);
}

int mxs_fileno(const struct mxs_handle *h)
{
    return h->tp.fd;
}

static int queue_event(struct mxs_handle *h, const char *body, uint32_t len)
{
    struct mxs_event *e;
    size_t plen = strnlen(body, len);

    if (plen + 1 >= len)
        return -EIO;
    e = calloc(1, sizeof(*e));
    if (!e)
        return -ENOMEM;
    e->path = strdup(body);
    e->token = strndup(body + plen + 1, len - plen - 1);
    if (!e->path || !e->token) {
        event_free(e);
        return -ENOMEM;
    }
    xs_list_add_tail(&h->events, &e->link);
    return 0;
}

/* Receives one message; the body is malloc'd with a '\0' after it. */
static int recv_msg(struct mxs_handle *h, struct xsd_sockmsg *hdr,
                    char **body, int timeout_ms)
{
    int rc = mxs_tp_read(&h->tp, hdr, sizeof(*hdr), timeout_ms);

    if (rc)
        return rc;
    if (hdr->len > XENSTORE_PAYLOAD_MAX)
        return -EIO;
    *body = malloc(hdr->len + 1);
    if (!*body)
        return -ENOMEM;
    rc = mxs_tp_read(&h->tp, *body, hdr->len, -1);
    if (rc) {
        free(*body);
        return rc;
    }
    (*body)[hdr->len] = '\0';
    return 0;
}

int mxs_request(struct mxs_handle *h, uint32_t type, uint32_t tx,
                const void *data, unsigned int len, char **reply,
                unsigned int *rlen)
{
    struct xsd_sockmsg hdr = { type, ++h->next_req, tx, len };
    char msg[sizeof(hdr) + XENSTORE_PAYLOAD_MAX];
    char *body;
    int rc;

    if (len > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    /* One write: the daemon wakes once per request, not for each half. */
    memcpy(msg, &hdr, sizeof(hdr));
    if (len)
        memcpy(msg + sizeof(hdr), data, len);
    rc = mxs_tp_write(&h->tp, msg, sizeof(hdr) + len);
    if (rc)
        return rc;
    for (;;) {
        struct xsd_sockmsg r;

        rc = recv_msg(h, &r, &body, -1);
        if (rc)
            return rc;
        if (r.type == XS_WATCH_EVENT) {
            rc = queue_event(h, body, r.len);
            free(body);
            if (rc)
                return rc;
            continue;
        }
        if (r.req_id != hdr.req_id || (r.type != type && r.type != XS_ERROR)) {
            free(body);
            return -EBADMSG;
        }
        if (r.type == XS_ERROR) {
            rc = err_from_name(body);
            free(body);
            return rc;
        }
        if (reply)
            *reply = body;
        else
            free(body);
        if (rlen)
            *rlen = r.len;
        return 0;
    }
}

/* Joins strings with their nul terminators, then 'extra' raw bytes. */
static int pack(char *buf, const char *const *strs, unsigned int n,
                const void *extra, unsigned int elen)
{
    size_t off = 0;
    unsigned int i;

    for (i = 0; i < n; i++) {
        size_t l = strlen(strs[i]) + 1;

        if (off + l > XENSTORE_PAYLOAD_MAX)
            return -E2BIG;
        memcpy(buf + off, strs[i], l);
        off += l;
    }
    if (off + elen > XENSTORE_PAYLOAD_MAX)
        return -E2BIG;
    if (elen)
        memcpy(buf + off, extra, elen);
    return off + elen;
}

static int simple(struct mxs_handle *h, uint32_t type, uint32_t tx,
                  const char *const *strs, unsigned int n, char **reply,
                  unsigned int *rlen)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    int len = pack(buf, strs, n, NULL, 0);

    if (len < 0)
        return len;
    return mxs_request(h, type, tx, buf, len, reply, rlen);
}

int mxs_read(struct mxs_handle *h, uint32_t tx, const char *path,
             char **val, unsigned int *len)
{
    return simple(h, XS_READ, tx, &path, 1, val, len);
}

int mxs_write(struct mxs_handle *h, uint32_t tx, const char *path,
              const void *val, unsigned int vlen)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    int len = pack(buf, &path, 1, val, vlen);

    if (len < 0)
        return len;
    return mxs_request(h, XS_WRITE, tx, buf, len, NULL, NULL);
}

int mxs_mkdir(struct mxs_handle *h, uint32_t tx, const char *path)
{
    return simple(h, XS_MKDIR, tx, &path, 1, NULL, NULL);
}

int mxs_rm(struct mxs_handle *h, uint32_t tx, const char *path)
{
    return simple(h, XS_RM, tx, &path, 1, NULL, NULL);
}

/* Splits "a\0b\0" into a malloc'd array whose strings live in the block. */
static int split(const char *body, unsigned int len, char ***out,
                 unsigned int *num)
{
    unsigned int n = 0, i, off;
    char **v, *s;

    for (off = 0; off < len; off += strlen(body + off) + 1)
        n++;
    v = malloc((n + 1) * sizeof(*v) + len + 1);
    if (!v)
        return -ENOMEM;
    s = (char *)(v + n + 1);
    memcpy(s, body, len);
    s[len] = '\0';
    for (i = 0, off = 0; i < n; i++, off += strlen(s + off) + 1)
        v[i] = s + off;
    v[n] = NULL;
    *out = v;
    *num = n;
    return 0;
}

int mxs_directory(struct mxs_handle *h, uint32_t tx, const char *path,
                  char ***names, unsigned int *num)
{
    unsigned int len;
    char *body;
    int rc = simple(h, XS_DIRECTORY, tx, &path, 1, &body, &len);

    if (rc)
        return rc;
    rc = split(body, len, names, num);
    free(body);
    return rc;
}

int mxs_get_perms(struct mxs_handle *h, uint32_t tx, const char *path,
                  struct mxs_perm **perms, unsigned int *num)
{
    static const char letters[] = "nrwb";
    unsigned int len, n, i;
    char *body, **v;
    int rc = simple(h, XS_GET_PERMS, tx, &path, 1, &body, &len);

    if (rc)
        return rc;
    rc = split(body, len, &v, &n);
    free(body);
    if (rc)
        return rc;
    *perms = calloc(n ? n : 1, sizeof(**perms));
    if (!*perms) {
        free(v);
        return -ENOMEM;
    }
    for (i = 0; i < n; i++) {
        const char *l = v[i][0] ? strchr(letters, v[i][0]) : NULL;

        if (!l) {
            rc = -EIO;
            break;
        }
        (*perms)[i].perm = l - letters;
        (*perms)[i].id = strtoul(v[i] + 1, NULL, 10);
    }
    free(v);
    if (rc) {
        free(*perms);
        return rc;
    }
    *num = n;
    return 0;
}

int mxs_set_perms(struct mxs_handle *h, uint32_t tx, const char *path,
                  const struct mxs_perm *perms, unsigned int num)
{
    static const char letters[] = "nrwb";
    char buf[XENSTORE_PAYLOAD_MAX];
    int off = pack(buf, &path, 1, NULL, 0);
    unsigned int i;

    for (i = 0; off >= 0 && i < num; i++) {
        int n = snprintf(buf + off, sizeof(buf) - off, "%c%u",
                         letters[perms[i].perm & 3], perms[i].id);

        if (n < 0 || (size_t)(off + n + 1) > sizeof(buf))
            return -E2BIG;
        off += n + 1;
    }
    if (off < 0)
        return off;
    return mxs_request(h, XS_SET_PERMS, tx, buf, off, NULL, NULL);
}

int mxs_watch(struct mxs_handle *h, const char *path, const char *token)
{
    const char *s[2] = { path, token };

    return simple(h, XS_WATCH, 0, s, 2, NULL, NULL);
}

int mxs_unwatch(struct mxs_handle *h, const char *path, const char *token)
{
    const char *s[2] = { path, token };

    return simple(h, XS_UNWATCH, 0, s, 2, NULL, NULL);
}

int mxs_read_watch(struct mxs_handle *h, int timeout_ms, char **path,
                   char **token)
{
    struct mxs_event *e;

    while (xs_list_empty(&h->events)) {
        struct xsd_sockmsg r;
        char *body;
        int rc = recv_msg(h, &r, &body, timeout_ms);

        if (rc)
            return rc;
        rc = r.type == XS_WATCH_EVENT ? queue_event(h, body, r.len) : -EBADMSG;
        free(body);
        if (rc)
            return rc;
    }
    e = xs_container_of(h->events.next, struct mxs_event, link);
    xs_list_del(&e->link);
    *path = e->path;
    *token = e->token;
    free(e);
    return 0;
}

int mxs_transaction_start(struct mxs_handle *h, uint32_t *tx)
{
    char *body;
    int rc = mxs_request(h, XS_TRANSACTION_START, 0, "", 1, &body, NULL);

    if (rc)
        return rc;
    *tx = strtoul(body, NULL, 10);
    free(body);
    return *tx ? 0 : -EIO;
}

int mxs_transaction_end(struct mxs_handle *h, uint32_t tx, bool abort)
{
    return mxs_request(h, XS_TRANSACTION_END, tx, abort ? "F" : "T", 2,
                       NULL, NULL);
}

int mxs_get_domain_path(struct mxs_handle *h, unsigned int domid, char **path)
{
    char id[16];
    const char *s = id;

    snprintf(id, sizeof(id), "%u", domid);
    return simple(h, XS_GET_DOMAIN_PATH, 0, &s, 1, path, NULL);
}

int mxs_introduce(struct mxs_handle *h, unsigned int domid, uint64_t gfn,
                  unsigned int evtchn)
{
    char a[16], b[24], c[16];
    const char *s[3] = { a, b, c };

    snprintf(a, sizeof(a), "%u", domid);
    snprintf(b, sizeof(b), "%llu", (unsigned long long)gfn);
    snprintf(c, sizeof(c), "%u", evtchn);
    return simple(h, XS_INTRODUCE, 0, s, 3, NULL, NULL);
}

/* RELEASE and RESUME: the domid alone. */
static int domid_request(struct mxs_handle *h, uint32_t type, unsigned int domid)
{
    char a[16];
    const char *s = a;

    snprintf(a, sizeof(a), "%u", domid);
    return simple(h, type, 0, &s, 1, NULL, NULL);
}

int mxs_release(struct mxs_handle *h, unsigned int domid)
{
    return domid_request(h, XS_RELEASE, domid);
}

int mxs_resume(struct mxs_handle *h, unsigned int domid)
{
    return domid_request(h, XS_RESUME, domid);
}
