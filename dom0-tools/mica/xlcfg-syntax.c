/* SPDX-License-Identifier: MIT */
/*
 * xlcfg-syntax.c - the xl.cfg lexer and parser (grammar in xlcfg.h).
 *
 * The input is the user's file, so nothing here trusts it: every token is
 * bounded by the buffer, list nesting by XLCFG_MAX_DEPTH, and every error
 * frees what was built and names the file and line as xl does:
 *   FILE:LINE: config parsing error near `TOKEN': syntax error, ...
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlcfg.h"

enum tok {
    T_EOF, T_NEWLINE, T_IDENT, T_NUMBER, T_STRING, T_EQ, T_ADD,
    T_LBRACK, T_RBRACK, T_COMMA, T_SEMI, T_ERROR,
};

struct lexer {
    const char *source;
    const char *p, *end;
    int line;
    /* the current token */
    enum tok tok;
    int tok_line;
    const char *text;               /* as written, for messages */
    size_t textlen;
    char *val;                      /* IDENT, NUMBER, STRING: malloc'd */
    struct xlcfg_err *err;
    int rc;
};

static const char *tok_name(enum tok t)
{
    static const char *const names[] = {
        [T_EOF] = "end of file", [T_NEWLINE] = "NEWLINE", [T_IDENT] = "IDENT",
        [T_NUMBER] = "NUMBER", [T_STRING] = "STRING", [T_EQ] = "'='",
        [T_ADD] = "OP_ADD", [T_LBRACK] = "'['", [T_RBRACK] = "']'",
        [T_COMMA] = "','", [T_SEMI] = "';'", [T_ERROR] = "error",
    };
    return names[t];
}

void xlcfg_errf(struct xlcfg_err *err, const char *source, int line,
                const char *fmt, ...)
{
    va_list ap;
    int n;

    n = snprintf(err->msg, sizeof(err->msg), "%s:%d: ", source, line);
    if (n < 0 || (size_t)n >= sizeof(err->msg))
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
    va_end(ap);
}

