/*
 * waitfor.c - building, searching, describing and drawing the wait-for
 * graph (see waitfor.h for the design).
 *
 * The cycle search walks "waits for" from each lane in turn, painting the
 * lanes of the current walk with the walk's number; meeting a lane painted
 * by the same walk closes a cycle.  Every lane is painted once, so the
 * search is linear in the lanes.
 */
#include "config.h"

#include "core/waitfor.h"

#include <stdio.h>
#include <string.h>

#include "core/event.h"
#include "core/schedule.h"
#include "core/sched.h"

/* The blocking operations are the scheduler's blocker table's rows. */
static bool waitfor_blocking_op(uint32_t op)
{
    return sched_op_blocks(op);
}

/* An await: its pending object is the lane's OBJ_AWAIT; what it awaits is
 * that object's pad, which the snapshot keeps as the wait's object. */
static bool waitfor_await_op(uint32_t op)
{
    return (op >= EV_AWAIT_SLEEP && op <= EV_AWAIT_EVENT) || op == EV_CO_START;
}

/* A lane that finished, or whose process died while the run went on (a
 * death the demo handles), waits for nothing and holds up nobody. */
static bool waitfor_ended(uint32_t state)
{
    return state == LANE_FINISHED || state == LANE_DIED;
}

static bool waitfor_woken_op(uint32_t op)
{
    return op == EV_COND_WAKE || op == EV_COND_SPURIOUS;
}

/*
 * The stall test: every started, unfinished lane waits for something it
 * cannot get now, and no condition variable has a wakeup on its way (a
 * signalled lane still inside pthread_cond_wait in free mode shows as
 * asleep, but the cond's count of sleepers not yet woken is lower than
 * the lanes asleep on it).
 */
static void waitfor_find_stall(WaitFor *wf, const Arena *arena)
{
    unsigned waiting = 0;

    wf->stalled = false;
    wf->any_cond = false;
    for (unsigned i = 0; i < wf->nlanes; i++) {
        if (waitfor_ended(wf->state[i])) {
            continue;
        }
        if (wf->state[i] == LANE_NEW || wf->wait_on[i] == -1) {
            return;
        }
        waiting++;
        if (wf->wait_op[i] == EV_COND_SLEEP) {
            uint32_t c = wf->wait_obj[i];
            unsigned sleepers = 0;
            wf->any_cond = true;
            for (unsigned j = 0; j < wf->nlanes; j++) {
                sleepers += wf->wait_op[j] == EV_COND_SLEEP && wf->wait_obj[j] == c;
            }
            if ((int64_t)sleepers > arena_obj_value(arena, c)) {
                return; /* a wakeup is on its way to one of them */
            }
        }
    }
    wf->stalled = waiting > 0;
}

static void waitfor_find_cycle(WaitFor *wf)
{
    uint16_t walk[ARENA_MAX_LANES];
    int paint[ARENA_MAX_LANES];

    wf->ncycle = 0;
    for (unsigned i = 0; i < wf->nlanes; i++) {
        paint[i] = -1;
    }
    for (unsigned start = 0; start < wf->nlanes; start++) {
        unsigned n = 0;
        int at = (int)start;

        while (at >= 0 && paint[at] < 0) {
            paint[at] = (int)start;
            walk[n++] = (uint16_t)at;
            at = wf->wait_on[at] >= 0 && (unsigned)wf->wait_on[at] < wf->nlanes ? wf->wait_on[at]
                                                                                : -1;
        }
        if (at >= 0 && paint[at] == (int)start) {
            /* the cycle is the tail of this walk from `at`; rotate it so it
             * starts at its lowest lane */
            unsigned from = 0, low;
            while (walk[from] != at) {
                from++;
            }
            low = from;
            for (unsigned k = from; k < n; k++) {
                if (walk[k] < walk[low]) {
                    low = k;
                }
            }
            for (unsigned k = 0; k < n - from; k++) {
                wf->cycle[k] = walk[from + (low - from + k) % (n - from)];
            }
            wf->ncycle = n - from;
            return;
        }
    }
}

