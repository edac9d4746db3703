/*
 * run.h - one demo run, driven from the front end.
 *
 * DESIGN
 * run_start() maps an arena, forks the sandbox and returns at once.  The
 * sandbox's main thread sets the demo up, starts each lane through its
 * executor (a thread, or a forked process: DemoClass.lane_kind), opens the
 * start gate and becomes the controller: in free mode it only waits for
 * the lanes to end; in step and
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
#include "core/demo_class.h"

typedef struct RunConfig {
    const DemoClass *demo;
    int64_t params[DEMO_MAX_PARAMS];
    SchedMode mode;
    const Schedule *schedule; /* borrowed during run_start (copied); NULL = none */
    bool interactive;         /* step mode: tokens also come from run_send() */
    bool tracing;             /* record events (default true) */
    uint32_t pace_us;         /* free mode: pause at every point, 0 = full speed */
    double timeout_s;         /* kill the run after this long, 0 = never */
    /* livelock: no lane reported progress (il_progress) for this long while
     * the lanes kept running; 0 = never.  run_config_init() sets both for
     * demos that report progress (DemoClass.progress_unit), 0 otherwise.
     * In step mode the steps counted are those of the initial schedule and
     * of the round-robin after it; steps sent one by one with run_send()
     * are the student's choice and are not judged. */
    uint64_t livelock_steps; /* step/replay: steps without progress */
    uint32_t livelock_ms;    /* free: milliseconds without progress (plus 64 paces) */
    int nice;                /* run the sandbox at this nice value (1..19), 0 = as
                                is: an interactive front end stays responsive while
                                many lanes keep every core busy */
    bool refusal_fails;      /* interactive: a refused token (run_send(), run_refuse())
                                is the run's fault: a run that then completes ends
                                as VERDICT_BAD_SCHEDULE naming the first one (the
                                CLI's step mode, whose exit status says so); off, a
                                refusal only answers the token (the TUI: the
                                student tries another lane) */
    uint32_t drain_max;      /* events taken from each lane's ring per run_poll(),
                                0 = all pending; bounds the front end's work per
                                call (a full ring drops, as always). */
    uint32_t drain_end_max;  /* once the run is over: events taken in per lane per
                                run_poll() until every recorded one is in (the
                                front end keeps polling; run_events_waiting() says
                                how many are left); 0 = everything at the end, at
                                once.  run_wait() and run_take_all() always take
                                everything. */
    uint32_t ring_events;    /* events each lane's ring holds (rounded up to a power
                                of two, at least 64); 0 = what the demo says a lane
                                writes, within the rings' budget.  Tests use a small
                                ring to see a full one drop and count. */
    uint32_t log_events;     /* events the front end keeps of each lane, at most; the
                                rest is counted as dropped (run_lane_dropped); 0 =
                                the front end's budget shared among the lanes.
                                Tests use a small one to see a full log count. */
} RunConfig;

#define RUN_LIVELOCK_STEPS 1000 /* default livelock_steps */
#define RUN_LIVELOCK_MS 5000    /* default livelock_ms */

/* A lane's figures for livelock and starvation (run_lane_stats). */
typedef struct RunLaneStats {
    uint64_t progress;     /* units of work reported (transfers, meals) */
    uint64_t longest_wait; /* longest wait for a lock or semaphore, ns (free) or steps,
                            * including a wait still going on */
    bool waiting;          /* inside a blocking wait at the end (or now) */
} RunLaneStats;

/* What runs a lane and how it is (run_lane_info). */
typedef struct RunLaneInfo {
    LaneKind kind;    /* a thread of the sandbox or a forked process */
    LaneState state;  /* the slot's state; free mode: LANE_BLOCKED while inside a
                       * blocking wait, so a deadlocked or hung lane shows as blocked */
    int32_t pid;      /* the process running it (the sandbox for a thread), 0 = not started */
    int32_t tid;      /* its kernel thread id, 0 = not started */
    bool ended;       /* process lanes: the sandbox saw the process end (a zombie
                       * until exited) */
    uint64_t ended_t; /* arena time it was seen ended, when ended */
    bool exited;      /* process lanes: the sandbox reaped the process */
    int exit_status;  /* its waitpid() status (lane_exit_describe), when ended */
    uint64_t exit_t;  /* arena time (step or ns since the start) it was reaped, when exited */
} RunLaneInfo;

typedef struct Run Run;

/* What run_send() reports. */
typedef enum RunSendResult {
    RUN_SEND_OK = 0,       /* the token's steps were taken */
    RUN_SEND_REFUSED = 1,  /* a step went to a blocked/finished lane; run goes on */
    RUN_SEND_FINISHED = 2, /* every lane has finished: the run is over */
    RUN_SEND_DEADLOCK = 3  /* no lane can move: the run is over, deadlocked */
} RunSendResult;