/* The first error wins: later ones are consequences of it. */
static void lex_error(struct lexer *lx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void lex_error(struct lexer *lx, const char *fmt, ...)
{
    char why[200], near[80];
    size_t n = lx->textlen;
    va_list ap;

    if (lx->rc)
        return;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    if (lx->tok == T_NEWLINE) {
        snprintf(near, sizeof(near), "near <newline>");
    } else if (lx->tok == T_EOF) {
        snprintf(near, sizeof(near), "at end of file");
    } else {
        if (n > 40)
            n = 40;
        snprintf(near, sizeof(near), "near `%.*s'", (int)n, lx->text);
        /* a NUL or control byte would garble the one-line message */
        for (char *c = near; *c; c++)
            if (!isprint((unsigned char)*c))
                *c = '?';
    }
    xlcfg_errf(lx->err, lx->source, lx->tok_line,
               "config parsing error %s: %s", near, why);
    lx->rc = -EINVAL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Unquote [s, e) (quotes excluded) into a new string.  xl's escapes: \" \'
 * \\ \a \b \f \n \r \t \v, \xHH and \ooo; any other escaped character is
 * dropped with its backslash, as xl drops it.  A NUL, escaped or not,
 * cannot live in a C string and is refused.
 */
static char *unquote(struct lexer *lx, const char *s, const char *e)
{
    static const char plain[] = "\"\"''\\\\a\ab\bf\fn\nr\rt\tv\v";
    char *out = malloc((size_t)(e - s) + 1), *q = out;

    if (!out) {
        lx->rc = -ENOMEM;
        return NULL;
    }
    while (s < e) {
        int c = (unsigned char)*s++, v = 0, k;
        const char *m;

        if (c != '\\') {
            *q++ = (char)c;
            continue;
        }
        c = (unsigned char)*s++;    /* the lexer never ends a string on '\' */
        if (c && (m = strchr(plain, c)) && ((m - plain) % 2) == 0) {
            *q++ = m[1];
            continue;
        }
        if (c == 'x') {
            if (e - s < 2 || hexval(s[0]) < 0 || hexval(s[1]) < 0)
                goto bad;
            v = hexval(s[0]) * 16 + hexval(s[1]);
            s += 2;
        } else if (c >= '0' && c <= '7') {
            v = c - '0';
            for (k = 0; k < 2 && s < e && *s >= '0' && *s <= '7'; k++)
                v = v * 8 + (*s++ - '0');
            if (v > 255)
                goto bad;
        } else {
            continue;
        }
        if (!v)
            goto bad;
        *q++ = (char)v;
    }
    *q = 0;
    return out;
bad:
    free(out);
    lex_error(lx, "invalid numerical character escape in quoted string");
    return NULL;
}

static void lex_string(struct lexer *lx)
{
    char quote = *lx->p;
    const char *s = lx->p + 1;

    while (s < lx->end && *s != quote && *s != '\n') {
        if (*s == '\\' && s + 1 < lx->end && s[1] != '\n')
            s++;
        else if (!*s)
            break;
        s++;
    }
    lx->text = lx->p;
    if (s >= lx->end || *s != quote) {
        lx->textlen = (size_t)(s - lx->p);
        lx->tok = T_ERROR;
        lex_error(lx, s < lx->end && *s == 0 ? "NUL byte in quoted string"
                                            : "unterminated quoted string");
        return;
    }
    lx->textlen = (size_t)(s + 1 - lx->p);
    lx->val = unquote(lx, lx->p + 1, s);
    lx->p = s + 1;
    lx->tok = lx->val ? T_STRING : T_ERROR;
}

static void lex_word(struct lexer *lx, enum tok t, const char *ok)
{
    const char *s = lx->p + 1;

    while (s < lx->end && *s && strchr(ok, *s))
        s++;
    lx->text = lx->p;
    lx->textlen = (size_t)(s - lx->p);
    lx->val = strndup(lx->p, lx->textlen);
    if (!lx->val) {
        lx->rc = -ENOMEM;
        t = T_ERROR;
    }
    lx->p = s;
    lx->tok = t;
}

static void lex_next(struct lexer *lx)
{
    static const char digits[] = "0123456789abcdefx";
    static const char identch[] = "abcdefghijklmnopqrstuvwxyz0123456789_.";
    char c;

    free(lx->val);
    lx->val = NULL;
    while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
        lx->p++;
    if (lx->p < lx->end && *lx->p == '#')
        while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
    lx->tok_line = lx->line;
    lx->text = lx->p;
    lx->textlen = 1;
    if (lx->p >= lx->end) {
        lx->tok = T_EOF;
        lx->textlen = 0;
        return;
    }
    c = *lx->p;
    if (c == '"' || c == '\'')
        return lex_string(lx);
    if (c >= 'a' && c <= 'z')
        return lex_word(lx, T_IDENT, identch);
    if (c >= '0' && c <= '9')
        return lex_word(lx, T_NUMBER, digits);
    lx->p++;
    switch (c) {
    case '\n': lx->line++; lx->tok = T_NEWLINE; return;
    case '=': lx->tok = T_EQ; return;
    case '[': lx->tok = T_LBRACK; return;
    case ']': lx->tok = T_RBRACK; return;
    case ',': lx->tok = T_COMMA; return;
    case ';': lx->tok = T_SEMI; return;
    case '+':
        if (lx->p < lx->end && *lx->p == '=') {
            lx->p++;
            lx->textlen = 2;
            lx->tok = T_ADD;
            return;
        }
        break;
    }
    lx->tok = T_ERROR;
    lex_error(lx, "illegal character");
}

static void skip_newlines(struct lexer *lx)
{
    while (lx->tok == T_NEWLINE)
        lex_next(lx);
}

void xlcfg_value_free(struct xlcfg_value *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++)
        xlcfg_value_free(v->items[i]);
    free(v->items);
    free(v->str);
    free(v);
}

static int list_push(struct xlcfg_value *l, struct xlcfg_value *v)
{
    struct xlcfg_value **n;

    if ((l->n & (l->n - 1)) == 0) {         /* 0, 1, 2, 4, ...: grow */
        n = realloc(l->items, (l->n ? l->n * 2 : 1) * sizeof(*n));
        if (!n)
            return -ENOMEM;
        l->items = n;
    }
    l->items[l->n++] = v;
    return 0;
}

static struct xlcfg_value *parse_value(struct lexer *lx, int depth);

/* After '[': values separated by ',' with newlines anywhere, a trailing ',' allowed. */
static struct xlcfg_value *parse_list(struct lexer *lx, struct xlcfg_value *l,
                                      int depth)
{
    struct xlcfg_value *v;

    lex_next(lx);
    skip_newlines(lx);
    while (lx->tok != T_RBRACK && !lx->rc) {
        v = parse_value(lx, depth + 1);
        if (!v)
            break;
        if (list_push(l, v)) {
            xlcfg_value_free(v);
            lx->rc = -ENOMEM;
            break;
        }
        skip_newlines(lx);
        if (lx->tok == T_COMMA) {
            lex_next(lx);
            skip_newlines(lx);
        } else if (lx->tok != T_RBRACK) {
            lex_error(lx, "syntax error, unexpected %s, expecting ',' or ']'",
                      tok_name(lx->tok));
        }
    }
    if (lx->rc) {
        xlcfg_value_free(l);
        return NULL;
    }
    lex_next(lx);
    return l;
}

static struct xlcfg_value *parse_value(struct lexer *lx, int depth)
{
    struct xlcfg_value *v;

    if (lx->tok != T_STRING && lx->tok != T_NUMBER && lx->tok != T_LBRACK) {
        lex_error(lx, "syntax error, unexpected %s, expecting STRING or NUMBER or '['",
                  tok_name(lx->tok));
        return NULL;
    }
    if (lx->tok == T_LBRACK && depth >= XLCFG_MAX_DEPTH) {
        lex_error(lx, "lists nested deeper than %d", XLCFG_MAX_DEPTH);
        return NULL;
    }
    v = calloc(1, sizeof(*v));
    if (!v) {
        lx->rc = -ENOMEM;
        return NULL;
    }
    v->line = lx->tok_line;
    if (lx->tok == T_LBRACK) {
        v->type = XLCFG_LIST;
        return parse_list(lx, v, depth);
    }
    v->type = lx->tok == T_STRING ? XLCFG_STRING : XLCFG_NUMBER;
    v->str = lx->val;
    lx->val = NULL;
    lex_next(lx);
    return v;
}

static int push_setting(struct xlcfg *cfg, char *key, bool append, int line,
                        struct xlcfg_value *val)
{
    struct xlcfg_setting *n;

    if ((cfg->n & (cfg->n - 1)) == 0) {
        n = realloc(cfg->set, (cfg->n ? cfg->n * 2 : 1) * sizeof(*n));
        if (!n)
            return -ENOMEM;
        cfg->set = n;
    }
    cfg->set[cfg->n++] = (struct xlcfg_setting){ key, append, line, val };
    return 0;
}

/* IDENT ('=' | '+=') value (NEWLINE | ';' | EOF) */
static void parse_stmt(struct lexer *lx, struct xlcfg *cfg)
{
    struct xlcfg_value *v;
    char *key = lx->val;
    int line = lx->tok_line;
    bool append;

    lx->val = NULL;
    lex_next(lx);
    if (lx->tok != T_EQ && lx->tok != T_ADD) {
        lex_error(lx, "syntax error, unexpected %s, expecting '=' or OP_ADD",
                  tok_name(lx->tok));
        goto fail;
    }
    append = lx->tok == T_ADD;
    lex_next(lx);
    v = parse_value(lx, 0);
    if (!v)
        goto fail;
    if (lx->tok != T_NEWLINE && lx->tok != T_SEMI && lx->tok != T_EOF) {
        lex_error(lx, "syntax error, unexpected %s, expecting NEWLINE or ';'",
                  tok_name(lx->tok));
        xlcfg_value_free(v);
        goto fail;
    }
    if (push_setting(cfg, key, append, line, v)) {
        lx->rc = -ENOMEM;
        xlcfg_value_free(v);
        goto fail;
    }
    return;
fail:
    free(key);
}

void xlcfg_free(struct xlcfg *cfg)
{
    for (size_t i = 0; i < cfg->n; i++) {
        free(cfg->set[i].key);
        xlcfg_value_free(cfg->set[i].val);
    }
    free(cfg->set);
    cfg->set = NULL;
    cfg->n = 0;
}

/* "+=": lists gain the items, strings are concatenated (xl.cfg(5)). */
static int fold_append(struct xlcfg *cfg, struct xlcfg_setting *to,
                       struct xlcfg_setting *from, struct xlcfg_err *err)
{
    struct xlcfg_value *a = to->val, *b = from->val;
    char *s;

    if (a->type == XLCFG_LIST && b->type == XLCFG_LIST) {
        for (; b->n; b->n--) {
            if (list_push(a, b->items[0]))
                return -ENOMEM;
            memmove(b->items, b->items + 1, (b->n - 1) * sizeof(*b->items));
        }
    } else if (a->type == XLCFG_STRING && b->type == XLCFG_STRING) {
        if (asprintf(&s, "%s%s", a->str, b->str) < 0)
            return -ENOMEM;
        free(a->str);
        a->str = s;
    } else {
        xlcfg_errf(err, cfg->source, from->line,
                   "can only append a list to a list or a string to a string (`%s')",
                   from->key);
        return -EINVAL;
    }
    to->line = from->line;
    free(from->key);
    xlcfg_value_free(b);
    return 0;
}

/*
 * Leave one setting per key: a later "=" replaces an earlier one, as xl
 * reads the last; "+=" folds into what came before.
 */
static int fold(struct xlcfg *cfg, struct xlcfg_err *err)
{
    size_t out = 0, i, j;
    int rc = 0;

    for (i = 0; i < cfg->n; i++) {
        struct xlcfg_setting *s = &cfg->set[i];

        for (j = 0; j < out && strcmp(cfg->set[j].key, s->key); j++)
            ;
        if (rc) {
            free(s->key);
            xlcfg_value_free(s->val);
        } else if (j == out) {
            cfg->set[out++] = *s;
        } else if (!s->append) {
            free(cfg->set[j].key);
            xlcfg_value_free(cfg->set[j].val);
            cfg->set[j] = *s;
        } else if ((rc = fold_append(cfg, &cfg->set[j], s, err))) {
            free(s->key);
            xlcfg_value_free(s->val);
        }
    }
    cfg->n = out;
    return rc;
}

const struct xlcfg_setting *xlcfg_get(const struct xlcfg *cfg, const char *key)
{
    for (size_t i = 0; i < cfg->n; i++)
        if (!strcmp(cfg->set[i].key, key))
            return &cfg->set[i];
    return NULL;
}

char *xlcfg_with_overrides(const char *buf, size_t len, char *const *ov,
                           int nov, size_t *outlen)
{
    size_t total = len, at;
    char *out;
    int i;

    for (i = 0; i < nov; i++)
        total += 1 + strlen(ov[i]);
    out = malloc(total + 1);
    if (!out)
        return NULL;
    memcpy(out, buf, len);
    at = len;
    for (i = 0; i < nov; i++) {
        out[at++] = '\n';
        memcpy(out + at, ov[i], strlen(ov[i]));
        at += strlen(ov[i]);
    }
    out[at] = 0;
    *outlen = at;
    return out;
}

int xlcfg_parse(struct xlcfg *cfg, const char *source, const char *buf,
                size_t len, struct xlcfg_err *err)
{
    struct lexer lx = { .source = source, .p = buf, .end = buf + len,
                        .line = 1, .err = err };
    int rc;

    *cfg = (struct xlcfg){ .source = source };
    err->msg[0] = 0;
    lex_next(&lx);
    while (lx.tok != T_EOF && !lx.rc) {
        if (lx.tok == T_IDENT)
            parse_stmt(&lx, cfg);
        else if (lx.tok != T_NEWLINE && lx.tok != T_SEMI)
            lex_error(&lx, "syntax error, unexpected %s, expecting IDENT or NEWLINE",
                      tok_name(lx.tok));
        if (!lx.rc && lx.tok != T_EOF)
            lex_next(&lx);
        if (cfg->n > XLCFG_MAX_SETTINGS)
            lex_error(&lx, "more than %d settings", XLCFG_MAX_SETTINGS);
    }
    free(lx.val);
    cfg->lines = lx.line;
    rc = lx.rc ? lx.rc : fold(cfg, err);
    if (rc) {
        if (rc == -ENOMEM && !err->msg[0])
            xlcfg_errf(err, source, lx.line, "out of memory");
        xlcfg_free(cfg);
    }
    return rc;
}
