/*
 * run.c - starting, driving, draining and ending one run (see run.h).
 *
 * Two sides live in this file:
 *
 *   the front end (run_start, run_poll, run_send, run_kill, run_free): owns
 *   the Run, the arena mapping and the per-lane event logs;
 *
 *   the sandbox (run_child and what it calls): runs in the forked child,
 *   on the child's copy of the Run, and talks back only through the arena
 *   and one SOCK_SEQPACKET socket (commands in, replies out).  It maps the
 *   run's shared heap (the scheduler, the demo's state), starts the lanes
 *   through their executors (core/lane_exec.h: threads, forked processes),
 *   opens the start gate (the origin of the run's clock) and controls
 *   them.  A lane process that dies ends the run as VERDICT_CRASHED,
 *   naming the lane, its pid and how it ended.
 *
 * Protocol on the socket, one fixed-size message each way per token:
 *   front end -> sandbox   RunCmd   {RUN_CMD_TOKEN, token} or {RUN_CMD_END}
 *   sandbox -> front end   RunReply {RunSendResult, message}
 */
#include "config.h"

#include "core/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/lane_exec.h"
#include "core/lane_pipe.h"
#include "core/sandbox.h"
#include "core/shared_heap.h"
#include "core/verdict.h"
#include "core/waitfor.h"
#include "util/vec.h"

#define RUN_LANE_STACK (256 * 1024)
#define RUN_DRAIN_CHUNK 65536 /* events copied from a ring at a time */
#define RUN_RING_MAX (1u << 22)
#define RUN_RING_BUDGET ((size_t)1 << 30) /* bytes of rings per run, at most */
#define RUN_LOG_BUDGET ((size_t)1 << 24)  /* events kept by the front end, at most */
#define RUN_WATCH_NS 2000000u             /* free mode: wait-for checks at most this often */
#define RUN_DRAIN_BUDGET_NS 20000000u     /* one run_poll() copies events at most this long */
/* past the deadline, time the sandbox has to report its results before it
 * is killed */
#define RUN_TIMEOUT_GRACE_NS 1000000000u
#define RUN_HEAP_BASE ((size_t)1 << 20) /* shared heap for the scheduler, beyond the demo's */

enum { RUN_CMD_TOKEN = 1, RUN_CMD_END = 2 };

typedef struct RunCmd {
    int32_t type;
    SchedToken tok;
} RunCmd;

typedef struct RunReply {
    int32_t status; /* RunSendResult */
    char msg[ARENA_MSG_MAX];
    char why[256]; /* REFUSED: why, without the token ("lane B is blocked ...") */
} RunReply;

/*
 * A lane's events as the front end keeps them.  A log starts in place: ev
 * points at the lane's ring in the arena, which the front end never marks
 * read, so the producer never wraps over what ev shows (once the ring is
 * full it drops, and counts).  Draining such a log copies nothing: it
 * reads the ring's head.  A run that would write more events than its
 * ring holds, while the log may keep more, switches the log to a copy of
 * its own halfway through the ring (run_drain_max); from then on the ring
 * is drained by copying, as a ring is.
 */
typedef struct LaneLog {
    Event *ev;         /* the events kept: the ring's own (inplace) or a copy */
    size_t n, cap;     /* cap: of the copy */
    uint64_t overflow; /* events the front end could not keep */
    bool inplace;      /* ev is the ring's events[]; nothing in the ring was marked read */
} LaneLog;

struct Run {
    RunConfig cfg;
    Schedule initial;      /* copy of cfg.schedule */
    Schedule taken;        /* initial, then tokens accepted by run_send */
    bool taken_incomplete; /* out of memory while recording taken */
    Arena *arena;
    Sandbox sb;
    int sock;       /* front end's end of the socket, -1 = closed */
    int child_sock; /* sandbox's end (used only in the child) */
    unsigned nlanes;
    LaneLog *logs;
    size_t log_limit;     /* events kept per lane */
    uint64_t deadline_ns; /* CLOCK_MONOTONIC, 0 = none */
    uint64_t paused_at;   /* CLOCK_MONOTONIC when run_pause stopped it, 0 = running */
    bool done;
    bool timed_out;
    bool killed;
    int verdict;
    int bad_token;
    char message[ARENA_MSG_MAX];
    /* the front end's watch over a free run (run_watch) */
    WaitFor *wf; /* two snapshots; wf[wf_cur] is the latest */
    unsigned wf_cur;
    bool wf_have;      /* wf[wf_cur] holds a snapshot */
    uint64_t watch_ns; /* CLOCK_MONOTONIC of the last check, 0 = none yet */
    bool ll_init;
    uint64_t ll_progress;      /* progress total when it last changed */
    uint64_t ll_ops;           /* operations total then */
    uint64_t ll_since_ns;      /* when it last changed */
    int found;                 /* verdict the watch found (deadlock, livelock), 0 = none */
    char cycle[ARENA_MSG_MAX]; /* the deadlock cycle, "" = none */
    VerdictInfo *vi;           /* how the run ended, as data (once done) */
    char refusal[256];         /* why the last token run_send() sent was refused */
    /* the first token refused in interactive step mode (run_send, run_refuse):
     * what a VERDICT_BAD_SCHEDULE names under cfg.refusal_fails */
    uint32_t refused_pos; /* 1-based, 0 = none */
    char refused_text[16];
    char refused_why[256];
    bool refused_verdict; /* the verdict is bad_schedule because of it */
    bool have_latency;
    uint64_t latency_ns; /* free mode: cycle closed -> detected */
    uint64_t elapsed_ns; /* when the sandbox wrote no result */
    uint64_t end_time;   /* arena time at the end, for wait figures */
    unsigned drain_next; /* the lane the next bounded drain starts with */
};

/* ------------------------------------------------------------------ */
/* sandbox side                                                        */
/* ------------------------------------------------------------------ */

/* What the sandbox's threads share about the run: the controller, the
 * lanes' executor watcher.  Heap-allocated: the watcher may still run
 * while an ending sandbox returns to _exit(). */
typedef struct RunChild {
    Run *run;
    Arena *arena;
    Sched *sched;
    int notify[2];                 /* the watcher writes a byte to notify[1] when a lane dies */
    _Atomic bool ending;           /* the verdict is taken: lane processes that end now were
                                    * ended by the run (lane_exec_kill), they did not die */
    bool handled[ARENA_MAX_LANES]; /* watcher only: a lane whose death the demo handles died */
} RunChild;

typedef struct RunLaneArg {
    Sched *sched;
    DemoCtx *ctx;
    const DemoClass *demo;
    unsigned lane;
} RunLaneArg;

/* The body of every lane, whatever runs it (a thread, a process). */
static int run_lane_body(void *p)
{
    RunLaneArg *a = p;
    ArenaLane *slot = &a->ctx->arena->lanes[a->lane];

    atomic_store(&slot->pid, (int32_t)getpid());
    atomic_store(&slot->tid, (int32_t)gettid());
    /* without the gate, a lane started late could find the others done:
     * a free run is meant to run its lanes at the same time; and the gate
     * is where the run's clock starts */
    sched_lane_gate(a->sched);
    sched_lane_begin(a->sched, a->lane);
    demo_lane_fn(a->demo, a->ctx->params)(a->ctx, a->lane);
    sched_lane_end();
    return 0;
}

/* Record kind (EV_LANE_DIED, EV_LANE_REAPED) on a dead lane's own ring:
 * its process is gone, so the watcher is the ring's only producer now. */
static void run_lane_record(Arena *arena, unsigned lane, uint16_t kind, uint64_t t, int status)
{
    if (arena->tracing) {
        ring_push(arena_ring(arena, lane), t, (uint16_t)lane, kind, 0, status);
    }
}

/*
 * The executor's watcher: a lane process ended (reaped false: a zombie
 * still) or was reaped.  Record how and when on the lane.  One that had
 * not finished died: that ends the run, unless the demo handles that
 * lane's death (DemoClass.lane_death_handled) and the lanes had started;
 * then its pipes' readers hear of it first (tombstones), its row gets
 * EV_LANE_DIED and EV_LANE_REAPED, and the run goes on.
 */
