/*
 * event_cost.c - what recording one trace event costs.
 *
 * DESIGN
 * The recording path of every instrumented operation is sched_record():
 * read the run's clock (arena_time) and append a 24-byte event to the
 * lane's ring in the shared arena (ring_push).  This benchmark runs exactly
 * that pair, inlined from the same headers, in a tight loop on a real
 * arena from arena_new(): RUNS repetitions of EVENTS events each, timed
 * with CLOCK_MONOTONIC around each repetition, and reports the median and
 * the minimum of the per-event cost over the repetitions.  The median is
 * the figure quoted; the minimum shows the floor without interference.
 *
 * It measures these variants, so the cost can be split:
 *   sched_record             what a lane runs (core/sched.h): the lane's own
 *                            copy of the clock, read for one event in
 *                            SCHED_CLOCK_SHARE while events come densely
 *                            (as in this loop)
 *   push + TSC clock         a clock read for every event, TSC invariant
 *   push + clock_gettime     the fallback (clock_calibrate(&cal, true))
 *   push, no clock           the ring alone (time = loop index)
 *   TSC clock alone, clock_gettime alone
 *
 * The ring is sized to hold a whole repetition, so no event is dropped
 * (a drop is a cheaper path and would flatter the figure); it is emptied
 * between repetitions outside the timed region.  Run on an optimised
 * build (the default configure flags); the output says if it was not.
 *
 * Usage: event-cost [-r RUNS] [-n EVENTS]   (defaults 101 and 1000000)
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/ring.h"
#include "core/sched.h"

typedef enum BenchKind {
    BENCH_RECORD,     /* sched_record(), as a lane records */
    BENCH_PUSH_CLOCK, /* ring_push(arena_time(a), ...): a clock read per event */
    BENCH_PUSH_ONLY,  /* ring_push with the loop index as time */
    BENCH_CLOCK_ONLY  /* arena_time alone, summed so it is not optimised away */
} BenchKind;

typedef struct BenchStats {
    double median, min, max;
} BenchStats;

static volatile uint64_t bench_sink;

static int bench_cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : (a > b ? 1 : 0);
}

/* One repetition: n events; returns ns per event. */
static double bench_once(Arena *arena, Ring *ring, BenchKind kind, uint32_t n)
{
    uint64_t t0, t1, sum = 0;

    (void)ring_init(ring, arena->ring_cap); /* empty, outside the timing */
    t0 = clock_mono_ns();
    switch (kind) {
    case BENCH_RECORD:
        for (uint32_t i = 0; i < n; i++) {
            sched_record(EV_STORE, 1, (int64_t)i);
        }
        break;
    case BENCH_PUSH_CLOCK:
        for (uint32_t i = 0; i < n; i++) {
            ring_push(ring, arena_time(arena), 0, EV_STORE, 1, (int64_t)i);
        }
        break;
    case BENCH_PUSH_ONLY:
        for (uint32_t i = 0; i < n; i++) {
            ring_push(ring, i, 0, EV_STORE, 1, (int64_t)i);
        }
        break;
    case BENCH_CLOCK_ONLY:
        for (uint32_t i = 0; i < n; i++) {
            sum += arena_time(arena);
        }
        break;
    }
    t1 = clock_mono_ns();
    bench_sink = sum;
    if (kind != BENCH_CLOCK_ONLY && ring_dropped(ring) != 0) {
        fprintf(stderr, "event-cost: %llu events dropped: the ring is too small\n",
                (unsigned long long)ring_dropped(ring));
        exit(1);
    }
    return (double)(t1 - t0) / n;
}

/* runs repetitions (one untimed warm-up first); fills st. */
static void bench_measure(Arena *arena, BenchKind kind, unsigned runs, uint32_t n, BenchStats *st)
{
    Ring *ring = arena_ring(arena, 0);
    double *v = malloc(runs * sizeof(*v));

    if (v == NULL) {
        fprintf(stderr, "event-cost: out of memory\n");
        exit(1);
    }
    (void)bench_once(arena, ring, kind, n); /* fault the pages in, warm the caches */
    for (unsigned r = 0; r < runs; r++) {
        v[r] = bench_once(arena, ring, kind, n);
    }
    qsort(v, runs, sizeof(*v), bench_cmp_double);
    st->median = v[runs / 2];
    st->min = v[0];
    st->max = v[runs - 1];
    free(v);
}

static void bench_print(const char *what, const BenchStats *st)
{
    printf("  %-26s %8.2f %8.2f %8.2f\n", what, st->median, st->min, st->max);
}

static unsigned long bench_arg(const char *opt, const char *s, unsigned long lo, unsigned long hi)
{
    char *end;
    unsigned long v;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        fprintf(stderr, "event-cost: %s: must be %lu..%lu, got '%s'\n", opt, lo, hi, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    unsigned runs = 101;
    uint32_t n = 1000000;
    uint32_t cap = 1;
    ClockCal tsc, mono;
    BenchStats st;
    IlError err;
    Arena *arena;
    int c;

    while ((c = getopt(argc, argv, "r:n:h")) != -1) {
        switch (c) {
        case 'r':
            runs = (unsigned)bench_arg("-r", optarg, 1, 100000);
            break;
        case 'n':
            n = (uint32_t)bench_arg("-n", optarg, 1000, 16000000);
            break;
        default:
            fprintf(stderr, "usage: event-cost [-r RUNS] [-n EVENTS]\n");
            return c == 'h' ? 0 : 2;
        }
    }
    while (cap < n) {
        cap *= 2;
    }
    arena = arena_new(1, cap, &err);
    if (arena == NULL) {
        fprintf(stderr, "event-cost: %s\n", err.msg);
        return 1;
    }
    arena->stepping = 0; /* free mode: event time is the clock */
    tsc = arena->clock;
    clock_calibrate(&mono, true);

    printf("event-cost: %u runs of %u events, ns per event (sizeof(Event) = %zu)\n", runs, n,
           sizeof(Event));
#ifndef __OPTIMIZE__
    printf("warning: built without optimisation; the figures are not representative\n");
#endif
    printf("  %-26s %8s %8s %8s\n", "", "median", "min", "max");
    {
        /* lane A of a free run, as sched_lane_begin() binds it */
        static LaneCtx lane;
        lane.arena = arena;
        lane.ring = arena_ring(arena, 0);
        lane.slot = &arena->lanes[0];
        lane.tracing = true;
        lane.clock = tsc;
        sched_self = &lane;
        bench_measure(arena, BENCH_RECORD, runs, n, &st);
        bench_print("sched_record (a lane)", &st);
    }
    if (tsc.use_tsc) {
        bench_measure(arena, BENCH_PUSH_CLOCK, runs, n, &st);
        bench_print("record, TSC clock", &st);
    } else {
        printf("  (no invariant TSC here: the recording clock is clock_gettime)\n");
    }
    arena->clock = mono;
    bench_measure(arena, BENCH_PUSH_CLOCK, runs, n, &st);
    bench_print("record, clock_gettime", &st);
    bench_measure(arena, BENCH_PUSH_ONLY, runs, n, &st);
    bench_print("ring_push alone", &st);
    if (tsc.use_tsc) {
        arena->clock = tsc;
        bench_measure(arena, BENCH_CLOCK_ONLY, runs, n, &st);
        bench_print("TSC clock alone", &st);
    }
    arena->clock = mono;
    bench_measure(arena, BENCH_CLOCK_ONLY, runs, n, &st);
    bench_print("clock_gettime alone", &st);
    arena_free(arena);
    return 0;
}
