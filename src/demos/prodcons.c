/*
 * prodcons.c - producers and consumers around a bounded buffer.
 *
 * The buffer is a ring of `capacity` slots in the arena (buf[0..], kind
 * OBJ_SLOT) with three shared variables beside it: `count` (the depth),
 * `head` (the next slot to take from) and `tail` (the next slot to fill).
 * Producers put items 0 .. items-1 (producer p puts p, p+P, p+2P, ...);
 * consumers take until they take a sentinel.  Shutdown is queue.Queue's:
 * one sentinel per consumer, put by the last producer to finish, or, with
 * join=1, by a main lane (the last lane) once every item was processed
 * (task_done / join: `unfinished` starts at items, each consumer's
 * task_done lowers it, join waits for 0 on `all_done`).
 *
 * Every slot access is its own step, as in the machine: load tail, store
 * the item into buf[tail], store tail + 1, store count + 1.  A take clears
 * its slot (stores EMPTY), so the buffer's picture is always honest.
 *
 * Variants:
 *   condvar      mutex m, conds not_full and not_empty, waits in `while`
 *   semaphore    semaphores free (capacity) and used (0) count the slots;
 *                m guards head, tail and the slots
 *   if_wait      condvar with `if` instead of `while` (BROKEN ON PURPOSE):
 *                a lane woken, spuriously or after another lane got there
 *                first, takes from an empty buffer (or fills a full one)
 *   signal_lost  one cond `cv` for both sides, woken with signal (BROKEN
 *                ON PURPOSE): a wakeup meant for a consumer reaches a
 *                producer (or the other way round), and in the end every
 *                lane sleeps: a hang
 *   unlocked     semaphore without the mutex (BROKEN ON PURPOSE): two
 *                producers fill the same slot, two consumers take the same
 *                item: items lost or duplicated
 *
 * INVARIANTS, checked by the lanes as they go, in the same step as the
 * access (il_store_checked, il_load), so a violation names the exact step
 * (or time), lane, item and slot (il_violation):
 *   exactly once             no item is taken twice; no filled slot is
 *                            overwritten; at the end (completed runs)
 *                            every item was taken;
 *   depth within 0..capacity count never leaves 0..capacity, and no take
 *                            finds its slot empty.
 * "Every lane finishes" is the run's own verdict: a hang or deadlock names
 * each waiting lane.  After the first violation every lane stops at its
 * next item: the run has failed, and the lesson is the first failure.
 *
 * Figures (finish): throughput, enqueue-to-dequeue latency median and p99
 * (each item's put time is kept in this process's memory, the latency
 * computed at its take), time producers waited on a full buffer and
 * consumers on an empty one, and the largest depth.  Times are ns in free
 * mode and steps in step mode (the report's wait_unit).  The depth over
 * time is the `count` series (DemoClass.series_var), sampled by reports
 * from the store events.
 */
#include "config.h"

#include "demos/prodcons.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prims/il_cond.h"
#include "prims/il_mutex.h"
#include "prims/il_sem.h"
#include "prims/il_shared.h"

#define PC_MAX_LANES (2 * PC_MAX_SIDE + 1)

#define PC_INV_ONCE "exactly once"
#define PC_INV_DEPTH "depth within 0..capacity"

typedef struct PcState {
    Arena *arena;
    unsigned producers, consumers, nlanes;
    int64_t capacity, items, variant;
    uint32_t produce_us, consume_us;
    bool join;
    IlMutex m;        /* guards the buffer (not in unlocked) and unfinished */
    IlCond not_full;  /* condvar, if_wait: producers wait here */
    IlCond not_empty; /* condvar, if_wait: consumers wait here */
    IlCond cv;        /* signal_lost: everybody waits here */
    IlCond all_done;  /* join: the main lane waits here */
    IlSem free_slots; /* semaphore, unlocked: empty slots */
    IlSem used_slots; /* semaphore, unlocked: filled slots */
    IlVar *count, *head, *tail;
    IlVar *buf;              /* capacity slots */
    IlVar *unfinished;       /* join: items not yet task_done */
    IlVar *producers_left;   /* no join: producers still putting */
    _Atomic uint8_t *taken;  /* per item: times taken */
    _Atomic uint64_t *stamp; /* per item: arena time of its put, then put-to-take latency */
    _Atomic int64_t max_depth;
    _Atomic int64_t produced;    /* items put into a slot */
    _Atomic int64_t overwritten; /* items overwritten in their slot before anyone took them */
    uint64_t blocked_full[PC_MAX_LANES];  /* each lane writes its own */
    uint64_t blocked_empty[PC_MAX_LANES]; /* each lane writes its own */
} PcState;

static unsigned pc_lanes(const int64_t *params)
{
    return (unsigned)(params[PC_PRODUCERS] + params[PC_CONSUMERS] + (params[PC_JOIN] ? 1 : 0));
}

static uint64_t pc_events_per_lane(const int64_t *params)
{
    /* a consumer may take every item; a take with its task_done records
     * about 20 events, a put with the sentinels about 14 */
    return (uint64_t)(params[PC_ITEMS] + params[PC_CONSUMERS]) * 20 + 64;
}

