/*
 * explore.c - the preemption-bounded search over schedules (explore.h).
 *
 * The sandbox keeps the current schedule as a stack of frames, one per
 * step: which lanes could run (enabled), which have been tried there,
 * the one chosen, the preemptions spent before it, and whether the lane
 * that ran before it was yielding (its pending op EV_PASS).  A run replays
 * the first `prefix` frames' choices and then extends the stack with
 * default choices.  Backtracking pops to the deepest frame with an enabled
 * lane not yet tried whose cost keeps the preemptions within the bound.
 */
#include "config.h"

#include "core/explore.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/sandbox.h"
#include "core/sched.h"
#include "core/schedule.h"
#include "core/shared_heap.h"
#include "core/verdict.h"
#include "core/waitfor.h"
#include "util/strbuf.h"

#define EXPLORE_HEAP_BASE ((size_t)1 << 20)
#define EXPLORE_STACK (256 * 1024)

struct Explore {
    ExploreConfig cfg;
    ExploreResult *res; /* MAP_SHARED */
    Sandbox sb;
    uint64_t deadline_ns;
    bool timed_out;
    bool over;
};

typedef struct Frame {
    uint32_t enabled; /* lanes that could run here (bit per lane) */
    uint32_t tried;   /* lanes tried here so far */
    uint8_t choice;   /* the lane run */
    uint8_t prev;     /* the lane run before, 0xff = none */
    bool yielding;    /* prev's pending op was EV_PASS */
    uint16_t spent;   /* preemptions spent before this step */
} Frame;

typedef struct ExploreLane {
    Sched *sched;
    DemoCtx *ctx;
    const DemoClass *demo;
    unsigned lane;
} ExploreLane;

/*
 * The lane threads, kept for the whole search: each runs its lane of one
 * schedule after another.  The controller hands out a schedule by bumping
 * gen; a worker that finished its lane (or was given up by sched_abort(),
 * which longjmps it back here) counts itself in `finished`.
 */
typedef struct ExplorePool {
    pthread_mutex_t mu;
    pthread_cond_t go;   /* workers wait here for the next gen */
    pthread_cond_t done; /* the controller waits here for `finished` */
    uint64_t gen;        /* GUARDED_BY(mu) */
    unsigned finished;   /* GUARDED_BY(mu): workers done with gen */
    bool quit;           /* GUARDED_BY(mu) */
    unsigned n;
    ExploreLane lanes[EXPLORE_MAX_LANES]; /* written by the controller before gen moves */
    pthread_t tids[EXPLORE_MAX_LANES];
} ExplorePool;

typedef struct ExploreChild {
    const ExploreConfig *cfg;
    ExploreResult *res;
    unsigned nlanes;
    Frame *frames;
    uint32_t nframes; /* frames of the current schedule */
    Arena *arena;     /* reused for every schedule (arena_reset) */
    SharedHeap *heap; /* likewise (shared_heap_reset) */
    ExplorePool pool;
} ExploreChild;

void explore_config_init(ExploreConfig *cfg, const DemoClass *demo)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->demo = demo;
    demo_params_default(demo, cfg->params);
    cfg->preemptions = EXPLORE_DEFAULT_PREEMPTIONS;
    cfg->limit = EXPLORE_DEFAULT_LIMIT;
    cfg->max_steps = EXPLORE_DEFAULT_STEPS;
}

bool explore_outcome_failing(const ExploreOutcome *o)
{
    return o->verdict != VERDICT_COMPLETED && !o->step_limit;
}

/* ------------------------------------------------------------------ */
/* sandbox side                                                         */
/* ------------------------------------------------------------------ */

typedef struct ExploreWorker {
    ExplorePool *pool;
    unsigned lane;
} ExploreWorker;

/* Run one lane of one schedule; a lane given up by sched_abort() comes
 * back here through longjmp(). */
static void explore_run_lane(ExploreLane *a)
{
    jmp_buf env;
    sched_abort_jump = &env;
    if (setjmp(env) == 0) {
        sched_lane_gate(a->sched);
        sched_lane_begin(a->sched, a->lane);
        demo_lane_fn(a->demo, a->ctx->params)(a->ctx, a->lane);
        sched_lane_end();
    }
    sched_abort_jump = NULL;
}

