/*
 * chrome.c - Chrome trace-event JSON, streamed (see chrome.h).
 *
 * One pass over the run's events in time order (evmerge).  Each event
 * updates its lane's stack of open slices and the table of flows waiting
 * for a wakeup, and writes its trace events at once.  A slice is closed
 * where it appears in the stack: slices above it are ended first and
 * begun again at the same time, so B/E stay nested per thread whatever
 * order the demo releases its locks in.
 */
#include "config.h"

#include "export/chrome.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedule.h"
#include "export/evmerge.h"
#include "util/strbuf.h"
#include "util/vec.h"

#define CHROME_PID 1
#define CHROME_STEP_US 1000.0 /* one step of a step-mode run */
#define CHROME_SUB_MAX 999    /* events of one step of one lane, 1 us apart */

typedef enum ChromeSliceKind {
    CS_LANE = 0, /* the lane's life */
    CS_HOLD,     /* a mutex held */
    CS_WAIT_LOCK,
    CS_WAIT_SEM,
    CS_WAIT_COND,
    CS_WAIT_OTHER /* at a barrier, an event or a latch */
} ChromeSliceKind;

typedef struct ChromeSlice {
    uint8_t kind; /* ChromeSliceKind */
    uint32_t obj; /* the object, 0 for the lane */
} ChromeSlice;

/* A wakeup on its way: who caused it, and when.  Its arrow is written
 * when the wakeup happens, and only then (a release nobody took up draws
 * nothing). */
typedef struct ChromeFlow {
    bool due;
    unsigned lane; /* the lane that unlocked, posted or signalled */
    double ts;
} ChromeFlow;

typedef struct ChromeLane {
    ChromeSlice *stack; /* open slices, bottom first */
    size_t n, cap;
    uint64_t last_t; /* step mode: the step of the last event */
    unsigned sub;    /* step mode: events seen in that step */
    double last_ts;
    ChromeFlow woke;   /* a condition signal aimed at this lane (step mode) */
    uint32_t woke_obj; /* its condition variable */
} ChromeLane;

typedef struct Chrome {
    const Run *run;
    const Arena *arena;
    JsonWriter w;
    ChromeLane *lanes;
    unsigned nlanes;
    ChromeFlow *obj_flow; /* per object: the last release, post or signal a waiter
                           * has not taken up yet */
    uint32_t nobjs;
    uint64_t next_flow;
    uint64_t t0;
    bool stepping;
    double end_ts;
    uint32_t series_obj; /* the demo's series variable, 0 = none */
    bool violation_due;  /* an invariant broke and its instant is not out yet */
    double run_ts;       /* the last ts on tid 0 (counters, the violation) */
    bool oom;
} Chrome;

unsigned chrome_lane_pid(const Run *run, unsigned lane)
{
    /* Every lane is a thread of the run's sandbox today.  When a lane can
     * be a process of its own (the process-pool lessons), its pid here is
     * 2 + lane, so each process is a row of its own in the viewer. */
    (void)run;
    (void)lane;
    return CHROME_PID;
}

static double chrome_ts(Chrome *c, unsigned lane, uint64_t t)
{
    uint64_t d = t >= c->t0 ? t - c->t0 : 0;
    double ts;
    if (c->stepping) {
        ChromeLane *l = &c->lanes[lane];
        if (t != l->last_t) {
            l->last_t = t;
            l->sub = 0;
        } else if (l->sub < CHROME_SUB_MAX) {
            l->sub++;
        }
        ts = (double)d * CHROME_STEP_US + (double)l->sub;
    } else {
        ts = (double)d / 1000.0;
    }
    if (ts < c->lanes[lane].last_ts) {
        ts = c->lanes[lane].last_ts; /* never backwards on one thread */
    }
    c->lanes[lane].last_ts = ts;
    if (ts > c->end_ts) {
        c->end_ts = ts;
    }
    return ts;
}

