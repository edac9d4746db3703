/*
 * pool_view.c - how the process-pool demo is shown (view/view.h).
 *
 * Everything is read back from the events (the parent is a thread of the
 * sandbox, the workers are other processes: the front end sees only what
 * they recorded).  A tracker (PoolTrack) follows each task:
 *
 *   queued   the parent wrote its chunk to the tasks pipe (pipe_write,
 *            tag = the chunk's first id);
 *   running  a worker's "run" step names it;
 *   back     the worker wrote its results (pipe_write on results);
 *   arrived  the parent read them (pipe_read, tag = the chunk's first id);
 *   handed   the parent's "result" or "raise" step gave it to the caller
 *            (map: in submission order; otherwise as they arrive);
 *   failed   the parent's "broken" step: the pool broke first.
 *
 * On the timeline each worker's row shows its tasks as spans labelled
 * with the task id (from its "run" step to the next one or to its write
 * of the results), pipe writes and reads as > and <, a raise on the
 * parent's row as !, a task failed by the broken pool as x; the core draws
 * where a worker died (X) and its zombie time ('z').  Its waits: the
 * parent waiting for results (R), a worker idle with no task (-), and in
 * the queue variant the parent in join() (J).
 *
 * Beside the timeline, the task queue panel; under it nothing.  A broken
 * pool gets a banner of its own, like a verdict's, naming the dead worker,
 * its pid, how it died, the task it was running and the tasks that failed.
 *
 * Thread: the front end's main thread.
 */
#include "config.h"

#include "demos/pool.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view/draw.h"
#include "view/view.h"

enum { PV_RESULTS = 0, PV_IDLE = 1, PV_JOIN = 2 };

static const WaitClass pv_waits[] = {
    [PV_RESULTS] = {"results", "results (from the workers)", "waits: results", 'R', "\u25c7", 1},
    [PV_IDLE] = {"idle", "a task (idle)", "idle: no task", '-', "\u2508", 3},
    [PV_JOIN] = {"join", "join (every task done)", "join", 'J', "\u2504", 2},
};

static int pv_wait_class(const Arena *arena, const int64_t *params, unsigned lane, uint32_t obj)
{
    const char *name = arena_obj_name(arena, obj);
    (void)params;
    (void)lane;
    if (strcmp(name, "results") == 0) {
        return PV_RESULTS;
    }
    if (strcmp(name, "tasks") == 0 || strcmp(name, "not_empty") == 0) {
        return PV_IDLE;
    }
    if (strcmp(name, "all_done") == 0) {
        return PV_JOIN;
    }
    return -1;
}

static bool pv_wait_in_use(const int64_t *params, unsigned k)
{
    bool queue = params[POOL_VARIANT] == POOL_QUEUE;
    return k == PV_IDLE || (k == PV_RESULTS && !queue) || (k == PV_JOIN && queue);
}

/* ------------------------------------------------------------------ */
/* the tracker                                                         */
/* ------------------------------------------------------------------ */

enum { PT_PENDING, PT_QUEUED, PT_RUNNING, PT_BACK, PT_ARRIVED, PT_HANDED, PT_RAISED, PT_FAILED };

static const char *const pt_names[] = {
    [PT_PENDING] = "not sent", [PT_QUEUED] = "queued",   [PT_RUNNING] = "running",
    [PT_BACK] = "sent back",   [PT_ARRIVED] = "arrived", [PT_HANDED] = "result",
    [PT_RAISED] = "raised",    [PT_FAILED] = "failed",
};

typedef struct PoolTrack {
    int64_t tasks, cs;
    int64_t usage;
    unsigned nlanes;
    uint32_t o_tasks, o_results, o_run, o_result, o_raise, o_broken; /* objects, 0 = none */
    bool found;
    size_t *scanned; /* per lane: events looked at */
    uint8_t *state;  /* per task (1-based): PT_* */
    int16_t *worker; /* per task: the lane that ran it, -1 = none */
    int64_t *handed; /* ids in the order the caller got them */
    size_t nhanded;
    int64_t *arrived; /* ids in the order their results reached the parent */
    size_t narrived;
    int64_t *running;  /* per lane: the task it runs now, 0 = none */
    int64_t broken_by; /* the dead worker, -1 = none */
    int64_t crashed;   /* the task it was running, 0 = none */
    int64_t nraised;
    unsigned *per_worker; /* results sent back, per lane */
    TimelineMark *marks;
    size_t nmarks, capmarks;
    long *open; /* per lane: the mark of its open task span, -1 = none */
} PoolTrack;

