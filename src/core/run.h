/*
 * run.h - one demo run, driven from the front end.
 *
 * DESIGN
 * run_start() maps an arena, forks the sandbox and returns at once.  The
 * sandbox's main thread sets the demo up, starts one thread per lane and
 * becomes the controller: in free mode it only joins the lanes; in step and
 * replay modes it grants steps (from the schedule, then from run_send()
 * when interactive, then round-robin) and reports each token's outcome on
 * a pipe.  At the end it writes the verdict and the demo's results into
 * the arena and exits.
 *
 * The front end never blocks on the run: run_poll() drains the lanes' rings
 * into per-lane logs, notices the end of the run, enforces the timeout and
 * kills the run when it is due.  Killing (run_kill) is always possible,
 * also while the run is deadlocked, and leaves nothing behind.
 *
 * All functions: Thread: the front end's main thread.
 */
#ifndef INTERLEAVE_CORE_RUN_H
#define INTERLEAVE_CORE_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/error.h"
#include "core/event.h"
#include "core/sched.h"
#include "core/schedule.h"
#include "demos/demo.h"

typedef struct RunConfig {
    const DemoClass *demo;
    int64_t params[DEMO_MAX_PARAMS];
    SchedMode mode;
    const Schedule *schedule; /* borrowed during run_start (copied); NULL = none */
    bool interactive;         /* step mode: tokens also come from run_send() */
    bool tracing;             /* record events (default true) */
    uint32_t pace_us;         /* free mode: pause at every point, 0 = full speed */
    double timeout_s;         /* kill the run after this long, 0 = never */
} RunConfig;

typedef struct Run Run;

/* What run_send() reports. */
typedef enum RunSendResult {
    RUN_SEND_OK = 0,       /* the token's steps were taken */
    RUN_SEND_REFUSED = 1,  /* a step went to a blocked/finished lane; run goes on */
    RUN_SEND_FINISHED = 2, /* every lane has finished: the run is over */
    RUN_SEND_DEADLOCK = 3  /* no lane can move: the run is over, deadlocked */
} RunSendResult;

/* Defaults for demo: its parameter defaults, free mode, tracing on. */
void run_config_init(RunConfig *cfg, const DemoClass *demo);

/*
 * Start a run.  Returns it (caller owns it; free with run_free()) or NULL
 * with err filled (-ENOMEM, an mmap or fork failure, bad lane count).
 */
Run *run_start(const RunConfig *cfg, IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Drain the event rings, reap the run if it ended, kill it if its timeout
 * passed.  Waits up to timeout_ms for something to happen (0 = just look).
 * Returns true when the run is over.
 */
bool run_poll(Run *run, int timeout_ms);

/* Poll until the run is over.  Returns its verdict. */
int run_wait(Run *run);

/*
 * Interactive step mode: apply one token and wait for its outcome.  Returns
 * a RunSendResult (>= 0), or a negative error when the run is not waiting
 * for tokens or died; err says why (for REFUSED: which lane and why).
 */
int run_send(Run *run, const SchedToken *tok, IlError *err);

/* Interactive step mode: no more tokens; the rest is round-robin.
 * Returns 0 or a negative error.  Use run_wait() afterwards. */
int run_send_end(Run *run);

/*
 * Pause (pause = true) or resume a free run by stopping or continuing its
 * whole process group (SIGSTOP / SIGCONT).  While paused, the run's clock
 * still runs (a pause shows as a gap with no events) and its timeout is
 * pushed back by the time spent paused.  Returns 0, or -ESRCH when the run
 * is over.  Killing a paused run works as usual.
 */
int run_pause(Run *run, bool pause);

/* Kill the run now (verdict "killed" unless it had ended).  Idempotent. */
void run_kill(Run *run);

/* Kill if needed, reap, unmap, free.  run_free(NULL) does nothing. */
void run_free(Run *run);

/* Accessors.  Pointers are borrowed, valid until run_free(). */
bool run_done(const Run *run);
int run_verdict(const Run *run);
const char *run_message(const Run *run); /* verdict details, "" if none */
int run_bad_token(const Run *run);       /* 1-based, 0 = none */
const Arena *run_arena(const Run *run);
const RunConfig *run_config(const Run *run);
const Schedule *run_schedule(const Run *run); /* tokens taken so far (step/replay) */
unsigned run_nlanes(const Run *run);
size_t run_lane_events(const Run *run, unsigned lane, const Event **events);
uint64_t run_lane_dropped(const Run *run, unsigned lane);
uint64_t run_events_total(const Run *run);
uint64_t run_dropped_total(const Run *run);
uint64_t run_elapsed_ns(const Run *run);
uint64_t run_steps(const Run *run);

#endif /* INTERLEAVE_CORE_RUN_H */