/* The common head of a trace event: name, cat, ph, ts, pid, tid. */
static void chrome_head(Chrome *c, const char *name, const char *cat, const char *ph, double ts,
                        unsigned pid, unsigned tid)
{
    json_begin_object(&c->w);
    json_kv_string(&c->w, "name", name);
    json_kv_string(&c->w, "cat", cat);
    json_kv_string(&c->w, "ph", ph);
    json_kv_double(&c->w, "ts", ts, 3);
    json_kv_uint(&c->w, "pid", pid);
    json_kv_uint(&c->w, "tid", tid);
}

static void chrome_tail(Chrome *c)
{
    json_end_object(&c->w);
    json_newline(&c->w);
}

static void chrome_slice_name(const Chrome *c, unsigned lane, const ChromeSlice *s, char *buf,
                              size_t len)
{
    const char *obj = arena_obj_name(c->arena, s->obj);
    char name[LANE_NAME_MAX];
    switch (s->kind) {
    case CS_LANE:
        lane_name(lane, name);
        snprintf(buf, len, "lane %s", name);
        break;
    case CS_HOLD:
        snprintf(buf, len, "hold %s", obj);
        break;
    case CS_WAIT_LOCK:
        snprintf(buf, len, "wait %s", obj);
        break;
    case CS_WAIT_SEM:
        snprintf(buf, len, "wait sem %s", obj);
        break;
    case CS_WAIT_OTHER:
        snprintf(buf, len, "wait at %s", obj);
        break;
    default:
        snprintf(buf, len, "wait cond %s", obj);
        break;
    }
}

static void chrome_be(Chrome *c, unsigned lane, const ChromeSlice *s, const char *ph, double ts)
{
    char name[160];
    chrome_slice_name(c, lane, s, name, sizeof(name));
    chrome_head(c, name, s->kind == CS_LANE ? "lane" : (s->kind == CS_HOLD ? "lock" : "wait"), ph,
                ts, chrome_lane_pid(c->run, lane), lane + 1);
    chrome_tail(c);
}

static void chrome_push(Chrome *c, unsigned lane, uint8_t kind, uint32_t obj, double ts)
{
    ChromeLane *l = &c->lanes[lane];
    ChromeSlice s = {kind, obj};
    if (l->n == l->cap) {
        ChromeSlice *grown = vec_grow(l->stack, &l->cap, l->n + 1, sizeof(*grown));
        if (grown == NULL) {
            c->oom = true;
            return;
        }
        l->stack = grown;
    }
    l->stack[l->n++] = s;
    chrome_be(c, lane, &s, "B", ts);
}

/* Close the topmost open slice of kind on obj.  Returns false when the
 * lane has none open. */
static bool chrome_close(Chrome *c, unsigned lane, uint8_t kind, uint32_t obj, double ts)
{
    ChromeLane *l = &c->lanes[lane];
    size_t at = l->n;
    while (at > 0 && !(l->stack[at - 1].kind == kind && l->stack[at - 1].obj == obj)) {
        at--;
    }
    if (at == 0) {
        return false;
    }
    at--;
    for (size_t i = l->n; i-- > at;) {
        chrome_be(c, lane, &l->stack[i], "E", ts);
    }
    memmove(&l->stack[at], &l->stack[at + 1], (l->n - at - 1) * sizeof(*l->stack));
    l->n--;
    for (size_t i = at; i < l->n; i++) {
        chrome_be(c, lane, &l->stack[i], "B", ts);
    }
    return true;
}

static void chrome_close_all(Chrome *c, unsigned lane, double ts)
{
    ChromeLane *l = &c->lanes[lane];
    while (l->n > 0) {
        chrome_be(c, lane, &l->stack[--l->n], "E", ts);
    }
}

/* Does some lane other than self have a slice of kind on obj open? */
static bool chrome_waiting(const Chrome *c, unsigned self, uint8_t kind, uint32_t obj)
{
    for (unsigned i = 0; i < c->nlanes; i++) {
        const ChromeLane *l = &c->lanes[i];
        if (i == self) {
            continue;
        }
        for (size_t k = 0; k < l->n; k++) {
            if (l->stack[k].kind == kind && l->stack[k].obj == obj) {
                return true;
            }
        }
    }
    return false;
}