static bool run_lane_exited(void *p, unsigned lane, int status, bool reaped)
{
    RunChild *c = p;
    Arena *arena = c->arena;
    ArenaLane *slot = &arena->lanes[lane];
    const DemoClass *demo = c->run->cfg.demo;
    bool started = atomic_load(&arena->started) != 0;
    uint64_t t = started ? arena_time(arena) : 0;
    bool died = atomic_load(&slot->state) != LANE_FINISHED && !atomic_load(&c->ending);

    if (!reaped) {
        slot->exit_status = status;
        slot->ended_t = t;
        atomic_store(&slot->ended, 1u);
        if (died && started && demo->lane_death_handled != NULL &&
            demo->lane_death_handled(c->run->cfg.params, lane)) {
            /* the run goes on: tell the lanes at once, while it is a zombie */
            c->handled[lane] = true;
            lane_pipe_writer_died(arena, lane);
            run_lane_record(arena, lane, EV_LANE_DIED, t, status);
            sched_lane_died(c->sched, lane, true);
            (void)write(c->notify[1], "x", 1); /* wakes a controller waiting for a command */
            return true; /* a zombie until its parent lane reaps it (or the run ends) */
        }
        return false;
    }
    slot->exit_t = t;
    atomic_store(&slot->exited, 1u);
    if (c->handled[lane]) {
        run_lane_record(arena, lane, EV_LANE_REAPED, t, status);
    } else if (died) {
        /* the end of the run: reported once reaped, so it names how it ended */
        sched_lane_died(c->sched, lane, false);
        (void)write(c->notify[1], "x", 1);
    }
    return false;
}

/* sched_reap() for the lanes: the executor's reaper (run_child installs it). */
static int run_lane_reap(void *p, unsigned lane, int *status)
{
    return lane_exec_reap(p, lane, status);
}

/* A lane died: the verdict's message names it, its process, how it ended
 * and when ("lane B (process 4242) died of signal 11 (Segmentation fault)
 * at step 5").  Returns VERDICT_CRASHED. */
static int run_lane_crash(Run *run, Sched *s, char *msg, size_t len)
{
    int lane = sched_dead_lane(s);
    const ArenaLane *slot;
    char name[LANE_NAME_MAX], how[160], when[48];

    if (lane < 0) {
        snprintf(msg, len, "a lane died");
        return VERDICT_CRASHED;
    }
    slot = &run->arena->lanes[lane];
    lane_name((unsigned)lane, name);
    if (atomic_load(&((ArenaLane *)slot)->exited)) {
        lane_exit_describe(slot->exit_status, how, sizeof(how));
    } else {
        snprintf(how, sizeof(how), "died");
    }
    if (run->arena->fatal.lane == lane && arena_fatal_text(run->arena)[0] != '\0') {
        snprintf(how, sizeof(how), "failed: %.140s", arena_fatal_text(run->arena));
    }
    if (!atomic_load(&run->arena->started)) {
        snprintf(when, sizeof(when), "before the lanes started");
    } else if (run->arena->stepping) {
        snprintf(when, sizeof(when), "at step %llu", (unsigned long long)slot->exit_t);
    } else {
        snprintf(when, sizeof(when), "at %.3f ms", (double)slot->exit_t / 1e6);
    }
    snprintf(msg, len, "lane %s (process %d) %s %s; the run cannot go on without it", name,
             (int)atomic_load(&((ArenaLane *)slot)->pid), how, when);
    run->arena->result.died = (uint32_t)lane + 1;
    return VERDICT_CRASHED;
}

static bool run_any_runnable(Sched *s, unsigned nlanes)
{
    for (unsigned i = 0; i < nlanes; i++) {
        if (sched_runnable(s, i)) {
            return true;
        }
    }
    return false;
}

/* No lane can move and some lane is unfinished: fill msg and return the
 * verdict.  A wait-for cycle is a deadlock ("A holds acct1, waits acct2;
 * B holds acct2, waits acct1"); with no cycle and a lane asleep on a
 * condition variable it is a hang, naming what every lane waits for ("A
 * waits on cond not_full; B waits on cond not_empty"); anything else (a
 * semaphore nobody will post, a lane waiting for a finished lane's mutex)
 * is a deadlock described lane by lane.  (The front end builds the same
 * verdict from the arena once the run is over, see run_verdict_build.) */
static int run_deadlock(Run *run, Sched *s, char *msg, size_t len)
{
    WaitFor *wf = malloc(sizeof(*wf));
    VerdictInfo *vi = malloc(sizeof(*vi));
    int kind = VERDICT_DEADLOCK;

    msg[0] = '\0';
    if (wf != NULL && vi != NULL) {
        StrBuf b;
        waitfor_build(wf, run->arena);
        kind = wf->ncycle == 0 && wf->any_cond ? VERDICT_HANG : VERDICT_DEADLOCK;
        verdict_init(vi, kind, true);
        verdict_set_waits(vi, wf, run->arena);
        vi->have_at = true;
        vi->at = sched_steps(s);
        strbuf_init(&b);
        verdict_describe(vi, run->arena, &b);
        snprintf(msg, len, "%s", strbuf_str(&b));
        strbuf_fini(&b);
    }
    free(wf);
    free(vi);
    return kind;
}

/* No lane can move: a lane process that died explains it (the others
 * wait for it); otherwise a deadlock or a hang. */
static int run_stuck(Run *run, Sched *s, char *msg, size_t len)
{
    if (sched_dead_lane(s) >= 0) {
        return run_lane_crash(run, s, msg, len);
    }
    return run_deadlock(run, s, msg, len);
}

static void run_reply(int sock, int status, const char *msg, const char *why)
{
    RunReply r;
    memset(&r, 0, sizeof(r));
    r.status = status;
    snprintf(r.msg, sizeof(r.msg), "%s", msg);
    snprintf(r.why, sizeof(r.why), "%s", why);
    (void)send(sock, &r, sizeof(r), MSG_NOSIGNAL);
}

/* "token 2 'B': " + why into msg. */
static void run_token_message(const SchedToken *tok, const char *why, char *msg, size_t len)
{
    char text[16];
    schedule_token_format(tok, text);
    snprintf(msg, len, "token %u '%s': %s", tok->pos, text, why);
}

/* The controller of a step/replay run.  Returns the verdict; fills msg,
 * and the arena result's parts of a bad schedule (bad_token, bad_text,
 * reason) or a livelock (span). */
