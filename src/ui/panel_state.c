/*
 * panel_state.c - the demo's state panel (see panel_state.h).
 */
#include "config.h"

#include "ui/panel_state.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sched.h"
#include "view/draw.h"
#include "view/waitgraph.h"

int panel_state_reset(PanelState *ps, unsigned nlanes)
{
    panel_state_fini(ps);
    if (nlanes == 0) {
        return 0;
    }
    ps->lanes = calloc(nlanes, sizeof(*ps->lanes));
    if (ps->lanes == NULL) {
        return -ENOMEM;
    }
    ps->nlanes = nlanes;
    return 0;
}

void panel_state_fini(PanelState *ps)
{
    free(ps->lanes);
    ps->lanes = NULL;
    ps->nlanes = 0;
}

/*
 * The run's result at row y, w columns: the verdict and every field in
 * human units, a field moving whole to the next row when it does not fit.
 * Returns the rows it takes; with g NULL it only counts them.
 */
static int panel_state_result(Grid *g, int x, int y, int w, const PanelStateIn *in)
{
    const ArenaResult *res = &run_arena(in->run)->result;
    int v = run_verdict(in->run), rows = 1, cx = x;

    cx += g != NULL
              ? draw_textf(g, cx, y, w, in->end_good ? UI_GOOD : UI_ERROR, "%s", verdict_name(v))
              : (int)strlen(verdict_name(v));
    for (uint32_t i = 0; res->done && i < res->nfields && i < ARENA_MAX_FIELDS; i++) {
        char field[96], val[48];
        int len;
        demo_unit_format(demo_result_unit(in->demo, res->fields[i].name), res->fields[i].value,
                         in->stepping, val, sizeof(val));
        len = snprintf(field, sizeof(field), "  %s %s", res->fields[i].name, val);
        if (cx + len > x + w && cx > x) {
            /* a field never gets cut: it moves to the next row */
            rows++;
            cx = x;
            len -= 2; /* no gap at the start of a row */
            memmove(field, field + 2, strlen(field + 2) + 1);
        }
        if (g != NULL) {
            draw_textf(g, cx, y + rows - 1, x + w - cx, STYLE_TEXT, "%s", field);
        }
        cx += len;
    }
    return rows;
}

/* Which of the demo's wait classes lane is in now, -1 for none. */
static int panel_state_wait(const PanelStateIn *in, unsigned lane)
{
    return view_lane_wait(view_of(in->demo), run_arena(in->run), run_config(in->run)->params, lane);
}

/* The first code line at or after from (going round) that performs op on
 * obj, or -1. */
static int panel_state_find(const Arena *a, const DemoCodeLine *code, size_t n, size_t from,
                            uint32_t op, uint32_t obj)
{
    for (size_t k = 0; k < n; k++) {
        size_t i = (from + k) % n;
        if (code[i].op == 0 || code[i].op != op) {
            continue;
        }
        if (code[i].obj != NULL && strcmp(code[i].obj, arena_obj_name(a, obj)) != 0) {
            continue;
        }
        return (int)i;
    }
    return -1;
}

/* How many code lines perform op on obj: 0, 1 or 2 (two or more); *line
 * gets the first. */
static int panel_state_matches(const Arena *a, const DemoCodeLine *code, size_t n, uint32_t op,
                               uint32_t obj, size_t *line)
{
    int found = 0;

    for (size_t i = 0; i < n && found < 2; i++) {
        if (code[i].op == 0 || code[i].op != op) {
            continue;
        }
        if (code[i].obj != NULL && strcmp(code[i].obj, arena_obj_name(a, obj)) != 0) {
            continue;
        }
        if (found++ == 0) {
            *line = i;
        }
    }
    return found;
}

/*
 * Index of the code line lane stands on, or -1.  Two lines can perform the
 * same operation ("lock from", "lock to"), so the lane's own events are
 * walked through the code in order: its pending operation is the next
 * matching line after the last one it ran.  Only the new events matter
 * from their latest one that a single line performs: it puts the lane
 * after that line whatever the walk said before, so the walk goes back
 * from the newest event to there, then forward over the few after it.
 */