static void chrome_flow_event(Chrome *c, unsigned lane, const char *ph, uint64_t id, double ts)
{
    chrome_head(c, "wakeup", "flow", ph, ts, chrome_lane_pid(c->run, lane), lane + 1);
    json_kv_uint(&c->w, "id", id);
    if (ph[0] == 'f') {
        json_kv_string(&c->w, "bp", "e"); /* bind to the enclosing slice */
    }
    chrome_tail(c);
}

/* The wakeup of lane at ts happened: draw the arrow from its cause. */
static void chrome_flow(Chrome *c, ChromeFlow *f, unsigned lane, double ts)
{
    uint64_t id;
    if (!f->due) {
        return;
    }
    id = ++c->next_flow;
    chrome_flow_event(c, f->lane, "s", id, f->ts);
    chrome_flow_event(c, lane, "f", id, ts);
    f->due = false;
}

static void chrome_cause(ChromeFlow *f, unsigned lane, double ts)
{
    f->due = true;
    f->lane = lane;
    f->ts = ts;
}

static void chrome_instant(Chrome *c, unsigned lane, const Event *ev, double ts)
{
    char name[160];
    const char *obj = arena_obj_name(c->arena, ev->obj);
    snprintf(name, sizeof(name), "%s%s%s", event_kind_name(ev->kind), obj[0] != '\0' ? " " : "",
             obj);
    chrome_head(c, name, "op", "i", ts, chrome_lane_pid(c->run, lane), lane + 1);
    json_kv_string(&c->w, "s", "t");
    json_key(&c->w, "args");
    json_begin_object(&c->w);
    json_kv_int(&c->w, "value", ev->value);
    json_end_object(&c->w);
    chrome_tail(c);
}

static void chrome_counter(Chrome *c, const Event *ev, double ts)
{
    const char *name = arena_obj_name(c->arena, ev->obj);
    if (ts < c->run_ts) {
        ts = c->run_ts;
    }
    c->run_ts = ts;
    chrome_head(c, name, "series", "C", ts, CHROME_PID, 0);
    json_key(&c->w, "args");
    json_begin_object(&c->w);
    json_kv_int(&c->w, name, ev->value);
    json_end_object(&c->w);
    chrome_tail(c);
}

