/*
 * waitgraph.c - the wait-for graph panel (see waitgraph.h for the design).
 *
 * A row is built as a short list of segments (text and style) first, so
 * its width is known before anything is drawn: the panel picks the full
 * or the compact form from the widest row, and clips nothing it does not
 * have to.
 */
#include "config.h"

#include "view/waitgraph.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/event.h"
#include "core/schedule.h"
#include "core/sched.h"
#include "view/draw.h"

#define WG_SEGS 24
#define WG_SEG_TEXT 48

typedef struct WgRow {
    int n;
    struct {
        char text[WG_SEG_TEXT];
        int style;
    } seg[WG_SEGS];
} WgRow;

static void wg_add(WgRow *r, int style, const char *fmt, ...) ATTR_FORMAT(printf, 3, 4);

static void wg_add(WgRow *r, int style, const char *fmt, ...)
{
    va_list ap;

    if (r->n >= WG_SEGS) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(r->seg[r->n].text, WG_SEG_TEXT, fmt, ap);
    va_end(ap);
    r->seg[r->n].style = style;
    r->n++;
}

static int wg_width(const WgRow *r)
{
    int w = 0;
    for (int i = 0; i < r->n; i++) {
        w += (int)strlen(r->seg[i].text);
    }
    return w;
}

static void wg_draw_row(Grid *g, int x, int y, int w, const WgRow *r)
{
    int cx = x;
    for (int i = 0; i < r->n && cx < x + w; i++) {
        cx += draw_text(g, cx, y, x + w - cx, r->seg[i].text, (size_t)-1, r->seg[i].style);
    }
}

bool waitgraph_wanted(const Arena *arena)
{
    uint32_t nobjs = arena_nobjs(arena);

    for (uint32_t o = 1; o < nobjs && o < ARENA_MAX_OBJS; o++) {
        if (arena->objs[o].kind == OBJ_MUTEX || arena->objs[o].kind == OBJ_SEM) {
            return true;
        }
    }
    return false;
}

bool waitgraph_in_cycle(const WaitFor *wf, unsigned lane)
{
    for (unsigned k = 0; k < wf->ncycle; k++) {
        if (wf->cycle[k] == lane) {
            return true;
        }
    }
    return false;
}

static bool wg_holds(const WaitFor *wf, unsigned lane)
{
    for (uint32_t o = 1; o < wf->nobjs; o++) {
        if (wf->owner[o] == (int32_t)lane) {
            return true;
        }
    }
    return false;
}

static int64_t wg_count(const Arena *arena, uint32_t obj)
{
    return arena_obj_value(arena, obj);
}

bool waitgraph_lane_wait(const WaitFor *wf, const Arena *arena, unsigned lane, char *buf,
                         size_t len)
{
    const char *obj;

    if (len > 0) {
        buf[0] = '\0';
    }
    if (lane >= wf->nlanes || wf->wait_on[lane] == -1 || len == 0) {
        return false;
    }
    obj = arena_obj_name(arena, wf->wait_obj[lane]);
    if (sched_op_awaits(wf->wait_op[lane])) {
        /* the event loop's and the futures' waits: what, and who runs it */
        char holder[LANE_NAME_MAX] = "";
        if (wf->wait_on[lane] >= 0) {
            lane_name((unsigned)wf->wait_on[lane], holder);
        }
        switch (wf->wait_op[lane]) {
        case EV_LOOP_POLL:
            snprintf(buf, len, "event loop with nothing to wait for");
            break;
        case EV_QUEUE_TAKE:
            snprintf(buf, len, "waits for an item of %s (empty)", obj);
            break;
        case EV_FUT_WAIT:
            snprintf(buf, len, "waits for %s%s%s%s", obj, holder[0] != '\0' ? " (run by " : "",
                     holder, holder[0] != '\0' ? ")" : " (nobody runs it yet)");
            break;
        default:
            snprintf(buf, len, "awaits %s%s%s%s", obj, holder[0] != '\0' ? " (run by " : "", holder,
                     holder[0] != '\0' ? ")" : "");
            break;
        }
    } else if (wf->wait_op[lane] == EV_COND_SLEEP) {
        snprintf(buf, len, "asleep on cond %s", obj);
    } else if (wf->wait_on[lane] >= 0) {
        char holder[LANE_NAME_MAX];
        lane_name((unsigned)wf->wait_on[lane], holder);
        snprintf(buf, len, "blocked on %s (%s %s)", obj, sched_holder_phrase(wf->wait_op[lane]),
                 holder);
    } else {
        snprintf(buf, len, "waits %s, count %" PRId64, obj, wg_count(arena, wf->wait_obj[lane]));
    }
    return true;
}