static void *explore_worker(void *p)
{
    ExploreWorker *w = p;
    ExplorePool *pool = w->pool;
    uint64_t seen = 0;

    for (;;) {
        ExploreLane *a;
        pthread_mutex_lock(&pool->mu);
        while (pool->gen == seen && !pool->quit) {
            pthread_cond_wait(&pool->go, &pool->mu);
        }
        if (pool->quit) {
            pthread_mutex_unlock(&pool->mu);
            return NULL;
        }
        seen = pool->gen;
        a = &pool->lanes[w->lane];
        pthread_mutex_unlock(&pool->mu);
        explore_run_lane(a);
        pthread_mutex_lock(&pool->mu);
        pool->finished++;
        pthread_cond_signal(&pool->done);
        pthread_mutex_unlock(&pool->mu);
    }
}

/* Start the pool's n workers.  Returns 0 or a negative error. */
static int explore_pool_start(ExplorePool *pool, unsigned n, ExploreWorker *workers)
{
    pthread_attr_t attr;
    int rc = 0;

    pthread_mutex_init(&pool->mu, NULL);
    pthread_cond_init(&pool->go, NULL);
    pthread_cond_init(&pool->done, NULL);
    pool->n = 0;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, EXPLORE_STACK);
    for (unsigned i = 0; i < n && rc == 0; i++) {
        workers[i] = (ExploreWorker){pool, i};
        rc = pthread_create(&pool->tids[i], &attr, explore_worker, &workers[i]);
        if (rc == 0) {
            pool->n++;
        }
    }
    pthread_attr_destroy(&attr);
    return -rc;
}

static void explore_pool_stop(ExplorePool *pool)
{
    pthread_mutex_lock(&pool->mu);
    pool->quit = true;
    pthread_cond_broadcast(&pool->go);
    pthread_mutex_unlock(&pool->mu);
    for (unsigned i = 0; i < pool->n; i++) {
        pthread_join(pool->tids[i], NULL);
    }
}

/* Hand the workers the lanes of a new schedule. */
static void explore_pool_go(ExplorePool *pool)
{
    pthread_mutex_lock(&pool->mu);
    pool->finished = 0;
    pool->gen++;
    pthread_cond_broadcast(&pool->go);
    pthread_mutex_unlock(&pool->mu);
}

/* Wait until every worker is done with the schedule. */
static void explore_pool_wait(ExplorePool *pool)
{
    pthread_mutex_lock(&pool->mu);
    while (pool->finished < pool->n) {
        pthread_cond_wait(&pool->done, &pool->mu);
    }
    pthread_mutex_unlock(&pool->mu);
}

/* A yielding lane (its next step is EV_PASS: a spin's turn) is not run
 * again while another lane can run: spinning once more with nothing else
 * changed shows nothing new, and an endless spin would be an endless
 * branch of the search.  CHESS treats yields the same way. */
static bool explore_allowed(const Frame *f, unsigned lane)
{
    if ((f->enabled & (1u << lane)) == 0) {
        return false;
    }
    return !(f->yielding && lane == f->prev && (f->enabled & ~(1u << lane)) != 0);
}

static bool explore_costs(const Frame *f, unsigned lane)
{
    return f->prev != 0xff && lane != f->prev && (f->enabled & (1u << f->prev)) != 0 &&
           !f->yielding;
}

/* The default choice at a frame: the lane that ran before while it can and
 * does not yield, else the next one that can run after it. */
static unsigned explore_default(const Frame *f, unsigned nlanes)
{
    unsigned start;
    if (f->prev != 0xff && (f->enabled & (1u << f->prev)) != 0 && !f->yielding) {
        return f->prev;
    }
    start = f->prev != 0xff ? (f->prev + 1u) % nlanes : 0;
    for (unsigned k = 0; k < nlanes; k++) {
        unsigned i = (start + k) % nlanes;
        if (f->enabled & (1u << i)) {
            return i;
        }
    }
    return 0;
}

