/* SPDX-License-Identifier: MIT */
/*
 * screen.c - micatop's curses screen: xentop's layout (time and version,
 * state and memory summaries, the header in reverse video with the sort
 * column bold, one row per domain, the key legend at the bottom) and its
 * keys, plus a selected row, the state in colour, a CPU(%) history per
 * domain, and Enter for the detail view (detail.c).  Keys redraw at once;
 * figures are read again every delay; a resize redraws at the new size.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <public/domctl.h>

#include "prof.h"
#include "screen.h"

#define HIST_WIDTH 30

void mt_emit(struct scr *s, const char *text, attr_t a)
{
    int row, col;

    for (; *text; text++, s->x++) {
        if (s->o->wide) {       /* wrapped onto the next screen line */
            row = s->y + s->x / COLS;
            col = s->x % COLS;
        } else {
            row = s->y;
            col = s->x - s->pan;
        }
        if (row < LINES - 1 && col >= 0 && col < COLS)
            mvaddch(row, col, (chtype)(unsigned char)*text | a);
    }
}

void mt_newline(struct scr *s)
{
    s->y += s->o->wide && s->x > 0 ? (s->x + COLS - 1) / COLS : 1;
    s->x = 0;
}

bool mt_room(const struct scr *s)
{
    return s->y < LINES - 1;
}

attr_t mt_state_attr(const struct scr *s, uint32_t flags)
{
    int pair = MT_PAIR_BLOCK;

    if (flags & XEN_DOMINF_dying)
        pair = MT_PAIR_DYING;
    else if (flags & XEN_DOMINF_shutdown)
        pair = ((flags >> XEN_DOMINF_shutdownshift) & 0xff) == 3 ? MT_PAIR_CRASH : MT_PAIR_SHUT;
    else if (flags & XEN_DOMINF_paused)
        pair = MT_PAIR_PAUSE;
    else if (flags & XEN_DOMINF_running)
        pair = MT_PAIR_RUN;
    if (!s->colour)     /* a terminal without colour still sees trouble */
        return pair == MT_PAIR_CRASH || pair == MT_PAIR_DYING ? A_BOLD : A_NORMAL;
    return COLOR_PAIR(pair) | (pair == MT_PAIR_CRASH ? A_BOLD : 0);
}

void mt_draw_top(struct scr *s)
{
    char line[160], clock[16];
    time_t t = time(NULL);

    strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&t));
    snprintf(line, sizeof(line), "micatop - %s   Xen %s", clock, s->snap->host.version);
    mt_emit(s, line, A_NORMAL);
    mt_newline(s);
    mt_summary_states(s->snap->doms, s->snap->n, line, sizeof(line));
    mt_emit(s, line, A_NORMAL);
    mt_newline(s);
    mt_summary_mem(&s->snap->host, line, sizeof(line));
    mt_emit(s, line, A_NORMAL);
    mt_newline(s);
}

static void draw_header(struct scr *s)
{
    char cell[32];
    int c;

    for (c = 0; c < MT_NR_COLS; c++) {
        mt_head_cell((enum mt_col)c, cell, sizeof(cell));
        if (c)
            mt_emit(s, " ", A_REVERSE);
        mt_emit(s, cell, A_REVERSE | (c == (int)s->o->view.sort ? A_BOLD : 0));
    }
    snprintf(cell, sizeof(cell), " %-*s", HIST_WIDTH, "CPU(%) history");
    mt_emit(s, cell, A_NORMAL);
    mt_newline(s);
}

static void draw_row(struct scr *s, const struct mt_dom *d, bool selected)
{
    char cell[80], spark[HIST_WIDTH + 1];
    attr_t a;
    int c;

    for (c = 0; c < MT_NR_COLS; c++) {
        mt_cell(d, &s->snap->host, (enum mt_col)c, s->o->view.full_name, cell, sizeof(cell));
        a = c == (int)s->o->view.sort ? A_BOLD : A_NORMAL;
        if (c == MT_STATE)
            a |= mt_state_attr(s, d->flags);
        if (c == MT_NAME && selected)
            a |= A_REVERSE;
        if (c)
            mt_emit(s, " ", A_NORMAL);
        mt_emit(s, cell, a);
    }
    /* Full scale: every vCPU busy. */
    mt_sparkline(&d->hist, 100.0 * (d->nr_vcpus ? d->nr_vcpus : 1), spark, HIST_WIDTH);
    mt_emit(s, " ", A_NORMAL);
    mt_emit(s, spark, A_NORMAL);
    mt_newline(s);
}

