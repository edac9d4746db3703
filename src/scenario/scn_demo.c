/*
 * scn_demo.c - the class built around a scenario, and the interpreter
 * every lane runs (see scn_demo.h for what a step is).
 *
 * The interpreter walks the program's tree: a statement returns how the
 * block goes on (next, break, continue, or stop: an assert failed or a
 * runtime error ended the lane), an expression its value.  Each shared
 * read, write and primitive call goes through the instrumented primitives,
 * so it is a step in step mode and a real, racing access in free mode.
 * The lane publishes the line it stands on before each statement
 * (sched_set_line) for the code panel.
 *
 * Shared objects live in the run's shared heap (ScnRt), variables in the
 * arena (il_var_new, il_slots_new), so the front end shows their values.
 * Locals are the lane's own (malloc'd in the lane: scenario lanes are
 * threads).
 */
#include "config.h"

#include "scenario/scn_demo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sched.h"
#include "demos/demo.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "prims/il_barrier.h"
#include "prims/il_cond.h"
#include "prims/il_event.h"
#include "prims/il_latch.h"
#include "prims/il_mutex.h"
#include "prims/il_rlock.h"
#include "prims/il_rwlock.h"
#include "prims/il_sem.h"
#include "prims/il_shared.h"

#define SCN_EVENTS_PER_LANE ((uint64_t)1 << 16)

struct ScnDemo {
    DemoClass cls; /* first: scn_demo_of() */
    ScnProgram *prog;
    DemoParam params[SCN_MAX_PARAMS];
    DemoCodeLine *code;
    char **steps; /* per source line: the steps it takes, NULL = none */
    char *summary;
    char *name; /* a registered name, NULL = the program's */
};

/* Every registered ScnDemo (scn_demo_register), kept for the process. */
static ScnDemo **scn_registered;
static size_t scn_nregistered, scn_registered_cap;

/* One shared declaration at run time (in the shared heap). */
typedef struct ScnObj {
    IlVar *var;   /* VAR: the variable; ARRAY: element 0 */
    int64_t n;    /* ARRAY: elements */
    IlMutex lock; /* LOCK; COND without a lock of its own: its lock */
    IlRlock rlock;
    IlCond cond;
    IlSem sem;
    IlBarrier barrier;
    IlLatch latch;
    IlEvent event;
    IlRwlock rw;
} ScnObj;

typedef struct ScnRt {
    const ScnProgram *prog;
    const int64_t *params;
    ScnObj *objs;
    int *labels; /* per statement id: its arena label */
    int pass_label, loop_label;
    _Atomic int cs_inside;     /* lanes inside a critical_section */
    _Atomic uint64_t cs_lanes; /* which ones (bit per lane) */
} ScnRt;

typedef enum ScnFlow { SCN_NEXT = 0, SCN_BREAK, SCN_CONTINUE, SCN_STOP } ScnFlow;

typedef struct ScnLaneRt {
    ScnRt *rt;
    const ScnLane *decl;
    int64_t *locals;
    int16_t *reads; /* per shared index: read holds of an RWLock */
    unsigned lane;
    bool stop;
    uint64_t stmt_ops; /* the lane's operations when its current statement began */
    char trace[160];   /* an assert's values, "counter = 1" */
    size_t trace_len;
    bool tracing;
} ScnLaneRt;

/* ------------------------------------------------------------------ */
/* errors                                                               */
/* ------------------------------------------------------------------ */

static uint64_t scn_ops(void)
{
    return atomic_load_explicit(&sched_self->slot->ops, memory_order_relaxed);
}

/* A failure is recorded inside a step of its lane: a statement that took
 * no step yet takes one (a pass) first, so that the failure happens at a
 * step the schedule granted, never while the lanes start. */
static void scn_fail_in_step(ScnLaneRt *l)
{
    if (scn_ops() == l->stmt_ops) {
        il_pass(l->rt->pass_label);
    }
}

/* A runtime error: record it as the run's violation and end the lane. */
static void ATTR_FORMAT(printf, 3, 4)
    scn_runtime_error(ScnLaneRt *l, int line, const char *fmt, ...)
{
    char what[300];
    va_list ap;

    scn_fail_in_step(l);
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    (void)il_violation(0, line, "runtime error", "line %d: %s", line, what);
    l->stop = true;
}