/* "A3 B A" from the frames' choices. */
static void explore_format(const Frame *frames, uint32_t n, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n;) {
        uint32_t j = i;
        char name[LANE_NAME_MAX];
        int w;
        while (j < n && frames[j].choice == frames[i].choice) {
            j++;
        }
        lane_name(frames[i].choice, name);
        if (j - i > 1) {
            w = snprintf(buf + at, len - at, "%s%s%u", at > 0 ? " " : "", name, j - i);
        } else {
            w = snprintf(buf + at, len - at, "%s%s", at > 0 ? " " : "", name);
        }
        if (w < 0 || (size_t)w >= len - at) {
            /* too long to keep: say so rather than cut a token in half */
            snprintf(buf, len, "(%u steps: too long to show)", n);
            return;
        }
        at += (size_t)w;
        i = j;
    }
}

/* The final shared values: every variable and slot, "name=value". */
static void explore_values(const Arena *a, char *buf, size_t len)
{
    size_t at = 0;
    uint32_t n = arena_nobjs(a);
    buf[0] = '\0';
    for (uint32_t o = 1; o < n; o++) {
        int w;
        if (a->objs[o].kind != OBJ_VAR && a->objs[o].kind != OBJ_SLOT) {
            continue;
        }
        w = snprintf(buf + at, len - at, "%s%s=%lld", at > 0 ? " " : "", arena_obj_name(a, o),
                     (long long)arena_obj_value(a, o));
        if (w < 0 || (size_t)w >= len - at) {
            buf[at] = '\0';
            return;
        }
        at += (size_t)w;
    }
}

static void explore_record(ExploreChild *c, int verdict, bool step_limit, const Arena *a,
                           const char *message, uint32_t preempt)
{
    ExploreResult *r = c->res;
    char values[EXPLORE_KEY_MAX];
    const char *inv = arena_violated(a) ? a->violation.invariant : "";
    ExploreOutcome *o = NULL;

    explore_values(a, values, sizeof(values));
    for (uint32_t i = 0; i < r->noutcomes; i++) {
        if (r->outcomes[i].verdict == verdict && r->outcomes[i].step_limit == step_limit &&
            strcmp(r->outcomes[i].values, values) == 0 &&
            strcmp(r->outcomes[i].invariant, inv) == 0) {
            o = &r->outcomes[i];
            break;
        }
    }
    if (o == NULL) {
        if (r->noutcomes >= EXPLORE_MAX_OUTCOMES) {
            r->other++;
            return;
        }
        o = &r->outcomes[r->noutcomes++];
        memset(o, 0, sizeof(*o));
        o->verdict = verdict;
        o->step_limit = step_limit;
        o->steps = UINT32_MAX;
        snprintf(o->values, sizeof(o->values), "%s", values);
        snprintf(o->invariant, sizeof(o->invariant), "%s", inv);
    }
    o->count++;
    if (c->nframes < o->steps) {
        o->steps = c->nframes;
        o->preemptions = preempt;
        snprintf(o->message, sizeof(o->message), "%s", message);
        explore_format(c->frames, c->nframes, o->schedule, sizeof(o->schedule));
    }
}

/* How a run that no lane can move on ended: deadlock or hang, and why. */
static int explore_stuck(const Arena *a, uint64_t steps, char *msg, size_t len)
{
    WaitFor *wf = malloc(sizeof(*wf));
    VerdictInfo *vi = malloc(sizeof(*vi));
    int kind = VERDICT_DEADLOCK;

    msg[0] = '\0';
    if (wf != NULL && vi != NULL) {
        StrBuf b;
        waitfor_build(wf, a);
        kind = wf->ncycle == 0 && wf->any_cond ? VERDICT_HANG : VERDICT_DEADLOCK;
        verdict_init(vi, kind, true);
        verdict_set_waits(vi, wf, a);
        vi->have_at = true;
        vi->at = steps;
        strbuf_init(&b);
        verdict_describe(vi, a, &b);
        snprintf(msg, len, "%s", strbuf_str(&b));
        strbuf_fini(&b);
    }
    free(wf);
    free(vi);
    return kind;
}

/*
 * Run one schedule: replay frames [0, prefix), then extend with default
 * choices.  Returns 0, or a negative error with c->res->error set.
 */