static void chrome_event(Chrome *c, const Event *ev)
{
    unsigned lane = ev->lane;
    uint32_t obj = ev->obj < c->nobjs ? ev->obj : 0;
    double ts;

    if (lane >= c->nlanes) {
        return;
    }
    ts = chrome_ts(c, lane, ev->t);
    switch (ev->kind) {
    case EV_LANE_START:
        chrome_push(c, lane, CS_LANE, 0, ts);
        break;
    case EV_LANE_END:
        chrome_close_all(c, lane, ts);
        break;
    case EV_LOCK_WAIT: /* a mutex's or an RLock's */
    case EV_RW_ASK:
        chrome_push(c, lane, CS_WAIT_LOCK, obj, ts);
        break;
    case EV_RLOCK_ACQUIRE:
    case EV_LOCK_ACQUIRE:
    case EV_RW_READ:
    case EV_RW_WRITE:
        if (ev->kind == EV_RLOCK_ACQUIRE && ev->value != 1) {
            chrome_instant(c, lane, ev, ts); /* taken again by its holder */
            break;
        }
        if (chrome_close(c, lane, CS_WAIT_LOCK, obj, ts)) {
            chrome_push(c, lane, CS_HOLD, obj, ts);
            chrome_flow(c, &c->obj_flow[obj], lane, ts); /* it waited: the unlock woke it */
        } else {
            chrome_push(c, lane, CS_HOLD, obj, ts);
        }
        break;
    case EV_LOCK_TIMEOUT:
        chrome_close(c, lane, CS_WAIT_LOCK, obj, ts);
        chrome_instant(c, lane, ev, ts);
        break;
    case EV_RLOCK_RELEASE:
    case EV_LOCK_RELEASE:
    case EV_RW_READ_RELEASE:
    case EV_RW_WRITE_RELEASE:
        if (ev->kind == EV_RLOCK_RELEASE && ev->value != 0) {
            chrome_instant(c, lane, ev, ts); /* still held */
            break;
        }
        chrome_close(c, lane, CS_HOLD, obj, ts);
        if (chrome_waiting(c, lane, CS_WAIT_LOCK, obj)) {
            chrome_cause(&c->obj_flow[obj], lane, ts);
        }
        break;
    case EV_SEM_WAIT:
        chrome_push(c, lane, CS_WAIT_SEM, obj, ts);
        break;
    case EV_SEM_ACQUIRE:
        if (chrome_close(c, lane, CS_WAIT_SEM, obj, ts)) {
            chrome_flow(c, &c->obj_flow[obj], lane, ts);
        }
        break;
    case EV_SEM_POST:
        chrome_instant(c, lane, ev, ts);
        if (chrome_waiting(c, lane, CS_WAIT_SEM, obj)) {
            chrome_cause(&c->obj_flow[obj], lane, ts);
        }
        break;
    case EV_COND_WAIT:
        chrome_push(c, lane, CS_WAIT_COND, obj, ts);
        break;
    case EV_BARRIER_WAIT:
    case EV_EVENT_WAIT:
    case EV_LATCH_ASK:
        chrome_instant(c, lane, ev, ts);
        /* asleep: arrived at a barrier, an event down, a latch above 0 */
        if (ev->kind == EV_BARRIER_WAIT || (ev->kind == EV_EVENT_WAIT && ev->value == 0) ||
            (ev->kind == EV_LATCH_ASK && ev->value > 0)) {
            chrome_push(c, lane, CS_WAIT_OTHER, obj, ts);
        }
        break;
    case EV_BARRIER_PASS:
    case EV_EVENT_WAKE:
    case EV_LATCH_WAIT:
        chrome_close(c, lane, CS_WAIT_OTHER, obj, ts);
        chrome_instant(c, lane, ev, ts);
        break;
    case EV_COND_WAKE: {
        ChromeLane *l = &c->lanes[lane];
        chrome_close(c, lane, CS_WAIT_COND, obj, ts);
        if (ev->value != 0) {
            chrome_instant(c, lane, ev, ts); /* spurious: nobody caused it */
        } else if (l->woke.due && l->woke_obj == obj) {
            chrome_flow(c, &l->woke, lane, ts);
        } else {
            chrome_flow(c, &c->obj_flow[obj], lane, ts);
        }
        break;
    }
    case EV_COND_SIGNAL:
        chrome_instant(c, lane, ev, ts);
        if (ev->value >= 0 && (uint64_t)ev->value < c->nlanes && (unsigned)ev->value != lane) {
            /* step mode names the lane woken */
            ChromeLane *w = &c->lanes[ev->value];
            chrome_cause(&w->woke, lane, ts);
            w->woke_obj = obj;
        } else if (ev->value < 0 && chrome_waiting(c, lane, CS_WAIT_COND, obj)) {
            chrome_cause(&c->obj_flow[obj], lane, ts); /* free mode: whoever wakes next */
        }
        break;
    case EV_COND_BROADCAST:
        chrome_instant(c, lane, ev, ts);
        for (unsigned i = 0; i < c->nlanes; i++) {
            ChromeLane *w = &c->lanes[i];
            bool asleep = false;
            for (size_t k = 0; k < w->n && i != lane; k++) {
                asleep = asleep || (w->stack[k].kind == CS_WAIT_COND && w->stack[k].obj == obj);
            }
            if (asleep) {
                chrome_cause(&w->woke, lane, ts);
                w->woke_obj = obj;
            }
        }
        break;
    default:
        chrome_instant(c, lane, ev, ts);
        if ((ev->kind == EV_STORE || ev->kind == EV_ATOMIC_ADD) && obj != 0 &&
            obj == c->series_obj) {
            chrome_counter(c, ev, ts);
        }
        break;
    }
}