static void scn_trace(ScnLaneRt *l, const char *name, int64_t v)
{
    if (l->tracing && l->trace_len < sizeof(l->trace) - 1) {
        int n = snprintf(l->trace + l->trace_len, sizeof(l->trace) - l->trace_len, "%s%s = %lld",
                         l->trace_len > 0 ? ", " : "", name, (long long)v);
        if (n > 0) {
            l->trace_len += (size_t)n;
            if (l->trace_len >= sizeof(l->trace)) {
                l->trace_len = sizeof(l->trace) - 1;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* expressions                                                          */
/* ------------------------------------------------------------------ */

static int64_t scn_eval(ScnLaneRt *l, const ScnExpr *e);

static int64_t scn_read_var(ScnLaneRt *l, IlVar *v)
{
    return l->rt->prog->memory == SCN_MEMORY_FENCED ? il_load_seq(v) : il_load(v);
}

static void scn_store(ScnLaneRt *l, IlVar *v, int64_t value)
{
    if (l->rt->prog->memory == SCN_MEMORY_FENCED) {
        il_store_seq(v, value);
    } else {
        il_store(v, value);
    }
}

/* The variable a SHARED or ELEM expression names, or NULL (index out of
 * range: the lane stops). */
static IlVar *scn_place_var(ScnLaneRt *l, const ScnExpr *e, int64_t *elem)
{
    ScnObj *o = &l->rt->objs[e->index];
    int64_t i;

    *elem = -1;
    if (e->kind == SCN_E_SHARED) {
        return o->var;
    }
    i = scn_eval(l, e->a);
    if (l->stop) {
        return NULL;
    }
    if (i < 0 || i >= o->n) {
        scn_runtime_error(l, e->line, "index %lld out of range for %s (0..%lld)", (long long)i,
                          l->rt->prog->shared[e->index].name, (long long)(o->n - 1));
        return NULL;
    }
    *elem = i;
    return o->var + i;
}

static int64_t scn_binary(ScnLaneRt *l, const ScnExpr *e)
{
    int64_t a = scn_eval(l, e->a), b;

    if (l->stop) {
        return 0;
    }
    if (e->op == SCN_OP_AND || e->op == SCN_OP_OR) {
        if ((e->op == SCN_OP_AND) == (a == 0)) {
            return e->op == SCN_OP_OR; /* decided by the left side */
        }
        b = scn_eval(l, e->b);
        return b != 0;
    }
    b = scn_eval(l, e->b);
    if (l->stop) {
        return 0;
    }
    if ((e->op == SCN_OP_DIV || e->op == SCN_OP_MOD) && b == 0) {
        scn_runtime_error(l, e->line, "division by zero");
        return 0;
    }
    return scn_binop_value(e->op, a, b);
}

static bool scn_holds_lock(const IlMutex *m, unsigned lane)
{
    return atomic_load_explicit(&m->obj->value, memory_order_relaxed) == (int64_t)lane;
}

/* The lock a Lock, or a Condition (its own or the one it was given), uses. */
static IlMutex *scn_lock_of(ScnLaneRt *l, int index)
{
    const ScnShared *sh = &l->rt->prog->shared[index];
    if (sh->kind == SCN_COND && sh->lock >= 0) {
        return &l->rt->objs[sh->lock].lock;
    }
    return &l->rt->objs[index].lock;
}

static int64_t scn_acquire(ScnLaneRt *l, const ScnExpr *e)
{
    const ScnShared *sh = &l->rt->prog->shared[e->index];
    ScnObj *o = &l->rt->objs[e->index];

    switch (sh->kind) {
    case SCN_LOCK:
    case SCN_COND:
        if (e->nonblocking || e->method == SCN_M_TRY_ACQUIRE) {
            return il_mutex_trylock(scn_lock_of(l, e->index));
        }
        if (e->timeout_ms >= 0) {
            return il_mutex_timedlock(scn_lock_of(l, e->index), (uint32_t)e->timeout_ms) == 0;
        }
        il_mutex_lock(scn_lock_of(l, e->index));
        return 1;
    case SCN_RLOCK:
        if (e->nonblocking || e->method == SCN_M_TRY_ACQUIRE) {
            return il_rlock_tryacquire(&o->rlock);
        }
        il_rlock_acquire(&o->rlock);
        return 1;
    case SCN_SEM:
        if (e->nonblocking || e->method == SCN_M_TRY_ACQUIRE) {
            return il_sem_trywait(&o->sem);
        }
        il_sem_wait(&o->sem);
        return 1;
    default:
        return 0;
    }
}

static void scn_release(ScnLaneRt *l, int index, int line)
{
    const ScnShared *sh = &l->rt->prog->shared[index];
    ScnObj *o = &l->rt->objs[index];

    switch (sh->kind) {
    case SCN_LOCK:
    case SCN_COND: {
        IlMutex *m = scn_lock_of(l, index);
        if (!scn_holds_lock(m, l->lane)) {
            scn_runtime_error(l, line, "%s.release() of a lock this lane does not hold", sh->name);
            return;
        }
        il_mutex_unlock(m);
        return;
    }
    case SCN_RLOCK:
        if (il_rlock_release(&o->rlock) < 0) {
            scn_runtime_error(l, line, "%s.release() of an RLock this lane does not hold",
                              sh->name);
        }
        return;
    case SCN_SEM:
        il_sem_post(&o->sem);
        return;
    default:
        return;
    }
}

static int64_t scn_call(ScnLaneRt *l, const ScnExpr *e)
{
    const ScnShared *sh = e->index >= 0 ? &l->rt->prog->shared[e->index] : NULL;
    ScnObj *o = e->index >= 0 ? &l->rt->objs[e->index] : NULL;

    switch (e->method) {
    case SCN_M_ACQUIRE:
    case SCN_M_TRY_ACQUIRE:
        return scn_acquire(l, e);
    case SCN_M_RELEASE:
        scn_release(l, e->index, e->line);
        return 0;
    case SCN_M_WAIT:
        switch (sh->kind) {
        case SCN_COND: {
            IlMutex *m = scn_lock_of(l, e->index);
            if (!scn_holds_lock(m, l->lane)) {
                scn_runtime_error(l, e->line, "%s.wait() without holding its lock", sh->name);
                return 0;
            }
            il_cond_wait(&o->cond, m);
            return 1;
        }
        case SCN_BARRIER:
            return il_barrier_wait(&o->barrier);
        case SCN_LATCH:
            il_latch_wait(&o->latch);
            return 1;
        case SCN_EVENT:
            il_event_wait(&o->event);
            return 1;
        default:
            return 0;
        }
    case SCN_M_NOTIFY:
    case SCN_M_NOTIFY_ALL:
        if (!scn_holds_lock(scn_lock_of(l, e->index), l->lane)) {
            scn_runtime_error(l, e->line, "%s.%s() without holding its lock", sh->name,
                              scn_method_name(e->method));
            return 0;
        }
        if (e->method == SCN_M_NOTIFY) {
            il_cond_signal(&o->cond);
        } else {
            il_cond_broadcast(&o->cond);
        }
        return 0;
    case SCN_M_COUNT_DOWN:
        il_latch_count_down(&o->latch);
        return 0;
    case SCN_M_SET:
        il_event_set(&o->event);
        return 0;
    case SCN_M_CLEAR:
        il_event_clear(&o->event);
        return 0;
    case SCN_M_IS_SET:
        return il_event_is_set(&o->event);
    case SCN_M_ACQUIRE_READ:
        il_rwlock_read(&o->rw);
        l->reads[e->index]++;
        return 1;
    case SCN_M_RELEASE_READ:
        if (l->reads[e->index] <= 0) {
            scn_runtime_error(l, e->line, "%s.release_read() without a read hold", sh->name);
            return 0;
        }
        (void)il_rwlock_read_release(&o->rw);
        l->reads[e->index]--;
        return 0;
    case SCN_M_ACQUIRE_WRITE:
        il_rwlock_write(&o->rw);
        return 1;
    case SCN_M_RELEASE_WRITE:
        if (il_rwlock_write_release(&o->rw) < 0) {
            scn_runtime_error(l, e->line, "%s.release_write() without the write hold", sh->name);
        }
        return 0;
    case SCN_F_ATOMIC_ADD:
    case SCN_F_CAS: {
        int64_t elem, b, c = 0;
        IlVar *v = scn_place_var(l, e->a, &elem);
        if (v == NULL) {
            return 0;
        }
        b = scn_eval(l, e->b);
        if (e->method == SCN_F_CAS && !l->stop) {
            c = scn_eval(l, e->c);
        }
        if (l->stop) {
            return 0;
        }
        if (e->method == SCN_F_ATOMIC_ADD) {
            return il_atomic_fetch_add(v, b);
        }
        return il_atomic_cas(v, b, c);
    }
    default:
        return 0;
    }
}

static int64_t scn_eval(ScnLaneRt *l, const ScnExpr *e)
{
    int64_t v, elem;
    IlVar *var;

    if (l->stop) {
        return 0;
    }
    switch (e->kind) {
    case SCN_E_INT:
        return e->value;
    case SCN_E_PARAM:
        return l->rt->params[e->index];
    case SCN_E_LOCAL:
        v = l->locals[e->index];
        scn_trace(l, l->decl->locals[e->index], v);
        return v;
    case SCN_E_SHARED:
    case SCN_E_ELEM:
        var = scn_place_var(l, e, &elem);
        if (var == NULL) {
            return 0;
        }
        v = scn_read_var(l, var);
        if (l->tracing) {
            char nm[80];
            if (elem >= 0) {
                snprintf(nm, sizeof(nm), "%s[%lld]", l->rt->prog->shared[e->index].name,
                         (long long)elem);
            } else {
                snprintf(nm, sizeof(nm), "%s", l->rt->prog->shared[e->index].name);
            }
            scn_trace(l, nm, v);
        }
        return v;
    case SCN_E_UNARY:
        v = scn_eval(l, e->a);
        if (e->op == SCN_OP_NOT) {
            return v == 0;
        }
        return v == INT64_MIN ? v : -v;
    case SCN_E_BINARY:
        return scn_binary(l, e);
    case SCN_E_CALL:
        return scn_call(l, e);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* statements                                                           */
/* ------------------------------------------------------------------ */

static ScnFlow scn_block(ScnLaneRt *l, const ScnBlock *b);

static ScnFlow scn_assign(ScnLaneRt *l, const ScnStmt *s)
{
    const ScnExpr *t = s->target;
    int64_t v = scn_eval(l, s->e), elem;

    if (l->stop) {
        return SCN_STOP;
    }
    if (s->e->has_op || (t->kind == SCN_E_LOCAL && !s->e->has_step)) {
        v = il_compute(l->rt->labels[s->id], v);
    }
    if (t->kind == SCN_E_LOCAL) {
        l->locals[t->index] = v;
        return SCN_NEXT;
    }
    {
        IlVar *var = scn_place_var(l, t, &elem);
        if (var == NULL) {
            return SCN_STOP;
        }
        scn_store(l, var, v);
    }
    return SCN_NEXT;
}

static ScnFlow scn_assert(ScnLaneRt *l, const ScnStmt *s)
{
    int64_t v;

    l->tracing = true;
    l->trace_len = 0;
    l->trace[0] = '\0';
    v = scn_eval(l, s->e);
    l->tracing = false;
    if (l->stop) {
        return SCN_STOP;
    }
    if (v != 0) {
        return SCN_NEXT;
    }
    scn_fail_in_step(l);
    (void)il_violation((uint32_t)(l->rt->labels[s->id] > 0 ? l->rt->labels[s->id] : 0), s->line,
                       s->text, "line %d%s%s%s%s%s", s->line, s->msg != NULL ? ": " : "",
                       s->msg != NULL ? s->msg : "", l->trace_len > 0 ? " (" : "", l->trace,
                       l->trace_len > 0 ? ")" : "");
    l->stop = true;
    return SCN_STOP;
}

static ScnFlow scn_critical(ScnLaneRt *l, const ScnStmt *s)
{
    ScnRt *rt = l->rt;
    int label = rt->labels[s->id] > 0 ? rt->labels[s->id] : 0;
    uint64_t bit = (uint64_t)1 << (l->lane & 63);
    uint64_t others;
    int inside;
    ScnFlow f;

    /* entering is a step of its own, so the check happens at a step the
     * schedule chose */
    sched_point(EV_CS_ENTER, (uint32_t)label);
    sched_count_op();
    others = atomic_fetch_or(&rt->cs_lanes, bit);
    inside = atomic_fetch_add(&rt->cs_inside, 1) + 1;

    sched_record(EV_CS_ENTER, (uint32_t)label, inside);
    if (inside >= 2) {
        char me[LANE_NAME_MAX], other[LANE_NAME_MAX] = "?";
        /* the other lane may have counted itself inside before it marked
         * itself in cs_lanes: look again */
        others |= atomic_load(&rt->cs_lanes) & ~bit;
        for (unsigned i = 0; i < 64; i++) {
            if ((others & ((uint64_t)1 << i)) != 0 && i != l->lane) {
                lane_name(i, other);
                break;
            }
        }
        lane_name(l->lane, me);
        (void)il_violation((uint32_t)label, inside, "critical section",
                           "lanes %s and %s are inside at once (line %d)", other, me, s->line);
    }
    f = scn_block(l, &s->body);
    atomic_fetch_and(&rt->cs_lanes, ~bit);
    inside = atomic_fetch_sub(&rt->cs_inside, 1) - 1;
    sched_record(EV_CS_EXIT, (uint32_t)label, inside);
    return f;
}

static ScnFlow scn_stmt(ScnLaneRt *l, const ScnStmt *s)
{
    ScnFlow f;
    int64_t v;

    if (l->stop) {
        return SCN_STOP;
    }
    sched_set_line((uint32_t)(s->line - 1));
    l->stmt_ops = scn_ops();
    switch (s->kind) {
    case SCN_S_ASSIGN:
        return scn_assign(l, s);
    case SCN_S_CALL:
        (void)scn_eval(l, s->e);
        return l->stop ? SCN_STOP : SCN_NEXT;
    case SCN_S_PASS:
        il_pass(l->rt->pass_label);
        return SCN_NEXT;
    case SCN_S_BREAK:
        return SCN_BREAK;
    case SCN_S_CONTINUE:
        return SCN_CONTINUE;
    case SCN_S_ASSERT:
        return scn_assert(l, s);
    case SCN_S_IF:
        v = scn_eval(l, s->e);
        if (l->stop) {
            return SCN_STOP;
        }
        return scn_block(l, v != 0 ? &s->body : &s->orelse);
    case SCN_S_WHILE:
        for (;;) {
            uint64_t before = scn_ops();
            sched_set_line((uint32_t)(s->line - 1));
            v = scn_eval(l, s->e);
            if (l->stop) {
                return SCN_STOP;
            }
            if (v == 0) {
                il_progress();
                return SCN_NEXT;
            }
            f = scn_block(l, &s->body);
            if (f == SCN_STOP) {
                return f;
            }
            if (f == SCN_BREAK) {
                il_progress();
                return SCN_NEXT;
            }
            if (scn_ops() == before) {
                /* a turn with no step: the scheduler must still see the lane */
                sched_set_line((uint32_t)(s->line - 1));
                il_pass(l->rt->loop_label);
            }
        }
    case SCN_S_FOR: {
        int64_t n = scn_eval(l, s->e);
        if (l->stop) {
            return SCN_STOP;
        }
        for (int64_t i = 0; i < n; i++) {
            l->locals[s->index] = i;
            f = scn_block(l, &s->body);
            if (f == SCN_STOP) {
                return f;
            }
            il_progress();
            if (f == SCN_BREAK) {
                break;
            }
        }
        return SCN_NEXT;
    }
    case SCN_S_WITH: {
        ScnExpr acq = {0};
        acq.kind = SCN_E_CALL;
        acq.method = SCN_M_ACQUIRE;
        acq.index = s->index;
        acq.timeout_ms = -1;
        acq.line = s->line;
        (void)scn_acquire(l, &acq);
        f = scn_block(l, &s->body);
        if (f == SCN_STOP) {
            return f;
        }
        sched_set_line((uint32_t)(s->line - 1));
        scn_release(l, s->index, s->line);
        return l->stop ? SCN_STOP : f;
    }
    case SCN_S_CS:
        return scn_critical(l, s);
    }
    return SCN_NEXT;
}

static ScnFlow scn_block(ScnLaneRt *l, const ScnBlock *b)
{
    for (size_t i = 0; i < b->n; i++) {
        ScnFlow f = scn_stmt(l, b->s[i]);
        if (f != SCN_NEXT) {
            return f;
        }
    }
    return SCN_NEXT;
}

/* ------------------------------------------------------------------ */
/* the class's hooks                                                    */
/* ------------------------------------------------------------------ */

static unsigned scn_data_lanes(const void *data, const int64_t *params)
{
    const ScnDemo *d = data;
    return scn_lane_count(d->prog, params);
}

static int scn_data_check(const void *data, const int64_t *params, char *why, size_t len)
{
    const ScnDemo *d = data;
    return scn_check_params(d->prog, params, why, len);
}

static uint64_t scn_data_events(const void *data, const int64_t *params)
{
    (void)data;
    (void)params;
    return SCN_EVENTS_PER_LANE;
}

static const char *scn_data_code_steps(const void *data, size_t line)
{
    const ScnDemo *d = data;
    return line < d->prog->nlines ? d->steps[line] : NULL;
}

static const DemoCodeLine *scn_data_code(const void *data, const int64_t *params, size_t *n)
{
    const ScnDemo *d = data;
    (void)params;
    *n = d->prog->nlines;
    return d->code;
}

/* Register one label per statement that computes or checks, by its text. */
static int scn_labels(ScnRt *rt, Arena *arena, const ScnBlock *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const ScnStmt *s = b->s[i];
        const char *text = NULL;
        char buf[48];
        int rc;

        if (s->kind == SCN_S_ASSIGN) {
            text = s->text;
        } else if (s->kind == SCN_S_ASSERT) {
            snprintf(buf, sizeof(buf), "assert %.38s", s->text);
            text = buf;
        } else if (s->kind == SCN_S_CS) {
            snprintf(buf, sizeof(buf), "critical section, line %d", s->line);
            text = buf;
        }
        if (text != NULL) {
            char cut[48];
            snprintf(cut, sizeof(cut), "%s", text);
            rc = il_label_new(arena, cut);
            if (rc < 0) {
                return rc;
            }
            rt->labels[s->id] = rc;
        }
        rc = scn_labels(rt, arena, &s->body);
        if (rc == 0) {
            rc = scn_labels(rt, arena, &s->orelse);
        }
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

static int scn_setup_obj(ScnRt *rt, DemoCtx *ctx, size_t i)
{
    const ScnShared *sh = &rt->prog->shared[i];
    ScnObj *o = &rt->objs[i];
    Arena *a = ctx->arena;
    int64_t v;

    switch (sh->kind) {
    case SCN_VAR:
        o->var = il_var_new(a, sh->name, scn_const_eval(sh->init, ctx->params));
        return o->var != NULL ? 0 : -ENOSPC;
    case SCN_ARRAY:
        o->n = sh->size != NULL ? scn_const_eval(sh->size, ctx->params) : (int64_t)sh->nelems;
        if (o->n < 1 || o->n > SCN_MAX_ARRAY) {
            return -EINVAL;
        }
        o->var = il_slots_new(a, sh->name, (unsigned)o->n,
                              sh->init != NULL ? scn_const_eval(sh->init, ctx->params) : 0);
        if (o->var == NULL) {
            return -ENOSPC;
        }
        for (size_t k = 0; k < sh->nelems; k++) {
            atomic_store(&o->var[k].value, scn_const_eval(sh->elems[k], ctx->params));
        }
        return 0;
    case SCN_LOCK:
        return il_mutex_init(&o->lock, a, sh->name);
    case SCN_RLOCK:
        return il_rlock_init(&o->rlock, a, sh->name);
    case SCN_COND:
        if (sh->lock < 0) {
            char ln[80];
            int rc;
            snprintf(ln, sizeof(ln), "%.70s.lock", sh->name);
            rc = il_mutex_init(&o->lock, a, ln);
            if (rc < 0) {
                return rc;
            }
        }
        return il_cond_init(&o->cond, a, sh->name);
    case SCN_SEM:
        v = scn_const_eval(sh->init, ctx->params);
        return il_sem_init(&o->sem, a, sh->name, v < 0 ? 0 : (unsigned)v);
    case SCN_BARRIER:
        v = scn_const_eval(sh->init, ctx->params);
        return il_barrier_init(&o->barrier, a, sh->name, v < 1 ? 1 : (unsigned)v);
    case SCN_LATCH:
        v = scn_const_eval(sh->init, ctx->params);
        return il_latch_init(&o->latch, a, sh->name, v < 0 ? 0 : (unsigned)v);
    case SCN_EVENT:
        return il_event_init(&o->event, a, sh->name);
    case SCN_RWLOCK:
        return il_rwlock_init(&o->rw, a, sh->name);
    default:
        return -EINVAL;
    }
}

static int scn_setup(DemoCtx *ctx)
{
    const ScnDemo *d = ctx->data;
    const ScnProgram *prog = d->prog;
    ScnRt *rt = shared_heap_alloc(ctx->heap, 1, sizeof(*rt));
    int rc;

    if (rt == NULL) {
        return -ENOMEM;
    }
    rt->prog = prog;
    rt->params = ctx->params;
    rt->objs = shared_heap_alloc(ctx->heap, prog->nshared > 0 ? prog->nshared : 1, sizeof(ScnObj));
    rt->labels = shared_heap_alloc(ctx->heap, prog->nstmts > 0 ? prog->nstmts : 1, sizeof(int));
    if (rt->objs == NULL || rt->labels == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < prog->nshared; i++) {
        rc = scn_setup_obj(rt, ctx, i);
        if (rc < 0) {
            return rc;
        }
    }
    rt->pass_label = il_label_new(ctx->arena, "pass");
    rt->loop_label = il_label_new(ctx->arena, "loop");
    if (rt->pass_label < 0 || rt->loop_label < 0) {
        return -ENOSPC;
    }
    for (size_t i = 0; i < prog->nlanes; i++) {
        rc = scn_labels(rt, ctx->arena, &prog->lanes[i].body);
        if (rc < 0) {
            return rc;
        }
    }
    ctx->state = rt;
    return 0;
}

static void scn_lane_main(DemoCtx *ctx, unsigned lane)
{
    ScnRt *rt = ctx->state;
    const ScnProgram *prog = rt->prog;
    ScnLaneRt l;
    int64_t copy;
    size_t decl = scn_lane_decl(prog, ctx->params, lane, &copy);

    memset(&l, 0, sizeof(l));
    l.rt = rt;
    l.decl = &prog->lanes[decl];
    l.lane = lane;
    /* on the lane's stack, not malloc'd: a lane the explorer gives up
     * (sched_abort) leaves nothing behind */
    int64_t locals[SCN_MAX_LOCALS] = {0};
    int16_t reads[SCN_MAX_SHARED] = {0};

    l.locals = locals;
    l.reads = reads;
    if (l.decl->index_local >= 0) {
        l.locals[l.decl->index_local] = copy;
    }
    sched_set_line((uint32_t)(l.decl->line - 1));
    (void)scn_block(&l, &l.decl->body);
    il_progress();
}

/* Values an expect's expression reads, at the end: "counter is 1". */
static int64_t scn_expect_eval(const ScnRt *rt, const ScnExpr *e, bool *ok);

static void scn_expect_values(const ScnRt *rt, const ScnExpr *e, char *buf, size_t len, size_t *at)
{
    if (e == NULL || *at >= len) {
        return;
    }
    if (e->kind == SCN_E_SHARED && *at < len) {
        int n = snprintf(buf + *at, len - *at, "%s%s is %lld", *at > 0 ? ", " : "",
                         rt->prog->shared[e->index].name,
                         (long long)il_var_peek(rt->objs[e->index].var));
        *at += n > 0 ? (size_t)n : 0;
        return;
    }
    if (e->kind == SCN_E_ELEM && *at < len) {
        /* an element: "a[1] is 1", then what its index read */
        bool ok = true;
        int64_t k = scn_expect_eval(rt, e->a, &ok);
        if (ok && k >= 0 && k < rt->objs[e->index].n) {
            int n = snprintf(buf + *at, len - *at, "%s%s[%lld] is %lld", *at > 0 ? ", " : "",
                             rt->prog->shared[e->index].name, (long long)k,
                             (long long)il_var_peek(rt->objs[e->index].var + k));
            *at += n > 0 ? (size_t)n : 0;
        }
        scn_expect_values(rt, e->a, buf, len, at);
        return;
    }
    scn_expect_values(rt, e->a, buf, len, at);
    scn_expect_values(rt, e->b, buf, len, at);
}

/* An expect's value at the end, from the variables as they are. */
static int64_t scn_expect_eval(const ScnRt *rt, const ScnExpr *e, bool *ok)
{
    int64_t a, b;
    switch (e->kind) {
    case SCN_E_INT:
        return e->value;
    case SCN_E_PARAM:
        return rt->params[e->index];
    case SCN_E_SHARED:
        return il_var_peek(rt->objs[e->index].var);
    case SCN_E_ELEM:
        a = scn_expect_eval(rt, e->a, ok);
        if (a < 0 || a >= rt->objs[e->index].n) {
            *ok = false;
            return 0;
        }
        return il_var_peek(rt->objs[e->index].var + a);
    case SCN_E_UNARY:
        a = scn_expect_eval(rt, e->a, ok);
        return e->op == SCN_OP_NOT ? a == 0 : (a == INT64_MIN ? a : -a);
    case SCN_E_BINARY: {
        ScnExpr c = *e;
        ScnExpr ia = {0}, ib = {0};
        a = scn_expect_eval(rt, e->a, ok);
        b = scn_expect_eval(rt, e->b, ok);
        ia.kind = SCN_E_INT;
        ia.value = a;
        ib.kind = SCN_E_INT;
        ib.value = b;
        c.a = &ia;
        c.b = &ib;
        if ((e->op == SCN_OP_DIV || e->op == SCN_OP_MOD) && b == 0) {
            *ok = false;
            return 0;
        }
        return scn_const_eval(&c, NULL);
    }
    default:
        *ok = false;
        return 0;
    }
}

static void scn_finish(DemoCtx *ctx, int verdict)
{
    ScnRt *rt = ctx->state;
    const ScnProgram *prog;

    if (rt == NULL) {
        return;
    }
    prog = rt->prog;
    for (size_t i = 0; i < prog->nshared; i++) {
        const ScnShared *sh = &prog->shared[i];
        if (sh->kind == SCN_VAR) {
            (void)arena_result_add(ctx->arena, sh->name, il_var_peek(rt->objs[i].var));
        }
    }
    for (size_t i = 0; i < prog->nshared; i++) {
        const ScnShared *sh = &prog->shared[i];
        for (int64_t k = 0; sh->kind == SCN_ARRAY && k < rt->objs[i].n; k++) {
            char nm[64];
            snprintf(nm, sizeof(nm), "%.20s[%lld]", sh->name, (long long)k);
            nm[ARENA_FIELD_NAME - 1] = '\0';
            (void)arena_result_add(ctx->arena, nm, il_var_peek(rt->objs[i].var + k));
        }
    }
    if (verdict != VERDICT_COMPLETED) {
        return;
    }
    for (size_t i = 0; i < prog->nexpects; i++) {
        bool ok = true;
        int64_t v = scn_expect_eval(rt, prog->expects[i].e, &ok);
        if (!ok || v == 0) {
            char inv[320], vals[300] = "";
            size_t at = 0;
            /* a text too long for the verdict's name is cut with "..." there */
            snprintf(inv, sizeof(inv), "expect %s", prog->expects[i].text);
            scn_expect_values(rt, prog->expects[i].e, vals, sizeof(vals), &at);
            (void)arena_violation(ctx->arena, -1, inv, "line %d: %s", prog->expects[i].line,
                                  vals[0] != '\0' ? vals : "it does not hold");
            break;
        }
    }
}

/* ------------------------------------------------------------------ */
/* building the class                                                   */
/* ------------------------------------------------------------------ */

/* Append the steps of evaluating e ("load x, call m.acquire") to b. */
static void scn_steps_expr(const ScnProgram *prog, const ScnExpr *e, StrBuf *b)
{
    if (e == NULL) {
        return;
    }
    switch (e->kind) {
    case SCN_E_SHARED:
        strbuf_addf(b, "%sload %s", b->len > 0 ? ", " : "", prog->shared[e->index].name);
        return;
    case SCN_E_ELEM:
        scn_steps_expr(prog, e->a, b);
        strbuf_addf(b, "%sload %s[i]", b->len > 0 ? ", " : "", prog->shared[e->index].name);
        return;
    case SCN_E_CALL:
        if (e->method == SCN_F_ATOMIC_ADD || e->method == SCN_F_CAS) {
            scn_steps_expr(prog, e->a->kind == SCN_E_ELEM ? e->a->a : NULL, b);
            scn_steps_expr(prog, e->b, b);
            scn_steps_expr(prog, e->c, b);
            strbuf_addf(b, "%s%s %s (one atomic step)", b->len > 0 ? ", " : "",
                        scn_method_name(e->method), prog->shared[e->a->index].name);
        } else {
            strbuf_addf(b, "%s%s.%s()%s", b->len > 0 ? ", " : "", prog->shared[e->index].name,
                        scn_method_name(e->method),
                        e->method == SCN_M_WAIT ? " (and a step to wake, if it sleeps)" : "");
        }
        return;
    default:
        scn_steps_expr(prog, e->a, b);
        scn_steps_expr(prog, e->b, b);
        return;
    }
}

/* The steps of statement st, into b (empty: no step of its own). */
static void scn_steps_stmt(const ScnProgram *prog, const ScnStmt *st, StrBuf *b)
{
    switch (st->kind) {
    case SCN_S_ASSIGN:
        scn_steps_expr(prog, st->e, b);
        if (st->e->has_op || (st->target->kind == SCN_E_LOCAL && !st->e->has_step)) {
            strbuf_addf(b, "%scompute %s", b->len > 0 ? ", " : "", st->text);
        }
        if (st->target->kind == SCN_E_ELEM) {
            scn_steps_expr(prog, st->target->a, b);
        }
        if (st->target->kind != SCN_E_LOCAL) {
            strbuf_addf(b, "%sstore %s%s", b->len > 0 ? ", " : "",
                        prog->shared[st->target->index].name,
                        st->target->kind == SCN_E_ELEM ? "[i]" : "");
        }
        return;
    case SCN_S_CALL:
        scn_steps_expr(prog, st->e, b);
        return;
    case SCN_S_PASS:
        strbuf_add(b, "pass (a step that does nothing)");
        return;
    case SCN_S_ASSERT:
    case SCN_S_IF:
    case SCN_S_WHILE:
        scn_steps_expr(prog, st->e, b);
        if (b->len == 0) {
            strbuf_add(b, "no step (locals only)");
        }
        if (st->kind == SCN_S_WHILE) {
            strbuf_add(b, "; a turn that took no step takes one (loop)");
        }
        return;
    case SCN_S_FOR:
        scn_steps_expr(prog, st->e, b);
        strbuf_addf(b, "%sthe loop itself takes no step", b->len > 0 ? "; " : "");
        return;
    case SCN_S_WITH:
        strbuf_addf(b, "%s.acquire() here, %s.release() after the block",
                    prog->shared[st->index].name, prog->shared[st->index].name);
        return;
    case SCN_S_CS:
        strbuf_add(b, "enter the critical section (a step); leaving it is not one");
        return;
    default:
        return;
    }
}

static bool scn_steps_block(ScnDemo *d, const ScnBlock *blk)
{
    for (size_t i = 0; i < blk->n; i++) {
        const ScnStmt *st = blk->s[i];
        StrBuf b;
        size_t line = (size_t)st->line - 1;
        strbuf_init(&b);
        scn_steps_stmt(d->prog, st, &b);
        if (b.failed) {
            strbuf_fini(&b);
            return false;
        }
        if (b.len > 0 && line < d->prog->nlines && d->steps[line] == NULL) {
            d->steps[line] = b.s; /* taken over */
        } else {
            strbuf_fini(&b);
        }
        if (!scn_steps_block(d, &st->body) || !scn_steps_block(d, &st->orelse)) {
            return false;
        }
    }
    return true;
}

ScnDemo *scn_demo_new(ScnProgram *prog, IlError *err)
{
    ScnDemo *d = calloc(1, sizeof(*d));

    if (d == NULL || prog == NULL) {
        free(d);
        scn_free(prog);
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    d->prog = prog;
    d->code = calloc(prog->nlines > 0 ? prog->nlines : 1, sizeof(*d->code));
    d->summary = malloc(strlen(prog->title) + strlen(prog->path) + 16);
    if (d->code == NULL || d->summary == NULL) {
        scn_demo_free(d);
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < prog->nlines; i++) {
        d->code[i].text = prog->lines[i];
    }
    d->steps = calloc(prog->nlines > 0 ? prog->nlines : 1, sizeof(*d->steps));
    for (size_t i = 0; d->steps != NULL && i < prog->nlanes; i++) {
        if (!scn_steps_block(d, &prog->lanes[i].body)) {
            break;
        }
    }
    if (d->steps == NULL) {
        scn_demo_free(d);
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    if (prog->title[0] != '\0') {
        strcpy(d->summary, prog->title);
    } else {
        sprintf(d->summary, "scenario %s", prog->path);
    }
    for (size_t i = 0; i < prog->nparams; i++) {
        d->params[i] = (DemoParam){prog->params[i].name,
                                   "a param of the scenario",
                                   prog->params[i].min,
                                   prog->params[i].max,
                                   prog->params[i].def,
                                   NULL,
                                   NULL};
    }
    d->cls = (DemoClass){
        .name = prog->name,
        .summary = d->summary,
        .params = d->params,
        .nparams = (unsigned)prog->nparams,
        .setup = scn_setup,
        .lane_main = scn_lane_main,
        .finish = scn_finish,
        .progress_unit = "milestones",
        .data = d,
        .data_lanes = scn_data_lanes,
        .data_events_per_lane = scn_data_events,
        .data_code = scn_data_code,
        .data_code_steps = scn_data_code_steps,
        .data_check = scn_data_check,
    };
    return d;
}

ScnDemo *scn_demo_load(const char *path, IlError *err)
{
    ScnProgram *prog = scn_load(path, err);
    return prog != NULL ? scn_demo_new(prog, err) : NULL;
}

ScnDemo *scn_demo_parse(const char *text, size_t len, const char *path, int first_line,
                        IlError *err)
{
    ScnProgram *prog = scn_parse_at(text, len, path, first_line, err);
    return prog != NULL ? scn_demo_new(prog, err) : NULL;
}

const DemoClass *scn_demo_class(const ScnDemo *demo)
{
    return &demo->cls;
}

const ScnProgram *scn_demo_program(const ScnDemo *demo)
{
    return demo->prog;
}

const ScnDemo *scn_demo_of(const DemoClass *cls)
{
    return cls != NULL && cls->data_lanes == scn_data_lanes ? (const ScnDemo *)cls->data : NULL;
}

const DemoClass *scn_demo_find(const char *name, ScnDemo **owned, IlError *err)
{
    *owned = NULL;
    if (scn_is_path(name)) {
        *owned = scn_demo_load(name, err);
        return *owned != NULL ? scn_demo_class(*owned) : NULL;
    }
    return demo_find(name, err);
}

const ScnDemo *scn_demo_register(ScnDemo *demo, const char *name)
{
    ScnDemo **n;

    for (size_t i = scn_nregistered; i-- > 0;) {
        ScnDemo *r = scn_registered[i];
        if (strcmp(r->cls.name, name) == 0) {
            if (strcmp(r->prog->src, demo->prog->src) == 0) {
                scn_demo_free(demo);
                return r;
            }
            break;
        }
    }
    n = vec_grow(scn_registered, &scn_registered_cap, scn_nregistered + 1, sizeof(*n));
    demo->name = strdup(name);
    if (n == NULL || demo->name == NULL) {
        if (n != NULL) {
            scn_registered = n;
        }
        scn_demo_free(demo);
        return NULL;
    }
    scn_registered = n;
    demo->cls.name = demo->name;
    if (demo_register(&demo->cls) < 0) {
        scn_demo_free(demo);
        return NULL;
    }
    scn_registered[scn_nregistered++] = demo;
    return demo;
}

void scn_demo_free(ScnDemo *demo)
{
    if (demo == NULL) {
        return;
    }
    free(demo->name);
    for (size_t i = 0; demo->steps != NULL && i < demo->prog->nlines; i++) {
        free(demo->steps[i]);
    }
    free(demo->steps);
    scn_free(demo->prog);
    free(demo->code);
    free(demo->summary);
    free(demo);
}