static int panel_state_line(PanelState *ps, const Run *run, const DemoCodeLine *code, size_t n,
                            unsigned lane)
{
    const Arena *a = run_arena(run);
    const ArenaLane *al = &a->lanes[lane];
    uint32_t op = atomic_load(&al->op);
    uint32_t obj = atomic_load(&al->op_obj);
    size_t from = 0;
    uint32_t line = atomic_load(&((ArenaLane *)al)->code_line);

    if (n == 0) {
        return -1;
    }
    if (line > 0 && line <= n) {
        return (int)line - 1; /* the demo publishes where its lane stands */
    }
    if (lane < ps->nlanes) {
        PanelStateLane *l = &ps->lanes[lane];
        const Event *ev;
        size_t ne = run_lane_events(run, lane, &ev);
        size_t j = ne, only;
        while (j > l->code_scanned) {
            ps->visits++;
            if (panel_state_matches(a, code, n, ev[j - 1].kind, ev[j - 1].obj, &only) == 1) {
                l->code_pos = only + 1;
                break;
            }
            j--;
        }
        /* j: the first event after the deciding one (or the first new one) */
        for (; j < ne; j++) {
            int at;
            ps->visits++;
            at = panel_state_find(a, code, n, l->code_pos, ev[j].kind, ev[j].obj);
            if (at >= 0) {
                l->code_pos = (size_t)at + 1;
            }
        }
        l->code_scanned = ne;
        from = l->code_pos;
    }
    if (op == EV_LOCK_WAIT) {
        op = EV_LOCK_ACQUIRE;
    }
    return panel_state_find(a, code, n, from, op, obj);
}

/*
 * The shared variables and mutexes from row y, w columns, above row bottom
 * (with the wait-for graph on screen, the mutexes are in the graph).  The
 * heading has a row of its own, or shares the values' first row (inline).
 * A value never gets cut: it moves to the next row.  With g NULL it only
 * counts.  Returns the rows taken (0: nothing to show).
 */
static int panel_state_shared(Grid *g, const Arena *a, int x, int y, int w, int bottom, bool graph,
                              bool inline_head)
{
    uint32_t nobjs = arena_nobjs(a);
    bool any = !graph;
    int col = x, row = y;

    for (uint32_t o = 1; o < nobjs && !any; o++) {
        any = a->objs[o].kind == OBJ_VAR;
    }
    if (!any || row >= bottom) {
        return 0; /* nothing to show: the graph has the locks */
    }
    if (inline_head) {
        col += (g != NULL ? draw_text(g, x, row, w, "shared", (size_t)-1, UI_HEADING) : 6) + 2;
    } else {
        if (g != NULL) {
            draw_text(g, x, row, w, "shared", (size_t)-1, UI_HEADING);
        }
        row++;
    }
    for (uint32_t o = 1; o < nobjs && row < bottom; o++) {
        const ArenaObj *ob = &a->objs[o];
        int64_t v = atomic_load(&ob->value);
        char buf[128];
        if (ob->kind == OBJ_VAR) {
            snprintf(buf, sizeof(buf), "%s = %" PRId64, arena_str(a, ob->name), v);
        } else if (ob->kind == OBJ_MUTEX && !graph) {
            char holder[LANE_NAME_MAX] = "";
            if (v >= 0) {
                lane_name((unsigned)v, holder);
            }
            snprintf(buf, sizeof(buf), "mutex %s: %s%s", arena_str(a, ob->name),
                     v >= 0 ? "held by " : "free", holder);
        } else {
            continue;
        }
        if (col + (int)strlen(buf) > x + w && col > x) {
            col = x;
            row++;
            if (row >= bottom) {
                break;
            }
        }
        col += (g != NULL ? draw_text(g, col, row, x + w - col, buf, (size_t)-1, UI_GOOD)
                          : (int)strlen(buf)) +
               3;
    }
    return row - y + (col > x ? 1 : 0);
}