static int run_control(Run *run, Sched *s, int notify_fd, char *msg, size_t len)
{
    IlError err;
    unsigned n = run->nlanes;
    ArenaResult *res = &run->arena->result;
    /* the initial schedule, then (not interactive) round-robin: the lanes
     * hand the steps on among themselves (sched_run) */
    SchedRunOpts opts = {!run->cfg.interactive, true, run->cfg.livelock_steps};
    SchedOutcome out;

    if (sched_wait_quiescent(s) < 0) {
        return run_lane_crash(run, s, msg, len);
    }
    (void)sched_run(s, run->initial.tok, run->initial.n, &opts, &out, &err);
    switch (out.stop) {
    case SCHED_STOP_END:
        break;
    case SCHED_STOP_FINISHED:
        return VERDICT_COMPLETED;
    case SCHED_STOP_STUCK:
        return run_stuck(run, s, msg, len);
    case SCHED_STOP_REFUSED:
        res->bad_token = (int)run->initial.tok[out.at].pos;
        schedule_token_format(&run->initial.tok[out.at], res->bad_text);
        snprintf(res->reason, sizeof(res->reason), "%.255s", err.msg);
        run_token_message(&run->initial.tok[out.at], err.msg, msg, len);
        return VERDICT_BAD_SCHEDULE;
    case SCHED_STOP_LIVELOCK:
        res->span = out.span;
        return VERDICT_LIVELOCK;
    default:
        return run_lane_crash(run, s, msg, len);
    }
    if (run->cfg.interactive) {
        /* one token at a time, the student's choice: no livelock rule */
        SchedRunOpts one = {false, true, 0};

        /* tell the front end the lanes are parked and the state is exact */
        if (!sched_all_finished(s) && run_any_runnable(s, n)) {
            run_reply(run->child_sock, RUN_SEND_OK, "ready", "");
        }
        for (;;) {
            struct pollfd pfd[2] = {{run->child_sock, POLLIN, 0}, {notify_fd, POLLIN, 0}};
            RunCmd cmd;
            ssize_t got;
            int rc;

            if (sched_all_finished(s)) {
                /* a token may have finished the last lane */
                break;
            }
            if (!run_any_runnable(s, n)) {
                break;
            }
            /* a lane process may die while the student thinks */
            if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
                break;
            }
            if (sched_dead_lane(s) >= 0) {
                return run_lane_crash(run, s, msg, len);
            }
            if (pfd[1].revents != 0) {
                /* a death the demo handles: the lane counts as ended */
                char drain[64];
                while (read(notify_fd, drain, sizeof(drain)) > 0) {
                }
                if (sched_wait_quiescent(s) < 0) {
                    return run_lane_crash(run, s, msg, len);
                }
            }
            if (pfd[0].revents == 0) {
                continue;
            }
            got = recv(run->child_sock, &cmd, sizeof(cmd), 0);
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got != (ssize_t)sizeof(cmd) || cmd.type != RUN_CMD_TOKEN) {
                break; /* end of tokens, or the front end went away */
            }
            rc = sched_run(s, &cmd.tok, 1, &one, &out, &err);
            if (rc == -IL_ECRASH) {
                /* no reply: the front end sees the sandbox end, and its verdict */
                return run_lane_crash(run, s, msg, len);
            }
            if (rc < 0) {
                char full[ARENA_MSG_MAX];
                run_token_message(&cmd.tok, err.msg, full, sizeof(full));
                run_reply(run->child_sock, RUN_SEND_REFUSED, full, err.msg);
            } else if (sched_all_finished(s)) {
                run_reply(run->child_sock, RUN_SEND_FINISHED, "", "");
                return VERDICT_COMPLETED;
            } else if (!run_any_runnable(s, n)) {
                int v = run_stuck(run, s, msg, len);
                run_reply(run->child_sock, RUN_SEND_DEADLOCK, msg, "");
                return v;
            } else {
                run_reply(run->child_sock, RUN_SEND_OK, "", "");
            }
        }
        /* the rest round-robin */
        opts.round_robin = true;
        if (sched_run(s, NULL, 0, &opts, &out, &err) == -IL_ECRASH) {
            return run_lane_crash(run, s, msg, len);
        }
        if (out.stop == SCHED_STOP_LIVELOCK) {
            res->span = out.span;
            return VERDICT_LIVELOCK;
        }
    }
    if (sched_all_finished(s)) {
        return VERDICT_COMPLETED;
    }
    return run_stuck(run, s, msg, len);
}

/*
 * The sandbox's watchdog.  A run that times out still reports what it has:
 * a thread of the sandbox sleeps until the arena's deadline_ns (moved
 * later when the front end resumes a paused run), then computes the
 * demo's results as they stand (finish with VERDICT_TIMEOUT, which frees
 * nothing, so lanes still running are harmless), the steps taken and the
 * time, writes them with the verdict timeout, and ends the process.  The
 * controller, ending the run normally, and the watchdog race for the
 * result: the first to claim it writes it; the other waits for the end.
 * The front end gives the sandbox RUN_TIMEOUT_GRACE_NS past the deadline
 * to report before it kills it.
 */
static _Atomic int run_child_ending; /* 1 once the controller or the watchdog claimed the result */

static uint64_t run_since_start(const Arena *arena);

static bool run_child_claim(void)
{
    int expected = 0;
    return atomic_compare_exchange_strong(&run_child_ending, &expected, 1);
}

/* The other side writes the result and ends the process: wait for it. */
static void run_child_yield(void)
{
    for (;;) {
        pause();
    }
}

typedef struct RunWatchdog {
    Run *run;
    DemoCtx *ctx;
} RunWatchdog;

static void *run_watchdog(void *p)
{
    RunWatchdog *w = p;
    Arena *arena = w->run->arena;

    for (;;) {
        uint64_t due = atomic_load(&arena->deadline_ns), now = clock_mono_ns();
        struct timespec ts;
        if (due == 0) {
            return NULL;
        }
        if (now >= due) {
            break;
        }
        ts.tv_sec = (time_t)(due / 1000000000u);
        ts.tv_nsec = (long)(due % 1000000000u);
        (void)clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    }
    if (!run_child_claim()) {
        return NULL; /* the run ended first */
    }
    arena->result.elapsed_ns = run_since_start(arena);
    arena->result.steps = atomic_load(&arena->step);
    w->run->cfg.demo->finish(w->ctx, VERDICT_TIMEOUT);
    arena->result.verdict = VERDICT_TIMEOUT;
    snprintf(arena->result.message, sizeof(arena->result.message),
             "the run passed its time limit of %g s", w->run->cfg.timeout_s);
    atomic_store(&arena->result.done, 1);
    _exit(0);
}

/* The sandbox could not start the run: what failed, and rc's text (an
 * errno, negated or not; 0 = none). */
static void run_child_fail(Arena *arena, const char *what, int rc)
{
    if (!run_child_claim()) {
        run_child_yield();
    }
    if (rc != 0) {
        snprintf(arena->result.message, sizeof(arena->result.message), "%s: %s", what,
                 strerror(rc < 0 ? -rc : rc));
    } else {
        snprintf(arena->result.message, sizeof(arena->result.message), "%s", what);
    }
    arena->result.verdict = VERDICT_CRASHED;
    atomic_store(&arena->result.done, 1);
}

/* Arena time since the lanes started (the start gate), 0 before. */
static uint64_t run_since_start(const Arena *arena)
{
    if (!atomic_load_explicit(&((Arena *)arena)->started, memory_order_acquire)) {
        return 0;
    }
    return clock_now_ns(&arena->clock);
}

