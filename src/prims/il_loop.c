/*
 * il_loop.c - the event loop and its coroutines (see il_loop.h).
 *
 * Everything here runs on one OS thread, the host lane's: the loop's own
 * code and, in turn, each coroutine's.  So the loop's state needs no lock;
 * what it shares with other threads is the arena (its objects, the lanes'
 * slots, which the front end and the step controller read) and, through
 * core/sched.c, the grants of step mode.
 *
 * A coroutine that awaits writes what it waits for into its IlTask,
 * publishes its pending operation (slot op, op_obj = its OBJ_AWAIT) and
 * switches back to the loop (lane_co_yield).  The loop, back on its own
 * stack, files the request: a timer into the heap, a descriptor into
 * epoll, itself among the waiters of the tasks or the event it awaits.
 * When that is done (a timer due, a descriptor ready, the tasks done, the
 * event set, a cancellation), make_ready() sets the await object to 1,
 * records the ready moment on the coroutine's ring and queues it.
 *
 * Lane states in free mode are the loop's to keep (running, ready,
 * blocked); in step mode they are the controller's, and the loop only says
 * when a step is over (sched_host_wait).
 */
#include "config.h"

#include "prims/il_loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "core/lane_exec.h"

enum {
    IL_W_NONE = 0,
    IL_W_SLEEP, /* a timer */
    IL_W_YIELD, /* sleep(0): ready again at once */
    IL_W_IO,    /* a descriptor */
    IL_W_TASKS, /* tasks (one, or a gather's) not done; a timer too for wait_for */
    IL_W_EVENT, /* an event */
};

/* The loop of the calling thread (the host's, and so its coroutines'). */
static _Thread_local IlLoop *il_loop_cur;

static void il_bit_set(uint64_t *bits, unsigned lane)
{
    bits[lane / 64] |= (uint64_t)1 << (lane % 64);
}

static void il_bit_clear(uint64_t *bits, unsigned lane)
{
    bits[lane / 64] &= ~((uint64_t)1 << (lane % 64));
}

static bool il_bit_test(const uint64_t *bits, unsigned lane)
{
    return (bits[lane / 64] >> (lane % 64)) & 1u;
}

/* ------------------------------------------------------------------ */
/* setup                                                               */
/* ------------------------------------------------------------------ */

int il_loop_init(IlLoop *loop, Arena *arena, unsigned nlanes)
{
    int sel, slp;

    memset(loop, 0, sizeof(*loop));
    loop->arena = arena;
    loop->nlanes = nlanes;
    loop->ep = -1;
    sel = arena_obj_new(arena, OBJ_LABEL, "select", 0);
    slp = arena_obj_new(arena, OBJ_LABEL, "sleep", 0);
    loop->ready_var = il_var_new(arena, "ready", 0);
    if (sel < 0 || slp < 0 || loop->ready_var == NULL) {
        return -ENOSPC;
    }
    loop->select_obj = (uint32_t)sel;
    loop->sleep_obj = (uint32_t)slp;
    return 0;
}

int il_task_init(IlTask *task, IlLoop *loop, unsigned lane, const char *name)
{
    int f, w;

    if (lane >= loop->nlanes || loop->tasks[lane] != NULL ||
        loop->arena->lanes[lane].kind != LANE_KIND_COROUTINE) {
        return -EINVAL;
    }
    memset(task, 0, sizeof(*task));
    f = arena_obj_new(loop->arena, OBJ_FUTURE, name, FUT_PENDING);
    w = arena_obj_new(loop->arena, OBJ_AWAIT, name, 0);
    if (f < 0 || w < 0) {
        return -ENOSPC;
    }
    loop->arena->objs[f].pad = (uint16_t)(lane + 1);
    task->loop = loop;
    task->lane = lane;
    task->obj = (uint32_t)f;
    task->await_obj = (uint32_t)w;
    task->fd = -1;
    loop->tasks[lane] = task;
    return 0;
}