static bool pc_uses_mutex(const PcState *st)
{
    return st->variant != PC_UNLOCKED || st->join;
}

static int pc_setup_objects(PcState *st, Arena *a)
{
    int rc = 0;

    if (pc_uses_mutex(st)) {
        rc = il_mutex_init(&st->m, a, "m");
    }
    if (rc == 0 && (st->variant == PC_CONDVAR || st->variant == PC_IF_WAIT)) {
        rc = il_cond_init(&st->not_full, a, "not_full");
        if (rc == 0) {
            rc = il_cond_init(&st->not_empty, a, "not_empty");
        }
    }
    if (rc == 0 && st->variant == PC_SIGNAL_LOST) {
        rc = il_cond_init(&st->cv, a, "cv");
    }
    if (rc == 0 && (st->variant == PC_SEMAPHORE || st->variant == PC_UNLOCKED)) {
        rc = il_sem_init(&st->free_slots, a, "free", (unsigned)st->capacity);
        if (rc == 0) {
            rc = il_sem_init(&st->used_slots, a, "used", 0);
        }
    }
    if (rc == 0 && st->join) {
        rc = il_cond_init(&st->all_done, a, "all_done");
    }
    if (rc < 0) {
        return rc;
    }
    st->count = il_var_new(a, "count", 0);
    st->head = il_var_new(a, "head", 0);
    st->tail = il_var_new(a, "tail", 0);
    if (st->join) {
        st->unfinished = il_var_new(a, "unfinished", st->items);
    } else {
        st->producers_left = il_var_new(a, "producers_left", st->producers);
    }
    st->buf = il_slots_new(a, "buf", (unsigned)st->capacity, PC_EMPTY);
    if (st->count == NULL || st->head == NULL || st->tail == NULL || st->buf == NULL ||
        (st->join ? st->unfinished == NULL : st->producers_left == NULL)) {
        return -ENOSPC;
    }
    return 0;
}

/* The state and its per-item arrays live in the run's shared heap. */
static uint64_t pc_shared_bytes(const int64_t *params)
{
    return sizeof(PcState) + (uint64_t)params[PC_ITEMS] * (sizeof(uint8_t) + sizeof(uint64_t)) +
           4096;
}

static int pc_setup(DemoCtx *ctx)
{
    /* shared by every lane: the buffer's mutex, conds and semaphores must
     * be one object each, and the checks count items across lanes */
    PcState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    int rc;

    if (st == NULL) {
        return -ENOMEM;
    }
    st->arena = ctx->arena;
    st->producers = (unsigned)ctx->params[PC_PRODUCERS];
    st->consumers = (unsigned)ctx->params[PC_CONSUMERS];
    st->nlanes = ctx->nlanes;
    st->capacity = ctx->params[PC_CAPACITY];
    st->items = ctx->params[PC_ITEMS];
    st->produce_us = (uint32_t)ctx->params[PC_PRODUCE_US];
    st->consume_us = (uint32_t)ctx->params[PC_CONSUME_US];
    st->variant = ctx->params[PC_VARIANT];
    st->join = ctx->params[PC_JOIN] != 0;
    st->taken = shared_heap_alloc(ctx->heap, (size_t)st->items, sizeof(*st->taken));
    st->stamp = shared_heap_alloc(ctx->heap, (size_t)st->items, sizeof(*st->stamp));
    if (st->taken == NULL || st->stamp == NULL) {
        return -ENOMEM;
    }
    rc = pc_setup_objects(st, ctx->arena);
    if (rc < 0) {
        return rc;
    }
    ctx->state = st;
    return 0;
}

/* ------------------------------------------------------------------ */
/* the checks: in the step that made the change                        */
/* ------------------------------------------------------------------ */

static uint64_t pc_now(const PcState *st)
{
    return arena_time(st->arena);
}

/* "item 3", "a sentinel", "nothing" */
static void pc_item_text(int64_t x, char *buf, size_t len)
{
    if (x >= 0) {
        snprintf(buf, len, "item %lld", (long long)x);
    } else if (x == PC_SENTINEL) {
        snprintf(buf, len, "a sentinel");
    } else {
        snprintf(buf, len, "nothing");
    }
}

/* The depth just became depth (count was stored). */
static void pc_check_depth(PcState *st, int64_t depth)
{
    int64_t max = atomic_load_explicit(&st->max_depth, memory_order_relaxed);
    while (depth > max && !atomic_compare_exchange_weak(&st->max_depth, &max, depth)) {
    }
    if (depth < 0 || depth > st->capacity) {
        il_violation(il_var_index(st->count), depth, PC_INV_DEPTH,
                     "count became %lld (capacity %lld)", (long long)depth,
                     (long long)st->capacity);
    }
}