static int run_child(void *arg)
{
    Run *run = arg;
    Arena *arena = run->arena;
    const DemoClass *demo = run->cfg.demo;
    DemoCtx ctx = {arena, run->cfg.params, run->nlanes, NULL, NULL, run->cfg.demo->data};
    uint64_t demo_bytes = demo->shared_bytes != NULL ? demo->shared_bytes(run->cfg.params) : 0;
    RunLaneArg *args;
    void **argp;
    LaneKind *kinds;
    LaneExec *ex;
    RunChild *child;
    Sched *s;
    IlError err;
    int verdict, rc;
    char msg[ARENA_MSG_MAX] = "";

    if (run->cfg.nice > 0) {
        /* per-thread on Linux: the lanes started below inherit it */
        (void)setpriority(PRIO_PROCESS, 0, run->cfg.nice < 19 ? run->cfg.nice : 19);
    }
    if (demo_bytes == 0) {
        demo_bytes = DEMO_SHARED_DEFAULT;
    }
    if (demo_bytes > SIZE_MAX / 2) {
        demo_bytes = SIZE_MAX / 2; /* shared_heap_new() reports the failure */
    }
    ctx.heap = shared_heap_new(RUN_HEAP_BASE + (size_t)demo_bytes, &err);
    if (ctx.heap == NULL) {
        run_child_fail(arena, "cannot map the run's shared heap", err.code);
        return 0;
    }
    s = sched_new(ctx.heap, arena, run->cfg.mode, run->nlanes, run->cfg.pace_us);
    if (s == NULL) {
        run_child_fail(arena, "cannot set the scheduler up", ENOMEM);
        return 0;
    }
    rc = demo->setup(&ctx);
    if (rc < 0) {
        run_child_fail(arena, "demo setup failed", rc);
        return 0;
    }
    child = calloc(1, sizeof(*child));
    args = calloc(run->nlanes, sizeof(*args));
    argp = calloc(run->nlanes, sizeof(*argp));
    kinds = calloc(run->nlanes, sizeof(*kinds));
    if (child == NULL || args == NULL || argp == NULL || kinds == NULL) {
        run_child_fail(arena, "cannot start the lanes", ENOMEM);
        return 0;
    }
    child->run = run;
    child->arena = arena;
    child->sched = s;
    if (pipe2(child->notify, O_CLOEXEC | O_NONBLOCK) < 0) {
        run_child_fail(arena, "cannot start the lanes: pipe", errno);
        return 0;
    }
    for (unsigned i = 0; i < run->nlanes; i++) {
        args[i] = (RunLaneArg){s, &ctx, demo, i};
        argp[i] = &args[i];
        kinds[i] = (LaneKind)arena->lanes[i].kind;
        if (demo->lane_daemon != NULL && demo->lane_daemon(run->cfg.params, i)) {
            sched_set_daemon(s, i);
        }
    }
    if (arena->tracing) {
        uint64_t want = demo_events_per_lane(demo, run->cfg.params) + 16;
        for (unsigned i = 0; i < run->nlanes; i++) {
            arena_prefault(arena, i, want);
        }
    }
    ex = lane_exec_new(arena, run->nlanes, run_lane_body, argp, RUN_LANE_STACK, run_lane_exited,
                       child);
    if (ex == NULL) {
        run_child_fail(arena, "cannot start the lanes", ENOMEM);
        return 0;
    }
    sched_set_reaper(s, run_lane_reap, ex);
    for (unsigned i = 0; i < run->nlanes; i++) {
        /* a lane process keeps the pipe ends its lane uses, nothing else */
        int keep[SANDBOX_KEEP_MAX];
        unsigned nkeep = lane_pipe_keep_fds(arena, i, keep, SANDBOX_KEEP_MAX);
        if (nkeep > SANDBOX_KEEP_MAX || lane_exec_keep(ex, i, keep, nkeep) < 0) {
            run_child_fail(arena, "cannot start the lanes: a lane uses too many pipes", 0);
            return 0;
        }
    }
    /* lane processes first (fork() in a single-threaded sandbox), then
     * the lane threads; every lane waits at the start gate */
    rc = lane_exec_start(ex, kinds, &err);
    if (rc < 0) {
        run_child_fail(arena, err.msg, 0);
        /* _exit follows: lane threads die with it, lane processes of their
         * death signal */
        return 0;
    }
    for (unsigned i = 0; i < run->nlanes; i++) {
        /* a coroutine's host finds its context here; the gate publishes it */
        sched_ctx_of(s, i)->co = lane_exec_co(ex, i);
    }
    if (atomic_load(&arena->deadline_ns) != 0) {
        /* after every fork: the watchdog is a thread of the sandbox */
        static RunWatchdog wd;
        sigset_t all, old;
        pthread_t wt;
        wd = (RunWatchdog){run, &ctx};
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        if (pthread_create(&wt, NULL, run_watchdog, &wd) == 0) {
            pthread_detach(wt);
        } /* else the front end's deadline still holds, without results */
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }

    if (sched_open_gate(s) < 0) {
        verdict = run_lane_crash(run, s, msg, sizeof(msg));
    } else if (run->cfg.mode == SCHED_FREE) {
        verdict =
            sched_wait_done(s) < 0 ? run_lane_crash(run, s, msg, sizeof(msg)) : VERDICT_COMPLETED;
    } else {
        verdict = run_control(run, s, child->notify[0], msg, sizeof(msg));
    }
    atomic_store(&child->ending, true);
    if (verdict == VERDICT_COMPLETED && !sched_has_daemons(s)) {
        lane_exec_join(ex);
    } else if (verdict == VERDICT_CRASHED) {
        /* stop the other lane processes, so finish() sees a state that holds still */
        lane_exec_kill(ex);
    }
    if (!run_child_claim()) {
        run_child_yield(); /* the watchdog reports: the run timed out */
    }
    arena->result.elapsed_ns = run_since_start(arena);
    arena->result.steps = sched_steps(s);
    demo->finish(&ctx, verdict);
    arena->result.verdict = verdict;
    snprintf(arena->result.message, sizeof(arena->result.message), "%s", msg);
    atomic_store(&arena->result.done, 1);
    if (verdict == VERDICT_COMPLETED && !sched_has_daemons(s)) {
        lane_exec_free(ex); /* joins the watcher: every lane process is reaped */
        sched_free(s);
        close(child->notify[0]);
        close(child->notify[1]);
        free(child);
        free(args);
        free(argp);
        free(kinds);
        shared_heap_free(ctx.heap);
    }
    /* lanes still parked (deadlock, bad schedule) and daemon lanes still
     * going end with _exit */
    return 0;
}

/* ------------------------------------------------------------------ */
/* front-end side                                                      */
/* ------------------------------------------------------------------ */

void run_config_init(RunConfig *cfg, const DemoClass *demo)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->demo = demo;
    demo_params_default(demo, cfg->params);
    cfg->mode = SCHED_FREE;
    cfg->tracing = true;
    if (demo->progress_unit != NULL) {
        cfg->livelock_steps = RUN_LIVELOCK_STEPS;
        cfg->livelock_ms = RUN_LIVELOCK_MS;
    }
}

static size_t run_log_limit(const RunConfig *cfg, unsigned nlanes);

/* Events per lane ring: what the demo says a lane writes, within the
 * rings' budget, and no more than the front end keeps of a lane (a log
 * reads its ring in place: what the ring holds past that is not kept). */
static uint32_t run_ring_cap(const RunConfig *cfg, unsigned nlanes)
{
    uint64_t want = demo_events_per_lane(cfg->demo, cfg->params) + 16;
    uint64_t budget = RUN_RING_BUDGET / sizeof(Event) / nlanes;
    uint32_t cap = 64;

    if (cfg->ring_events > 0) {
        want = cfg->ring_events;
    }
    if (want > RUN_RING_MAX) {
        want = RUN_RING_MAX;
    }
    if (want > run_log_limit(cfg, nlanes)) {
        want = run_log_limit(cfg, nlanes);
    }
    while (cap < want && (uint64_t)cap * 2 <= budget) {
        cap *= 2;
    }
    return cap;
}