static int explore_one(ExploreChild *c, uint32_t prefix)
{
    const ExploreConfig *cfg = c->cfg;
    const DemoClass *demo = cfg->demo;
    unsigned n = c->nlanes;
    IlError err;
    Arena *a = c->arena;
    SharedHeap *heap = c->heap;
    Sched *s = NULL;
    DemoCtx ctx;
    bool started = false;
    int verdict = VERDICT_COMPLETED, rc = 0;
    uint32_t preempt = 0;
    bool step_limit = false;
    char msg[ARENA_MSG_MAX] = "";

    arena_reset(a);
    a->tracing = 0;
    shared_heap_reset(heap);
    s = sched_new(heap, a, SCHED_STEP, n, 0);
    if (s == NULL) {
        snprintf(c->res->error, sizeof(c->res->error), "cannot set a run up: out of memory");
        return -ENOMEM;
    }
    ctx = (DemoCtx){a, cfg->params, n, heap, NULL, demo->data};
    rc = demo->setup(&ctx);
    if (rc < 0) {
        snprintf(c->res->error, sizeof(c->res->error), "demo setup failed: %s", strerror(-rc));
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        c->pool.lanes[i] = (ExploreLane){s, &ctx, demo, i};
    }
    explore_pool_go(&c->pool);
    started = true;
    if (sched_open_gate(s) < 0 || sched_wait_quiescent(s) < 0) {
        snprintf(c->res->error, sizeof(c->res->error), "a lane died");
        rc = -IL_ECRASH;
        goto out;
    }
    c->nframes = prefix;
    for (uint32_t d = 0;; d++) {
        Frame *f = &c->frames[d];
        bool all_done;
        uint32_t enabled = sched_runnable_mask(s, &all_done);
        unsigned lane;
        uint8_t prev = d > 0 ? c->frames[d - 1].choice : 0xff;

        if (all_done) {
            break;
        }
        if (enabled == 0) {
            verdict = explore_stuck(a, sched_steps(s), msg, sizeof(msg));
            break;
        }
        if (d >= cfg->max_steps) {
            verdict = VERDICT_LIVELOCK;
            step_limit = true;
            snprintf(msg, sizeof(msg), "still going after %u steps (the explorer's step limit)",
                     cfg->max_steps);
            break;
        }
        if (d < prefix) {
            if (f->enabled != enabled || (enabled & (1u << f->choice)) == 0) {
                c->res->nondeterministic = true;
                snprintf(c->res->error, sizeof(c->res->error),
                         "step %u: the lanes that can run differ from an earlier run with the "
                         "same schedule (the demo is not deterministic in step mode)",
                         d + 1);
                rc = -IL_EINTERNAL;
                break;
            }
            lane = f->choice;
        } else {
            f->enabled = enabled;
            f->prev = prev;
            f->yielding =
                prev != 0xff && (enabled & (1u << prev)) != 0 && arena_lane_op(a, prev) == EV_PASS;
            f->spent = (uint16_t)preempt;
            lane = explore_default(f, n);
            f->choice = (uint8_t)lane;
            f->tried = 1u << lane;
            c->nframes = d + 1;
        }
        preempt += explore_costs(f, lane);
        if (sched_step(s, lane, &err) < 0) {
            snprintf(c->res->error, sizeof(c->res->error), "step %u: %.200s", d + 1, err.msg);
            rc = -IL_EINTERNAL;
            break;
        }
        if (d + 1 > c->res->max_depth) {
            c->res->max_depth = d + 1;
        }
    }
    if (rc == 0) {
        int v;
        atomic_fetch_add(&c->res->steps, sched_steps(s));
        demo->finish(&ctx, verdict);
        v = arena_violated(a) ? VERDICT_INVARIANT : verdict;
        if (v == VERDICT_INVARIANT && a->violation.lane >= 0) {
            snprintf(msg, sizeof(msg), "'%s' broken at step %llu: %s", a->violation.invariant,
                     (unsigned long long)a->violation.t, a->violation.what);
        } else if (v == VERDICT_INVARIANT) {
            snprintf(msg, sizeof(msg), "'%s' broken at the end: %s", a->violation.invariant,
                     a->violation.what);
        }
        explore_record(c, v, step_limit && v == VERDICT_LIVELOCK, a, msg, preempt);
    }
out:
    if (started) {
        if (!sched_all_finished(s)) {
            sched_abort(s);
        }
        explore_pool_wait(&c->pool);
    }
    sched_free(s);
    return rc;
}