/* Fill slot t with x; old is what the slot held (it must be empty). */
static void pc_check_fill(PcState *st, int64_t t, int64_t x, int64_t old)
{
    if (x >= 0) {
        atomic_fetch_add(&st->produced, 1);
    }
    if (old >= 0) {
        atomic_fetch_add(&st->overwritten, 1); /* nobody can take it now: lost */
    }
    if (old != PC_EMPTY) {
        char was[32], by[32];
        pc_item_text(old, was, sizeof(was));
        pc_item_text(x, by, sizeof(by));
        il_violation(il_var_index(&st->buf[t]), old, PC_INV_ONCE,
                     "%s in slot %lld was overwritten by %s before anyone took it (lost)", was,
                     (long long)t, by);
    }
    if (x >= 0) {
        /* the time of the store that filled the slot, as its event says */
        atomic_store_explicit(&st->stamp[x], il_event_time(), memory_order_relaxed);
    }
}

/* x was taken from slot h. */
static void pc_check_take(PcState *st, int64_t h, int64_t x)
{
    if (x == PC_EMPTY) {
        il_violation(il_var_index(&st->buf[h]), h, PC_INV_DEPTH,
                     "took from an empty buffer: slot %lld holds no item", (long long)h);
        return;
    }
    if (x < 0 || x >= st->items) {
        return; /* a sentinel */
    }
    if (atomic_fetch_add(&st->taken[x], 1) > 0) {
        il_violation(il_var_index(&st->buf[h]), x, PC_INV_ONCE,
                     "item %lld taken a second time, from slot %lld (duplicated)", (long long)x,
                     (long long)h);
        return;
    }
    {
        /* to the load that took it */
        uint64_t put = atomic_load_explicit(&st->stamp[x], memory_order_relaxed),
                 now = il_event_time();
        atomic_store_explicit(&st->stamp[x], now >= put ? now - put : 0, memory_order_relaxed);
    }
}

/* ------------------------------------------------------------------ */
/* the buffer: the slot accesses every variant shares                  */
/* ------------------------------------------------------------------ */

/* tail: buf[tail] = x; tail = (tail + 1) % capacity.  Three steps. */
static void pc_insert(PcState *st, int64_t x)
{
    int64_t t = il_load(st->tail);
    int64_t old = il_store_checked(&st->buf[t], x);
    pc_check_fill(st, t, x, old);
    il_store(st->tail, (t + 1) % st->capacity);
}

/* x = buf[head]; buf[head] = EMPTY; head = (head + 1) % capacity.  Four
 * steps. */
static int64_t pc_remove(PcState *st)
{
    int64_t h = il_load(st->head);
    int64_t x = il_load(&st->buf[h]);
    pc_check_take(st, h, x);
    il_store(&st->buf[h], PC_EMPTY);
    il_store(st->head, (h + 1) % st->capacity);
    return x;
}

/* ------------------------------------------------------------------ */
/* condvar: the textbook bounded buffer                                */
/* ------------------------------------------------------------------ */

static void pc_put_condvar(PcState *st, unsigned lane, int64_t x)
{
    int64_t n;

    il_mutex_lock(&st->m);
    n = il_load(st->count);
    if (n == st->capacity) {
        uint64_t t0 = pc_now(st);
        while (n == st->capacity) { /* while: a wakeup only says "look again" */
            il_cond_wait(&st->not_full, &st->m);
            n = il_load(st->count);
        }
        st->blocked_full[lane] += pc_now(st) - t0;
    }
    pc_insert(st, x);
    il_store(st->count, n + 1);
    pc_check_depth(st, n + 1);
    il_cond_signal(&st->not_empty); /* a consumer may be waiting for this item */
    il_mutex_unlock(&st->m);
}

static int64_t pc_take_condvar(PcState *st, unsigned lane)
{
    int64_t n, x;

    il_mutex_lock(&st->m);
    n = il_load(st->count);
    if (n == 0) {
        uint64_t t0 = pc_now(st);
        while (n == 0) {
            il_cond_wait(&st->not_empty, &st->m);
            n = il_load(st->count);
        }
        st->blocked_empty[lane] += pc_now(st) - t0;
    }
    x = pc_remove(st);
    il_store(st->count, n - 1);
    pc_check_depth(st, n - 1);
    il_cond_signal(&st->not_full); /* a producer may be waiting for this slot */
    il_mutex_unlock(&st->m);
    return x;
}

/* ------------------------------------------------------------------ */
/* if_wait                                                             */
/* ------------------------------------------------------------------ */

/* BROKEN ON PURPOSE: `if` where `while` belongs.  A producer woken on
 * not_full does not check the condition again: if another producer filled
 * the slot first, or the wakeup was spurious (~A), it writes into a full
 * buffer: students should see "item 3 in slot 0 was overwritten by item 7
 * before anyone took it (lost)", named at the step of the fill by the lane
 * that filled.  That is the only way it breaks: after the wait it reads
 * count afresh (as `count += 1` in the textbook version does), so with one
 * producer, one consumer and no spurious wakeup it works, as the textbooks
 * say it does. */