static void chrome_metadata(Chrome *c)
{
    const RunConfig *cfg = run_config(c->run);
    StrBuf title;

    strbuf_init(&title);
    strbuf_addf(&title, "interleave run %s ", cfg->demo->name);
    for (unsigned i = 0; i < cfg->demo->nparams; i++) {
        char v[64];
        demo_param_format(&cfg->demo->params[i], cfg->params[i], v, sizeof(v));
        strbuf_addf(&title, "%s=%s ", cfg->demo->params[i].name, v);
    }
    strbuf_addf(&title, "(%s)", sched_mode_name(cfg->mode));
    chrome_head(c, "process_name", "__metadata", "M", 0, CHROME_PID, 0);
    json_key(&c->w, "args");
    json_begin_object(&c->w);
    json_kv_string(&c->w, "name", strbuf_str(&title));
    json_end_object(&c->w);
    chrome_tail(c);
    strbuf_fini(&title);

    chrome_head(c, "thread_name", "__metadata", "M", 0, CHROME_PID, 0);
    json_key(&c->w, "args");
    json_begin_object(&c->w);
    json_kv_string(&c->w, "name", "run");
    json_end_object(&c->w);
    chrome_tail(c);
    for (unsigned i = 0; i < c->nlanes; i++) {
        char name[LANE_NAME_MAX + 80];
        lane_name(i, name);
        if (arena_lane_name(run_arena(c->run), i)[0] != '\0') {
            /* "B ThreadPoolExecutor-0_0": the letter, then the demo's name */
            size_t at = strlen(name);
            snprintf(name + at, sizeof(name) - at, " %.72s", arena_lane_name(run_arena(c->run), i));
        }
        chrome_head(c, "thread_name", "__metadata", "M", 0, chrome_lane_pid(c->run, i), i + 1);
        json_key(&c->w, "args");
        json_begin_object(&c->w);
        json_kv_string(&c->w, "name", name);
        json_end_object(&c->w);
        chrome_tail(c);
        chrome_head(c, "thread_sort_index", "__metadata", "M", 0, chrome_lane_pid(c->run, i),
                    i + 1);
        json_key(&c->w, "args");
        json_begin_object(&c->w);
        json_kv_uint(&c->w, "sort_index", i + 1);
        json_end_object(&c->w);
        chrome_tail(c);
    }
}

/* The invariant broken, on tid 0, once the events of its time are out:
 * at the end of its step (step mode) or at its time (free). */
static void chrome_violation(Chrome *c)
{
    const ArenaViolation *v = &c->arena->violation;
    uint64_t d = v->t >= c->t0 ? v->t - c->t0 : 0;
    double ts = c->stepping ? (double)d * CHROME_STEP_US + CHROME_SUB_MAX : (double)d / 1000.0;
    char name[128];
    char who[LANE_NAME_MAX] = "";

    c->violation_due = false;
    if (ts < c->run_ts) {
        ts = c->run_ts;
    }
    c->run_ts = ts;
    if (ts > c->end_ts) {
        c->end_ts = ts;
    }
    {
        if (v->lane >= 0) {
            lane_name((unsigned)v->lane, who);
        }
        snprintf(name, sizeof(name), "invariant broken: %s", v->invariant);
        chrome_head(c, name, "verdict", "i", ts, CHROME_PID, 0);
        json_kv_string(&c->w, "s", "g");
        json_key(&c->w, "args");
        json_begin_object(&c->w);
        json_kv_string(&c->w, "what", v->what);
        json_kv_string(&c->w, "lane", who[0] != '\0' ? who : NULL);
        json_end_object(&c->w);
        chrome_tail(c);
    }
}

/* The verdict, on tid 0, at the end. */
static void chrome_verdict(Chrome *c)
{
    if (c->violation_due) {
        chrome_violation(c);
    }
    chrome_head(c, verdict_name(run_verdict(c->run)), "verdict", "i", c->end_ts, CHROME_PID, 0);
    json_kv_string(&c->w, "s", "g");
    json_key(&c->w, "args");
    json_begin_object(&c->w);
    json_kv_string(&c->w, "message", run_message(c->run));
    json_kv_uint(&c->w, "steps", run_steps(c->run));
    json_end_object(&c->w);
    chrome_tail(c);
}