/* The deepest frame with a lane left to try within the bound: make it the
 * next choice and return the prefix to replay, or -1 when none is left. */
static int64_t explore_backtrack(ExploreChild *c)
{
    unsigned n = c->nlanes;
    for (int64_t d = (int64_t)c->nframes - 1; d >= 0; d--) {
        Frame *f = &c->frames[d];
        for (unsigned i = 0; i < n; i++) {
            uint32_t bit = 1u << i;
            if (!explore_allowed(f, i) || (f->tried & bit) != 0) {
                continue;
            }
            if ((unsigned)f->spent + (explore_costs(f, i) ? 1u : 0u) > c->cfg->preemptions) {
                f->tried |= bit; /* out of the bound: never */
                continue;
            }
            f->tried |= bit;
            f->choice = (uint8_t)i;
            return d + 1;
        }
    }
    return -1;
}

/* The share of the search done so far, estimated from the frames. */
static uint32_t explore_permille(const ExploreChild *c)
{
    double p = 0, w = 1;
    for (uint32_t d = 0; d < c->nframes && w > 1e-9; d++) {
        const Frame *f = &c->frames[d];
        unsigned opts = (unsigned)__builtin_popcount(f->enabled);
        unsigned done = (unsigned)__builtin_popcount(f->tried & f->enabled);
        if (opts <= 1) {
            continue;
        }
        p += w * (double)(done - 1) / opts;
        w /= opts;
    }
    return (uint32_t)(p * 1000);
}

/*
 * Keep the search on one CPU.  In step semantics one thread of the
 * sandbox runs at a time (the controller, or the lane it granted a
 * step), so nothing is lost, and a hand-off between two threads of one
 * CPU is a plain context switch instead of a wakeup sent to another CPU:
 * on the 2-core machine it made the search several times faster.  The
 * lane threads inherit the mask.  A failure (a CPU set that forbids it)
 * changes nothing.  INTERLEAVE_EXPLORE_NO_PIN=1 in the environment leaves
 * the search unpinned (bench/explore_rate.sh measures both).
 */
static void explore_pin(void)
{
    cpu_set_t set;
    int cpu = sched_getcpu();
    const char *no = getenv("INTERLEAVE_EXPLORE_NO_PIN");

    if (cpu < 0 || (no != NULL && strcmp(no, "1") == 0)) {
        return;
    }
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    (void)sched_setaffinity(0, sizeof(set), &set);
}

static int explore_child(void *arg)
{
    Explore *ex = arg;
    ExploreChild c;
    uint64_t t0 = clock_mono_ns();
    uint32_t prefix = 0;
    ExploreWorker workers[EXPLORE_MAX_LANES];
    uint64_t demo_bytes =
        ex->cfg.demo->shared_bytes != NULL ? ex->cfg.demo->shared_bytes(ex->cfg.params) : 0;
    IlError err;

    memset(&c, 0, sizeof(c));
    explore_pin();
    c.cfg = &ex->cfg;
    c.res = ex->res;
    c.nlanes = demo_lanes(ex->cfg.demo, ex->cfg.params);
    c.frames = calloc((size_t)ex->cfg.max_steps + 1, sizeof(*c.frames));
    c.arena = arena_new(c.nlanes, 64, &err);
    c.heap = shared_heap_new(
        EXPLORE_HEAP_BASE + (demo_bytes != 0 ? demo_bytes : DEMO_SHARED_DEFAULT), &err);
    if (c.frames == NULL || c.arena == NULL || c.heap == NULL ||
        explore_pool_start(&c.pool, c.nlanes, workers) < 0) {
        snprintf(c.res->error, sizeof(c.res->error), "cannot set the search up: out of memory");
        c.res->failed = 1;
        atomic_store(&c.res->done, 1);
        return 0;
    }
    for (;;) {
        int64_t next;
        if (explore_one(&c, prefix) < 0) {
            c.res->failed = 1;
            break;
        }
        atomic_fetch_add(&c.res->schedules, 1);
        next = explore_backtrack(&c);
        atomic_store(&c.res->permille, explore_permille(&c));
        if (next < 0) {
            c.res->complete = true;
            break;
        }
        if (atomic_load(&c.res->schedules) >= ex->cfg.limit) {
            c.res->limited = true;
            break;
        }
        prefix = (uint32_t)next;
    }
    c.res->elapsed_ns = clock_mono_ns() - t0;
    atomic_store(&c.res->done, 1);
    explore_pool_stop(&c.pool);
    free(c.frames);
    shared_heap_free(c.heap);
    arena_free(c.arena);
    return 0;
}