static void pt_free(void *self)
{
    PoolTrack *t = self;
    if (t == NULL) {
        return;
    }
    free(t->scanned);
    free(t->state);
    free(t->worker);
    free(t->handed);
    free(t->arrived);
    free(t->running);
    free(t->per_worker);
    free(t->marks);
    free(t->open);
    free(t);
}

static void *pt_new(const ViewCtx *ctx)
{
    PoolTrack *t = calloc(1, sizeof(*t));
    const int64_t *p = ctx->cfg->params;
    size_t nt;

    if (t == NULL) {
        return NULL;
    }
    t->tasks = p[POOL_TASKS];
    t->usage = p[POOL_USAGE];
    t->cs = t->usage == POOL_AS_COMPLETED ? 1 : p[POOL_CHUNKSIZE];
    t->nlanes = run_nlanes(ctx->run);
    t->broken_by = -1;
    nt = (size_t)t->tasks + 1;
    t->scanned = calloc(t->nlanes, sizeof(*t->scanned));
    t->state = calloc(nt, sizeof(*t->state));
    t->worker = malloc(nt * sizeof(*t->worker));
    t->handed = malloc(nt * sizeof(*t->handed));
    t->arrived = malloc(nt * sizeof(*t->arrived));
    t->running = calloc(t->nlanes, sizeof(*t->running));
    t->per_worker = calloc(t->nlanes, sizeof(*t->per_worker));
    t->open = malloc(t->nlanes * sizeof(*t->open));
    if (t->scanned == NULL || t->state == NULL || t->worker == NULL || t->handed == NULL ||
        t->arrived == NULL || t->running == NULL || t->per_worker == NULL || t->open == NULL) {
        pt_free(t);
        return NULL;
    }
    for (size_t i = 0; i < nt; i++) {
        t->worker[i] = -1;
    }
    for (unsigned l = 0; l < t->nlanes; l++) {
        t->open[l] = -1;
    }
    return t;
}

/* The arena object called name, whatever its kind; 0 = none. */
static uint32_t pt_obj(const Arena *arena, const char *name)
{
    for (uint32_t i = 1; i < arena_nobjs(arena); i++) {
        if (strcmp(arena_obj_name(arena, i), name) == 0) {
            return i;
        }
    }
    return 0;
}

static TimelineMark *pt_mark(PoolTrack *t, uint64_t at, unsigned lane, char ascii, const char *utf8,
                             int style)
{
    TimelineMark *m;
    if (t->nmarks == t->capmarks) {
        size_t cap = t->capmarks == 0 ? 256 : t->capmarks * 2;
        TimelineMark *p = realloc(t->marks, cap * sizeof(*p));
        if (p == NULL) {
            return NULL; /* fewer marks; the panel still counts every task */
        }
        t->marks = p;
        t->capmarks = cap;
    }
    m = &t->marks[t->nmarks++];
    memset(m, 0, sizeof(*m));
    m->t = at;
    m->lane = (uint16_t)lane;
    m->ascii = ascii;
    m->utf8 = utf8;
    m->style = style;
    return m;
}

/* Close lane's open task span at t (step mode: the step before). */
static void pt_close(PoolTrack *t, unsigned lane, uint64_t at, bool stepping)
{
    if (t->open[lane] >= 0) {
        t->marks[t->open[lane]].until = stepping && at > 0 ? at - 1 : at;
        t->open[lane] = -1;
    }
}

/* The ids of the chunk that starts at first. */
static int64_t pt_chunk_end(const PoolTrack *t, int64_t first)
{
    int64_t last = first + t->cs - 1;
    return last > t->tasks ? t->tasks : last;
}

