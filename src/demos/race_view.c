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

/* One lane's marks, in time order. */
typedef struct RaceLaneMarks {
    TimelineMark *m;
    size_t n, cap;
} RaceLaneMarks;

typedef struct RaceMarks {
    uint32_t obj; /* the counter, 0 = not found yet */
    unsigned nlanes;
    size_t *scanned;  /* events of each lane's log already looked at */
    RaceFirst *first; /* by value */
    size_t nfirst;
    TimelineMark *marks; /* every mark, lane after lane (race_marks_get) */
    size_t nmarks, capmarks;
    TimelineMark *late; /* this scan's marks found after a later one of their lane */
    size_t nlate, caplate;
    RaceLaneMarks *lanes; /* the same marks, by lane, in time order */
} RaceMarks;

static void race_marks_free(void *self)
{
    RaceMarks *m = self;
    if (m != NULL) {
        for (unsigned l = 0; m->lanes != NULL && l < m->nlanes; l++) {
            free(m->lanes[l].m);
        }
        free(m->lanes);
        free(m->late);
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
    m->lanes = calloc(m->nlanes > 0 ? m->nlanes : 1, sizeof(*m->lanes));
    if (m->scanned == NULL || m->lanes == NULL) {
        race_marks_free(m);
        return NULL;
    }
    return m;
}

/* A mark at t on lane: kept with every mark, and in the lane's list (in
 * time order) at once when it is the lane's latest, else set aside until
 * the end of the scan (race_marks_sort_late). */
static void race_marks_add(RaceMarks *m, uint64_t t, unsigned lane)
{
    TimelineMark mark = {
        .t = t, .lane = (uint16_t)lane, .ascii = 'X', .utf8 = "\u2717", .style = UI_ERROR};
    RaceLaneMarks *lm = &m->lanes[lane];
    TimelineMark *p;

    /* on failure: fewer marks; the summary still counts every lost update */
    if (lm->n == 0 || lm->m[lm->n - 1].t <= t) {
        p = vec_grow(lm->m, &lm->cap, lm->n + 1, sizeof(*p));
        if (p != NULL) {
            lm->m = p;
            lm->m[lm->n++] = mark;
        }
        return;
    }
    p = vec_grow(m->late, &m->caplate, m->nlate + 1, sizeof(*p));
    if (p != NULL) {
        m->late = p;
        m->late[m->nlate++] = mark;
    }
}

static int race_mark_cmp(const void *pa, const void *pb)
{
    const TimelineMark *a = pa, *b = pb;
    if (a->lane != b->lane) {
        return a->lane < b->lane ? -1 : 1;
    }
    return a->t < b->t ? -1 : (a->t > b->t ? 1 : 0);
}

/*
 * Put the marks set aside in this scan (found after a later one of their
 * lane: the earlier store of a pair is seen when the other lane's log is
 * read) into their lanes' lists: sorted by lane and time, then merged into
 * each list from the back, which moves only the lane's marks later than
 * the earliest of them (recent ones: a mark is at a store of about the
 * counter's present value).  A scan's work stays in proportion to the
 * events it took in; inserting each mark where it belongs moved a long
 * tail of the list for every one.
 */
static void race_marks_sort_late(RaceMarks *m)
{
    size_t n = m->nlate;
    TimelineMark *nw = m->late;

    if (n == 0) {
        return;
    }
    qsort(nw, n, sizeof(*nw), race_mark_cmp);
    for (size_t g = 0; g < n;) {
        unsigned lane = nw[g].lane;
        RaceLaneMarks *lm = &m->lanes[lane];
        size_t e = g, i, j, k;
        TimelineMark *q;
        while (e < n && nw[e].lane == lane) {
            e++;
        }
        q = vec_grow(lm->m, &lm->cap, lm->n + (e - g), sizeof(*q));
        if (q == NULL) {
            g = e; /* this lane shows fewer marks */
            continue;
        }
        lm->m = q;
        /* merge nw[g..e) into lm->m[0..n) from the back */
        i = lm->n;
        j = e;
        k = lm->n + (e - g);
        while (j > g) {
            if (i > 0 && lm->m[i - 1].t > nw[j - 1].t) {
                lm->m[--k] = lm->m[--i];
            } else {
                lm->m[--k] = nw[--j];
            }
        }
        lm->n += e - g;
        g = e;
    }
    m->nlate = 0;
}

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
    race_marks_sort_late(m);
}

/* Every mark, lane after lane (each lane's in time order): put together
 * when asked (the text report asks once; the live timeline asks lane by
 * lane). */
static size_t race_marks_get(void *self, const TimelineMark **out)
{
    RaceMarks *m = self;
    size_t n = 0;

    for (unsigned l = 0; l < m->nlanes; l++) {
        n += m->lanes[l].n;
    }
    if (n > m->capmarks) {
        size_t cap = m->capmarks;
        TimelineMark *p = vec_grow(m->marks, &cap, n, sizeof(*p));
        if (p == NULL) {
            *out = NULL;
            return 0;
        }
        m->marks = p;
        m->capmarks = cap;
    }
    m->nmarks = 0;
    for (unsigned l = 0; l < m->nlanes; l++) {
        if (m->lanes[l].n == 0)
            continue; /* a lane with no marks may have no list at all */
        memcpy(&m->marks[m->nmarks], m->lanes[l].m, m->lanes[l].n * sizeof(*m->marks));
        m->nmarks += m->lanes[l].n;
    }
    *out = m->marks;
    return m->nmarks;
}

static size_t race_marks_lane(void *self, unsigned lane, const TimelineMark **out)
{
    RaceMarks *m = self;
    if (lane >= m->nlanes) {
        *out = NULL;
        return 0;
    }
    *out = m->lanes[lane].m;
    return m->lanes[lane].n;
}

static const MarkSource race_marks = {
    .new = race_marks_new,
    .free = race_marks_free,
    .scan = race_marks_scan,
    .marks = race_marks_get,
    .lane_marks = race_marks_lane,
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