static void pc_put_if_broken(PcState *st, unsigned lane, int64_t x)
{
    int64_t n;

    il_mutex_lock(&st->m);
    n = il_load(st->count);
    if (n == st->capacity) {
        uint64_t t0 = pc_now(st);
        il_cond_wait(&st->not_full, &st->m); /* and on, without looking again */
        n = il_load(st->count);              /* read afresh, but never checked */
        st->blocked_full[lane] += pc_now(st) - t0;
    }
    pc_insert(st, x);
    il_store(st->count, n + 1);
    pc_check_depth(st, n + 1);
    il_cond_signal(&st->not_empty);
    il_mutex_unlock(&st->m);
}

/* BROKEN ON PURPOSE: `if` where `while` belongs.  A consumer woken on
 * not_empty takes without checking again: after a spurious wakeup (~B), or
 * when a second consumer took the item first, it takes from an empty
 * buffer: students should see "took from an empty buffer: slot 0 holds no
 * item" at the step of the take, by the lane that took.  It reads count
 * afresh after the wait (the textbook's `count -= 1` does), so nothing else
 * goes wrong: one producer, one consumer and no spurious wakeup work. */
static int64_t pc_take_if_broken(PcState *st, unsigned lane)
{
    int64_t n, x;

    il_mutex_lock(&st->m);
    n = il_load(st->count);
    if (n == 0) {
        uint64_t t0 = pc_now(st);
        il_cond_wait(&st->not_empty, &st->m); /* and on, without looking again */
        n = il_load(st->count);               /* read afresh, but never checked */
        st->blocked_empty[lane] += pc_now(st) - t0;
    }
    x = pc_remove(st);
    il_store(st->count, n - 1);
    pc_check_depth(st, n - 1);
    il_cond_signal(&st->not_full);
    il_mutex_unlock(&st->m);
    return x;
}

/* ------------------------------------------------------------------ */
/* signal_lost                                                         */
/* ------------------------------------------------------------------ */

/* BROKEN ON PURPOSE: producers and consumers sleep on one cond, cv, and
 * each wakes only one sleeper with signal.  The one woken can be of the
 * wrong kind (a producer woken by a producer's put): it looks, goes back
 * to sleep, and the wakeup the other side needed is gone.  Students
 * should see every lane asleep, "hang at step N: ... A waits on cond cv;
 * B waits on cond cv; C waits on cond cv".  (broadcast, or one cond per
 * side, is the fix.) */
static void pc_put_signal_lost_broken(PcState *st, unsigned lane, int64_t x)
{
    int64_t n;

    il_mutex_lock(&st->m);
    n = il_load(st->count);
    if (n == st->capacity) {
        uint64_t t0 = pc_now(st);
        while (n == st->capacity) {
            il_cond_wait(&st->cv, &st->m);
            n = il_load(st->count);
        }
        st->blocked_full[lane] += pc_now(st) - t0;
    }
    pc_insert(st, x);
    il_store(st->count, n + 1);
    pc_check_depth(st, n + 1);
    il_cond_signal(&st->cv); /* meant for a consumer; may reach a producer */
    il_mutex_unlock(&st->m);
}

/* BROKEN ON PURPOSE: the consumer's half of pc_put_signal_lost_broken:
 * its signal, meant for a producer, may wake another consumer instead. */
static int64_t pc_take_signal_lost_broken(PcState *st, unsigned lane)
{
    int64_t n, x;

    il_mutex_lock(&st->m);
    n = il_load(st->count);
    if (n == 0) {
        uint64_t t0 = pc_now(st);
        while (n == 0) {
            il_cond_wait(&st->cv, &st->m);
            n = il_load(st->count);
        }
        st->blocked_empty[lane] += pc_now(st) - t0;
    }
    x = pc_remove(st);
    il_store(st->count, n - 1);
    pc_check_depth(st, n - 1);
    il_cond_signal(&st->cv); /* meant for a producer; may reach a consumer */
    il_mutex_unlock(&st->m);
    return x;
}

/* ------------------------------------------------------------------ */
/* semaphore                                                           */
/* ------------------------------------------------------------------ */

/* Wait for a unit of sem, adding the time to *blocked when there was none. */
static void pc_sem_wait(PcState *st, IlSem *sem, uint64_t *blocked)
{
    if (il_sem_peek(sem) <= 0) {
        uint64_t t0 = pc_now(st);
        il_sem_wait(sem);
        *blocked += pc_now(st) - t0;
    } else {
        il_sem_wait(sem);
    }
}

static void pc_put_semaphore(PcState *st, unsigned lane, int64_t x)
{
    pc_sem_wait(st, &st->free_slots, &st->blocked_full[lane]); /* a free slot is mine */
    il_mutex_lock(&st->m); /* but which one: tail, shared with the other producers */
    pc_insert(st, x);
    pc_check_depth(st, il_atomic_fetch_add(st->count, 1) + 1);
    il_mutex_unlock(&st->m);
    il_sem_post(&st->used_slots);
}