static void pt_event(PoolTrack *t, unsigned lane, const Event *e, bool stepping)
{
    int64_t v = e->value;

    if (e->kind == EV_PIPE_WRITE && e->obj == t->o_tasks && v > 0) {
        for (int64_t id = v; id <= pt_chunk_end(t, v); id++) {
            t->state[id] = t->state[id] < PT_QUEUED ? PT_QUEUED : t->state[id];
        }
        (void)pt_mark(t, e->t, lane, '>', NULL, STYLE_MARK);
    } else if (e->kind == EV_PIPE_WRITE && e->obj == t->o_results) {
        pt_close(t, lane, e->t, stepping);
        for (int64_t id = v; id >= 1 && id <= pt_chunk_end(t, v); id++) {
            if (t->worker[id] != (int16_t)lane) {
                continue;
            }
            t->per_worker[lane]++;
            if (t->state[id] == PT_RUNNING) {
                t->state[id] = PT_BACK;
            }
        }
        t->running[lane] = 0;
        (void)pt_mark(t, e->t, lane, '>', NULL, STYLE_MARK);
    } else if (e->kind == EV_PIPE_READ && (e->obj == t->o_tasks || e->obj == t->o_results)) {
        if (e->obj == t->o_results && v > 0) {
            for (int64_t id = v; id <= pt_chunk_end(t, v); id++) {
                if (t->state[id] < PT_ARRIVED) {
                    t->state[id] = PT_ARRIVED;
                    t->arrived[t->narrived++] = id;
                }
            }
        } else if (e->obj == t->o_results && v < 0) {
            t->broken_by = -v - 1; /* a dead writer */
        }
        (void)pt_mark(t, e->t, lane, v < 0 ? '!' : '<', NULL, v < 0 ? UI_ERROR : STYLE_MARK);
    } else if (e->kind == EV_COMPUTE && e->obj == t->o_run && v >= 1 && v <= t->tasks) {
        TimelineMark *m;
        pt_close(t, lane, e->t, stepping);
        if (t->state[v] < PT_RUNNING) {
            t->state[v] = PT_RUNNING; /* lanes are read one after another: never go back */
        }
        t->worker[v] = (int16_t)lane;
        t->running[lane] = v;
        m = pt_mark(t, e->t, lane, '=', NULL, UI_ACCENT_0 + (int)(v % 2));
        if (m != NULL) {
            snprintf(m->label, sizeof(m->label), "%d", (int)(v % 10000000));
            m->until = UINT64_MAX;
            t->open[lane] = (long)(m - t->marks);
        }
    } else if (e->kind == EV_COMPUTE && v >= 1 && v <= t->tasks &&
               (e->obj == t->o_result || e->obj == t->o_raise || e->obj == t->o_broken)) {
        t->state[v] = e->obj == t->o_result  ? PT_HANDED
                      : e->obj == t->o_raise ? PT_RAISED
                                             : PT_FAILED;
        t->nraised += e->obj == t->o_raise;
        if (e->obj != t->o_broken) {
            t->handed[t->nhanded++] = v;
        }
        if (e->obj == t->o_raise) {
            (void)pt_mark(t, e->t, lane, '!', NULL, UI_ERROR);
        } else if (e->obj == t->o_broken) {
            (void)pt_mark(t, e->t, lane, 'x', NULL, UI_ERROR);
        }
    } else if (e->kind == EV_LANE_DIED) {
        pt_close(t, lane, e->t + (stepping ? 1 : 0), stepping);
        if (t->running[lane] > 0) {
            t->crashed = t->running[lane];
        }
    }
}

static void pt_scan(void *self, const ViewCtx *ctx)
{
    PoolTrack *t = self;

    if (t == NULL) {
        return;
    }
    if (!t->found) {
        t->o_tasks = pt_obj(ctx->arena, "tasks");
        t->o_results = pt_obj(ctx->arena, "results");
        t->o_run = pt_obj(ctx->arena, "run");
        t->o_result = pt_obj(ctx->arena, "result");
        t->o_raise = pt_obj(ctx->arena, "raise");
        t->o_broken = pt_obj(ctx->arena, "broken");
        if (t->o_run == 0) {
            return; /* not set up yet */
        }
        t->found = true;
    }
    for (unsigned l = 0; l < t->nlanes; l++) {
        const Event *ev;
        size_t n = run_lane_events(ctx->run, l, &ev);
        for (size_t j = t->scanned[l]; j < n; j++) {
            pt_event(t, l, &ev[j], ctx->stepping);
        }
        t->scanned[l] = n;
    }
}

static size_t pt_marks(void *self, const TimelineMark **out)
{
    PoolTrack *t = self;
    *out = t->marks;
    return t->nmarks;
}

static const MarkSource pv_marks = {
    .new = pt_new,
    .free = pt_free,
    .scan = pt_scan,
    .marks = pt_marks,
};

/* A fresh tracker over the whole run (reports, summaries).  NULL = out of
 * memory. */
