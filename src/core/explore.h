/*
 * explore.h - the explorer: every interleaving of a run, up to a bound.
 *
 * DESIGN
 * A stateless model checker in the manner of CHESS (Musuvathi and Qadeer,
 * "Iterative context bounding for systematic testing of multithreaded
 * programs", PLDI 2007): the demo's real code runs again and again in
 * step semantics, each time with a different schedule, and every run ends
 * in an outcome (the verdict, the broken invariant if any, and the final
 * values of the shared variables).  The schedules are enumerated depth
 * first: a run follows a prefix of choices, then goes on with the default
 * choice (the lane that ran last, while it can); afterwards the deepest
 * choice with a lane not yet tried is changed, and so on until none is
 * left.
 *
 * The search is bounded by preemptions: switching away from a lane that
 * could still run costs one (switching because the lane blocked or
 * finished costs nothing, and neither does switching away from a lane
 * whose next step is EV_PASS, a `pass` or a spin's turn: a yield).  Most
 * concurrency bugs need very few preemptions, so a small bound finds
 * them, and the number of schedules grows polynomially with the run's
 * length instead of exponentially.  A search that ran out of schedules
 * before the limit is complete: within the bound, the outcomes it lists
 * are every outcome there is.
 *
 * Cost.  The whole search runs in one sandbox (a forked child, like a
 * run, killed and reaped with nothing left).  Each schedule gets a fresh
 * arena and shared heap and new lane threads, but no new process: a run
 * that ended with lanes parked (a deadlock) is given up with sched_abort(),
 * which ends those threads at their instrumented point.  Lanes are always
 * threads here (a demo's process lanes run as threads: the interleavings
 * are the same).  Tracing is off.
 *
 * Each outcome keeps the shortest schedule that reaches it (fewest steps),
 * written with one token per step run ("A3 B A"), which `interleave run
 * --schedule` replays to the same outcome.
 *
 * Thread: the front end's main thread.
 */
#ifndef INTERLEAVE_CORE_EXPLORE_H
#define INTERLEAVE_CORE_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/demo_class.h"
#include "core/error.h"

#define EXPLORE_MAX_OUTCOMES 64
#define EXPLORE_KEY_MAX 512
#define EXPLORE_SCHED_MAX 2048
#define EXPLORE_MAX_LANES 26
#define EXPLORE_DEFAULT_PREEMPTIONS 2
#define EXPLORE_DEFAULT_LIMIT 100000
#define EXPLORE_DEFAULT_STEPS 1000

typedef struct ExploreConfig {
    const DemoClass *demo;
    int64_t params[DEMO_MAX_PARAMS];
    unsigned preemptions; /* the bound */
    uint64_t limit;       /* schedules at most */
    uint32_t max_steps;   /* steps of one schedule at most: past it, "step limit" */
    double timeout_s;     /* the whole search, 0 = none */
} ExploreConfig;

typedef struct ExploreOutcome {
    int32_t verdict;      /* Verdict (VERDICT_LIVELOCK with step_limit: still going at the
                           * step limit) */
    bool step_limit;      /* the schedule reached max_steps: inconclusive (a lane that retries
                           * forever while the search never lets the others move), not a
                           * failure */
    uint32_t steps;       /* of its shortest schedule */
    uint32_t preemptions; /* of its shortest schedule */
    uint64_t count;       /* schedules that ended in it */
    char values[EXPLORE_KEY_MAX];     /* final shared values, "counter=1 flag[0]=1" */
    char invariant[64];               /* the broken invariant, "" = none */
    char message[256];                /* the verdict's details, from the shortest */
    char schedule[EXPLORE_SCHED_MAX]; /* the shortest, "A3 B A" ("" = no step) */
} ExploreOutcome;

/* What a search found; in shared memory, filled by the sandbox. */
typedef struct ExploreResult {
    _Atomic uint64_t schedules; /* schedules run so far */
    _Atomic uint64_t steps;     /* steps taken in all */
    _Atomic uint32_t permille;  /* an estimate of the share of the search done */
    _Atomic uint32_t done;      /* 1 once the search ended and the fields below hold */
    int32_t failed;             /* the search could not run: error says why */
    bool complete;              /* every schedule within the bound was run */
    bool limited;               /* stopped at the schedule limit */
    bool nondeterministic;      /* a replayed prefix took another path (error says) */
    uint32_t noutcomes;
    uint64_t other;     /* schedules whose outcome did not fit the table */
    uint32_t max_depth; /* the longest schedule's steps */
    uint64_t elapsed_ns;
    char error[256];
    ExploreOutcome outcomes[EXPLORE_MAX_OUTCOMES];
} ExploreResult;

typedef struct Explore Explore;

/* Defaults for demo: its default params, EXPLORE_DEFAULT_* bounds, no
 * timeout. */
void explore_config_init(ExploreConfig *cfg, const DemoClass *demo);

/*
 * Start a search in a sandbox.  Returns it (free with explore_free()) or
 * NULL with err (too many lanes for the explorer, a mmap or fork failure).
 */
Explore *explore_start(const ExploreConfig *cfg, IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Wait up to timeout_ms for the search to end; kill it at its timeout.
 * Returns true once it is over (explore_result() is then final).
 */
bool explore_poll(Explore *ex, int timeout_ms);

/* The result, live while the search goes (schedules, permille), final
 * once explore_poll() returned true.  Borrowed until explore_free(). */
const ExploreResult *explore_result(const Explore *ex);

/* True when the search was killed at its timeout. */
bool explore_timed_out(const Explore *ex);

/* Kill the search if it runs, reap it, free it.  NULL does nothing. */
void explore_free(Explore *ex);

/* True when an outcome is a failure: any verdict but completed, apart
 * from a schedule that reached the step limit (inconclusive).  Thread: any. */
bool explore_outcome_failing(const ExploreOutcome *o);

#endif /* INTERLEAVE_CORE_EXPLORE_H */