static int64_t pc_take_semaphore(PcState *st, unsigned lane)
{
    int64_t x;

    pc_sem_wait(st, &st->used_slots, &st->blocked_empty[lane]);
    il_mutex_lock(&st->m);
    x = pc_remove(st);
    pc_check_depth(st, il_atomic_fetch_add(st->count, -1) - 1);
    il_mutex_unlock(&st->m);
    il_sem_post(&st->free_slots);
    return x;
}

/* ------------------------------------------------------------------ */
/* unlocked                                                            */
/* ------------------------------------------------------------------ */

/* BROKEN ON PURPOSE: the semaphores say a slot is free, but nothing says
 * which: two producers load the same tail and fill the same slot.
 * Students should see "item 0 in slot 0 was overwritten by item 1 before
 * anyone took it (lost)". */
static void pc_put_unlocked_broken(PcState *st, unsigned lane, int64_t x)
{
    pc_sem_wait(st, &st->free_slots, &st->blocked_full[lane]);
    pc_insert(st, x); /* load tail, fill, store tail: another producer may be in here too */
    pc_check_depth(st, il_atomic_fetch_add(st->count, 1) + 1);
    il_sem_post(&st->used_slots);
}

/* BROKEN ON PURPOSE: two consumers load the same head and take the same
 * item: "item 0 taken a second time, from slot 0 (duplicated)". */
static int64_t pc_take_unlocked_broken(PcState *st, unsigned lane)
{
    int64_t x;

    pc_sem_wait(st, &st->used_slots, &st->blocked_empty[lane]);
    x = pc_remove(st);
    pc_check_depth(st, il_atomic_fetch_add(st->count, -1) - 1);
    il_sem_post(&st->free_slots);
    return x;
}

/* ------------------------------------------------------------------ */
/* lanes                                                               */
/* ------------------------------------------------------------------ */

/* Each variant's put and take, by variant. */
static const struct {
    void (*put)(PcState *st, unsigned lane, int64_t x);
    int64_t (*take)(PcState *st, unsigned lane);
} pc_ops[] = {
    [PC_CONDVAR] = {pc_put_condvar, pc_take_condvar},
    [PC_SEMAPHORE] = {pc_put_semaphore, pc_take_semaphore},
    [PC_IF_WAIT] = {pc_put_if_broken, pc_take_if_broken},
    [PC_SIGNAL_LOST] = {pc_put_signal_lost_broken, pc_take_signal_lost_broken},
    [PC_UNLOCKED] = {pc_put_unlocked_broken, pc_take_unlocked_broken},
};

static void pc_put(PcState *st, unsigned lane, int64_t x)
{
    pc_ops[st->variant].put(st, lane, x);
}

static int64_t pc_take(PcState *st, unsigned lane)
{
    return pc_ops[st->variant].take(st, lane);
}

/* One sentinel per consumer: each consumer stops at the first it takes. */
static void pc_put_sentinels(PcState *st, unsigned lane)
{
    for (unsigned i = 0; i < st->consumers && !il_violated(); i++) {
        pc_put(st, lane, PC_SENTINEL);
    }
}

/* queue.Queue.task_done(): one item fully processed. */
static void pc_task_done(PcState *st)
{
    int64_t n;

    il_mutex_lock(&st->m);
    n = il_load(st->unfinished) - 1;
    il_store(st->unfinished, n);
    if (n == 0) {
        il_cond_broadcast(&st->all_done); /* everyone in join() may go */
    }
    il_mutex_unlock(&st->m);
}

/* queue.Queue.join(): wait until every item was processed. */
static void pc_join(PcState *st)
{
    il_mutex_lock(&st->m);
    while (il_load(st->unfinished) > 0) {
        il_cond_wait(&st->all_done, &st->m);
    }
    il_mutex_unlock(&st->m);
}

static void pc_producer(PcState *st, unsigned lane)
{
    for (int64_t x = lane; x < st->items && !il_violated(); x += st->producers) {
        il_pause_us(st->produce_us);
        pc_put(st, lane, x);
        il_progress();
    }
    if (!st->join && !il_violated() && il_atomic_fetch_add(st->producers_left, -1) == 1) {
        pc_put_sentinels(st, lane); /* the last producer out closes the queue */
    }
}

static void pc_consumer(PcState *st, unsigned lane)
{
    while (!il_violated()) {
        int64_t x = pc_take(st, lane);
        if (x == PC_SENTINEL) {
            break;
        }
        if (x < 0) {
            continue; /* took nothing (a broken variant); the check said so */
        }
        il_progress();
        il_pause_us(st->consume_us);
        if (st->join) {
            pc_task_done(st);
        }
    }
}

static void pc_lane_main(DemoCtx *ctx, unsigned lane)
{
    PcState *st = ctx->state;

    if (lane < st->producers) {
        pc_producer(st, lane);
    } else if (lane < st->producers + st->consumers) {
        pc_consumer(st, lane);
    } else {
        pc_join(st);
        pc_put_sentinels(st, lane);
    }
}

/* ------------------------------------------------------------------ */
/* figures                                                             */
/* ------------------------------------------------------------------ */

static int pc_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : (x > y ? 1 : 0);
}

