/*
 * panel_explore.c - the explorer's outcome histogram (see panel_explore.h).
 */
#include "config.h"

#include "ui/panel_explore.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/arena.h"
#include "export/explore_report.h"
#include "view/draw.h"

size_t panel_explore_draw(Grid *g, Rect r, const ExploreResult *res, size_t sel, bool going,
                          unsigned preemptions)
{
    unsigned order[EXPLORE_MAX_OUTCOMES];
    size_t n = 0;
    uint64_t total;
    int y = r.y;

    draw_fill(g, r.x, r.y, r.w, r.h, STYLE_TEXT);
    if (res == NULL) {
        draw_text(g, r.x + 1, y, r.w - 2, "nothing explored yet", (size_t)-1, STYLE_DIM);
        return 0;
    }
    total = atomic_load(&((ExploreResult *)res)->schedules);
    if (going) {
        draw_textf(g, r.x + 1, y++, r.w - 2, UI_HEADING,
                   "exploring, at most %u preemption%s: %" PRIu64 " schedules, ~%u%%", preemptions,
                   preemptions == 1 ? "" : "s", total,
                   atomic_load(&((ExploreResult *)res)->permille) / 10);
        return 0;
    }
    if (res->failed) {
        draw_textf(g, r.x + 1, y, r.w - 2, UI_ERROR, "the explorer failed: %s", res->error);
        return 0;
    }
    draw_textf(g, r.x + 1, y++, r.w - 2, UI_HEADING,
               "outcomes: %" PRIu64 " schedules, at most %u preemption%s, %s", total, preemptions,
               preemptions == 1 ? "" : "s",
               res->complete ? "complete: nothing else can happen within the bound" : "incomplete");
    n = explore_report_order(res, order);
    for (size_t i = 0; i < n && y < r.y + r.h - 2; i++, y++) {
        const ExploreOutcome *o = &res->outcomes[order[i]];
        bool failing = explore_outcome_failing(o);
        int style = i == sel ? UI_SELECTED : failing ? UI_ERROR : STYLE_TEXT;
        int bar = total > 0 ? (int)((o->count * 10 + total - 1) / total) : 0;
        char bars[11];
        int x = r.x + 1;
        for (int k = 0; k < 10; k++) {
            bars[k] = k < bar ? '#' : '.';
        }
        bars[10] = '\0';
        x += draw_textf(g, x, y, r.w - 2, style, "%c %6" PRIu64 " %s %-10s ", i == sel ? '>' : ' ',
                        o->count, bars, o->step_limit ? "step limit" : verdict_name(o->verdict));
        x += draw_textf(g, x, y, r.x + r.w - 1 - x, style, "%-24.24s ",
                        o->values[0] != '\0' ? o->values : "-");
        draw_textf(g, x, y, r.x + r.w - 1 - x, style, "%s",
                   o->schedule[0] != '\0' ? o->schedule : "-");
    }
    if (sel < n && y + 1 < r.y + r.h) {
        const ExploreOutcome *o = &res->outcomes[order[sel]];
        draw_textf(g, r.x + 1, ++y, r.w - 2, STYLE_DIM, "%s",
                   o->message[0] != '\0' ? o->message : "");
    }
    return n;
}