/* Defaults for demo: its parameter defaults, free mode, tracing on, the
 * default livelock limits when the demo reports progress. */
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
 *
 * In free mode it also watches the run (at most every 5 ms): a wait-for
 * cycle seen on two checks in a row with its lanes' operation counts
 * unchanged is a deadlock, and the run is killed and ends as
 * VERDICT_DEADLOCK with the cycle as its message ("deadlock after 3.2 ms:
 * A holds acct1, waits acct2; B holds acct2, waits acct1"); no progress for
 * livelock_ms while operations went on ends it as VERDICT_LIVELOCK.  A
 * stall seen on two checks in a row with no operation in between (every
 * unfinished lane waits: a mutex, a semaphore at 0, a condition variable
 * with no wakeup on its way) ends it as VERDICT_HANG when a lane sleeps on
 * a condition variable ("hang after 12.0 ms: every unfinished lane waits
 * and none can wake another: A waits on cond cv; B waits on cond cv"),
 * else as VERDICT_DEADLOCK naming each lane's wait.  Call it every 10 ms
 * or so and a deadlock or hang is found within about 20 ms.
 *
 * Whatever the end, an invariant violation the run recorded
 * (arena_violation) makes the verdict VERDICT_INVARIANT, with a message
 * naming the invariant, the step or time, the lane, and how the run ended
 * ("invariant 'exactly once' broken at step 14 by lane C: item 3 taken a
 * second time, from slot 1"); only crashed and killed runs keep theirs.
 */
bool run_poll(Run *run, int timeout_ms);

/* Poll until the run is over, and take in every event it recorded.
 * Returns its verdict. */
int run_wait(Run *run);

/*
 * Events the run recorded that its logs will still take in: a run_poll()
 * takes in drain_max of each lane's at a time (drain_end_max once the run
 * is over), so a front end that looks at a bounded number of new events a
 * tick can say how far behind it is.  Events that did not fit (dropped,
 * or beyond what the front end keeps) are not waiting: run_lane_dropped()
 * counts them.
 */
uint64_t run_events_waiting(const Run *run);

/* Once the run is over: take in every event still waiting, at once (a
 * trace or a report of the whole run).  Before the end it does nothing. */
void run_take_all(Run *run);

/*
 * Interactive step mode: apply one token and wait for its outcome.  Returns
 * a RunSendResult (>= 0), or a negative error when the run is not waiting
 * for tokens or died; err says why (for REFUSED: "token 4 'A': lane A has
 * finished").  Once every lane has finished (the run may be over), a token
 * is refused as the controller would refuse it ("lane A has finished";
 * "lane A is not asleep on a condition variable" for ~A), like a token
 * left over in a replayed schedule.
 */
int run_send(Run *run, const SchedToken *tok, IlError *err);

/*
 * Interactive step mode: the front end refused a token itself, before
 * sending it (a malformed line of step input).  pos: the token's 1-based
 * place in the run's schedule; text: the token as written (15 bytes are
 * kept); why: the reason.  Counts like a token run_send() refused (see
 * RunConfig.refusal_fails); the first refusal is the one a failed verdict
 * names.
 */
void run_refuse(Run *run, uint32_t pos, const char *text, const char *why);

/* Interactive step mode: no more tokens; the rest is round-robin.
 * Returns 0 or a negative error.  Use run_wait() afterwards. */
int run_send_end(Run *run);

/*
 * Pause (pause = true) or resume a free run by stopping or continuing its
 * whole process group (SIGSTOP / SIGCONT).  The pause does not count in
 * the run's time: its clock stands still while it is paused and goes on
 * from there (Arena.paused_ns), so its events, its elapsed time and the
 * figures its lanes measure (a rate, a time blocked) leave the pause out,
 * and its timeout is pushed back by the time spent paused.  Returns 0, or -ESRCH when the run
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

/* The run's clock now: ns since the lanes started (the start gate), 0
 * before they started; the axis of event times, elapsed_ns and verdict
 * times in free mode.  Frozen at the end once the run is over. */
uint64_t run_clock_ns(const Run *run);
uint64_t run_steps(const Run *run);

/* The deadlock's wait-for cycle, "A holds acct1, waits acct2; B holds
 * acct2, waits acct1"; "" when the run did not deadlock or no cycle was
 * found (a deadlock on a semaphore, a hang).  Borrowed. */
const char *run_cycle(const Run *run);

/* How the run ended, as data (core/verdict.h): the verdict, when, the
 * lanes involved and what each holds and waits for, the broken invariant.
 * NULL while the run goes (or out of memory).  Borrowed, valid until
 * run_free(); render it while the run's arena is mapped. */
const struct VerdictInfo *run_verdict_info(const Run *run);

/* Why the last token run_send() sent was refused, without the token ("lane
 * B is blocked on mutex m held by A"); "" when none was.  Borrowed. */
const char *run_refusal(const Run *run);

/* Free mode deadlock or hang: how long after the cycle closed (or the last
 * lane began to wait) the front end detected it.  Returns false when
 * unknown. */
bool run_detect_latency(const Run *run, uint64_t *latency_ns);

/* What runs lane and how it stands: kind, state, pid and tid, how its
 * process ended.  Live while the run goes, final once it is over. */
void run_lane_info(const Run *run, unsigned lane, RunLaneInfo *info);

/* A lane's progress and longest wait, live while the run goes, final once
 * it is over.  Waits are in ns (free) or steps (step/replay). */
void run_lane_stats(const Run *run, unsigned lane, RunLaneStats *st);

/*
 * Starvation warnings: every unfinished lane with no progress while another
 * lane made some, with the figures, "lane C starved: 0 meals while another
 * lane made 7; longest wait 12.500 ms (still waiting)", joined by "; " into
 * buf.  Returns the number of starved lanes (0 also for demos that report
 * no progress).  Live or final, like run_lane_stats().
 */
unsigned run_starvation(const Run *run, char *buf, size_t len);

#endif /* INTERLEAVE_CORE_RUN_H */