/* Nearest-rank percentile q (0..100) of the n sorted values. */
static uint64_t pc_percentile(const uint64_t *v, size_t n, unsigned q)
{
    size_t rank;
    if (n == 0) {
        return 0;
    }
    rank = (n * q + 99) / 100; /* ceil(n * q / 100), 1-based */
    return v[rank > 0 ? rank - 1 : 0];
}

static void pc_finish(DemoCtx *ctx, int verdict)
{
    PcState *st = ctx->state;
    int64_t consumed = 0, duplicated = 0, first_lost = -1, left;
    int64_t produced = atomic_load(&st->produced), overwritten = atomic_load(&st->overwritten);
    uint64_t full = 0, empty = 0, p50 = 0, p99 = 0;
    uint64_t *lat = malloc((size_t)st->items * sizeof(*lat));
    size_t nlat = 0;
    /* a run that stopped early (a violation, a deadlock) leaves items
     * unmade and items in the buffer: neither is lost */
    bool whole = verdict == VERDICT_COMPLETED && !arena_violated(ctx->arena);

    for (int64_t x = 0; x < st->items; x++) {
        unsigned t = atomic_load(&st->taken[x]);
        if (t == 0) {
            first_lost = first_lost < 0 ? x : first_lost;
            continue;
        }
        consumed++;
        duplicated += t - 1;
        if (lat != NULL) {
            lat[nlat++] = atomic_load(&st->stamp[x]);
        }
    }
    /* put, not taken, not overwritten: still in the buffer at the end */
    left = produced - consumed - overwritten;
    left = left > 0 ? left : 0;
    if (whole && first_lost >= 0) {
        arena_violation(ctx->arena, -1, PC_INV_ONCE,
                        "item %lld was never taken (lost); %lld of %lld items lost",
                        (long long)first_lost, (long long)(st->items - consumed),
                        (long long)st->items);
    }
    if (lat != NULL) {
        qsort(lat, nlat, sizeof(*lat), pc_cmp_u64);
        p50 = pc_percentile(lat, nlat, 50);
        p99 = pc_percentile(lat, nlat, 99);
        free(lat);
    }
    for (unsigned i = 0; i < st->nlanes && i < PC_MAX_LANES; i++) {
        full += st->blocked_full[i];
        empty += st->blocked_empty[i];
    }
    (void)arena_result_add(ctx->arena, "items", st->items);
    (void)arena_result_add(ctx->arena, "produced", produced);
    (void)arena_result_add(ctx->arena, "consumed", consumed);
    /* lost: put, and then gone for good (overwritten, or still in the
     * buffer when every lane is done); never_produced: the run stopped
     * before a producer got to them, which loses nothing */
    (void)arena_result_add(ctx->arena, "lost", overwritten + (whole ? left : 0));
    (void)arena_result_add(ctx->arena, "never_produced",
                           st->items - produced > 0 ? st->items - produced : 0);
    if (!whole) {
        (void)arena_result_add(ctx->arena, "in_buffer", left);
    }
    (void)arena_result_add(ctx->arena, "duplicated", duplicated);
    (void)arena_result_add(ctx->arena, "max_depth", atomic_load(&st->max_depth));
    if (!ctx->arena->stepping) {
        uint64_t ns = ctx->arena->result.elapsed_ns;
        (void)arena_result_add(ctx->arena, "items_per_s",
                               ns > 0 ? (int64_t)((double)consumed * 1e9 / (double)ns) : 0);
    }
    (void)arena_result_add(ctx->arena, "latency_p50", (int64_t)p50);
    (void)arena_result_add(ctx->arena, "latency_p99", (int64_t)p99);
    (void)arena_result_add(ctx->arena, "blocked_full", (int64_t)full);
    (void)arena_result_add(ctx->arena, "blocked_empty", (int64_t)empty);
    if (verdict == VERDICT_COMPLETED) {
        if (pc_uses_mutex(st)) {
            il_mutex_destroy(&st->m);
        }
        if (st->variant == PC_CONDVAR || st->variant == PC_IF_WAIT) {
            il_cond_destroy(&st->not_full);
            il_cond_destroy(&st->not_empty);
        } else if (st->variant == PC_SIGNAL_LOST) {
            il_cond_destroy(&st->cv);
        } else {
            il_sem_destroy(&st->free_slots);
            il_sem_destroy(&st->used_slots);
        }
        if (st->join) {
            il_cond_destroy(&st->all_done);
        }
        ctx->state = NULL; /* the shared heap goes with the run */
    }
}

/* The main lane of join=1 only waits in join() and puts sentinels: it
 * makes no progress by design, so it is never starving. */
static bool pc_lane_progresses(const int64_t *params, unsigned lane)
{
    return lane < (unsigned)(params[PC_PRODUCERS] + params[PC_CONSUMERS]);
}

/* ------------------------------------------------------------------ */
/* pseudo-code for the front end                                       */
/* ------------------------------------------------------------------ */