void panel_state_draw(PanelState *ps, Grid *g, Rect r, const PanelStateIn *in)
{
    int x = r.x, y = r.y, w = r.w, h = r.h;
    const DemoCodeLine *code;
    size_t ncode = 0, npy = 0;
    const char *const *py;
    int py_x = 0;
    bool py_only = false; /* the Python in place of the pseudo-code */
    const Arena *a = in->run != NULL ? run_arena(in->run) : NULL;
    unsigned nlanes = in->run != NULL ? run_nlanes(in->run) : 0;
    int row = y, bottom = y + h;
    const int gut = 8;
    bool stepping = in->stepping;
    int lane_line[ARENA_MAX_LANES];
    bool skip_shared = false; /* no room for the shared variables */
    bool lanes_head = true;   /* the lanes have their heading */
    size_t first = 0;         /* first code line shown */
    int code_bottom;          /* row under the last code line */
    int res_rows = in->run != NULL && run_done(in->run) ? panel_state_result(NULL, x, 0, w, in) : 0;

    code_bottom = bottom - res_rows; /* the result keeps its rows */
    code = demo_code(in->demo, in->params, &ncode);
    py = demo_python(in->demo, in->params, &npy);
    if (py != NULL) {
        /* the Python of the course beside the pseudo-code, when it has room
         * for at least 24 columns of it */
        int widest = 0;
        for (size_t i = 0; i < ncode; i++) {
            int len = (int)strlen(code[i].text);
            widest = len > widest ? len : widest;
        }
        py_x = x + gut + 1 + widest + 3;
        if (py_x + 24 > x + w) {
            /* no room beside: the Python in its place, if asked (y) */
            py_only = in->python;
            if (!py_only) {
                py = NULL;
            }
        }
    }
    {
        const DemoVariant *dv = demo_variant(in->demo, in->params);
        if (dv != NULL) {
            /* a variant that is wrong on purpose says so; when the heading
             * is too wide, "code: " gives way first */
            static const char broken[] = "broken on purpose";
            char head[128];
            int cx, hw = snprintf(head, sizeof(head), "code: %s (%s)", in->demo->name, dv->name);
            bool short_head = hw + (dv->broken ? 1 + (int)strlen(broken) : 0) > w;
            cx = x + draw_text(g, x, row, w, head + (short_head ? 6 : 0), (size_t)-1, UI_HEADING);
            if (dv->broken) {
                cx += 1 + draw_text_fit(g, cx + 1, row, x + w - cx - 1, broken, UI_ERROR);
            }
            if (py_only) {
                draw_text(g, cx + 1, row, x + w - cx - 1, "in Python (y)", (size_t)-1, UI_HEADING);
            } else if (py != NULL) {
                draw_text(g, py_x, row, x + w - py_x, "Python", (size_t)-1, UI_HEADING);
            }
            row++;
        } else {
            draw_textf(g, x, row++, w, UI_HEADING, "code: %s", in->demo->name);
        }
    }
    ps->visits = 0;
    if (a != NULL) {
        for (unsigned l = 0; l < nlanes && l < ARENA_MAX_LANES; l++) {
            lane_line[l] = panel_state_line(ps, in->run, code, ncode, l);
        }
    }
    /* a queue's code is long: room for the lanes (heading, one row each,
     * the result) and, if it still leaves 3 lines of code, the shared
     * variables; the code gets the rest, as a window that follows the
     * lanes' markers.  (The other lessons' code is short: all of it shows,
     * and the lanes get what is left.) */
    if (a != NULL && view_of(in->demo)->code_window) {
        int avail = bottom - row;
        int lanes_rows = 2 + (int)nlanes + res_rows;
        int code_rows = avail - lanes_rows - 4;
        if (code_rows < 3 && (int)ncode > code_rows) {
            skip_shared = true;
            code_rows = avail - lanes_rows;
        }
        if (code_rows < 2) {
            code_rows = 2;
        }
        if ((int)ncode > code_rows) {
            int lo = -1, hi = -1;
            for (unsigned l = 0; l < nlanes && l < ARENA_MAX_LANES; l++) {
                uint32_t st = arena_lane_state(a, l);
                if (lane_line[l] < 0 || st == LANE_FINISHED || st == LANE_NEW) {
                    continue;
                }
                lo = lo < 0 || lane_line[l] < lo ? lane_line[l] : lo;
                hi = lane_line[l] > hi ? lane_line[l] : hi;
            }
            if (lo > 0) {
                /* a line of context above, unless that hides the lowest marker */
                first = (size_t)(hi - (lo - 1) < code_rows ? lo - 1 : lo);
            }
            if (first + (size_t)code_rows > ncode) {
                first = ncode - (size_t)code_rows;
            }
            code_bottom = row + code_rows;
        }
    }
    for (size_t i = first; i < ncode && row < code_bottom; i++, row++) {
        char names[64] = "";
        int count = 0, shown = 0;
        size_t len = 0;
        for (unsigned l = 0; a != NULL && l < nlanes; l++) {
            const ArenaLane *al = &a->lanes[l];
            uint32_t st = atomic_load(&al->state);
            char nm[LANE_NAME_MAX];
            if (st == LANE_FINISHED || st == LANE_NEW) {
                continue;
            }
            if (lane_line[l] != (int)i) {
                continue;
            }
            count++;
            lane_name(l, nm);
            if (len + strlen(nm) + 1 <= (size_t)gut - 2) {
                len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
                                        shown > 0 ? " " : "", nm);
                shown++;
            }
        }
        if (count > shown) {
            snprintf(names + len, sizeof(names) - len, "+%d", count - shown);
        }
        if (count > 0) {
            int nw = (int)strlen(names);
            draw_text(g, x + gut - 1 - nw, row, nw, names, (size_t)-1, UI_MARKER);
            grid_put(g, x + gut - 1, row, DRAW_ARROW, (CellStyle)UI_MARKER);
        }
        if (py_only) {
            draw_text(g, x + gut + 1, row, w - gut - 1, i < npy && py[i] != NULL ? py[i] : "",
                      (size_t)-1, UI_CODE);
        } else {
            /* a code line too long for the panel says so at its end */
            draw_text_mark(g, x + gut + 1, row, w - gut - 1, code[i].text, (size_t)-1, UI_CODE);
        }
        if (py != NULL && !py_only && i < npy && py[i] != NULL) {
            draw_text(g, py_x, row, x + w - py_x, py[i], (size_t)-1, STYLE_DIM);
        }
        if (count > 0 && in->expand && row + 1 < code_bottom) {
            const char *steps = demo_code_steps(in->demo, i);
            if (steps != NULL) {
                row++;
                draw_textf(g, x + gut + 3, row, w - gut - 3, STYLE_DIM, "steps: %s", steps);
            }
        }
    }
    if (a == NULL) {
        if (row + 1 < bottom) {
            draw_text(g, x, row + 1, w,
                      stepping ? "starting the step run ..." : "no run yet: space starts one",
                      (size_t)-1, STYLE_DIM);
        }
        return;
    }
    /*
     * The shared variables, the lanes and the result, in the rows under the
     * code.  When they do not all fit, the layout gets more compact, one
     * step at a time, before any lane is left out: no blank rows between
     * the parts, the "shared" heading on the values' row, no "lanes"
     * heading.  (With the wait-for graph on screen the heading always
     * shares the row: the mutexes are in the graph.)
     */
    {
        static const struct {
            int gap;
            bool inline_head, lanes_head;
        } fits[] = {{1, false, true}, {0, false, true}, {0, true, true}, {0, true, false}};
        size_t f;
        int shared = 0;
        for (f = 0; f < ARRAY_SIZE(fits); f++) {
            int need;
            shared = skip_shared ? 0
                                 : panel_state_shared(NULL, a, x, 0, w, bottom - res_rows - row,
                                                      in->graph_beside,
                                                      fits[f].inline_head || in->graph_beside);
            need = (shared > 0 ? fits[f].gap + shared : 0) + fits[f].gap +
                   (fits[f].lanes_head ? 1 : 0) + (int)nlanes + res_rows;
            if (row + need <= bottom) {
                break;
            }
        }
        f = f < ARRAY_SIZE(fits) ? f : ARRAY_SIZE(fits) - 1;
        if (shared > 0) {
            row += fits[f].gap;
            /* above the rows the result keeps */
            row += panel_state_shared(g, a, x, row, w, bottom - res_rows, in->graph_beside,
                                      fits[f].inline_head || in->graph_beside);
        }
        row += fits[f].gap;
        lanes_head = fits[f].lanes_head;
    }
    /* lanes, above the rows the result needs */
    if (row < bottom - res_rows) {
        int room = bottom - res_rows - row - (lanes_head ? 1 : 0);
        if (lanes_head) {
            draw_textf(g, x, row++, w, UI_HEADING, "lanes%s%s",
                       stepping ? " (next step)" : " (last step)",
                       a->process_lanes > 0 ? ", processes by pid" : "");
        }
        for (unsigned l = 0; l < nlanes && row < bottom - res_rows; l++) {
            const ArenaLane *al = &a->lanes[l];
            uint32_t st = atomic_load(&al->state);
            int32_t by = atomic_load(&al->blocked_by);
            char nm[LANE_NAME_MAX + 16], op[128];
            int cx = x;
            int style = st == LANE_BLOCKED    ? STYLE_BLOCKED
                        : st == LANE_FINISHED ? STYLE_DIM
                                              : STYLE_TEXT;
            if ((int)l >= room - 1 && l + 1 < nlanes) {
                if (l > 0) {
                    draw_textf(g, x, row++, w, STYLE_DIM, "... and %u more lanes", nlanes - l);
                } else {
                    draw_textf(g, x, row++, w, STYLE_DIM, "%u lanes (no room for them here)",
                               nlanes);
                }
                break;
            }
            lane_name(l, nm);
            if (a->process_lanes > 0) {
                /* a lane that is a process of its own shows its pid: "C 4242" */
                RunLaneInfo li;
                run_lane_info(in->run, l, &li);
                if (li.kind == LANE_KIND_PROCESS && li.pid > 0) {
                    size_t nl = strlen(nm);
                    snprintf(nm + nl, sizeof(nm) - nl, " %d", (int)li.pid);
                }
            }
            if (panel_state_wait(in, l) >= 0) {
                /* "A   ▔ waits: buffer full (asleep on cond cv)" */
                const WaitClass *wc = &view_of(in->demo)->waits[panel_state_wait(in, l)];
                int ws = UI_ACCENT_0 + (int)(wc->accent % VIEW_ACCENTS);
                int cx2 = x + draw_textf(g, x, row, w, ws, "%-3s ", nm);
                draw_glyph(g, cx2, row, wc->utf8, wc->ascii, ws);
                cx2 += 2;
                cx2 += draw_textf(g, cx2, row, x + w - cx2, ws, "waits: %s", wc->what);
                if (waitgraph_lane_wait(in->wf, a, l, op, sizeof(op))) {
                    draw_textf(g, cx2, row, x + w - cx2, STYLE_DIM, " (%s)", op);
                }
                row++;
                continue;
            }
            if (waitgraph_lane_wait(in->wf, a, l, op, sizeof(op))) {
                /* "B   blocked on acct1 (held by A)": what it waits for and who has it */
                draw_textf(g, x, row, w, waitgraph_in_cycle(in->wf, l) ? UI_CYCLE : STYLE_BLOCKED,
                           "%-3s %s", nm, op);
                row++;
                continue;
            }
            sched_describe_op(a, atomic_load(&al->op), atomic_load(&al->op_obj), op, sizeof(op));
            if (arena_lane_name(a, l)[0] != '\0') {
                /* a lane the demo names (a pool's worker, a coroutine): its
                 * name says more than its register */
                cx += draw_textf(g, cx, row, w, style, "%-3s %-8s %.22s ", nm, lane_state_name(st),
                                 arena_lane_name(a, l));
            } else {
                cx += draw_textf(g, cx, row, w, style, "%-3s %-8s reg=%-4" PRId64 " ", nm,
                                 lane_state_name(st), (int64_t)atomic_load(&al->reg));
            }
            if (st != LANE_FINISHED && st != LANE_NEW) {
                grid_put(g, cx, row, DRAW_ARROW, (CellStyle)style);
                cx += 2;
                cx += draw_text(g, cx, row, x + w - cx, op, (size_t)-1, style);
                if (st == LANE_BLOCKED && by >= 0) {
                    char holder[LANE_NAME_MAX];
                    lane_name((unsigned)by, holder);
                    draw_textf(g, cx, row, x + w - cx, style, " (%s %s)",
                               sched_holder_phrase(atomic_load(&al->op)), holder);
                }
            }
            row++;
        }
    }
    /* result, in the rows kept for it */
    if (run_done(in->run)) {
        panel_state_result(g, x, bottom - res_rows, w, in);
    }
}