int il_chan_init(IlChan *chan, IlLoop *loop, int fd, const char *name)
{
    int o;

    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
            return -errno;
        }
    }
    o = arena_obj_new(loop->arena, OBJ_LABEL, name, fd);
    if (o < 0) {
        return o;
    }
    chan->loop = loop;
    chan->fd = fd;
    chan->obj = (uint32_t)o;
    return 0;
}

int il_loop_event_init(IlLoopEvent *ev, IlLoop *loop, const char *name)
{
    int o = arena_obj_new(loop->arena, OBJ_LABEL, name, 0);
    if (o < 0) {
        return o;
    }
    memset(ev, 0, sizeof(*ev));
    ev->loop = loop;
    ev->obj = (uint32_t)o;
    return 0;
}

/* ------------------------------------------------------------------ */
/* the loop's own bookkeeping (host)                                   */
/* ------------------------------------------------------------------ */

uint64_t il_loop_time(const IlLoop *loop)
{
    return loop->stepping ? loop->vnow : arena_time(loop->arena);
}

const IlLoopStats *il_loop_stats(const IlLoop *loop)
{
    return &loop->stats;
}

static LaneCtx *il_ctx(const IlLoop *loop, const IlTask *t)
{
    return sched_ctx_of(loop->sched, t->lane);
}

/* Event time for something that happens now (a step, or ns). */
static uint64_t il_now_t(const IlLoop *loop)
{
    return arena_time(loop->arena);
}

static void il_set_obj(IlLoop *loop, uint32_t obj, int64_t v)
{
    atomic_store_explicit(&loop->arena->objs[obj].value, v, memory_order_relaxed);
}

/* Publish the ready queue's length ("ready"), as a store on the host. */
static void il_show_ready(IlLoop *loop)
{
    int64_t n = (int64_t)loop->rcount;
    if (loop->rcount > loop->stats.max_ready) {
        loop->stats.max_ready = loop->rcount;
    }
    if (n == loop->ready_shown) {
        return;
    }
    loop->ready_shown = n;
    atomic_store_explicit(&loop->ready_var->value, n, memory_order_relaxed);
    sched_record_for(loop->host, il_now_t(loop), EV_STORE, il_var_index(loop->ready_var), n);
}

static void il_show_sources(IlLoop *loop)
{
    il_set_obj(loop, loop->select_obj, (int64_t)(loop->nheap + loop->nfds));
}

/* Free mode: the state of a coroutine lane's slot, kept by the loop. */
static void il_slot_state(IlLoop *loop, IlTask *t, uint32_t st)
{
    if (!loop->stepping) {
        atomic_store_explicit(&il_ctx(loop, t)->slot->state, st, memory_order_relaxed);
    }
}

/* ---- the timer heap, by (due, seq) --------------------------------- */