static const DemoCodeLine pc_code_condvar[] = {
    {"put(x):                          # producers; join: main lane puts sentinels", EV_NONE, NULL},
    {"    lock m", EV_LOCK_ACQUIRE, "m"},
    {"    n = count", EV_LOAD, "count"},
    {"    while n == capacity:         # full", EV_NONE, NULL},
    {"        wait not_full; n = count", EV_COND_WAIT, "not_full"},
    {"    t = tail; buf[t] = x", EV_LOAD, "tail"},
    {"    tail = (t + 1) % capacity", EV_STORE, "tail"},
    {"    count = n + 1", EV_STORE, "count"},
    {"    signal not_empty", EV_COND_SIGNAL, "not_empty"},
    {"    unlock m", EV_LOCK_RELEASE, "m"},
    {"take():                          # consumers, until a sentinel", EV_NONE, NULL},
    {"    lock m; n = count", EV_LOCK_ACQUIRE, NULL},
    {"    while n == 0:                # empty", EV_NONE, NULL},
    {"        wait not_empty; n = count", EV_COND_WAIT, "not_empty"},
    {"    h = head; x = buf[h]; buf[h] = empty", EV_LOAD, "head"},
    {"    head = (h + 1) % capacity", EV_STORE, "head"},
    {"    count = n - 1", EV_STORE, NULL},
    {"    signal not_full; unlock m", EV_COND_SIGNAL, "not_full"},
};

static const DemoCodeLine pc_code_if_wait[] = {
    {"put(x):", EV_NONE, NULL},
    {"    lock m; n = count", EV_LOCK_ACQUIRE, "m"},
    {"    if n == capacity:            # BROKEN: if, not while", EV_NONE, NULL},
    {"        wait not_full; n = count # woken: n is read, never checked", EV_COND_WAIT,
     "not_full"},
    {"    t = tail; buf[t] = x; tail = (t + 1) % capacity", EV_LOAD, "tail"},
    {"    count = n + 1; signal not_empty; unlock m", EV_STORE, "count"},
    {"take():", EV_NONE, NULL},
    {"    lock m; n = count", EV_LOCK_ACQUIRE, NULL},
    {"    if n == 0:                   # BROKEN: if, not while", EV_NONE, NULL},
    {"        wait not_empty; n = count  # woken: never checked; may be 0", EV_COND_WAIT,
     "not_empty"},
    {"    h = head; x = buf[h]; buf[h] = empty", EV_LOAD, "head"},
    {"    head = (h + 1) % capacity", EV_STORE, "head"},
    {"    count = n - 1; signal not_full; unlock m", EV_COND_SIGNAL, "not_full"},
};

static const DemoCodeLine pc_code_signal_lost[] = {
    {"put(x):                          # BROKEN: one cond for both sides", EV_NONE, NULL},
    {"    lock m; n = count", EV_LOCK_ACQUIRE, "m"},
    {"    while n == capacity:", EV_NONE, NULL},
    {"        wait cv; n = count", EV_COND_WAIT, "cv"},
    {"    t = tail; buf[t] = x; tail = (t + 1) % capacity", EV_LOAD, "tail"},
    {"    count = n + 1", EV_STORE, "count"},
    {"    signal cv                    # may wake a producer", EV_COND_SIGNAL, "cv"},
    {"    unlock m", EV_LOCK_RELEASE, "m"},
    {"take():", EV_NONE, NULL},
    {"    lock m; n = count; while n == 0: wait cv", EV_COND_WAIT, "cv"},
    {"    h = head; x = buf[h]; buf[h] = empty; head = (h + 1) % capacity", EV_LOAD, "head"},
    {"    count = n - 1", EV_STORE, NULL},
    {"    signal cv                    # may wake a consumer", EV_COND_SIGNAL, "cv"},
};

static const DemoCodeLine pc_code_semaphore[] = {
    {"put(x):", EV_NONE, NULL},
    {"    sem_wait free                # a free slot, or wait", EV_SEM_ACQUIRE, "free"},
    {"    lock m", EV_LOCK_ACQUIRE, "m"},
    {"    t = tail; buf[t] = x; tail = (t + 1) % capacity", EV_LOAD, "tail"},
    {"    count += 1; unlock m", EV_ATOMIC_ADD, "count"},
    {"    sem_post used", EV_SEM_POST, "used"},
    {"take():", EV_NONE, NULL},
    {"    sem_wait used                # an item, or wait", EV_SEM_ACQUIRE, "used"},
    {"    lock m", EV_LOCK_ACQUIRE, NULL},
    {"    h = head; x = buf[h]; buf[h] = empty; head = (h + 1) % capacity", EV_LOAD, "head"},
    {"    count -= 1; unlock m", EV_LOCK_RELEASE, NULL},
    {"    sem_post free", EV_SEM_POST, "free"},
};