/* ------------------------------------------------------------------ */
/* front end                                                            */
/* ------------------------------------------------------------------ */

Explore *explore_start(const ExploreConfig *cfg, IlError *err)
{
    unsigned n = demo_lanes(cfg->demo, cfg->params);
    SandboxLimits lim = {0, 0, 0};
    Explore *ex;
    char why[IL_ERROR_MSG_MAX];

    if (demo_check_params(cfg->demo, cfg->params, why, sizeof(why)) < 0) {
        il_error_set(err, -IL_EUSAGE, "%s", why);
        return NULL;
    }
    if (n == 0 || n > EXPLORE_MAX_LANES) {
        il_error_set(err, -IL_EUSAGE, "the explorer takes 1..%d lanes, this run has %u",
                     EXPLORE_MAX_LANES, n);
        return NULL;
    }
    if (cfg->max_steps == 0 || cfg->limit == 0) {
        il_error_set(err, -IL_EUSAGE, "the explorer needs a step and a schedule limit");
        return NULL;
    }
    ex = calloc(1, sizeof(*ex));
    if (ex == NULL) {
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    ex->cfg = *cfg;
    ex->res =
        mmap(NULL, sizeof(*ex->res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (ex->res == MAP_FAILED) {
        il_error_set(err, -errno, "cannot map the explorer's results: %s", strerror(errno));
        free(ex);
        return NULL;
    }
    lim.max_tasks = n * 4 + 16; /* lanes of a given-up schedule may still be ending */
    if (cfg->timeout_s > 0) {
        ex->deadline_ns = clock_mono_ns() + (uint64_t)(cfg->timeout_s * 1e9);
        lim.cpu_seconds = (unsigned)(cfg->timeout_s * 2) + 2;
    }
    if (sandbox_start(&ex->sb, &lim, explore_child, ex, NULL, 0, err) < 0) {
        munmap(ex->res, sizeof(*ex->res));
        free(ex);
        return NULL;
    }
    return ex;
}

bool explore_poll(Explore *ex, int timeout_ms)
{
    uint64_t until = clock_mono_ns() + (uint64_t)timeout_ms * 1000000u;

    while (!ex->over) {
        if (sandbox_exited(&ex->sb)) {
            ex->over = true;
            if (!atomic_load(&ex->res->done)) {
                ex->res->failed = 1;
                snprintf(ex->res->error, sizeof(ex->res->error),
                         "the explorer's sandbox ended before it reported (status %d)",
                         ex->sb.status);
                atomic_store(&ex->res->done, 1);
            }
            break;
        }
        if (ex->deadline_ns != 0 && clock_mono_ns() >= ex->deadline_ns) {
            sandbox_kill(&ex->sb);
            ex->timed_out = true;
            ex->over = true;
            ex->res->complete = false;
            atomic_store(&ex->res->done, 1);
            break;
        }
        if (clock_mono_ns() >= until) {
            break;
        }
        {
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
        }
    }
    return ex->over;
}

const ExploreResult *explore_result(const Explore *ex)
{
    return ex->res;
}

bool explore_timed_out(const Explore *ex)
{
    return ex->timed_out;
}

void explore_free(Explore *ex)
{
    if (ex == NULL) {
        return;
    }
    sandbox_kill(&ex->sb);
    munmap(ex->res, sizeof(*ex->res));
    free(ex);
}