static bool il_heap_less(const IlTask *a, const IlTask *b)
{
    return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void il_heap_swap(IlLoop *loop, unsigned i, unsigned j)
{
    IlTask *t = loop->heap[i];
    loop->heap[i] = loop->heap[j];
    loop->heap[j] = t;
    loop->heap[i]->hidx = i + 1;
    loop->heap[j]->hidx = j + 1;
}

static void il_heap_up(IlLoop *loop, unsigned i)
{
    while (i > 0 && il_heap_less(loop->heap[i], loop->heap[(i - 1) / 2])) {
        il_heap_swap(loop, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void il_heap_down(IlLoop *loop, unsigned i)
{
    for (;;) {
        unsigned l = 2 * i + 1, r = l + 1, m = i;
        if (l < loop->nheap && il_heap_less(loop->heap[l], loop->heap[m])) {
            m = l;
        }
        if (r < loop->nheap && il_heap_less(loop->heap[r], loop->heap[m])) {
            m = r;
        }
        if (m == i) {
            return;
        }
        il_heap_swap(loop, i, m);
        i = m;
    }
}

static void il_timer_arm(IlLoop *loop, IlTask *t, uint64_t due)
{
    t->due = due;
    t->seq = loop->seq++;
    loop->heap[loop->nheap] = t;
    t->hidx = ++loop->nheap;
    il_heap_up(loop, loop->nheap - 1);
}

static void il_timer_disarm(IlLoop *loop, IlTask *t)
{
    unsigned i;
    if (t->hidx == 0) {
        return;
    }
    i = t->hidx - 1;
    t->hidx = 0;
    loop->nheap--;
    if (i < loop->nheap) {
        loop->heap[i] = loop->heap[loop->nheap];
        loop->heap[i]->hidx = i + 1;
        il_heap_down(loop, i);
        il_heap_up(loop, i);
    }
}

/* ---- the ready queue ------------------------------------------------ */

static void il_queue_push(IlLoop *loop, IlTask *t)
{
    loop->ready[(loop->rhead + loop->rcount) % ARENA_MAX_LANES] = t->lane;
    loop->rcount++;
    t->queued = true;
}

static IlTask *il_queue_pop(IlLoop *loop)
{
    IlTask *t = loop->tasks[loop->ready[loop->rhead]];
    loop->rhead = (loop->rhead + 1) % ARENA_MAX_LANES;
    loop->rcount--;
    t->queued = false;
    return t;
}

/* Take lane out of the queue wherever it is (step mode: the student's pick). */
static void il_queue_remove(IlLoop *loop, unsigned lane)
{
    unsigned n = loop->rcount, k = 0;
    unsigned keep[ARENA_MAX_LANES];

    for (unsigned i = 0; i < n; i++) {
        unsigned l = loop->ready[(loop->rhead + i) % ARENA_MAX_LANES];
        if (l != lane) {
            keep[k++] = l;
        }
    }
    loop->rhead = 0;
    loop->rcount = k;
    memcpy(loop->ready, keep, k * sizeof(keep[0]));
    loop->tasks[lane]->queued = false;
}

/*
 * What t awaited is done (or it was cancelled, or its wait_for timed
 * out): drop every other thing it waited for, mark its await done, record
 * the moment (t_ready: loop time; a timer's due time) and queue it.
 */
static void il_make_ready(IlLoop *loop, IlTask *t, uint64_t t_ready, uint64_t late, int outcome)
{
    LaneCtx *c = il_ctx(loop, t);

    il_timer_disarm(loop, t);
    if (t->fd >= 0) {
        (void)epoll_ctl(loop->ep, EPOLL_CTL_DEL, t->fd, NULL);
        t->fd = -1;
        loop->nfds--;
    }
    if (t->wait == IL_W_TASKS) {
        for (unsigned l = 0; l < loop->nlanes; l++) {
            if (loop->tasks[l] != NULL) {
                il_bit_clear(loop->tasks[l]->waiters, t->lane);
            }
        }
        t->pending = 0;
    }
    if (t->event != NULL) {
        il_bit_clear(t->event->waiters, t->lane);
        t->event = NULL;
    }
    t->wait = IL_W_NONE;
    t->outcome = outcome;
    t->waited_ns += t_ready > t->wait_t0 ? t_ready - t->wait_t0 : 0;
    t->ready_t0 = t_ready;
    t->late_ns += late;
    loop->stats.late_ns += late;
    if (late > loop->stats.late_max_ns) {
        loop->stats.late_max_ns = late;
    }
    il_set_obj(loop, t->await_obj, 1);
    /* free mode: dated when it became ready (a timer: when it came due) */
    sched_record_for(c, loop->stepping ? il_now_t(loop) : t_ready, EV_CO_READY, t->what,
                     (int64_t)late);
    il_slot_state(loop, t, LANE_READY);
    il_queue_push(loop, t);
}

/* A task was created: ready for its first turn. */
static void il_spawn(IlLoop *loop, IlTask *t)
{
    uint64_t now = il_loop_time(loop);

    t->spawned = true;
    t->wait_t0 = now;
    t->ready_t0 = now;
    t->what = 0;
    il_set_obj(loop, t->await_obj, 1);
    loop->arena->objs[t->await_obj].pad = 0;
    sched_guest_spawn(loop->sched, t->lane, t->await_obj);
    il_queue_push(loop, t);
}

/* t's body returned: it is done; wake the tasks that await it. */
static void il_finish(IlLoop *loop, IlTask *t)
{
    uint64_t now = il_loop_time(loop);
    int64_t st = t->err == -ECANCELED ? FUT_CANCELLED : t->err < 0 ? FUT_FAILED : FUT_DONE;

    t->done = true;
    il_set_obj(loop, t->obj, st);
    for (unsigned l = 0; l < loop->nlanes; l++) {
        IlTask *w = loop->tasks[l];
        if (w == NULL || !il_bit_test(t->waiters, l)) {
            continue;
        }
        il_bit_clear(t->waiters, l);
        if (w->pending > 0 && --w->pending == 0) {
            il_make_ready(loop, w, now, 0, 0);
        } else if (w->pending > 0) {
            /* it still awaits others: show the next one it waits for */
            for (unsigned k = 0; k < loop->nlanes; k++) {
                if (loop->tasks[k] != NULL && il_bit_test(loop->tasks[k]->waiters, l)) {
                    loop->arena->objs[w->await_obj].pad = (uint16_t)loop->tasks[k]->obj;
                    break;
                }
            }
        }
    }
}

/* A task cancelled before its first turn never runs its body (asyncio
 * throws CancelledError into the coroutine before its first line): it
 * ends cancelled, with a resume and an end on its row. */
static void il_finish_unstarted(IlLoop *loop, IlTask *t)
{
    LaneCtx *c = il_ctx(loop, t);
    uint64_t now = il_now_t(loop);

    t->err = -ECANCELED;
    sched_record_for(c, now, EV_CO_RESUME, 0, -ECANCELED);
    sched_record_for(c, now, EV_LANE_END, 0, 0);
    il_finish(loop, t);
    sched_guest_abandon(loop->sched, t->lane);
}

/* After t switched back at an await: file what it waits for. */
static void il_file_request(IlLoop *loop, IlTask *t)
{
    uint64_t now = il_loop_time(loop);

    t->wait_t0 = now;
    il_slot_state(loop, t, LANE_BLOCKED);
    switch (t->wait) {
    case IL_W_YIELD:
        il_make_ready(loop, t, now, 0, 0);
        break;
    case IL_W_SLEEP:
        il_timer_arm(loop, t, t->due);
        break;
    case IL_W_IO: {
        /* t->fd was set by the await; t->pending holds the events */
        struct epoll_event ev;
        memset(&ev, 0, sizeof(ev));
        ev.events = t->pending == POLLOUT ? EPOLLOUT : EPOLLIN;
        ev.data.u32 = t->lane;
        t->pending = 0;
        if (epoll_ctl(loop->ep, EPOLL_CTL_ADD, t->fd, &ev) < 0) {
            /* a descriptor epoll cannot watch (a regular file) is always ready */
            t->fd = -1;
            il_make_ready(loop, t, now, 0, 0);
        } else {
            loop->nfds++;
        }
        break;
    }
    case IL_W_TASKS:
        if (t->due != 0) {
            il_timer_arm(loop, t, t->due); /* wait_for's timeout */
        }
        if (t->pending == 0) {
            il_make_ready(loop, t, now, 0, 0);
        }
        break;
    case IL_W_EVENT:
        if (t->event->set) {
            il_make_ready(loop, t, now, 0, 0);
        } else {
            il_bit_set(t->event->waiters, t->lane);
        }
        break;
    default:
        break;
    }
}

/* Switch to t until its next await (or its end). */
static void il_run_one(IlLoop *loop, IlTask *t)
{
    LaneCtx *c = il_ctx(loop, t);
    uint64_t now = il_loop_time(loop);
    bool ended;

    t->queued_ns += now > t->ready_t0 ? now - t->ready_t0 : 0;
    if (t->cancel_req) {
        t->cancel_req = false;
        t->outcome = -ECANCELED;
        if (!t->started) {
            il_finish_unstarted(loop, t);
            return;
        }
    }
    loop->stats.switches++;
    sched_record_for(loop->host, il_now_t(loop), EV_LOOP_RUN, t->obj, (int64_t)t->lane);
    sched_record_for(c, il_now_t(loop), EV_CO_RESUME, t->what, (int64_t)t->outcome);
    il_set_obj(loop, t->await_obj, 0);
    if (!t->started) {
        t->started = true;
        il_set_obj(loop, t->obj, FUT_RUNNING);
    }
    if (!loop->stepping) {
        atomic_store_explicit(&c->slot->op, EV_NONE, memory_order_relaxed);
        atomic_store_explicit(&c->slot->op_obj, 0, memory_order_relaxed);
        atomic_store_explicit(&c->slot->wait_since, 0, memory_order_relaxed);
        atomic_store_explicit(&c->slot->state, LANE_RUNNING, memory_order_relaxed);
    }
    loop->current = t;
    sched_self = c;
    ended = lane_co_resume((LaneCo *)c->co);
    sched_self = loop->host;
    sched_clock_fresh(loop->host); /* the coroutine's time passed meanwhile */
    loop->current = NULL;
    if (ended) {
        il_finish(loop, t);
    } else {
        il_file_request(loop, t);
    }
}

/* Fire the timers due at or before now (loop time). */
static void il_fire_timers(IlLoop *loop, uint64_t now)
{
    while (loop->nheap > 0 && loop->heap[0]->due <= now) {
        IlTask *t = loop->heap[0];
        uint64_t due = t->due;
        /* a timer while awaiting tasks is wait_for's: the wait timed out */
        int outcome = t->wait == IL_W_TASKS ? -ETIMEDOUT : 0;
        il_make_ready(loop, t, due, now - due, outcome);
    }
}

/* Take in what epoll reports, after waiting up to timeout_ns (-1 = no
 * limit).  epoll_pwait2() (Linux 5.11) takes the timeout in ns, so a timer
 * is not rounded up to the next millisecond; epoll_wait() where it is
 * missing. */
static int il_poll(IlLoop *loop, int64_t timeout_ns)
{
    struct epoll_event evs[64];
    int n;

    if (loop->nfds == 0 && timeout_ns == 0) {
        return 0;
    }
    loop->stats.polls++;
    do {
        struct timespec ts = {(time_t)(timeout_ns / 1000000000), (long)(timeout_ns % 1000000000)};
        n = epoll_pwait2(loop->ep, evs, 64, timeout_ns < 0 ? NULL : &ts, NULL);
        if (n < 0 && errno == ENOSYS) {
            int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000);
            n = epoll_wait(loop->ep, evs, 64, ms);
        }
    } while (n < 0 && errno == EINTR);
    for (int i = 0; i < n; i++) {
        IlTask *t = loop->tasks[evs[i].data.u32];
        if (t != NULL && t->fd >= 0) {
            il_make_ready(loop, t, il_loop_time(loop), 0, 0);
        }
    }
    return n < 0 ? 0 : n;
}

/* Free mode: one turn of the loop (asyncio's _run_once). */
static void il_turn_free(IlLoop *loop)
{
    int64_t timeout = -1;
    uint64_t now = il_loop_time(loop), t0;
    unsigned ntodo;
    int n;

    if (loop->rcount > 0) {
        timeout = 0;
    } else if (loop->nheap > 0) {
        uint64_t due = loop->heap[0]->due;
        timeout = due <= now ? 0 : (int64_t)(due - now);
    }
    il_show_sources(loop);
    sched_record(EV_LOOP_POLL, loop->select_obj, timeout);
    if (timeout != 0) {
        t0 = sched_wait_begin(EV_LOOP_POLL, loop->select_obj);
        n = il_poll(loop, timeout);
        sched_wait_end(t0);
    } else {
        n = il_poll(loop, 0);
    }
    sched_record(EV_LOOP_WAKE, loop->select_obj, n);
    il_fire_timers(loop, il_loop_time(loop));
    il_show_ready(loop);
    ntodo = loop->rcount;
    for (unsigned i = 0; i < ntodo; i++) {
        IlTask *t = il_queue_pop(loop);
        il_show_ready(loop); /* asyncio's _ready deque: what is left of it */
        il_run_one(loop, t);
    }
    il_show_ready(loop);
}

/* Step mode: make ready what can be, then wait for the student's pick and
 * run it.  prev is the lane of the last step (-1 = none). */
static unsigned il_turn_step(IlLoop *loop, int prev)
{
    unsigned lane;

    (void)il_poll(loop, 0);
    il_fire_timers(loop, loop->vnow);
    if (loop->rcount == 0 && loop->nheap > 0) {
        /* nothing can run: the clock jumps to the next timer */
        loop->vnow = loop->heap[0]->due;
        il_fire_timers(loop, loop->vnow);
    }
    if (loop->rcount == 0 && loop->nfds > 0) {
        /* only a descriptor can wake a coroutine: wait for a peer outside */
        (void)il_poll(loop, (int64_t)IL_LOOP_STEP_IO_MS * 1000000);
    }
    il_show_ready(loop);
    il_show_sources(loop);
    sched_record(EV_LOOP_POLL, loop->select_obj, 0);
    atomic_store(&loop->host->slot->op, EV_LOOP_POLL);
    atomic_store(&loop->host->slot->op_obj, loop->select_obj);
    lane = sched_host_wait(loop->sched, prev);
    atomic_store(&loop->host->slot->op, EV_NONE);
    atomic_store(&loop->host->slot->op_obj, 0);
    il_queue_remove(loop, lane);
    il_run_one(loop, loop->tasks[lane]);
    return lane;
}

static bool il_all_done(const IlLoop *loop)
{
    for (unsigned l = 0; l < loop->nlanes; l++) {
        const IlTask *t = loop->tasks[l];
        if (t != NULL && t->spawned && !t->done) {
            return false;
        }
    }
    return true;
}

int il_loop_run(IlLoop *loop, IlTask *main)
{
    LaneCtx *host = sched_self;
    bool closing = false;
    int prev = -1;

    loop->sched = host->sched;
    loop->host = host;
    loop->stepping = loop->arena->stepping != 0;
    loop->vnow = 0;
    loop->ready_shown = 0;
    loop->ep = epoll_create1(EPOLL_CLOEXEC);
    if (loop->ep < 0) {
        sched_fail("epoll_create1", errno);
    }
    il_loop_cur = loop;
    sched_host_adopt(loop->sched);
    loop->t_start = il_loop_time(loop);
    il_spawn(loop, main);
    while (!il_all_done(loop)) {
        if (main->done && !closing) {
            /* asyncio.run: cancel what is left and let it finish */
            closing = true;
            for (unsigned l = 0; l < loop->nlanes; l++) {
                IlTask *t = loop->tasks[l];
                if (t != NULL && t->spawned && !t->done) {
                    t->cancel_req = true;
                    if (!t->queued) {
                        il_make_ready(loop, t, il_loop_time(loop), 0, -ECANCELED);
                    }
                }
            }
            continue;
        }
        if (loop->stepping) {
            prev = (int)il_turn_step(loop, prev);
        } else {
            il_turn_free(loop);
        }
    }
    for (unsigned l = 0; l < loop->nlanes; l++) {
        IlTask *t = loop->tasks[l];
        if (t != NULL) {
            loop->stats.waited_ns += t->waited_ns;
            loop->stats.queued_ns += t->queued_ns;
            if (!t->spawned) {
                sched_guest_abandon(loop->sched, l); /* never created: it never runs */
            }
        }
    }
    loop->stats.total_ns = il_loop_time(loop) - loop->t_start;
    il_show_ready(loop);
    close(loop->ep);
    loop->ep = -1;
    il_loop_cur = NULL;
    return main->err;
}

/* ------------------------------------------------------------------ */
/* inside a coroutine                                                  */
/* ------------------------------------------------------------------ */

IlTask *il_task_self(void)
{
    return il_loop_cur != NULL ? il_loop_cur->current : NULL;
}

/*
 * Suspend the calling coroutine: publish its await (op on its await
 * object, which explains what it awaits), record kind with (what, value)
 * and give the thread to the loop.  Returns what the loop says the await
 * returns.
 */
static int il_suspend(IlTask *t, uint16_t op, uint32_t what, int64_t value)
{
    IlLoop *loop = t->loop;
    LaneCtx *c = sched_self;

    t->what = what;
    t->outcome = 0;
    il_set_obj(loop, t->await_obj, 0);
    loop->arena->objs[t->await_obj].pad = (uint16_t)what;
    atomic_store_explicit(&c->slot->op, op, memory_order_relaxed);
    atomic_store_explicit(&c->slot->op_obj, t->await_obj, memory_order_relaxed);
    if (!loop->stepping) {
        atomic_store_explicit(&c->slot->wait_since, arena_time(loop->arena) + 1,
                              memory_order_relaxed);
    }
    sched_count_op();
    sched_record(op, what, value);
    lane_co_yield((LaneCo *)c->co);
    sched_clock_fresh(c); /* it waited: its next event reads the clock */
    return t->outcome;
}

void il_create_task(IlTask *task)
{
    if (task->spawned) {
        return;
    }
    sched_count_op();
    sched_record(EV_CO_SPAWN, task->obj, (int64_t)task->lane);
    il_spawn(task->loop, task);
}

int il_sleep(uint64_t ns)
{
    IlTask *t = il_task_self();
    IlLoop *loop = t->loop;

    if (ns == 0) {
        t->wait = IL_W_YIELD;
    } else {
        t->wait = IL_W_SLEEP;
        t->due = il_loop_time(loop) + ns;
    }
    return il_suspend(t, EV_AWAIT_SLEEP, loop->sleep_obj, (int64_t)ns);
}

/* Await every one of tasks (created first if need be), with a timer at
 * due (0 = none).  Returns the await's outcome. */
static int il_await_tasks(IlTask *const *tasks, unsigned n, uint64_t due)
{
    IlTask *self = il_task_self();
    IlTask *first = NULL;
    unsigned pending = 0;

    for (unsigned i = 0; i < n; i++) {
        il_create_task(tasks[i]);
    }
    for (unsigned i = 0; i < n; i++) {
        if (!tasks[i]->done && !il_bit_test(tasks[i]->waiters, self->lane)) {
            il_bit_set(tasks[i]->waiters, self->lane);
            pending++;
            if (first == NULL) {
                first = tasks[i];
            }
        }
    }
    if (pending == 0) {
        /* every one is done: no suspension (awaiting a done future) */
        return 0;
    }
    self->wait = IL_W_TASKS;
    self->pending = pending;
    self->due = due;
    return il_suspend(self, EV_AWAIT_TASK, first->obj, (int64_t)first->lane);
}

/* What awaiting a done task gives: its result or its error. */
static int il_task_outcome(const IlTask *task, int64_t *result)
{
    if (task->err < 0) {
        return task->err;
    }
    if (result != NULL) {
        *result = task->result;
    }
    return 0;
}

int il_await(IlTask *task, int64_t *result)
{
    int rc = il_await_tasks(&task, 1, 0);
    if (rc < 0) {
        return rc;
    }
    return il_task_outcome(task, result);
}

int il_gather(IlTask *const *tasks, unsigned n)
{
    int rc = il_await_tasks(tasks, n, 0);
    if (rc < 0) {
        return rc;
    }
    for (unsigned i = 0; i < n; i++) {
        if (tasks[i]->err < 0) {
            return tasks[i]->err;
        }
    }
    return 0;
}

int il_wait_for(IlTask *task, uint64_t timeout_ns, int64_t *result)
{
    IlTask *self = il_task_self();
    uint64_t due = il_loop_time(self->loop) + (timeout_ns > 0 ? timeout_ns : 1);
    int rc = il_await_tasks(&task, 1, due);

    if (rc == -ETIMEDOUT) {
        /* asyncio.timeout: cancel the task and wait until it has finished */
        (void)il_task_cancel(task);
        while (!task->done) {
            (void)il_await_tasks(&task, 1, 0);
        }
        return -ETIMEDOUT;
    }
    if (rc < 0) {
        return rc;
    }
    return il_task_outcome(task, result);
}

bool il_task_cancel(IlTask *task)
{
    IlLoop *loop = task->loop;

    sched_count_op();
    sched_record(EV_CO_CANCEL, task->obj, (int64_t)task->lane);
    if (task->done) {
        return false;
    }
    if (task->spawned && task->started && !task->queued && loop->current != task) {
        /* suspended at an await: woken with CancelledError */
        il_make_ready(loop, task, il_loop_time(loop), 0, -ECANCELED);
    } else {
        task->cancel_req = true; /* seen at its resume */
    }
    return true;
}

int il_await_io(IlChan *chan, short events)
{
    IlTask *t = il_task_self();

    t->wait = IL_W_IO;
    t->fd = chan->fd;
    t->pending = (unsigned)events;
    return il_suspend(t, EV_AWAIT_IO, chan->obj, events);
}

ssize_t il_chan_read(IlChan *chan, void *buf, size_t n)
{
    for (;;) {
        ssize_t got = read(chan->fd, buf, n);
        int rc;
        if (got >= 0) {
            return got;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            return -errno;
        }
        if (errno == EINTR) {
            continue;
        }
        rc = il_await_io(chan, POLLIN);
        if (rc < 0) {
            return rc;
        }
    }
}

ssize_t il_chan_write(IlChan *chan, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t put = write(chan->fd, (const char *)buf + done, n - done);
        if (put >= 0) {
            done += (size_t)put;
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return -errno;
        }
        int rc = il_await_io(chan, POLLOUT);
        if (rc < 0) {
            return rc;
        }
    }
    return (ssize_t)n;
}

int il_loop_event_wait(IlLoopEvent *ev)
{
    IlTask *t = il_task_self();

    if (ev->set) {
        return 0;
    }
    t->wait = IL_W_EVENT;
    t->event = ev;
    return il_suspend(t, EV_AWAIT_EVENT, ev->obj, 0);
}

void il_loop_event_set(IlLoopEvent *ev)
{
    IlLoop *loop = ev->loop;
    uint64_t now = il_loop_time(loop);

    ev->set = true;
    il_set_obj(loop, ev->obj, 1);
    sched_count_op();
    sched_record(EV_STORE, ev->obj, 1);
    for (unsigned l = 0; l < loop->nlanes; l++) {
        if (il_bit_test(ev->waiters, l)) {
            il_make_ready(loop, loop->tasks[l], now, 0, 0);
        }
    }
}

void il_loop_event_clear(IlLoopEvent *ev)
{
    ev->set = false;
    il_set_obj(ev->loop, ev->obj, 0);
    sched_count_op();
    sched_record(EV_STORE, ev->obj, 0);
}

void il_blocking_call(int label, uint64_t ns, bool cpu)
{
    IlLoop *loop = il_task_self()->loop;

    sched_count_op();
    sched_record(EV_CO_BLOCK, (uint32_t)label, (int64_t)ns);
    loop->stats.blocked_ns += ns;
    if (loop->stepping) {
        loop->vnow += ns; /* the loop's clock moves; nothing else runs */
    } else if (cpu) {
        uint64_t end = arena_time(loop->arena) + ns;
        volatile uint64_t spin = 0;
        while (arena_time(loop->arena) < end) {
            spin++;
        }
    } else {
        struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        }
    }
    sched_clock_fresh(sched_self);
}

void il_task_return(int64_t value)
{
    IlTask *t = il_task_self();
    t->result = value;
    t->err = 0;
}

void il_task_raise(int err)
{
    il_task_self()->err = err;
}