static const DemoCodeLine pc_code_unlocked[] = {
    {"put(x):                          # BROKEN: no mutex around tail", EV_NONE, NULL},
    {"    sem_wait free", EV_SEM_ACQUIRE, "free"},
    {"    t = tail                     # another producer may load it too", EV_LOAD, "tail"},
    {"    buf[t] = x; tail = (t + 1) % capacity", EV_STORE, "tail"},
    {"    count += 1; sem_post used", EV_SEM_POST, "used"},
    {"take():                          # BROKEN: no mutex around head", EV_NONE, NULL},
    {"    sem_wait used", EV_SEM_ACQUIRE, "used"},
    {"    h = head                     # another consumer may load it too", EV_LOAD, "head"},
    {"    x = buf[h]; buf[h] = empty; head = (h + 1) % capacity", EV_STORE, "head"},
    {"    count -= 1; sem_post free", EV_SEM_POST, "free"},
};

static const DemoVariant pc_variants[] = {
    [PC_CONDVAR] = {"condvar", "a mutex and two condition variables, waits in while loops", false,
                    NULL, pc_code_condvar, ARRAY_SIZE(pc_code_condvar)},
    [PC_SEMAPHORE] = {"semaphore", "two counting semaphores (free, used) and a mutex", false, NULL,
                      pc_code_semaphore, ARRAY_SIZE(pc_code_semaphore)},
    [PC_IF_WAIT] = {"if_wait", "if instead of while: a woken lane does not look again", true, NULL,
                    pc_code_if_wait, ARRAY_SIZE(pc_code_if_wait)},
    [PC_SIGNAL_LOST] = {"signal_lost",
                        "one condition variable and signal: a wakeup goes to the "
                        "wrong side and everyone sleeps",
                        true, NULL, pc_code_signal_lost, ARRAY_SIZE(pc_code_signal_lost)},
    [PC_UNLOCKED] = {"unlocked",
                     "semaphores but no mutex around head and tail: items lost or "
                     "taken twice",
                     true, NULL, pc_code_unlocked, ARRAY_SIZE(pc_code_unlocked)},
};

static const DemoResultField pc_results[] = {
    {"items", DEMO_UNIT_COUNT, "items to put"},
    {"produced", DEMO_UNIT_COUNT, "items put into the buffer"},
    {"consumed", DEMO_UNIT_COUNT, "items taken"},
    {"lost", DEMO_UNIT_COUNT,
     "items put and gone for good: overwritten, or never taken once every lane is done"},
    {"never_produced", DEMO_UNIT_COUNT, "items no producer got to: the run stopped early"},
    {"in_buffer", DEMO_UNIT_COUNT, "a run that stopped early: items put, still in the buffer"},
    {"duplicated", DEMO_UNIT_COUNT, "items taken more than once"},
    {"max_depth", DEMO_UNIT_COUNT, "most items in the buffer at once"},
    {"items_per_s", DEMO_UNIT_RATE, "items through the queue per second (free runs)"},
    {"latency_p50", DEMO_UNIT_TIME, "put-to-take latency of an item, median"},
    {"latency_p99", DEMO_UNIT_TIME, "put-to-take latency of an item, 99th percentile"},
    {"blocked_full", DEMO_UNIT_TIME, "time producers waited on a full buffer, in all"},
    {"blocked_empty", DEMO_UNIT_TIME, "time consumers waited on an empty buffer, in all"},
};

static const DemoParam pc_params[] = {
    [PC_PRODUCERS] = {"producers", "lanes putting items", 1, PC_MAX_SIDE, 1, NULL},
    [PC_CONSUMERS] = {"consumers", "lanes taking items", 1, PC_MAX_SIDE, 1, NULL},
    [PC_CAPACITY] = {"capacity", "slots in the buffer", 1, PC_MAX_CAPACITY, 4, NULL},
    [PC_ITEMS] = {"items", "items put in all (shared out among the producers)", 1, PC_MAX_ITEMS, 20,
                  NULL},
    [PC_PRODUCE_US] = {"produce_us", "free mode: work before each put (us)", 0, PC_MAX_WORK_US, 0,
                       NULL},
    [PC_CONSUME_US] = {"consume_us", "free mode: work after each take (us)", 0, PC_MAX_WORK_US, 0,
                       NULL},
    [PC_VARIANT] = {"variant", "how the buffer is guarded", 0, 4, PC_CONDVAR, NULL, pc_variants},
    [PC_JOIN] = {"join", "1 = a main lane joins the queue, then puts the sentinels", 0, 1, 0, NULL},
};

const DemoClass prodcons_demo = {
    .name = "prodcons",
    .summary = "producers and consumers around a bounded buffer: condvars, semaphores, "
               "three ways to break it",
    .params = pc_params,
    .nparams = ARRAY_SIZE(pc_params),
    .lanes = pc_lanes,
    .events_per_lane = pc_events_per_lane,
    .setup = pc_setup,
    .lane_main = pc_lane_main,
    .finish = pc_finish,
    .results = pc_results,
    .nresults = ARRAY_SIZE(pc_results),
    .progress_unit = "puts/takes",
    .lane_progresses = pc_lane_progresses,
    .series_var = "count",
    .view = &prodcons_view,
    .shared_bytes = pc_shared_bytes,
};