void waitfor_build(WaitFor *wf, const Arena *arena)
{
    const Arena *a = arena;
    unsigned nlanes = a->nlanes < ARENA_MAX_LANES ? a->nlanes : ARENA_MAX_LANES;
    uint32_t nobjs = atomic_load_explicit(&a->nobjs, memory_order_acquire);

    if (nobjs > ARENA_MAX_OBJS) {
        nobjs = ARENA_MAX_OBJS;
    }
    wf->nlanes = nlanes;
    wf->nobjs = nobjs;
    wf->ops_total = 0;
    wf->progress_total = 0;
    wf->owner[0] = -1;
    for (uint32_t o = 1; o < nobjs; o++) {
        int64_t v = atomic_load_explicit(&a->objs[o].value, memory_order_relaxed);
        wf->owner[o] = (a->objs[o].kind == OBJ_MUTEX || a->objs[o].kind == OBJ_RLOCK) && v >= 0 &&
                               v < (int64_t)nlanes
                           ? (int32_t)v
                       : a->objs[o].kind == OBJ_RWLOCK && v <= -2 && -2 - v < (int64_t)nlanes
                           ? (int32_t)(-2 - v)
                           : -1;
    }
    for (unsigned i = 0; i < nlanes; i++) {
        const ArenaLane *l = &a->lanes[i];
        uint32_t st = atomic_load_explicit(&l->state, memory_order_acquire);
        uint32_t op = atomic_load_explicit(&l->op, memory_order_relaxed);
        uint32_t obj = atomic_load_explicit(&l->op_obj, memory_order_relaxed);
        int b = -1;

        wf->state[i] = st;
        wf->ops[i] = atomic_load_explicit(&l->ops, memory_order_relaxed);
        wf->ops_total += wf->ops[i];
        wf->progress_total += atomic_load_explicit(&l->progress, memory_order_relaxed);
        wf->wait_since[i] = atomic_load_explicit(&l->wait_since, memory_order_relaxed);
        if (st != LANE_NEW && !waitfor_ended(st) && waitfor_blocking_op(op) && obj < nobjs) {
            b = sched_op_blocker(arena, op, obj);
            if (b >= (int)nlanes) {
                b = -1;
            }
        }
        wf->wait_on[i] = b;
        wf->wait_obj[i] = b != -1 ? obj : 0;
        wf->wait_op[i] = b != -1 ? op : EV_NONE;
        if (b != -1 && waitfor_woken_op(op)) {
            /* woken on a cond: what it waits for is the cond's mutex */
            wf->wait_cond[i] = obj;
            wf->wait_obj[i] = a->objs[obj].pad;
        } else {
            wf->wait_cond[i] = 0;
        }
        if (b != -1 && waitfor_await_op(op)) {
            /* an await: what it waits for is what its await object names */
            wf->wait_obj[i] = a->objs[obj].pad;
        }
    }
    waitfor_find_cycle(wf);
    waitfor_find_stall(wf, arena);
}

bool waitfor_same_stall(const WaitFor *a, const WaitFor *b)
{
    if (!a->stalled || !b->stalled || a->nlanes != b->nlanes) {
        return false;
    }
    for (unsigned i = 0; i < a->nlanes; i++) {
        if (a->state[i] != b->state[i] || a->ops[i] != b->ops[i] ||
            a->wait_obj[i] != b->wait_obj[i] || a->wait_op[i] != b->wait_op[i]) {
            return false;
        }
    }
    return true;
}

uint64_t waitfor_stall_formed_at(const WaitFor *wf)
{
    uint64_t t = 0;
    if (!wf->stalled) {
        return 0;
    }
    for (unsigned i = 0; i < wf->nlanes; i++) {
        uint64_t s = wf->wait_since[i];
        if (waitfor_ended(wf->state[i])) {
            continue;
        }
        if (s == 0) {
            return 0;
        }
        if (s - 1 > t) {
            t = s - 1;
        }
    }
    return t;
}

