/*
 * clock.c - TSC calibration against CLOCK_MONOTONIC.
 *
 * The TSC is trusted only when the kernel reports it invariant
 * (constant_tsc and nonstop_tsc).  Calibration measures TSC ticks over a
 * 10 ms window of CLOCK_MONOTONIC and derives mult/shift with shift = 24,
 * which keeps rounding error below one part in ten million.  The result is
 * cached per process so a second run does not pay for it again.
 */
#include "config.h"

#include "core/clock.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t clock_once = PTHREAD_ONCE_INIT;
static ClockCal clock_cached;

#ifdef CLOCK_HAVE_TSC
static bool clock_tsc_invariant(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[4096];
    bool constant = false, nonstop = false;

    if (f == NULL) {
        return false;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "flags", 5) == 0) {
            constant = strstr(line, " constant_tsc") != NULL;
            nonstop = strstr(line, " nonstop_tsc") != NULL;
            break;
        }
    }
    fclose(f);
    return constant && nonstop;
}
#endif

static void clock_do_calibrate(void)
{
    memset(&clock_cached, 0, sizeof(clock_cached));
#ifdef CLOCK_HAVE_TSC
    if (clock_tsc_invariant()) {
        uint64_t m0 = clock_mono_ns();
        uint64_t t0 = __rdtsc();
        uint64_t m1, t1;
        do {
            m1 = clock_mono_ns();
            t1 = __rdtsc();
        } while (m1 - m0 < 10000000u);
        if (t1 > t0) {
            /* ns per tick = (m1-m0)/(t1-t0); as fixed point with shift 24 */
            unsigned __int128 mult = ((unsigned __int128)(m1 - m0) << CLOCK_SHIFT) / (t1 - t0);
            if (mult > 0 && mult < UINT32_MAX) {
                clock_cached.mult = (uint32_t)mult;
                clock_cached.shift = CLOCK_SHIFT;
                clock_cached.use_tsc = 1;
            }
        }
    }
#endif
}

void clock_reset_origin(ClockCal *cal)
{
    cal->mono0_ns = clock_mono_ns();
#ifdef CLOCK_HAVE_TSC
    cal->tsc0 = __rdtsc();
#endif
}

void clock_calibrate(ClockCal *cal, bool force_mono)
{
    int rc = pthread_once(&clock_once, clock_do_calibrate);

    *cal = clock_cached;
    if (rc != 0) {
        /* never on Linux; uncalibrated, the clock reads clock_gettime */
        memset(cal, 0, sizeof(*cal));
    }
    if (force_mono) {
        cal->use_tsc = 0;
    }
    clock_reset_origin(cal);
}