/* Build lane's row in the full or the compact form. */
static void wg_build_row(WgRow *r, const WaitFor *wf, const Arena *arena, unsigned lane,
                         bool compact)
{
    bool cyc = waitgraph_in_cycle(wf, lane);
    bool waits = wf->wait_on[lane] != -1;
    char name[LANE_NAME_MAX];
    int first = 1;

    r->n = 0;
    lane_name(lane, name);
    wg_add(r, UI_CYCLE, "%s", cyc ? "*" : " ");
    wg_add(r, waits ? STYLE_BLOCKED : STYLE_RUNNING, "(%s)", name);
    if (wg_holds(wf, lane)) {
        wg_add(r, STYLE_MARK, "%s", compact ? " =>" : " =holds=>");
        for (uint32_t o = 1; o < wf->nobjs; o++) {
            if (wf->owner[o] == (int32_t)lane) {
                wg_add(r, STYLE_TEXT, "%s[%s]", compact && first ? "" : " ",
                       arena_obj_name(arena, o));
                first = 0;
            }
        }
    }
    if (waits) {
        uint32_t obj = wf->wait_obj[lane];
        int edge = cyc ? UI_CYCLE : STYLE_BLOCKED;
        wg_add(r, edge, "%s", compact ? " ->" : " -waits->");
        wg_add(r, STYLE_TEXT, "%s[%s]", compact ? "" : " ", arena_obj_name(arena, obj));
        if (wf->wait_op[lane] == EV_COND_SLEEP) {
            wg_add(r, STYLE_DIM, "%s", compact ? " (zz)" : " (asleep)");
        } else if (wf->wait_on[lane] >= 0) {
            char holder[LANE_NAME_MAX];
            lane_name((unsigned)wf->wait_on[lane], holder);
            if (compact) {
                wg_add(r, edge, " (%s)", holder);
            } else {
                /* a lock is held; a task or a future is run; a pipe is
                 * written or read */
                wg_add(r, edge, " (%s %s)",
                       sched_op_awaits(wf->wait_op[lane]) ? "run by"
                                                          : sched_holder_phrase(wf->wait_op[lane]),
                       holder);
            }
        } else if (sched_op_awaits(wf->wait_op[lane])) {
            wg_add(r, STYLE_DIM, "%s", compact ? "" : " (not yet)");
        } else {
            wg_add(r, STYLE_DIM, compact ? " (%" PRId64 ")" : " (count %" PRId64 ")",
                   wg_count(arena, obj));
        }
    }
}

/* The cycle row: with the objects, or the lanes only when that is too wide. */
static void wg_build_cycle(WgRow *r, const WaitFor *wf, const Arena *arena, bool objs)
{
    r->n = 0;
    wg_add(r, UI_CYCLE, "%s", "cycle:");
    for (unsigned k = 0; k <= wf->ncycle && r->n < WG_SEGS; k++) {
        unsigned l = wf->cycle[k % wf->ncycle];
        char name[LANE_NAME_MAX];
        lane_name(l, name);
        if (k == wf->ncycle) {
            wg_add(r, UI_CYCLE, " %s", name);
        } else if (objs) {
            wg_add(r, UI_CYCLE, " %s -> %s ->", name, arena_obj_name(arena, wf->wait_obj[l]));
        } else {
            wg_add(r, UI_CYCLE, " %s ->", name);
        }
    }
}

int waitgraph_draw(Grid *grid, int x, int y, int w, int h, const WaitFor *wf, const Arena *arena)
{
    unsigned pick[ARENA_MAX_LANES];
    unsigned npick = 0, nactive = 0, room;
    bool compact = false;
    int row = 0, hx;
    WgRow r;

    if (w <= 0 || h <= 0) {
        return 0;
    }
    /* which lanes get a row: the cycle's first, then the others, in lane order */
    room = (unsigned)(h > 1 ? h - 1 : 0) - (wf->ncycle > 0 && h > 2 ? 1u : 0u);
    for (unsigned pass = 0; pass < 2; pass++) {
        for (unsigned l = 0; l < wf->nlanes; l++) {
            bool active = wf->wait_on[l] != -1 || wg_holds(wf, l);
            if (!active || waitgraph_in_cycle(wf, l) != (pass == 0)) {
                continue;
            }
            nactive++;
            if (npick < room) {
                pick[npick++] = l;
            }
        }
    }
    if (npick < nactive && npick > 0) {
        npick--; /* the last row says how many more */
    }
    /* lane order on screen */
    for (unsigned i = 1; i < npick; i++) {
        for (unsigned j = i; j > 0 && pick[j - 1] > pick[j]; j--) {
            unsigned t = pick[j];
            pick[j] = pick[j - 1];
            pick[j - 1] = t;
        }
    }
    for (unsigned i = 0; i < npick && !compact; i++) {
        wg_build_row(&r, wf, arena, pick[i], false);
        compact = wg_width(&r) > w;
    }

    /* heading */
    hx = x + draw_text(grid, x, y, w, "wait-for graph", (size_t)-1, UI_HEADING);
    if (wf->ncycle > 0) {
        hx += draw_text(grid, hx, y, x + w - hx, "  cycle!", (size_t)-1, UI_CYCLE);
    }
    if (compact && x + w - hx >= 20) {
        draw_text(grid, hx, y, x + w - hx, "  => holds -> waits", (size_t)-1, STYLE_DIM);
    }
    row = 1;
    if (nactive == 0 && row < h) {
        draw_text(grid, x + 1, y + row++, w - 1, "no lock held, no lane waits", (size_t)-1,
                  STYLE_DIM);
    }
    for (unsigned i = 0; i < npick && row < h; i++) {
        wg_build_row(&r, wf, arena, pick[i], compact);
        wg_draw_row(grid, x, y + row++, w, &r);
    }
    if (npick < nactive && row < h) {
        draw_textf(grid, x + 1, y + row++, w - 1, STYLE_DIM, "+%u more lane%s", nactive - npick,
                   nactive - npick == 1 ? "" : "s");
    }
    if (wf->ncycle > 0 && row < h) {
        wg_build_cycle(&r, wf, arena, true);
        if (wg_width(&r) > w) {
            wg_build_cycle(&r, wf, arena, false);
        }
        wg_draw_row(grid, x, y + row++, w, &r);
    }
    return row;
}