/* Bytes of address space this process uses now (the sandbox inherits them). */
static uint64_t run_own_vsize(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f != NULL) {
        if (fscanf(f, "%lu", &pages) != 1) {
            pages = 0;
        }
        fclose(f);
    }
    return (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

static void run_wait_ready(Run *run);

/*
 * CPU seconds the sandbox may use: never met before the wall-clock
 * timeout, so that a timed-out run ends as "timeout" with its results and
 * not as "crashed: CPU time limit exceeded".  RLIMIT_CPU counts the CPU
 * time of all the process's threads: in timeout_s of wall time, nlanes
 * lanes and the controller use at most timeout_s * min(nlanes + 1, CPUs)
 * seconds.  Twice that, plus the grace the front end gives past the
 * deadline, plus 5 s.  No timeout (0) means no CPU limit either: the user
 * asked for none, and only the front end's kill ends the run.
 */
static unsigned run_cpu_limit(double timeout_s, unsigned nlanes)
{
    long cpus = sysconf(_SC_NPROCESSORS_CONF);
    double busy, secs;

    if (timeout_s <= 0) {
        return 0;
    }
    busy = (double)nlanes + 1;
    if (cpus > 0 && busy > (double)cpus) {
        busy = (double)cpus;
    }
    secs = 2 * (timeout_s + RUN_TIMEOUT_GRACE_NS / 1e9) * busy + 5;
    return secs < 4e9 ? (unsigned)secs : 4000000000u;
}

Run *run_start(const RunConfig *cfg, IlError *err)
{
    Run *run;
    SandboxLimits lim;
    int sv[2];
    unsigned nlanes;

    if (cfg->demo == NULL) {
        il_error_set(err, -EINVAL, "no demo given");
        return NULL;
    }
    if (cfg->mode != SCHED_FREE && cfg->pace_us > 0) {
        il_error_set(err, -IL_EUSAGE, "a pace applies to free runs only");
        return NULL;
    }
    {
        char why[IL_ERROR_MSG_MAX];
        if (demo_check_params(cfg->demo, cfg->params, why, sizeof(why)) < 0) {
            il_error_set(err, -IL_EUSAGE, "%s", why);
            return NULL;
        }
    }
    nlanes = demo_lanes(cfg->demo, cfg->params);
    run = calloc(1, sizeof(*run));
    if (run == NULL) {
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    run->cfg = *cfg;
    run->cfg.schedule = NULL;
    run->sock = -1;
    run->child_sock = -1;
    run->nlanes = nlanes;
    if (cfg->schedule != NULL) {
        for (size_t i = 0; i < cfg->schedule->n; i++) {
            if (schedule_append(&run->initial, cfg->schedule->tok[i]) < 0 ||
                schedule_append(&run->taken, cfg->schedule->tok[i]) < 0) {
                il_error_set(err, -ENOMEM, "out of memory");
                run_free(run);
                return NULL;
            }
        }
    }
    run->arena = arena_new(nlanes, run_ring_cap(cfg, nlanes), err);
    if (run->arena == NULL) {
        run_free(run);
        return NULL;
    }
    run->arena->tracing = cfg->tracing ? 1 : 0;
    for (unsigned i = 0; i < nlanes; i++) {
        LaneKind k = demo_lane_kind(cfg->demo, cfg->params, i);
        run->arena->lanes[i].kind = (uint32_t)k;
        run->arena->process_lanes += k == LANE_KIND_PROCESS;
    }
    run->log_limit = run_log_limit(&run->cfg, nlanes);
    run->logs = calloc(nlanes, sizeof(*run->logs));
    for (unsigned i = 0; run->logs != NULL && i < nlanes; i++) {
        run->logs[i].ev = arena_ring(run->arena, i)->events;
        run->logs[i].inplace = true;
    }
    run->wf = malloc(2 * sizeof(*run->wf));
    run->vi = malloc(sizeof(*run->vi));
    if (run->logs == NULL || run->wf == NULL || run->vi == NULL) {
        il_error_set(err, -ENOMEM, "out of memory");
        run_free(run);
        return NULL;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
        il_error_set(err, -errno, "cannot start the run: socketpair: %s", strerror(errno));
        run_free(run);
        return NULL;
    }
    run->sock = sv[0];
    run->child_sock = sv[1];

    lim.max_tasks = nlanes + 16;
    lim.max_memory = run_own_vsize() + run->arena->size + (uint64_t)nlanes * 2 * RUN_LANE_STACK +
                     ((uint64_t)1 << 30);
    lim.cpu_seconds = run_cpu_limit(cfg->timeout_s, nlanes);
    if (cfg->timeout_s > 0) {
        run->deadline_ns = clock_mono_ns() + (uint64_t)(cfg->timeout_s * 1e9);
        atomic_store(&run->arena->deadline_ns, run->deadline_ns);
    }
    if (sandbox_start(&run->sb, &lim, run_child, run, &run->child_sock, 1, err) < 0) {
        run_free(run);
        return NULL;
    }
    close(run->child_sock);
    run->child_sock = -1;
    if (cfg->interactive) {
        run_wait_ready(run);
    }
    return run;
}

/* Events the front end keeps per lane, for nlanes lanes. */
static size_t run_log_limit(const RunConfig *cfg, unsigned nlanes)
{
    size_t limit = RUN_LOG_BUDGET / nlanes;
    if (cfg->log_events > 0) {
        return cfg->log_events;
    }
    return limit < 65536 ? 65536 : limit;
}

/*
 * An in-place log whose ring may run out before the log does: copy what
 * the ring holds into a log of its own and mark it read, so the lane can
 * go on writing into the ring (drained by copying from now on).  Returns
 * false when out of memory (the log stays in place: the ring fills up and
 * drops, and counts).
 */
static bool run_log_detach(Run *run, unsigned lane)
{
    Ring *ring = arena_ring(run->arena, lane);
    LaneLog *log = &run->logs[lane];
    size_t want = (size_t)ring->cap * 2 < run->log_limit ? (size_t)ring->cap * 2 : run->log_limit;
    size_t cap = 0;
    Event *p = vec_grow(NULL, &cap, want, sizeof(Event));

    if (p == NULL) {
        return false;
    }
    memcpy(p, log->ev, log->n * sizeof(Event));
    /* the producer may overwrite these from now on: they are copied */
    (void)ring_skip(ring, log->n);
    log->ev = p;
    log->cap = cap;
    log->inplace = false;
    return true;
}

/*
 * Make room in a copied log for n more events.  Returns false when out of
 * memory.
 */
static bool run_log_reserve(LaneLog *log, size_t n)
{
    if (log->n + n > log->cap) {
        Event *p =
            vec_grow(log->ev, &log->cap, log->n + n < 4096 ? 4096 : log->n + n, sizeof(Event));
        if (p == NULL) {
            return false;
        }
        log->ev = p;
    }
    return true;
}

/*
 * Copy events from the rings into the logs, at most max per lane (0 = all
 * pending).  A lane whose log is full has its events skipped, not copied.
 * Unless ended is set (the run is over: no lane writes any more), the
 * drain stops after RUN_DRAIN_BUDGET_NS and next time starts with the lane
 * after the last one it served: a run whose lanes write faster than the
 * front end copies must not keep it from looking at the clock (the
 * timeout) and the keyboard.
 */
static void run_drain_max(Run *run, uint64_t max, bool ended)
{
    uint64_t stop = ended ? 0 : clock_mono_ns() + RUN_DRAIN_BUDGET_NS;

    for (unsigned k = 0; k < run->nlanes; k++) {
        unsigned i = (run->drain_next + k) % run->nlanes;
        Ring *ring = arena_ring(run->arena, i);
        LaneLog *log = &run->logs[i];
        uint64_t want;
        size_t got;

        if (log->inplace) {
            /* nothing to copy: the log is the ring's first events, taken
             * in at most max at a time (what the front end looks at per
             * call stays bounded, as when it copied) */
            uint64_t written = ring_written(ring);
            size_t keep = written < run->log_limit ? (size_t)written : run->log_limit;
            if (max > 0 && keep > log->n + max) {
                keep = log->n + (size_t)max;
            }
            log->n = keep;
            log->overflow = written > run->log_limit ? written - run->log_limit : 0;
            if (ended || run->log_limit <= ring->cap || written < ring->cap / 2 ||
                !run_log_detach(run, i)) {
                continue;
            }
        }
        /* only what is there now: chasing a lane that writes faster than
         * we copy would keep the front end here for the whole run */
        want = ring_pending(ring);
        if (log->n >= run->log_limit) {
            /* the log keeps no more: all that waits is counted at once,
             * whatever max says (marking it read costs nothing), so what
             * the run recorded is always kept + dropped */
            log->overflow += ring_skip(ring, (size_t)want);
            continue;
        }
        if (max > 0 && want > max) {
            want = max;
        }
        while (want > 0) {
            size_t chunk = want < RUN_DRAIN_CHUNK ? (size_t)want : RUN_DRAIN_CHUNK;
            if (chunk > run->log_limit - log->n) {
                chunk = run->log_limit - log->n;
            }
            if (chunk == 0 || !run_log_reserve(log, chunk)) {
                /* kept no more (or no memory for more): count them */
                got = ring_skip(ring, chunk == 0 ? (size_t)want : chunk);
                log->overflow += got;
            } else {
                /* straight from the ring into the log */
                got = ring_read(ring, &log->ev[log->n], chunk);
                log->n += got;
            }
            if (got == 0) {
                break;
            }
            want = got < want ? want - got : 0;
            if (stop != 0 && clock_mono_ns() >= stop) {
                run->drain_next = (i + 1) % run->nlanes;
                return;
            }
        }
    }
}

static void run_drain(Run *run)
{
    run_drain_max(run, run->cfg.drain_max, false);
}

static void run_describe_status(const Arena *arena, int status, char *buf, size_t len)
{
    if (arena_fatal_text(arena)[0] != '\0') {
        char who[LANE_NAME_MAX + 8] = "";
        if (arena->fatal.lane >= 0) {
            char name[LANE_NAME_MAX];
            lane_name((unsigned)arena->fatal.lane, name);
            snprintf(who, sizeof(who), " lane %s", name);
        }
        snprintf(buf, len, "internal error in the run%s: %s", who, arena_fatal_text(arena));
    } else if (WIFSIGNALED(status)) {
        snprintf(buf, len, "the run died of signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    } else if (WIFEXITED(status)) {
        snprintf(buf, len, "the run exited with status %d before reporting", WEXITSTATUS(status));
    } else {
        snprintf(buf, len, "the run ended unexpectedly");
    }
}

/*
 * Build the run's VerdictInfo (run->vi) once its verdict is known, and
 * write the message from it.  A deadlock or hang found by the free-mode
 * watch is already in run->vi; one found by the step controller is read
 * from the arena, whose parked lanes' slots are exact.
 *
 * A recorded invariant violation is the run's verdict, whatever else
 * happened (a hang that followed a lost item is the item's fault); only a
 * crash, or a run stopped from the front end, keep their own verdict.  The
 * message names the invariant, the lane, the step or time, and what the
 * run did afterwards.
 */
static void run_verdict_build(Run *run)
{
    const Arena *a = run->arena;
    const ArenaResult *r = &a->result;
    const ArenaViolation *v = &a->violation;
    VerdictInfo *vi = run->vi;
    StrBuf msg;

    if (vi == NULL) {
        return; /* out of memory at the start: the message stays as it is */
    }
    if (run->found == 0) {
        verdict_init(vi, run->verdict, a->stepping != 0);
        switch (run->verdict) {
        case VERDICT_DEADLOCK:
        case VERDICT_HANG:
            if (run->wf != NULL) {
                waitfor_build(&run->wf[0], a);
                verdict_set_waits(vi, &run->wf[0], a);
            }
            vi->have_at = true;
            vi->at = r->steps;
            break;
        case VERDICT_LIVELOCK:
            vi->have_at = true;
            vi->at = r->steps;
            vi->span = r->span;
            vi->progress_unit = run->cfg.demo->progress_unit;
            vi->nops = run->nlanes;
            for (unsigned i = 0; i < run->nlanes; i++) {
                vi->lane_ops[i] = arena_lane_ops(a, i);
            }
            break;
        case VERDICT_CRASHED:
            snprintf(vi->detail, sizeof(vi->detail), "%s", run->message);
            if (atomic_load(&r->done) && r->died > 0 && r->died <= run->nlanes) {
                /* a lane process died: the sandbox ended the run */
                const ArenaLane *l = &a->lanes[r->died - 1];
                vi->died_lane = (int)r->died - 1;
                vi->died_pid = atomic_load(&((ArenaLane *)l)->pid);
                if (atomic_load(&((ArenaLane *)l)->exited)) {
                    vi->died_status = l->exit_status;
                    vi->have_at = true;
                    vi->at = l->exit_t;
                }
            }
            break;
        case VERDICT_BAD_SCHEDULE:
            if (run->refused_verdict) {
                /* a step-mode token the front end sent and had refused */
                vi->bad_token = (int)run->refused_pos;
                snprintf(vi->bad_text, sizeof(vi->bad_text), "%s", run->refused_text);
                snprintf(vi->reason, sizeof(vi->reason), "%s", run->refused_why);
                break;
            }
            vi->bad_token = r->bad_token;
            snprintf(vi->bad_text, sizeof(vi->bad_text), "%s", r->bad_text);
            snprintf(vi->reason, sizeof(vi->reason), "%s", r->reason);
            break;
        default:
            snprintf(vi->detail, sizeof(vi->detail), "%s", run->message);
            break;
        }
    }
    if (arena_violated(a) && run->verdict != VERDICT_CRASHED && run->verdict != VERDICT_KILLED) {
        vi->kind = VERDICT_INVARIANT;
        snprintf(vi->invariant, sizeof(vi->invariant), "%s", v->invariant);
        snprintf(vi->what, sizeof(vi->what), "%s", v->what);
        vi->inv_lane = v->lane;
        vi->inv_at = v->t;
        run->verdict = VERDICT_INVARIANT;
    }
    strbuf_init(&msg);
    verdict_describe(vi, a, &msg);
    snprintf(run->message, sizeof(run->message), "%s", strbuf_str(&msg));
    strbuf_fini(&msg);
    if (vi->cycle) {
        strbuf_init(&msg);
        verdict_describe_waits(vi, a, &msg);
        snprintf(run->cycle, sizeof(run->cycle), "%s", strbuf_str(&msg));
        strbuf_fini(&msg);
    }
}

/* Under cfg.refusal_fails, a run that completed after a refused token is
 * a bad schedule naming the first one (the verdict is built again when
 * the refusal comes after the end).  True when it changed the verdict. */
static bool run_refusal_verdict(Run *run)
{
    if (!run->cfg.refusal_fails || run->refused_pos == 0 || run->verdict != VERDICT_COMPLETED) {
        return false;
    }
    run->verdict = VERDICT_BAD_SCHEDULE;
    run->bad_token = (int)run->refused_pos;
    run->refused_verdict = true;
    return true;
}

/* The run's process has exited or was killed: collect everything. */
static void run_finalize(Run *run)
{
    const ArenaResult *r = &run->arena->result;

    run->end_time = atomic_load(&run->arena->started) ? arena_time(run->arena) : 0;
    sandbox_kill(&run->sb); /* reaps the group; the child itself may be reaped already */
    run->elapsed_ns = run_since_start(run->arena);
    run_drain_max(run, run->cfg.drain_end_max, true);
    if (run->sock >= 0) {
        close(run->sock);
        run->sock = -1;
    }
    if (run->found != 0) {
        run->verdict = run->found; /* the watch filled run->vi */
    } else if (atomic_load(&r->done)) {
        run->verdict = r->verdict;
        run->bad_token = r->bad_token;
        snprintf(run->message, sizeof(run->message), "%s", r->message);
    } else if (run->timed_out) {
        run->verdict = VERDICT_TIMEOUT;
        snprintf(run->message, sizeof(run->message), "the run passed its time limit of %g s",
                 run->cfg.timeout_s);
    } else if (run->killed) {
        run->verdict = VERDICT_KILLED;
        snprintf(run->message, sizeof(run->message), "the run was stopped");
    } else {
        run->verdict = VERDICT_CRASHED;
        run_describe_status(run->arena, run->sb.status, run->message, sizeof(run->message));
    }
    (void)run_refusal_verdict(run);
    run_verdict_build(run);
    run->done = true;
}

/* The watch found kind in snapshot wf (free mode): fill run->vi. */
static void run_watch_found(Run *run, int kind, const WaitFor *wf)
{
    run->found = kind;
    if (run->vi == NULL) {
        return;
    }
    verdict_init(run->vi, kind, false);
    run->vi->have_at = true;
    run->vi->at = arena_time(run->arena);
    if (wf != NULL) {
        verdict_set_waits(run->vi, wf, run->arena);
    }
}

/*
 * Free mode: every RUN_WATCH_NS, take a wait-for snapshot.  The same cycle
 * on two checks in a row, with its lanes' operation counts unchanged, is a
 * deadlock: kill the run and name the cycle.  The same stall on two checks
 * (every unfinished lane waits, no wakeup on its way, no lane performed an
 * operation) is a hang when a lane sleeps on a condition variable, else a
 * deadlock; the message names what each lane waits for.  Progress unchanged for
 * livelock_ms while operations went on is a livelock.
 */
static void run_watch(Run *run)
{
    WaitFor *prev, *cur;
    uint64_t now;

    if (run->done || run->cfg.mode != SCHED_FREE || run->wf == NULL) {
        return;
    }
    now = clock_mono_ns();
    if (run->watch_ns != 0 && now - run->watch_ns < RUN_WATCH_NS) {
        return;
    }
    run->watch_ns = now;
    prev = &run->wf[run->wf_cur];
    cur = &run->wf[run->wf_cur ^ 1u];
    waitfor_build(cur, run->arena);
    if (run->wf_have && waitfor_same_cycle(prev, cur)) {
        uint64_t t = arena_time(run->arena), formed = waitfor_formed_at(cur);
        run->have_latency = formed > 0 && t >= formed;
        run->latency_ns = run->have_latency ? t - formed : 0;
        run_watch_found(run, VERDICT_DEADLOCK, cur);
        run_finalize(run);
        return;
    }
    if (run->wf_have && waitfor_same_stall(prev, cur)) {
        /* no cycle, but every unfinished lane waits and nothing is on its
         * way to wake one: a hang (condition waits) or a deadlock */
        uint64_t t = arena_time(run->arena), formed = waitfor_stall_formed_at(cur);
        run->have_latency = formed > 0 && t >= formed;
        run->latency_ns = run->have_latency ? t - formed : 0;
        run_watch_found(run, cur->any_cond ? VERDICT_HANG : VERDICT_DEADLOCK, cur);
        run_finalize(run);
        return;
    }
    run->wf_cur ^= 1u;
    run->wf_have = true;
    if (run->cfg.livelock_ms == 0) {
        return;
    }
    if (!run->ll_init || cur->progress_total != run->ll_progress) {
        run->ll_init = true;
        run->ll_progress = cur->progress_total;
        run->ll_ops = cur->ops_total;
        run->ll_since_ns = now;
    } else if (now - run->ll_since_ns >=
                   ((uint64_t)run->cfg.livelock_ms + 64u * (run->cfg.pace_us / 1000u)) * 1000000u &&
               cur->ops_total > run->ll_ops + run->nlanes) {
        run_watch_found(run, VERDICT_LIVELOCK, NULL);
        if (run->vi != NULL) {
            run->vi->have_at = false;
            run->vi->progress_unit = run->cfg.demo->progress_unit;
            run->vi->span = now - run->ll_since_ns;
            run->vi->ops = cur->ops_total - run->ll_ops;
        }
        run_finalize(run);
    }
}

/* Past the deadline, the sandbox's watchdog reports the results and
 * exits (run_watchdog); past the grace after it, the run is killed. */
static void run_check_deadline(Run *run)
{
    if (!run->done && run->paused_at == 0 && run->deadline_ns > 0 &&
        clock_mono_ns() >= run->deadline_ns + RUN_TIMEOUT_GRACE_NS) {
        run->timed_out = true;
        run_finalize(run);
    }
}

bool run_poll(Run *run, int timeout_ms)
{
    if (run->done) {
        if (run->cfg.drain_end_max > 0) {
            /* the rest of what the run recorded, a little at a time */
            run_drain_max(run, run->cfg.drain_end_max, true);
        }
        return true;
    }
    run_check_deadline(run); /* before the drain, however much it has to copy */
    if (run->done) {
        return true;
    }
    run_drain(run);
    if (sandbox_exited(&run->sb)) {
        run_finalize(run);
        return true;
    }
    if (timeout_ms > 0) {
        struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        run_drain(run);
        if (sandbox_exited(&run->sb)) {
            run_finalize(run);
            return true;
        }
    }
    run_watch(run);
    run_check_deadline(run);
    return run->done;
}

int run_wait(Run *run)
{
    while (!run_poll(run, 1)) {
    }
    run_take_all(run);
    return run->verdict;
}

void run_take_all(Run *run)
{
    if (run->done) {
        run_drain_max(run, 0, true);
    }
}

uint64_t run_events_waiting(const Run *run)
{
    uint64_t n = 0;

    for (unsigned i = 0; i < run->nlanes; i++) {
        Ring *ring = arena_ring(run->arena, i);
        const LaneLog *log = &run->logs[i];
        if (log->inplace) {
            uint64_t written = ring_written(ring);
            uint64_t keep = written < run->log_limit ? written : run->log_limit;
            n += keep > log->n ? keep - log->n : 0;
        } else {
            uint64_t pending = ring_pending(ring);
            uint64_t room = run->log_limit > log->n ? run->log_limit - log->n : 0;
            n += pending < room ? pending : room;
        }
    }
    return n;
}

/* Interactive runs: wait for the sandbox's "ready" (every lane parked after
 * the initial schedule), or for the run to end (the schedule finished it,
 * deadlocked it or was refused). */
static void run_wait_ready(Run *run)
{
    for (;;) {
        struct pollfd pfd = {run->sock, POLLIN, 0};
        int pr = poll(&pfd, 1, 10);
        run_drain(run);
        if (pr > 0) {
            RunReply reply;
            ssize_t got = recv(run->sock, &reply, sizeof(reply), 0);
            if (got == (ssize_t)sizeof(reply)) {
                return;
            }
            if (got < 0 && errno == EINTR) {
                continue;
            }
            run_wait(run);
            return;
        }
        if (run_poll(run, 0)) {
            return;
        }
    }
}

void run_refuse(Run *run, uint32_t pos, const char *text, const char *why)
{
    if (run->refused_pos != 0) {
        return; /* the first one is the one the verdict names */
    }
    run->refused_pos = pos > 0 ? pos : 1;
    snprintf(run->refused_text, sizeof(run->refused_text), "%.15s", text);
    snprintf(run->refused_why, sizeof(run->refused_why), "%s", why);
    if (run->done && run_refusal_verdict(run)) {
        run_verdict_build(run); /* the refusal came after the end */
    }
}

/* True when every lane of the run has finished.  Thread: front end. */
static bool run_lanes_finished(const Run *run)
{
    for (unsigned i = 0; i < run->nlanes; i++) {
        if (atomic_load(&((Arena *)run->arena)->lanes[i].state) != LANE_FINISHED) {
            return false;
        }
    }
    return run->nlanes > 0;
}

int run_send(Run *run, const SchedToken *tok, IlError *err)
{
    RunCmd cmd;
    RunReply reply;

    if (run->cfg.interactive && run_lanes_finished(run)) {
        /* nothing can take a step any more: refuse the token here, as the
         * controller (gone, or going) would have */
        char who[LANE_NAME_MAX], text[16];
        if (tok->lane >= run->nlanes) {
            lane_name(run->nlanes - 1, who);
            snprintf(run->refusal, sizeof(run->refusal), "no such lane (this run has A..%s)", who);
        } else {
            lane_name(tok->lane, who);
            snprintf(run->refusal, sizeof(run->refusal),
                     tok->kind == TOK_SPURIOUS ? "lane %s is not asleep on a condition variable"
                                               : "lane %s has finished",
                     who);
        }
        schedule_token_format(tok, text);
        run_refuse(run, tok->pos, text, run->refusal);
        il_error_set(err, -IL_ESCHEDULE, "token %u '%s': %s", tok->pos, text, run->refusal);
        return RUN_SEND_REFUSED;
    }
    if (run->done || run->sock < 0 || !run->cfg.interactive) {
        return il_error_set(err, -EINVAL, "the run is not waiting for steps");
    }
    memset(&cmd, 0, sizeof(cmd));
    cmd.type = RUN_CMD_TOKEN;
    cmd.tok = *tok;
    if (send(run->sock, &cmd, sizeof(cmd), MSG_NOSIGNAL) != (ssize_t)sizeof(cmd)) {
        run_poll(run, 0);
        return il_error_set(err, -IL_ECRASH, "the run is not taking steps any more");
    }
    for (;;) {
        struct pollfd pfd = {run->sock, POLLIN, 0};
        int pr = poll(&pfd, 1, 10);
        run_drain(run);
        if (pr > 0) {
            ssize_t got = recv(run->sock, &reply, sizeof(reply), 0);
            if (got == (ssize_t)sizeof(reply)) {
                break;
            }
            if (got < 0 && errno == EINTR) {
                continue;
            }
            run_wait(run); /* the sandbox closed its end: it is ending */
            return il_error_set(err, -IL_ECRASH, "%s", run->message);
        }
        run_check_deadline(run);
        if (run->done) {
            return il_error_set(err, -IL_ETIMEOUT, "%s", run->message);
        }
    }
    if (reply.status == RUN_SEND_REFUSED) {
        char text[16];
        snprintf(run->refusal, sizeof(run->refusal), "%s", reply.why);
        il_error_set(err, -IL_ESCHEDULE, "%s", reply.msg);
        schedule_token_format(tok, text);
        run_refuse(run, tok->pos, text, reply.why);
    } else {
        if (schedule_append(&run->taken, *tok) < 0) {
            /* the run went on; only the record of the schedule is short */
            run->taken_incomplete = true;
        }
        if (reply.status == RUN_SEND_DEADLOCK) {
            il_error_set(err, -IL_EDEADLOCK, "%s", reply.msg);
        }
    }
    return reply.status;
}

int run_send_end(Run *run)
{
    RunCmd cmd;
    if (run->done || run->sock < 0) {
        return 0;
    }
    memset(&cmd, 0, sizeof(cmd));
    cmd.type = RUN_CMD_END;
    if (send(run->sock, &cmd, sizeof(cmd), MSG_NOSIGNAL) != (ssize_t)sizeof(cmd)) {
        return -errno;
    }
    return 0;
}

int run_pause(Run *run, bool pause)
{
    if (run->done || run->sb.pid <= 0) {
        return -ESRCH;
    }
    if (pause && run->paused_at == 0) {
        if (kill(-run->sb.pid, SIGSTOP) < 0) {
            return -errno;
        }
        run->paused_at = clock_mono_ns();
    } else if (!pause && run->paused_at != 0) {
        uint64_t paused = clock_mono_ns() - run->paused_at;
        if (run->deadline_ns > 0) {
            run->deadline_ns += paused;
            atomic_store(&run->arena->deadline_ns, run->deadline_ns); /* the watchdog's too */
        }
        /* before the processes go on: their clock leaves the pause out */
        atomic_fetch_add(&run->arena->paused_ns, paused);
        run->paused_at = 0;
        if (kill(-run->sb.pid, SIGCONT) < 0) {
            return -errno;
        }
    }
    return 0;
}

void run_kill(Run *run)
{
    if (run->done) {
        return;
    }
    run->killed = true;
    run_finalize(run);
}

void run_free(Run *run)
{
    if (run == NULL) {
        return;
    }
    if (run->sb.pid > 0) {
        run_kill(run);
    }
    if (run->sock >= 0) {
        close(run->sock);
    }
    if (run->child_sock >= 0) {
        close(run->child_sock);
    }
    if (run->logs != NULL) {
        for (unsigned i = 0; i < run->nlanes; i++) {
            if (!run->logs[i].inplace) {
                free(run->logs[i].ev);
            }
        }
    }
    free(run->logs);
    free(run->wf);
    free(run->vi);
    schedule_fini(&run->initial);
    schedule_fini(&run->taken);
    arena_free(run->arena);
    free(run);
}

bool run_done(const Run *run)
{
    return run->done;
}

int run_verdict(const Run *run)
{
    return run->done ? run->verdict : VERDICT_RUNNING;
}

const char *run_message(const Run *run)
{
    return run->message;
}

int run_bad_token(const Run *run)
{
    return run->bad_token;
}

const Arena *run_arena(const Run *run)
{
    return run->arena;
}

const RunConfig *run_config(const Run *run)
{
    return &run->cfg;
}

const Schedule *run_schedule(const Run *run)
{
    return &run->taken;
}

unsigned run_nlanes(const Run *run)
{
    return run->nlanes;
}

size_t run_lane_events(const Run *run, unsigned lane, const Event **events)
{
    *events = run->logs[lane].ev;
    return run->logs[lane].n;
}

uint64_t run_lane_dropped(const Run *run, unsigned lane)
{
    return ring_dropped(arena_ring(run->arena, lane)) + run->logs[lane].overflow;
}

uint64_t run_events_total(const Run *run)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < run->nlanes; i++) {
        n += run->logs[i].n;
    }
    return n;
}

uint64_t run_dropped_total(const Run *run)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < run->nlanes; i++) {
        n += run_lane_dropped(run, i);
    }
    return n;
}