/* A domain's row and the lines V, N, B and R add to it. */
static void draw_dom(struct scr *s, const struct mt_dom *d, bool selected)
{
    char line[512];
    unsigned int i;

    if (s->o->view.repeat_header)
        draw_header(s);
    if (mt_room(s))
        draw_row(s, d, selected);
    if (s->o->view.vcpus && mt_room(s)) {
        mt_vcpu_line(d, line, sizeof(line));
        mt_emit(s, line, A_NORMAL);
        mt_newline(s);
    }
    for (i = 0; s->o->view.nets && i < d->nr_vifs && mt_room(s); i++) {
        mt_vif_line(&d->vifs[i], i, line, sizeof(line));
        mt_emit(s, line, A_NORMAL);
        mt_newline(s);
    }
    for (i = 0; s->o->view.vbds && i < d->nr_vbds && mt_room(s); i++) {
        mt_vbd_line(&d->vbds[i], line, sizeof(line));
        mt_emit(s, line, A_NORMAL);
        mt_newline(s);
    }
}

/* The legend at the bottom: key letters reversed, toggles that are on lit. */
static void draw_legend(struct scr *s)
{
    static const struct { const char *pre, *key, *post; int toggle; } keys[] = {
        { "", "D", "elay", 0 }, { "", "N", "etworks", 1 }, { "v", "B", "ds", 2 },
        { "", "V", "CPUs", 3 }, { "", "R", "epeat header", 4 }, { "", "S", "ort order", 0 },
        { "", "Q", "uit", 0 }, { "", "Enter", " details", 0 },
    };
    const bool on[] = { false, s->o->view.nets, s->o->view.vbds, s->o->view.vcpus,
                        s->o->view.repeat_header };
    size_t i;
    attr_t lit;

    move(LINES - 1, 0);
    clrtoeol();
    if (s->prompting) {
        mvprintw(LINES - 1, 2, "Delay(sec): %s", s->answer);
        return;
    }
    move(LINES - 1, 2);
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        lit = on[keys[i].toggle] ? (s->colour ? COLOR_PAIR(MT_PAIR_TOGGLE) : A_UNDERLINE) : 0;
        attron(lit);
        addstr(keys[i].pre);
        attron(A_REVERSE);
        addstr(keys[i].key);
        attroff(A_REVERSE);
        addstr(keys[i].post);
        attroff(lit);
        addstr("  ");
    }
}

/* Lines one domain takes with the current toggles (for scrolling). */
static int dom_lines(const struct scr *s, const struct mt_dom *d)
{
    return 1 + s->o->view.repeat_header + s->o->view.vcpus +
           (s->o->view.nets ? (int)d->nr_vifs : 0) + (s->o->view.vbds ? (int)d->nr_vbds : 0);
}

/* Keep the selected domain on the screen. */
static void follow_selection(struct scr *s)
{
    /* Below the three summary lines and the header, above the legend. */
    int room = LINES - 5 + s->o->view.repeat_header, used;
    size_t i;

    if (s->sel >= s->n)
        s->sel = s->n ? s->n - 1 : 0;
    if (s->top > s->sel)
        s->top = s->sel;
    for (;;) {
        used = 0;
        for (i = s->top; i <= s->sel && i < s->n; i++)
            used += dom_lines(s, s->rows[i]);
        if (used <= room || s->top >= s->sel)
            break;
        s->top++;
    }
}

static void draw_table(struct scr *s)
{
    size_t i;

    s->y = s->x = 0;
    mt_draw_top(s);
    if (!s->o->view.repeat_header)
        draw_header(s);
    follow_selection(s);
    for (i = s->top; i < s->n && mt_room(s); i++)
        draw_dom(s, s->rows[i], i == s->sel);
}

static void draw(struct scr *s)
{
    uint64_t t = mt_prof_start();

    erase();
    if (s->detail)
        mt_draw_detail(s);
    else
        draw_table(s);
    draw_legend(s);
    mt_prof_end(MT_PH_DRAW, t);
    t = mt_prof_start();
    refresh();
    mt_prof_end(MT_PH_OUTPUT, t);
}

/* Put the rows in the view's order; the selection follows its domain. */
static void resort(struct scr *s, uint32_t keep)
{
    size_t i;

    mt_sort(s->rows, s->n, s->o->view.sort);
    for (i = 0; i < s->n; i++)
        if (s->rows[i]->domid == keep)
            s->sel = i;
}

/* Read the figures again (the previous snapshot is freed by this). */
static int reload(struct scr *s)
{
    uint32_t keep = s->sel < s->n ? s->rows[s->sel]->domid : 0;
    struct mt_dom **rows;
    uint64_t t = mt_prof_start();
    int rc = mt_collect(s->c, &s->snap);

    mt_prof_end(MT_PH_COLLECT, t);
    if (rc < 0)
        return rc;
    rows = realloc(s->rows, (s->snap->n ? s->snap->n : 1) * sizeof(*rows));
    if (!rows)
        return -ENOMEM;
    s->rows = rows;
    s->n = s->snap->n;
    memcpy(rows, s->snap->doms, s->n * sizeof(*rows));
    resort(s, keep);
    return 0;
}

