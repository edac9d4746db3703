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
 *   and one SOCK_SEQPACKET socket (commands in, replies out).
 *
 * Protocol on the socket, one fixed-size message each way per token:
 *   front end -> sandbox   RunCmd   {RUN_CMD_TOKEN, token} or {RUN_CMD_END}
 *   sandbox -> front end   RunReply {RunSendResult, message}
 */
#include "config.h"

#include "core/run.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/sandbox.h"

#define RUN_LANE_STACK (256 * 1024)
#define RUN_SCRATCH 65536
#define RUN_RING_MAX (1u << 22)
#define RUN_RING_BUDGET ((size_t)1 << 30) /* bytes of rings per run, at most */
#define RUN_LOG_BUDGET ((size_t)1 << 24)  /* events kept by the front end, at most */

enum { RUN_CMD_TOKEN = 1, RUN_CMD_END = 2 };

typedef struct RunCmd {
    int32_t type;
    SchedToken tok;
} RunCmd;

typedef struct RunReply {
    int32_t status; /* RunSendResult */
    char msg[ARENA_MSG_MAX];
} RunReply;

typedef struct LaneLog {
    Event *ev;
    size_t n, cap;
    uint64_t overflow; /* events the front end could not keep */
} LaneLog;

struct Run {
    RunConfig cfg;
    Schedule initial; /* copy of cfg.schedule */
    Schedule taken;   /* initial, then tokens accepted by run_send */
    bool taken_incomplete; /* out of memory while recording taken */
    Arena *arena;
    Sandbox sb;
    int sock;         /* front end's end of the socket, -1 = closed */
    int child_sock;   /* sandbox's end (used only in the child) */
    unsigned nlanes;
    LaneLog *logs;
    size_t log_limit; /* events kept per lane */
    Event *scratch;
    uint64_t deadline_ns; /* CLOCK_MONOTONIC, 0 = none */
    uint64_t paused_at;   /* CLOCK_MONOTONIC when run_pause stopped it, 0 = running */
    bool done;
    bool timed_out;
    bool killed;
    int verdict;
    int bad_token;
    char message[ARENA_MSG_MAX];
};

/* ------------------------------------------------------------------ */
/* sandbox side                                                        */
/* ------------------------------------------------------------------ */

typedef struct RunLaneArg {
    Sched *sched;
    DemoCtx *ctx;
    const DemoClass *demo;
    unsigned lane;
} RunLaneArg;

static void *run_lane_thread(void *p)
{
    RunLaneArg *a = p;
    sched_lane_begin(a->sched, a->lane);
    a->demo->lane_main(a->ctx, a->lane);
    sched_lane_end();
    return NULL;
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

/* Fill msg with the deadlock description and return VERDICT_DEADLOCK. */
static int run_deadlock(Sched *s, char *msg, size_t len)
{
    char waits[ARENA_MSG_MAX - 64];
    sched_describe_waits(s, waits, sizeof(waits));
    snprintf(msg, len, "deadlock at step %llu: %s", (unsigned long long)sched_steps(s), waits);
    return VERDICT_DEADLOCK;
}

static void run_reply(int sock, int status, const char *msg)
{
    RunReply r;
    memset(&r, 0, sizeof(r));
    r.status = status;
    snprintf(r.msg, sizeof(r.msg), "%s", msg);
    (void)send(sock, &r, sizeof(r), MSG_NOSIGNAL);
}

/* The controller of a step/replay run.  Returns the verdict; fills msg and
 * *bad (1-based token) for a bad schedule. */
static int run_control(Run *run, Sched *s, char *msg, size_t len, int *bad)
{
    IlError err;
    unsigned n = run->nlanes;

    sched_wait_quiescent(s);
    for (size_t i = 0; i < run->initial.n; i++) {
        if (sched_all_finished(s)) {
            return VERDICT_COMPLETED;
        }
        if (!run_any_runnable(s, n)) {
            return run_deadlock(s, msg, len);
        }
        if (sched_grant(s, &run->initial.tok[i], &err) < 0) {
            *bad = (int)run->initial.tok[i].pos;
            snprintf(msg, len, "%s", err.msg);
            return VERDICT_BAD_SCHEDULE;
        }
    }
    if (run->cfg.interactive) {
        /* tell the front end the lanes are parked and the state is exact */
        if (!sched_all_finished(s) && run_any_runnable(s, n)) {
            run_reply(run->child_sock, RUN_SEND_OK, "ready");
        }
        for (;;) {
            RunCmd cmd;
            ssize_t got;

            if (sched_all_finished(s)) {
                /* a token may have finished the last lane */
                break;
            }
            if (!run_any_runnable(s, n)) {
                break;
            }
            got = recv(run->child_sock, &cmd, sizeof(cmd), 0);
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got != (ssize_t)sizeof(cmd) || cmd.type != RUN_CMD_TOKEN) {
                break; /* end of tokens, or the front end went away */
            }
            if (sched_grant(s, &cmd.tok, &err) < 0) {
                run_reply(run->child_sock, RUN_SEND_REFUSED, err.msg);
            } else if (sched_all_finished(s)) {
                run_reply(run->child_sock, RUN_SEND_FINISHED, "");
                return VERDICT_COMPLETED;
            } else if (!run_any_runnable(s, n)) {
                int v = run_deadlock(s, msg, len);
                run_reply(run->child_sock, RUN_SEND_DEADLOCK, msg);
                return v;
            } else {
                run_reply(run->child_sock, RUN_SEND_OK, "");
            }
        }
    }
    for (;;) {
        int lane = sched_next_round_robin(s);
        if (lane < 0) {
            break;
        }
        (void)sched_step(s, (unsigned)lane, NULL);
    }
    if (sched_all_finished(s)) {
        return VERDICT_COMPLETED;
    }
    return run_deadlock(s, msg, len);
}