uint64_t run_elapsed_ns(const Run *run)
{
    if (run->done && !atomic_load(&run->arena->result.done)) {
        return run->elapsed_ns; /* killed: the sandbox wrote no result */
    }
    return run->arena->result.elapsed_ns;
}

uint64_t run_clock_ns(const Run *run)
{
    if (run->done) {
        return run_elapsed_ns(run);
    }
    return run_since_start(run->arena);
}

uint64_t run_steps(const Run *run)
{
    if (!atomic_load(&run->arena->result.done)) {
        /* killed before the sandbox wrote its result: the steps it took */
        return atomic_load(&run->arena->step);
    }
    return run->arena->result.steps;
}

const char *run_cycle(const Run *run)
{
    return run->cycle;
}

const VerdictInfo *run_verdict_info(const Run *run)
{
    return run->done ? run->vi : NULL;
}

const char *run_refusal(const Run *run)
{
    return run->refusal;
}

bool run_detect_latency(const Run *run, uint64_t *latency_ns)
{
    if (!run->have_latency) {
        return false;
    }
    *latency_ns = run->latency_ns;
    return true;
}

void run_lane_info(const Run *run, unsigned lane, RunLaneInfo *info)
{
    ArenaLane *l = &run->arena->lanes[lane];

    memset(info, 0, sizeof(*info));
    info->kind = (LaneKind)l->kind;
    info->state = (LaneState)atomic_load(&l->state);
    info->pid = atomic_load(&l->pid);
    info->tid = atomic_load(&l->tid);
    if (atomic_load(&l->ended)) {
        info->ended = true;
        info->ended_t = l->ended_t;
        info->exit_status = l->exit_status;
    }
    if (atomic_load(&l->exited)) {
        info->exited = true;
        info->exit_t = l->exit_t;
    }
}

