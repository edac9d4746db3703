/*
 * ring.c - the consumer side of the event ring.  See ring.h for the design.
 */
#include "config.h"

#include "core/ring.h"

#include <errno.h>
#include <string.h>

size_t ring_bytes(uint32_t cap)
{
    return sizeof(Ring) + (size_t)cap * sizeof(Event);
}

int ring_init(Ring *ring, uint32_t cap)
{
    if (cap < 2 || (cap & (cap - 1)) != 0) {
        return -EINVAL;
    }
    memset(ring, 0, sizeof(*ring));
    atomic_init(&ring->head, 0);
    atomic_init(&ring->tail, 0);
    atomic_init(&ring->dropped, 0);
    ring->cap = cap;
    ring->mask = cap - 1;
    return 0;
}

size_t ring_read(Ring *ring, Event *out, size_t max)
{
    uint64_t t = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    uint64_t h = atomic_load_explicit(&ring->head, memory_order_acquire);
    size_t n = (size_t)(h - t);

    if (n > max) {
        n = max;
    }
    for (size_t i = 0; i < n;) {
        /* copy the contiguous run up to the end of the buffer at once */
        uint32_t at = (uint32_t)((t + i) & ring->mask);
        size_t run = ring->cap - at;
        if (run > n - i) {
            run = n - i;
        }
        memcpy(&out[i], &ring->events[at], run * sizeof(Event));
        i += run;
    }
    atomic_store_explicit(&ring->tail, t + n, memory_order_release);
    return n;
}

size_t ring_skip(Ring *ring, size_t max)
{
    uint64_t t = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    uint64_t h = atomic_load_explicit(&ring->head, memory_order_acquire);
    size_t n = (size_t)(h - t);

    if (n > max) {
        n = max;
    }
    atomic_store_explicit(&ring->tail, t + n, memory_order_release);
    return n;
}

uint64_t ring_pending(const Ring *ring)
{
    uint64_t h = atomic_load_explicit(&ring->head, memory_order_acquire);
    uint64_t t = atomic_load_explicit(&ring->tail, memory_order_acquire);
    return h - t;
}

uint64_t ring_dropped(const Ring *ring)
{
    return atomic_load_explicit(&ring->dropped, memory_order_relaxed);
}