static void run_child_fail(Arena *arena, const char *what, int rc)
{
    snprintf(arena->result.message, sizeof(arena->result.message), "%s: %s", what,
             strerror(rc < 0 ? -rc : rc));
    arena->result.verdict = VERDICT_CRASHED;
    atomic_store(&arena->result.done, 1);
}

static int run_child(void *arg)
{
    Run *run = arg;
    Arena *arena = run->arena;
    const DemoClass *demo = run->cfg.demo;
    DemoCtx ctx = {arena, run->cfg.params, run->nlanes, NULL};
    pthread_t *threads;
    RunLaneArg *args;
    pthread_attr_t attr;
    sigset_t all, old;
    Sched *s;
    unsigned started = 0;
    uint64_t t0;
    int verdict, bad = 0, rc;
    char msg[ARENA_MSG_MAX] = "";

    rc = demo->setup(&ctx);
    if (rc < 0) {
        run_child_fail(arena, "demo setup failed", rc);
        return 0;
    }
    s = sched_new(arena, run->cfg.mode, run->nlanes, run->cfg.pace_us);
    threads = calloc(run->nlanes, sizeof(*threads));
    args = calloc(run->nlanes, sizeof(*args));
    if (s == NULL || threads == NULL || args == NULL) {
        run_child_fail(arena, "cannot start the lanes", ENOMEM);
        return 0;
    }
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, RUN_LANE_STACK);
    /* lanes inherit a full signal mask: only the controller takes signals */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    t0 = clock_mono_ns();
    for (unsigned i = 0; i < run->nlanes; i++) {
        args[i] = (RunLaneArg){s, &ctx, demo, i};
        rc = pthread_create(&threads[i], &attr, run_lane_thread, &args[i]);
        if (rc != 0) {
            run_child_fail(arena, "cannot create a lane thread", rc);
            return 0; /* _exit follows: the started lanes die with the process */
        }
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);

    if (run->cfg.mode == SCHED_FREE) {
        verdict = VERDICT_COMPLETED;
    } else {
        verdict = run_control(run, s, msg, sizeof(msg), &bad);
    }
    if (verdict == VERDICT_COMPLETED) {
        for (unsigned i = 0; i < started; i++) {
            pthread_join(threads[i], NULL);
        }
    }
    arena->result.elapsed_ns = clock_mono_ns() - t0;
    arena->result.steps = sched_steps(s);
    demo->finish(&ctx, verdict);
    arena->result.verdict = verdict;
    arena->result.bad_token = bad;
    snprintf(arena->result.message, sizeof(arena->result.message), "%s", msg);
    atomic_store(&arena->result.done, 1);
    if (verdict == VERDICT_COMPLETED) {
        sched_free(s);
        free(threads);
        free(args);
    }
    return 0; /* lanes still parked (deadlock, bad schedule) end with _exit */
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
}