size_t waitfor_describe_waits(const WaitFor *wf, const Arena *arena, char *buf, size_t len)
{
    size_t at = 0;

    if (len == 0) {
        return 0;
    }
    buf[0] = '\0';
    for (unsigned i = 0; i < wf->nlanes && at < len; i++) {
        char name[LANE_NAME_MAX], other[LANE_NAME_MAX];
        const char *sep = at > 0 ? "; " : "";
        int n;

        if (waitfor_ended(wf->state[i]) || wf->wait_on[i] == -1) {
            continue;
        }
        lane_name(i, name);
        if (wf->wait_on[i] >= 0) {
            lane_name((unsigned)wf->wait_on[i], other);
        }
        if (waitfor_await_op(wf->wait_op[i])) {
            uint32_t what = wf->wait_obj[i];
            if (wf->wait_on[i] >= 0) {
                n = snprintf(buf + at, len - at, "%s%s awaits task %s (run by %s)", sep, name,
                             arena_obj_name(arena, what), other);
            } else {
                n = snprintf(buf + at, len - at, "%s%s awaits %s%s", sep, name,
                             wf->wait_op[i] == EV_AWAIT_IO ? "I/O on " : "",
                             arena_obj_name(arena, what));
            }
        } else if (wf->wait_op[i] == EV_LOOP_POLL) {
            n = snprintf(buf + at, len - at, "%s%s runs an event loop with nothing to wait for",
                         sep, name);
        } else if (wf->wait_op[i] == EV_FUT_WAIT) {
            n = snprintf(buf + at, len - at, "%s%s waits for %s", sep, name,
                         arena_obj_name(arena, wf->wait_obj[i]));
            if (n >= 0 && wf->wait_on[i] >= 0 && (size_t)n < len - at) {
                int m = snprintf(buf + at + (size_t)n, len - at - (size_t)n, " (run by %s)", other);
                n = m < 0 ? n : n + m;
            }
        } else if (wf->wait_op[i] == EV_QUEUE_TAKE) {
            n = snprintf(buf + at, len - at, "%s%s waits for an item of %s (empty)", sep, name,
                         arena_obj_name(arena, wf->wait_obj[i]));
        } else if (wf->wait_op[i] == EV_COND_SLEEP) {
            n = snprintf(buf + at, len - at, "%s%s waits on cond %s", sep, name,
                         arena_obj_name(arena, wf->wait_obj[i]));
        } else if (wf->wait_op[i] == EV_PIPE_READ || wf->wait_op[i] == EV_PIPE_WRITE) {
            bool rd = wf->wait_op[i] == EV_PIPE_READ;
            n = snprintf(buf + at, len - at, "%s%s waits to %s pipe %s (%s%s%s)", sep, name,
                         rd ? "read" : "write", arena_obj_name(arena, wf->wait_obj[i]),
                         rd ? "empty" : "full",
                         wf->wait_on[i] >= 0 ? (rd ? ", written by " : ", read by ") : "",
                         wf->wait_on[i] >= 0 ? other : "");
        } else if (wf->wait_cond[i] != 0) {
            n = snprintf(buf + at, len - at, "%s%s woken on cond %s, waits %s (held by %s)", sep,
                         name, arena_obj_name(arena, wf->wait_cond[i]),
                         arena_obj_name(arena, wf->wait_obj[i]), other);
        } else if (wf->wait_on[i] >= 0) {
            n = snprintf(buf + at, len - at, "%s%s waits %s (held by %s)", sep, name,
                         arena_obj_name(arena, wf->wait_obj[i]), other);
        } else {
            uint32_t o = wf->wait_obj[i];
            int64_t v = arena_obj_value(arena, o);
            switch (arena->objs[o].kind) {
            case OBJ_BARRIER:
                n = snprintf(buf + at, len - at, "%s%s waits at barrier %s (%lld of %u arrived)",
                             sep, name, arena_obj_name(arena, o), (long long)v,
                             (unsigned)arena->objs[o].pad);
                break;
            case OBJ_EVENT:
                n = snprintf(buf + at, len - at, "%s%s waits for event %s (not set)", sep, name,
                             arena_obj_name(arena, o));
                break;
            case OBJ_LATCH:
                n = snprintf(buf + at, len - at, "%s%s waits for latch %s (count %lld)", sep, name,
                             arena_obj_name(arena, o), (long long)v);
                break;
            case OBJ_RWLOCK:
                n = snprintf(buf + at, len - at, "%s%s waits for rwlock %s (%lld reading)", sep,
                             name, arena_obj_name(arena, o), (long long)v);
                break;
            default:
                n = snprintf(buf + at, len - at, "%s%s waits %s (count %lld)", sep, name,
                             arena_obj_name(arena, o), (long long)v);
                break;
            }
        }
        if (n < 0) {
            break;
        }
        at += (size_t)n;
    }
    return at < len ? at : len - 1;
}

bool waitfor_has_cycle(const WaitFor *wf)
{
    return wf->ncycle > 0;
}

bool waitfor_same_cycle(const WaitFor *a, const WaitFor *b)
{
    if (a->ncycle == 0 || a->ncycle != b->ncycle) {
        return false;
    }
    for (unsigned k = 0; k < a->ncycle; k++) {
        unsigned l = a->cycle[k];
        if (b->cycle[k] != l || a->wait_obj[l] != b->wait_obj[l] || a->ops[l] != b->ops[l]) {
            return false;
        }
    }
    return true;
}

size_t waitfor_describe(const WaitFor *wf, const Arena *arena, char *buf, size_t len)
{
    size_t at = 0;

    if (len == 0) {
        return 0;
    }
    buf[0] = '\0';
    for (unsigned k = 0; k < wf->ncycle && at < len; k++) {
        unsigned l = wf->cycle[k];
        unsigned prev = wf->cycle[(k + wf->ncycle - 1) % wf->ncycle];
        char name[LANE_NAME_MAX];
        int n;

        lane_name(l, name);
        n = snprintf(buf + at, len - at, "%s%s holds %s, waits %s", k > 0 ? "; " : "", name,
                     arena_obj_name(arena, wf->wait_obj[prev]),
                     arena_obj_name(arena, wf->wait_obj[l]));
        if (n < 0) {
            break;
        }
        at += (size_t)n;
    }
    return at < len ? at : len - 1;
}