void run_lane_stats(const Run *run, unsigned lane, RunLaneStats *st)
{
    ArenaLane *l = &run->arena->lanes[lane];
    uint64_t since = atomic_load(&l->wait_since);
    uint64_t now = run->done ? run->end_time : arena_time(run->arena);

    st->progress = atomic_load(&l->progress);
    st->longest_wait = atomic_load(&l->wait_max);
    /* in step mode a lane parked at a lock it could take waits for nobody
     * but the scheduler (the student): only a blocked lane waits */
    st->waiting = since != 0 && atomic_load(&l->state) != LANE_FINISHED &&
                  (!run->arena->stepping || atomic_load(&l->state) == LANE_BLOCKED);
    if (st->waiting && now >= since - 1 && now - (since - 1) > st->longest_wait) {
        st->longest_wait = now - (since - 1);
    }
}

unsigned run_starvation(const Run *run, char *buf, size_t len)
{
    uint64_t most = 0;
    unsigned starved = 0;
    size_t at = 0;
    bool stepping = run->arena->stepping != 0;

    if (len > 0) {
        buf[0] = '\0';
    }
    if (run->cfg.demo->progress_unit == NULL || run->nlanes < 2) {
        return 0;
    }
    for (unsigned i = 0; i < run->nlanes; i++) {
        RunLaneStats st;
        run_lane_stats(run, i, &st);
        if (st.progress > most) {
            most = st.progress;
        }
    }
    if (most == 0) {
        return 0;
    }
    for (unsigned i = 0; i < run->nlanes; i++) {
        RunLaneStats st;
        char name[LANE_NAME_MAX];

        run_lane_stats(run, i, &st);
        if (st.progress > 0 || atomic_load(&run->arena->lanes[i].state) == LANE_FINISHED) {
            continue;
        }
        if (run->cfg.demo->lane_progresses != NULL &&
            !run->cfg.demo->lane_progresses(run->cfg.params, i)) {
            continue; /* waits by design (a main lane in join) */
        }
        if (stepping && atomic_load(&run->arena->lanes[i].steps) == 0) {
            continue; /* the student has not scheduled it: not starving */
        }
        starved++;
        lane_name(i, name);
        if (at < len) {
            int n;
            if (stepping) {
                n = snprintf(buf + at, len - at,
                             "%slane %s starved: 0 %s while another lane made %llu; longest "
                             "wait %llu steps%s",
                             at > 0 ? "; " : "", name, run->cfg.demo->progress_unit,
                             (unsigned long long)most, (unsigned long long)st.longest_wait,
                             st.waiting ? " (still waiting)" : "");
            } else {
                n = snprintf(buf + at, len - at,
                             "%slane %s starved: 0 %s while another lane made %llu; longest "
                             "wait %.3f ms%s",
                             at > 0 ? "; " : "", name, run->cfg.demo->progress_unit,
                             (unsigned long long)most, (double)st.longest_wait / 1e6,
                             st.waiting ? " (still waiting)" : "");
            }
            at += n > 0 ? (size_t)n : 0;
        }
    }
    return starved;
}