static PoolTrack *pt_whole(const ViewCtx *ctx)
{
    PoolTrack *t = pt_new(ctx);
    pt_scan(t, ctx);
    return t;
}

/* "2, 3, 4" of the failed tasks, at most max of them, "... (N in all)". */
static void pt_failed_list(const PoolTrack *t, StrBuf *out, int max)
{
    int64_t n = 0;
    for (int64_t id = 1; id <= t->tasks; id++) {
        if (t->state[id] != PT_FAILED) {
            continue;
        }
        if (n < max) {
            strbuf_addf(out, "%s%" PRId64, n > 0 ? ", " : "", id);
        }
        n++;
    }
    if (n > max) {
        strbuf_addf(out, ", ... (%" PRId64 " in all)", n);
    }
}

static int64_t pt_count(const PoolTrack *t, int state)
{
    int64_t n = 0;
    for (int64_t id = 1; id <= t->tasks; id++) {
        n += t->state[id] == state;
    }
    return n;
}

/* "worker C (pid 4243) died of signal 11 (Segmentation fault) running
 * task 5" */
static void pt_death(const PoolTrack *t, const ViewCtx *ctx, StrBuf *out)
{
    RunLaneInfo li;
    char name[LANE_NAME_MAX], how[160] = "died";

    run_lane_info(ctx->run, (unsigned)t->broken_by, &li);
    lane_name((unsigned)t->broken_by, name);
    if (li.ended) {
        lane_exit_describe(li.exit_status, how, sizeof(how));
    }
    strbuf_addf(out, "worker %s (pid %d) %s", name, (int)li.pid, how);
    if (t->crashed > 0) {
        strbuf_addf(out, " running task %" PRId64, t->crashed);
    }
}

/* ------------------------------------------------------------------ */
/* the task queue panel, beside the timeline                           */
/* ------------------------------------------------------------------ */

static int pv_queue_want(const ViewCtx *ctx, int avail)
{
    (void)ctx;
    return avail >= 120 ? 44 : 38;
}

/*
 * "pool: 2 workers, map, chunks of 1", the counts of each state, one row
 * per task from the first not yet handed out ("  5 running   C"), then
 * the order results were handed out and arrived, and a broken pool.
 */
static void pv_queue_draw(void *self, Grid *g, Rect r, const ViewCtx *ctx)
{
    PoolTrack *t = self;
    const int64_t *p = ctx->cfg->params;
    int x = r.x, w = r.w, row = r.y, bottom = r.y + r.h, tail;
    int64_t first = 1;
    StrBuf b;

    draw_textf(g, x, row++, w, UI_HEADING, "pool: %" PRId64 " workers, %s", p[POOL_WORKERS],
               p[POOL_VARIANT] == POOL_QUEUE
                   ? "queue + join()"
                   : demo_param_choice(&ctx->cfg->demo->params[POOL_USAGE], p[POOL_USAGE]));
    if (t == NULL || row >= bottom) {
        return;
    }
    if (t->broken_by >= 0) {
        /* first: it is what the run shows */
        char name[LANE_NAME_MAX];
        lane_name((unsigned)t->broken_by, name);
        if (t->crashed > 0) {
            draw_textf(g, x, row++, w, UI_ERROR, "BROKEN: worker %s died running task %" PRId64,
                       name, t->crashed);
        } else {
            draw_textf(g, x, row++, w, UI_ERROR, "BROKEN: worker %s died", name);
        }
        if (row >= bottom) {
            return;
        }
    }
    if (p[POOL_VARIANT] == POOL_QUEUE) {
        draw_text(g, x, row++, w, "tasks: a queue in shared memory", (size_t)-1, STYLE_DIM);
    } else {
        draw_textf(g, x, row++, w, STYLE_DIM,
                   "chunks of %" PRId64 ", %" PRId64 " in flight at most", t->cs,
                   p[POOL_WORKERS] + 1);
    }
    if (row < bottom) {
        draw_textf(g, x, row++, w, STYLE_TEXT,
                   "queued %" PRId64 "  running %" PRId64 "  back %" PRId64 "  done %" PRId64,
                   pt_count(t, PT_QUEUED), pt_count(t, PT_RUNNING),
                   pt_count(t, PT_BACK) + pt_count(t, PT_ARRIVED),
                   pt_count(t, PT_HANDED) + pt_count(t, PT_RAISED));
    }
    /* the rows kept for the bottom lines */
    tail = 2;
    while (first < t->tasks && (t->state[first] == PT_HANDED || t->state[first] == PT_RAISED)) {
        first++;
    }
    if (first > 1 && first - 1 <= t->tasks) {
        first--; /* one handed out, for context */
    }
    for (int64_t id = first; id <= t->tasks && row < bottom - tail; id++) {
        int st = t->state[id];
        int style = st == PT_FAILED || st == PT_RAISED ? UI_ERROR
                    : st == PT_HANDED                  ? UI_GOOD
                    : st == PT_RUNNING                 ? STYLE_RUNNING
                                                       : STYLE_TEXT;
        char who[LANE_NAME_MAX] = "";
        if (t->worker[id] >= 0) {
            lane_name((unsigned)t->worker[id], who);
        }
        draw_textf(g, x, row++, w, style, "%5" PRId64 "  %-9s %s", id, pt_names[st], who);
    }
    strbuf_init(&b);
    if (row < bottom) {
        strbuf_addf(&b, "results:");
        for (size_t i = 0; i < t->nhanded && b.len < (size_t)w + 8; i++) {
            strbuf_addf(&b, " %" PRId64, t->handed[i]);
        }
        draw_text_fit(g, x, row++, w, strbuf_str(&b), STYLE_TEXT);
        strbuf_fini(&b);
        strbuf_init(&b);
    }
    if (row < bottom) {
        strbuf_addf(&b, "arrived:");
        for (size_t i = 0; i < t->narrived && b.len < (size_t)w + 8; i++) {
            strbuf_addf(&b, " %" PRId64, t->arrived[i]);
        }
        draw_text_fit(g, x, row++, w, strbuf_str(&b), STYLE_DIM);
    }
    strbuf_fini(&b);
}