uint64_t waitfor_formed_at(const WaitFor *wf)
{
    uint64_t t = 0;
    for (unsigned k = 0; k < wf->ncycle; k++) {
        uint64_t s = wf->wait_since[wf->cycle[k]];
        if (s == 0) {
            return 0;
        }
        if (s - 1 > t) {
            t = s - 1;
        }
    }
    return t;
}

static bool waitfor_in_cycle(const WaitFor *wf, unsigned lane)
{
    for (unsigned k = 0; k < wf->ncycle; k++) {
        if (wf->cycle[k] == lane) {
            return true;
        }
    }
    return false;
}

/* Put s at (*cx, y) within the window's right edge; advance *cx. */
static void waitfor_put(Grid *g, int *cx, int y, int right, const char *s, CellStyle style)
{
    for (const char *p = s; *p != '\0' && *cx < right; p++) {
        grid_put(g, (*cx)++, y, *p, style);
    }
}

int waitfor_render(Grid *grid, int x, int y, int w, int h, const WaitFor *wf, const Arena *arena)
{
    int row = 0, right = x + w;
    char text[160];

    if (w <= 0 || h <= 0) {
        return 0;
    }
    for (unsigned i = 0; i < wf->nlanes && row < h; i++) {
        bool cyc = waitfor_in_cycle(wf, i);
        bool holds = false;
        char name[LANE_NAME_MAX];
        int cx = x;

        for (uint32_t o = 1; o < wf->nobjs; o++) {
            holds = holds || wf->owner[o] == (int32_t)i;
        }
        if (waitfor_ended(wf->state[i]) && !holds) {
            continue;
        }
        lane_name(i, name);
        waitfor_put(grid, &cx, y + row, right, cyc ? "*" : " ", STYLE_BLOCKED);
        snprintf(text, sizeof(text), "(%s)", name);
        waitfor_put(grid, &cx, y + row, right, text,
                    wf->wait_on[i] != -1 ? STYLE_BLOCKED : STYLE_RUNNING);
        if (holds) {
            waitfor_put(grid, &cx, y + row, right, " =holds=>", STYLE_MARK);
            for (uint32_t o = 1; o < wf->nobjs; o++) {
                if (wf->owner[o] == (int32_t)i) {
                    snprintf(text, sizeof(text), " [%s]", arena_obj_name(arena, o));
                    waitfor_put(grid, &cx, y + row, right, text, STYLE_TEXT);
                }
            }
        }
        if (wf->wait_on[i] != -1) {
            waitfor_put(grid, &cx, y + row, right, " -waits->", cyc ? STYLE_BLOCKED : STYLE_READY);
            snprintf(text, sizeof(text), " [%s]", arena_obj_name(arena, wf->wait_obj[i]));
            waitfor_put(grid, &cx, y + row, right, text, STYLE_TEXT);
            if (wf->wait_on[i] >= 0) {
                char other[LANE_NAME_MAX];
                lane_name((unsigned)wf->wait_on[i], other);
                snprintf(text, sizeof(text), " (held by %s)", other);
            } else if (wf->wait_op[i] == EV_COND_SLEEP) {
                snprintf(text, sizeof(text), " (asleep, not signalled)");
            } else {
                snprintf(text, sizeof(text), " (count %lld)",
                         (long long)arena_obj_value(arena, wf->wait_obj[i]));
            }
            waitfor_put(grid, &cx, y + row, right, text, STYLE_DIM);
        } else if (!holds) {
            waitfor_put(grid, &cx, y + row, right, " -", STYLE_DIM);
        }
        row++;
    }
    if (wf->ncycle > 0 && row < h) {
        int cx = x;
        waitfor_put(grid, &cx, y + row, right, "cycle:", STYLE_BLOCKED);
        for (unsigned k = 0; k <= wf->ncycle; k++) {
            unsigned l = wf->cycle[k % wf->ncycle];
            char name[LANE_NAME_MAX];
            lane_name(l, name);
            if (k < wf->ncycle) {
                snprintf(text, sizeof(text), " %s -> %s ->", name,
                         arena_obj_name(arena, wf->wait_obj[l]));
            } else {
                snprintf(text, sizeof(text), " %s", name);
            }
            waitfor_put(grid, &cx, y + row, right, text, STYLE_BLOCKED);
        }
        row++;
    }
    return row;
}