static uint32_t run_ring_cap(const RunConfig *cfg, unsigned nlanes)
{
    uint64_t want = cfg->demo->events_per_lane(cfg->params) + 16;
    uint64_t budget = RUN_RING_BUDGET / sizeof(Event) / nlanes;
    uint32_t cap = 64;

    if (want > RUN_RING_MAX) {
        want = RUN_RING_MAX;
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
    nlanes = cfg->demo->lanes(cfg->params);
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
    run->log_limit = RUN_LOG_BUDGET / nlanes;
    if (run->log_limit < 65536) {
        run->log_limit = 65536;
    }
    run->logs = calloc(nlanes, sizeof(*run->logs));
    run->scratch = malloc(RUN_SCRATCH * sizeof(Event));
    if (run->logs == NULL || run->scratch == NULL) {
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
    lim.cpu_seconds = cfg->timeout_s > 0 ? (unsigned)(cfg->timeout_s * 2) + 5 : 3600;
    if (cfg->timeout_s > 0) {
        run->deadline_ns = clock_mono_ns() + (uint64_t)(cfg->timeout_s * 1e9);
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

static void run_log_append(Run *run, LaneLog *log, const Event *ev, size_t n)
{
    if (log->n + n > run->log_limit) {
        size_t keep = run->log_limit > log->n ? run->log_limit - log->n : 0;
        log->overflow += n - keep;
        n = keep;
    }
    if (n == 0) {
        return;
    }
    if (log->n + n > log->cap) {
        size_t cap = log->cap == 0 ? 4096 : log->cap;
        Event *p;
        while (cap < log->n + n) {
            cap *= 2;
        }
        p = realloc(log->ev, cap * sizeof(Event));
        if (p == NULL) {
            log->overflow += n;
            return;
        }
        log->ev = p;
        log->cap = cap;
    }
    memcpy(&log->ev[log->n], ev, n * sizeof(Event));
    log->n += n;
}

static void run_drain(Run *run)
{
    for (unsigned i = 0; i < run->nlanes; i++) {
        Ring *ring = arena_ring(run->arena, i);
        size_t got;
        while ((got = ring_read(ring, run->scratch, RUN_SCRATCH)) > 0) {
            run_log_append(run, &run->logs[i], run->scratch, got);
        }
    }
}

static void run_describe_status(int status, char *buf, size_t len)
{
    if (WIFSIGNALED(status)) {
        snprintf(buf, len, "the run died of signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    } else if (WIFEXITED(status)) {
        snprintf(buf, len, "the run exited with status %d before reporting", WEXITSTATUS(status));
    } else {
        snprintf(buf, len, "the run ended unexpectedly");
    }
}

/* The run's process has exited or was killed: collect everything. */
static void run_finalize(Run *run)
{
    const ArenaResult *r = &run->arena->result;

    sandbox_kill(&run->sb); /* reaps the group; the child itself may be reaped already */
    run_drain(run);
    if (run->sock >= 0) {
        close(run->sock);
        run->sock = -1;
    }
    if (atomic_load(&r->done)) {
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
        run_describe_status(run->sb.status, run->message, sizeof(run->message));
    }
    run->done = true;
}

static void run_check_deadline(Run *run)
{
    if (!run->done && run->paused_at == 0 && run->deadline_ns > 0 &&
        clock_mono_ns() >= run->deadline_ns) {
        run->timed_out = true;
        run_finalize(run);
    }
}

bool run_poll(Run *run, int timeout_ms)
{
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
    run_check_deadline(run);
    return run->done;
}

int run_wait(Run *run)
{
    while (!run_poll(run, 1)) {
    }

    return run->verdict;
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

int run_send(Run *run, const SchedToken *tok, IlError *err)
{
    RunCmd cmd;
    RunReply reply;

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
        il_error_set(err, -IL_ESCHEDULE, "%s", reply.msg);
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
        if (run->deadline_ns > 0) {
            run->deadline_ns += clock_mono_ns() - run->paused_at;
        }
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
            free(run->logs[i].ev);
        }
    }
    free(run->logs);
    free(run->scratch);
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
    return run->arena->result.elapsed_ns;
}

uint64_t run_steps(const Run *run)
{
    return run->arena->result.steps;
}