static const PanelClass pv_queue_panel = {
    .name = "tasks",
    .new = pt_new,
    .free = pt_free,
    .scan = pt_scan,
    .want = pv_queue_want,
    .draw = pv_queue_draw,
};

/* ------------------------------------------------------------------ */
/* summary, banner, reports                                            */
/* ------------------------------------------------------------------ */

static bool pv_summary(const ViewCtx *ctx, StrBuf *out)
{
    PoolTrack *t;
    int64_t tasks, raised = 0;
    bool good;

    if (run_verdict(ctx->run) != VERDICT_COMPLETED ||
        !arena_result_get(ctx->arena, "tasks", &tasks)) {
        return false;
    }
    t = pt_whole(ctx);
    if (t == NULL) {
        return false;
    }
    (void)arena_result_get(ctx->arena, "raised", &raised);
    if (t->broken_by >= 0) {
        strbuf_add(out, "broken pool: ");
        pt_death(t, ctx, out);
        strbuf_addf(out, "; %" PRId64 " pending tasks failed: ", pt_count(t, PT_FAILED));
        pt_failed_list(t, out, 12);
        good = false;
    } else {
        strbuf_addf(out, "completed: %zu results, in %s order", t->nhanded,
                    ctx->cfg->params[POOL_USAGE] == POOL_MAP ? "submission" : "completion");
        if (raised > 0) {
            strbuf_addf(out, "; %" PRId64 " task%s raised, where the parent collected it", raised,
                        raised == 1 ? "" : "s");
        }
        good = true;
    }
    pt_free(t);
    return good;
}

static bool pv_banner(const ViewCtx *ctx, StrBuf *out)
{
    PoolTrack *t = pt_whole(ctx);
    bool any = false;

    if (t != NULL && t->broken_by >= 0) {
        RunLaneInfo li;
        run_lane_info(ctx->run, (unsigned)t->broken_by, &li);
        strbuf_add(out, "BROKEN POOL");
        if (li.ended) {
            if (ctx->stepping) {
                strbuf_addf(out, " at step %" PRIu64, li.ended_t);
            } else {
                strbuf_addf(out, " after %.1f ms", (double)li.ended_t / 1e6);
            }
        }
        strbuf_add(out, ": ");
        pt_death(t, ctx, out);
        strbuf_add(out, "; pending tasks failed: ");
        pt_failed_list(t, out, 12);
        if (li.exited) {
            strbuf_add(out, "; the dead worker was reaped");
        }
        any = true;
    }
    pt_free(t);
    return any;
}

