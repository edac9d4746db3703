/*
 * clock.h - the recording clock: nanoseconds since a run's start.
 *
 * On x86-64 machines with an invariant TSC (constant_tsc and nonstop_tsc in
 * /proc/cpuinfo) the clock reads the TSC and scales it to nanoseconds with a
 * multiply and a shift, which costs about half of clock_gettime.  Elsewhere it
 * falls back to clock_gettime(CLOCK_MONOTONIC).  The calibration lives in a
 * plain struct that is copied into the shared arena, so every thread and every
 * forked worker of a run reads the same time base.
 */
#ifndef INTERLEAVE_CORE_CLOCK_H
#define INTERLEAVE_CORE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define CLOCK_HAVE_TSC 1
#endif

/* The fixed-point shift of ClockCal.mult: a constant, so that scaling the
 * TSC on the recording path is a multiply and a shift by an immediate. */
#define CLOCK_SHIFT 24

typedef struct ClockCal {
    uint64_t tsc0;     /* TSC at the origin (TSC mode) */
    uint64_t mono0_ns; /* CLOCK_MONOTONIC at the origin, ns */
    uint32_t mult;     /* ns = (ticks * mult) >> shift */
    uint32_t shift;    /* CLOCK_SHIFT once calibrated */
    uint32_t use_tsc;  /* 1 = TSC, 0 = clock_gettime */
    uint32_t pad;
} ClockCal;

/*
 * Calibrate the clock (once per process; later calls copy the cached
 * result) and set the origin to now.  force_mono selects clock_gettime even
 * where a TSC is usable (benchmarks compare both).
 * Thread: any thread, but calibration costs about 10 ms the first time.
 */
void clock_calibrate(ClockCal *cal, bool force_mono);

/* Move the origin of cal to now.  Thread: any thread. */
void clock_reset_origin(ClockCal *cal);

static inline uint64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Nanoseconds since the origin of cal.  No lock, no allocation, and no
 * system call (TSC mode) or only clock_gettime (fallback).
 * Thread: any thread; async-signal-safe.
 */
static inline uint64_t clock_now_ns(const ClockCal *cal)
{
#ifdef CLOCK_HAVE_TSC
    if (cal->use_tsc) {
        uint64_t d = __rdtsc() - cal->tsc0;
        return (uint64_t)(((unsigned __int128)d * cal->mult) >> CLOCK_SHIFT);
    }
#endif
    return clock_mono_ns() - cal->mono0_ns;
}

#endif /* INTERLEAVE_CORE_CLOCK_H */