int chrome_write(const Run *run, JsonSink sink, void *ctx)
{
    Chrome c;
    EvMerge m;
    const Event *ev;
    const RunConfig *cfg = run_config(run);
    int rc;

    memset(&c, 0, sizeof(c));
    c.run = run;
    c.arena = run_arena(run);
    c.nlanes = run_nlanes(run);
    c.stepping = c.arena->stepping != 0;
    c.nobjs = arena_nobjs(c.arena);
    if (c.nobjs > ARENA_MAX_OBJS) {
        c.nobjs = ARENA_MAX_OBJS;
    }
    c.lanes = calloc(c.nlanes > 0 ? c.nlanes : 1, sizeof(*c.lanes));
    c.obj_flow = calloc(c.nobjs > 0 ? c.nobjs : 1, sizeof(*c.obj_flow));
    if (c.lanes == NULL || c.obj_flow == NULL || evmerge_init(&m, run) < 0) {
        free(c.lanes);
        free(c.obj_flow);
        return -ENOMEM;
    }
    /* time zero: the first lane start */
    c.t0 = UINT64_MAX;
    for (unsigned i = 0; i < c.nlanes; i++) {
        const Event *lev;
        if (run_lane_events(run, i, &lev) > 0 && lev[0].t < c.t0) {
            c.t0 = lev[0].t;
        }
    }
    if (c.t0 == UINT64_MAX) {
        c.t0 = 0;
    }
    for (unsigned i = 0; i < c.nlanes; i++) {
        c.lanes[i].last_t = UINT64_MAX;
    }
    for (uint32_t i = 1; cfg->demo->series_var != NULL && i < c.nobjs; i++) {
        if (c.arena->objs[i].kind == OBJ_VAR &&
            strcmp(arena_obj_name(c.arena, i), cfg->demo->series_var) == 0) {
            c.series_obj = i;
            break;
        }
    }

    json_init(&c.w, sink, ctx, 0);
    json_begin_object(&c.w);
    json_key(&c.w, "traceEvents");
    json_begin_array(&c.w);
    json_newline(&c.w);
    chrome_metadata(&c);
    c.violation_due = arena_violated(c.arena);
    while (!c.oom && c.w.error == 0 && (ev = evmerge_next(&m)) != NULL) {
        if (c.violation_due && ev->t > c.arena->violation.t) {
            chrome_violation(&c);
        }
        chrome_event(&c, ev);
    }
    for (unsigned i = 0; i < c.nlanes; i++) {
        chrome_close_all(&c, i, c.end_ts); /* lanes stuck in a deadlock or killed */
    }
    chrome_verdict(&c);
    json_end_array(&c.w);
    json_kv_string(&c.w, "displayTimeUnit", c.stepping ? "ms" : "ns");
    json_key(&c.w, "otherData");
    json_begin_object(&c.w);
    json_kv_string(&c.w, "interleave", PACKAGE_VERSION);
    json_kv_string(&c.w, "demo", cfg->demo->name);
    json_kv_string(&c.w, "mode", sched_mode_name(cfg->mode));
    json_kv_string(&c.w, "verdict", verdict_name(run_verdict(run)));
    json_kv_string(&c.w, "time",
                   c.stepping ? "one step = 1000 us; events of a step 1 us apart"
                              : "us since the first lane started");
    json_kv_uint(&c.w, "events_dropped", run_dropped_total(run));
    json_end_object(&c.w);
    json_end_object(&c.w);
    json_newline(&c.w);
    rc = json_flush(&c.w);

    evmerge_fini(&m);
    for (unsigned i = 0; i < c.nlanes; i++) {
        free(c.lanes[i].stack);
    }
    free(c.lanes);
    free(c.obj_flow);
    if (rc == 0 && c.oom) {
        rc = -ENOMEM;
    }
    return rc;
}