static void pv_list_text(StrBuf *out, const char *what, const int64_t *ids, size_t n)
{
    strbuf_addf(out, "%s:", what);
    for (size_t i = 0; i < n && i < 64; i++) {
        strbuf_addf(out, " %" PRId64, ids[i]);
    }
    if (n > 64) {
        strbuf_addf(out, " ... (%zu in all)", n);
    }
    strbuf_add(out, "\n");
}

static void pv_report_text(const ViewCtx *ctx, StrBuf *out, int width)
{
    PoolTrack *t = pt_whole(ctx);

    (void)width;
    if (t == NULL) {
        return;
    }
    strbuf_add(out, "\n");
    pv_list_text(out, "results handed out", t->handed, t->nhanded);
    pv_list_text(out, "results arrived   ", t->arrived, t->narrived);
    strbuf_add(out, "tasks per worker:");
    for (unsigned l = 1; l < t->nlanes; l++) {
        char name[LANE_NAME_MAX];
        lane_name(l, name);
        strbuf_addf(out, "%s %s %u", l > 1 ? "," : "", name, t->per_worker[l]);
    }
    strbuf_add(out, "\n");
    if (t->broken_by >= 0) {
        strbuf_add(out, "broken pool: ");
        pt_death(t, ctx, out);
        strbuf_add(out, "; failed: ");
        pt_failed_list(t, out, 64);
        strbuf_add(out, "\n");
    }
    pt_free(t);
}

static void pv_list_json(StrBuf *out, const char *key, const int64_t *ids, size_t n)
{
    strbuf_addf(out, ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        strbuf_addf(out, "%s%" PRId64, i > 0 ? "," : "", ids[i]);
    }
    strbuf_add(out, "]");
}

/* ,"result_order":[...],"arrive_order":[...],"per_worker":{"B":4},
 * "broken_pool":null or {"lane":"C","pid":N,"how":"...","task":5,"failed":[5,6]} */
static void pv_report_json(const ViewCtx *ctx, StrBuf *out)
{
    PoolTrack *t = pt_whole(ctx);

    if (t == NULL) {
        return;
    }
    pv_list_json(out, "result_order", t->handed, t->nhanded);
    pv_list_json(out, "arrive_order", t->arrived, t->narrived);
    strbuf_add(out, ",\"per_worker\":{");
    for (unsigned l = 1; l < t->nlanes; l++) {
        char name[LANE_NAME_MAX];
        lane_name(l, name);
        strbuf_addf(out, "%s\"%s\":%u", l > 1 ? "," : "", name, t->per_worker[l]);
    }
    strbuf_add(out, "},\"broken_pool\":");
    if (t->broken_by >= 0) {
        RunLaneInfo li;
        char name[LANE_NAME_MAX], how[160] = "died";
        int64_t n = 0;
        run_lane_info(ctx->run, (unsigned)t->broken_by, &li);
        lane_name((unsigned)t->broken_by, name);
        if (li.ended) {
            lane_exit_describe(li.exit_status, how, sizeof(how));
        }
        strbuf_addf(out,
                    "{\"lane\":\"%s\",\"pid\":%d,\"how\":\"%s\",\"task\":%" PRId64
                    ",\"reaped\":%s,\"failed\":[",
                    name, (int)li.pid, how, t->crashed, li.exited ? "true" : "false");
        for (int64_t id = 1; id <= t->tasks; id++) {
            if (t->state[id] == PT_FAILED) {
                strbuf_addf(out, "%s%" PRId64, n++ > 0 ? "," : "", id);
            }
        }
        strbuf_add(out, "]}");
    } else {
        strbuf_add(out, "null");
    }
    pt_free(t);
}

static const LegendItem pv_legend[] = {
    {'>', NULL, STYLE_MARK, "pipe write"},         {'<', NULL, STYLE_MARK, "pipe read"},
    {'!', NULL, UI_ERROR, "raised / dead writer"}, {'x', NULL, UI_ERROR, "failed: broken pool"},
    {'z', NULL, STYLE_BLOCKED, "zombie"},
};

const DemoView pool_view = {
    .waits = pv_waits,
    .nwaits = ARRAY_SIZE(pv_waits),
    .wait_class = pv_wait_class,
    .wait_in_use = pv_wait_in_use,
    .legend = pv_legend,
    .nlegend = ARRAY_SIZE(pv_legend),
    .side = &pv_queue_panel,
    .marks = &pv_marks,
    .summary = pv_summary,
    .banner = pv_banner,
    .report_text = pv_report_text,
    .report_json = pv_report_json,
};
