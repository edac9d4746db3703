/*
 * ring.h - a single-producer, single-consumer event ring in shared memory.
 *
 * DESIGN
 * Each lane owns one ring and is its only producer; the front end (another
 * process, after fork) is its only consumer.  The producer writes the slot,
 * then publishes head with a release store; the consumer reads head with an
 * acquire load, copies the events and publishes tail.  The producer keeps a
 * private copy of tail and re-reads the shared one only when its copy says
 * the ring is full, so the common path touches no cache line the consumer
 * writes: head, the drop count, the private tail and the ring's size share
 * the producer's line, tail has a line of its own.  A full ring never
 * blocks and never fails: the event is counted in `dropped` and discarded.
 * Pushing takes no lock, allocates nothing and makes no system call.
 *
 * INVARIANTS
 *   tail <= head <= tail + cap;  cap is a power of two;  events[i & mask].
 */
#ifndef INTERLEAVE_CORE_RING_H
#define INTERLEAVE_CORE_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

/* How far ahead of the event it writes ring_push() prefetches, bytes. */
#define RING_PREFETCH_BYTES 512

typedef struct Ring {
    _Alignas(64) _Atomic uint64_t head; /* written only by the producing lane */
    _Atomic uint64_t dropped;           /* written only by the producing lane */
    uint64_t tail_cache;                /* producer-private copy of tail */
    uint32_t cap;                       /* immutable after ring_init; power of two */
    uint32_t mask;                      /* cap - 1 */
    _Alignas(64) _Atomic uint64_t tail; /* written only by the consumer */
    _Alignas(64) Event events[];
} Ring;

/* Bytes needed for a ring of cap events (cap a power of two). */
size_t ring_bytes(uint32_t cap);

/* Initialise a ring in caller-provided storage of ring_bytes(cap) bytes.
 * Returns 0, or -EINVAL when cap is not a power of two >= 2.
 * Thread: before any producer or consumer uses it. */
int ring_init(Ring *ring, uint32_t cap);

/*
 * Append one event.  Never blocks, never fails: on a full ring the event is
 * counted in ring->dropped.  Thread: producer side of ring only;
 * async-signal-safe.
 */
static inline void ring_push(Ring *ring, uint64_t t, uint16_t lane, uint16_t kind, uint32_t obj,
                             int64_t value)
{
    uint64_t h = atomic_load_explicit(&ring->head, memory_order_relaxed);
    if (h - ring->tail_cache >= ring->cap) {
        ring->tail_cache = atomic_load_explicit(&ring->tail, memory_order_acquire);
        if (h - ring->tail_cache >= ring->cap) {
            uint64_t d = atomic_load_explicit(&ring->dropped, memory_order_relaxed);
            atomic_store_explicit(&ring->dropped, d + 1, memory_order_relaxed);
            return;
        }
    }
    Event *e = &ring->events[h & ring->mask];
    /* ask for the line about 20 events ahead, for writing: a lane's ring
     * is fresh memory, and a store that has to fetch its line first
     * stalls the lane in the middle of what it is doing (a prefetch never
     * faults, also past the ring's end) */
    __builtin_prefetch((const char *)e + RING_PREFETCH_BYTES, 1, 3);
    e->t = t;
    e->value = value;
    e->obj = obj;
    e->lane = lane;
    e->kind = kind;
    atomic_store_explicit(&ring->head, h + 1, memory_order_release);
}

/*
 * Copy up to max unread events into out (caller owns it) and mark them
 * read.  Returns the number copied.  Thread: consumer side of ring only.
 */
size_t ring_read(Ring *ring, Event *out, size_t max);

/*
 * Mark up to max unread events read without copying them (the consumer
 * keeps no more).  Returns the number skipped.  Thread: consumer side of
 * ring only.
 */
size_t ring_skip(Ring *ring, size_t max);

/*
 * Events written so far, read or not (head), with acquire ordering: every
 * event before it is complete.  A consumer that never marks events read
 * (never calls ring_read or ring_skip) may read ring->events[0 .. written)
 * in place: the producer cannot wrap over them, it drops once the ring is
 * full.  Thread: any thread.
 */
static inline uint64_t ring_written(const Ring *ring)
{
    return atomic_load_explicit(&ring->head, memory_order_acquire);
}

/* Events written and not yet read.  Thread: any thread. */
uint64_t ring_pending(const Ring *ring);

/* Events dropped so far.  Thread: any thread. */
uint64_t ring_dropped(const Ring *ring);

#endif /* INTERLEAVE_CORE_RING_H */