/* The D prompt: digits and a point, Backspace, Enter sets, Esc cancels. */
static void prompt_key(struct scr *s, int ch)
{
    size_t len = strlen(s->answer);
    char *end;
    double d;

    if (ch == 27) {
        s->prompting = false;
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (len)
            s->answer[len - 1] = 0;
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        d = strtod(s->answer, &end);
        if (end != s->answer && !*end && d >= 0.1 && d <= 86400)
            s->o->delay = d;
        s->prompting = false;
    } else if (((ch >= '0' && ch <= '9') || ch == '.') && len + 1 < sizeof(s->answer)) {
        s->answer[len] = (char)ch;
        s->answer[len + 1] = 0;
    }
}

/* Scrolling keys: Up/Down one domain, PgUp/PgDn a screenful, Left/Right. */
static bool move_key(struct scr *s, int ch)
{
    size_t page = LINES > 6 ? (size_t)(LINES - 6) : 1;

    switch (ch) {
    case KEY_UP: if (s->sel) s->sel--; return true;
    case KEY_DOWN: if (s->sel + 1 < s->n) s->sel++; return true;
    case KEY_PPAGE: s->sel = s->sel > page ? s->sel - page : 0; return true;
    case KEY_NPAGE: s->sel = s->sel + page < s->n ? s->sel + page : (s->n ? s->n - 1 : 0);
        return true;
    case KEY_HOME: s->sel = 0; return true;
    case KEY_END: s->sel = s->n ? s->n - 1 : 0; return true;
    case KEY_LEFT: s->pan = s->pan > 8 ? s->pan - 8 : 0; return true;
    case KEY_RIGHT: if (s->pan < 200) s->pan += 8; return true;
    default: return false;
    }
}

/* One key; false when it means quit. */
static bool key(struct scr *s, int ch)
{
    uint32_t keep = s->sel < s->n ? s->rows[s->sel]->domid : 0;

    if (s->prompting) {
        prompt_key(s, ch);
        return true;
    }
    if (s->detail) {    /* Enter, Esc, Q or Backspace go back to the table */
        if (ch == '\n' || ch == '\r' || ch == KEY_ENTER || ch == 27 || ch == 'q' || ch == 'Q' ||
            ch == KEY_BACKSPACE || ch == 127)
            s->detail = false;
        return true;
    }
    if (move_key(s, ch))
        return true;
    switch (ch) {
    case 'q': case 'Q': case 27: return false;
    case 'd': case 'D': s->prompting = true; s->answer[0] = 0; break;
    case 'n': case 'N': s->o->view.nets = !s->o->view.nets; break;
    case 'b': case 'B': s->o->view.vbds = !s->o->view.vbds; break;
    case 'v': case 'V': s->o->view.vcpus = !s->o->view.vcpus; break;
    case 'r': case 'R': s->o->view.repeat_header = !s->o->view.repeat_header; break;
    case 's': case 'S':
        s->o->view.sort = (enum mt_col)((s->o->view.sort + 1) % MT_NR_COLS);
        resort(s, keep);
        break;
    case '\n': case '\r': case KEY_ENTER:
        if (s->n) {
            s->detail = true;
            s->detail_domid = keep;
        }
        break;
    default: break;
    }
    return true;
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void start_curses(struct scr *s)
{
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    /* Esc alone quits; wait only briefly for the rest of an arrow key. */
    set_escdelay(100);
    s->colour = has_colors();
    if (s->colour) {
        start_color();
        use_default_colors();
        init_pair(MT_PAIR_RUN, COLOR_GREEN, -1);
        init_pair(MT_PAIR_BLOCK, -1, -1);
        init_pair(MT_PAIR_PAUSE, COLOR_YELLOW, -1);
        init_pair(MT_PAIR_CRASH, COLOR_RED, -1);
        init_pair(MT_PAIR_DYING, COLOR_MAGENTA, -1);
        init_pair(MT_PAIR_SHUT, COLOR_BLUE, -1);
        init_pair(MT_PAIR_TOGGLE, COLOR_BLACK, COLOR_YELLOW);
    }
}

int mt_screen(struct mt_coll *c, struct mt_opts *o)
{
    struct scr s = { .c = c, .o = o };
    uint64_t next = 0, now;
    long rounds = 0;
    int ch, rc = 0;

    start_curses(&s);
    for (;;) {
        now = now_ms();
        if (now >= next) {
            if (o->iterations >= 0 && rounds++ >= o->iterations)
                break;
            rc = reload(&s);
            if (rc < 0)
                break;
            next = now + (uint64_t)(o->delay * 1000);
            draw(&s);
        }
        /* Sleep in getch until the next refresh or a key. */
        now = now_ms();
        timeout(next > now ? (int)(next - now) : 0);
        ch = getch();
        if (mt_stopped())
            break;
        if (ch == ERR)
            continue;
        if (ch != KEY_RESIZE && !key(&s, ch))
            break;
        draw(&s);
    }
    endwin();
    free(s.rows);
    if (rc < 0)
        fprintf(stderr, "micatop: reading domains: %s\n", strerror(-rc));
    return rc < 0;
}
