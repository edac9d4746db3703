/*
 * race_view.c - how the race-condition demo is shown (view/view.h).
 *
 * The lesson is one number: how many updates vanished.  The end-of-run
 * summary says it in words ("completed: counter 3, expected 4: 1 update
 * lost"), in the error colour when any was lost.
 *
 * The timeline marks where they vanished: X (✗) on the store that overwrote
 * another lane's update.  Two lanes that loaded the same value store the
 * same value; every store of a value but the first in time wrote over an
 * update another lane had made since this lane's load.  The scanner keeps,
 * for each value of the counter, its earliest store, and takes in each
 * lane's new stores as they arrive.  In a free run the order comes from
 * the lanes' clocks (the TSC), so a mark may sit on either store of a close
 * pair; in step mode it is exact.  Counters beyond RACE_MARKS_MAX values
 * are not marked (the summary still counts every lost update).
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/race.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/queueview.h"
#include "view/view.h"
#include "util/vec.h"

#define RACE_MARKS_MAX (1u << 22) /* counter values tracked, at most */

typedef struct RaceFirst {
    uint64_t t;    /* time of the earliest store of this value */
    uint32_t lane; /* its lane + 1, 0 = no store yet */
} RaceFirst;

typedef struct RaceMarks {
    uint32_t obj; /* the counter, 0 = not found yet */
    unsigned nlanes;
    size_t *scanned;  /* events of each lane's log already looked at */
    RaceFirst *first; /* by value */
    size_t nfirst;
    TimelineMark *marks;
    size_t nmarks, capmarks;
} RaceMarks;

static void race_marks_free(void *self)
{
    RaceMarks *m = self;
    if (m != NULL) {
        free(m->scanned);
        free(m->first);
        free(m->marks);
        free(m);
    }
}

static void *race_marks_new(const ViewCtx *ctx)
{
    RaceMarks *m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->nlanes = run_nlanes(ctx->run);
    m->scanned = calloc(m->nlanes > 0 ? m->nlanes : 1, sizeof(*m->scanned));
    if (m->scanned == NULL) {
        race_marks_free(m);
        return NULL;
    }
    return m;
}

static void race_marks_add(RaceMarks *m, uint64_t t, unsigned lane)
{
    TimelineMark *p = vec_grow(m->marks, &m->capmarks, m->nmarks + 1, sizeof(*p));
    if (p == NULL) {
        return; /* fewer marks; the summary still counts every lost update */
    }
    m->marks = p;
    m->marks[m->nmarks++] = (TimelineMark){
        .t = t, .lane = (uint16_t)lane, .ascii = 'X', .utf8 = "\u2717", .style = UI_ERROR};
}

/* A store of value v at t by lane. */
static void race_marks_store(RaceMarks *m, int64_t v, uint64_t t, unsigned lane)
{
    RaceFirst *f;

    if (v < 0 || (uint64_t)v >= RACE_MARKS_MAX) {
        return;
    }
    if ((size_t)v >= m->nfirst) {
        size_t n = m->nfirst;
        RaceFirst *p = vec_grow(m->first, &n, (size_t)v + 1, sizeof(*p));
        if (p == NULL) {
            return;
        }
        memset(p + m->nfirst, 0, (n - m->nfirst) * sizeof(*p));
        m->first = p;
        m->nfirst = n;
    }
    f = &m->first[v];
    if (f->lane == 0) {
        *f = (RaceFirst){t, lane + 1};
    } else if (t >= f->t) {
        race_marks_add(m, t, lane); /* it overwrote the earlier store's update */
    } else {
        race_marks_add(m, f->t, f->lane - 1); /* the earlier one we saw was later */
        *f = (RaceFirst){t, lane + 1};
    }
}

static void race_marks_scan(void *self, const ViewCtx *ctx)
{
    RaceMarks *m = self;

    if (m->obj == 0) {
        m->obj = queueview_var(ctx->arena, "counter");
        if (m->obj == 0) {
            return;
        }
    }
    for (unsigned l = 0; l < m->nlanes; l++) {
        const Event *ev;
        size_t n = run_lane_events(ctx->run, l, &ev);
        for (size_t j = m->scanned[l]; j < n; j++) {
            if (ev[j].kind == EV_STORE && ev[j].obj == m->obj) {
                race_marks_store(m, ev[j].value, ev[j].t, l);
            }
        }
        m->scanned[l] = n;
    }
}

static size_t race_marks_get(void *self, const TimelineMark **out)
{
    RaceMarks *m = self;
    *out = m->marks;
    return m->nmarks;
}

static const MarkSource race_marks = {
    .new = race_marks_new,
    .free = race_marks_free,
    .scan = race_marks_scan,
    .marks = race_marks_get,
};

static const LegendItem race_legend[] = {
    {'X', "\u2717", UI_ERROR, "store over another's update"},
};

static bool race_summary(const ViewCtx *ctx, StrBuf *out)
{
    int64_t expected, final, lost;

    if (run_verdict(ctx->run) != VERDICT_COMPLETED ||
        !arena_result_get(ctx->arena, "lost", &lost) ||
        !arena_result_get(ctx->arena, "expected", &expected) ||
        !arena_result_get(ctx->arena, "final", &final)) {
        return false;
    }
    if (lost > 0) {
        strbuf_addf(
            out, "completed: counter %" PRId64 ", expected %" PRId64 ": %" PRId64 " update%s lost",
            final, expected, lost, lost == 1 ? "" : "s");
        return false;
    }
    strbuf_addf(out, "completed: counter %" PRId64 " as expected, no update lost", final);
    return true;
}

const DemoView race_view = {
    .legend = race_legend,
    .nlegend = ARRAY_SIZE(race_legend),
    .marks = &race_marks,
    .summary = race_summary,
};
