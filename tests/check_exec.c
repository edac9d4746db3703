/*
 * check_exec.c - lane executors (core/lane_exec.h): lanes that are forked
 * processes, the shared heap they share, a lane process that dies, and
 * the run's one clock (every time counts from the lanes' start).
 *
 * Process lanes must behave like thread lanes everywhere a user looks:
 * the same replay gives the same result every time, free runs record
 * every lane's events, a deadlock is found and named, and killing a run
 * leaves no process, zombie, descriptor or shared mapping.  Checks look at
 * the kernel's view (kill(pid, 0), waitpid, /proc), as check_sandbox.c
 * does.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_common.h"
#include "check_resources.h"
#include "check_run.h"
#include "core/run.h"
#include "core/shared_heap.h"
#include "demos/deadlock.h"
#include "demos/race.h"
#include "export/report.h"
#include "prims/il_cond.h"
#include "prims/il_mutex.h"
#include "prims/il_shared.h"

/* ---- a demo that crashes on purpose (tests only) -------------------- */

enum { CRASHY_LANES = 0, CRASHY_LANE = 1, CRASHY_AFTER = 2, CRASHY_HOW = 3 };
enum {
    CRASHY_SIGNAL = 0,
    CRASHY_EXIT = 1,
    CRASHY_HOLDING = 2,
    CRASHY_VIOLATE = 3,
    CRASHY_HANG = 4
};

static const char *const crashy_kinds[] = {"threads", "processes", NULL};
static const char *const crashy_hows[] = {"signal", "exit", "holding", "violate", "hang", NULL};

static const DemoParam crashy_params[] = {
    [CRASHY_LANES] = {"lanes", "threads or processes", 0, 1, 1, crashy_kinds},
    [CRASHY_LANE] = {"lane", "the lane that crashes", 0, 1, 1, NULL},
    [CRASHY_AFTER] = {"after", "increments before it crashes", 0, 1000, 2, NULL},
    [CRASHY_HOW] = {"how",
                    "signal: SIGABRT; exit: _exit(3); holding: SIGABRT holding m; "
                    "violate: no crash, an invariant broken; hang: no crash, both lanes "
                    "wait on a cond nobody signals",
                    0, 4, CRASHY_SIGNAL, crashy_hows},
};

typedef struct CrashyState {
    IlVar *x;
    IlMutex m;
    IlCond cv;
} CrashyState;

static unsigned crashy_lanes(const int64_t *params)
{
    (void)params;
    return 2;
}

static uint64_t crashy_events(const int64_t *params)
{
    return (uint64_t)params[CRASHY_AFTER] * 4 + 64;
}

static LaneKind crashy_kind(const int64_t *params, unsigned lane)
{
    (void)lane;
    return params[CRASHY_LANES] == 1 ? LANE_KIND_PROCESS : LANE_KIND_THREAD;
}

static int crashy_setup(DemoCtx *ctx)
{
    CrashyState *st = shared_heap_alloc(ctx->heap, 1, sizeof(*st));
    if (st == NULL) {
        return -ENOMEM;
    }
    st->x = il_var_new(ctx->arena, "x", 0);
    if (st->x == NULL) {
        return -ENOSPC;
    }
    ctx->state = st;
    if (il_mutex_init(&st->m, ctx->arena, "m") < 0) {
        return -ENOSPC;
    }
    return il_cond_init(&st->cv, ctx->arena, "cv");
}

static void crashy_lane_main(DemoCtx *ctx, unsigned lane)
{
    CrashyState *st = ctx->state;
    int64_t after = ctx->params[CRASHY_AFTER];
    int64_t how = ctx->params[CRASHY_HOW];
    bool crasher = lane == (unsigned)ctx->params[CRASHY_LANE];

    if (how == CRASHY_HANG) {
        il_mutex_lock(&st->m);
        while (il_load(st->x) == 0) {
            il_cond_wait(&st->cv, &st->m); /* nobody signals: a hang */
        }
        il_mutex_unlock(&st->m);
        return;
    }
    for (int64_t i = 0; i <= after + 2; i++) {
        if (crasher && i == after) {
            if (how == CRASHY_EXIT) {
                _exit(3);
            }
            if (how == CRASHY_HOLDING) {
                il_mutex_lock(&st->m); /* the other lane waits for it forever */
            }
            if (how == CRASHY_VIOLATE) {
                il_violation(il_var_index(st->x), i, "never", "lane %u broke it", lane);
                continue;
            }
            abort(); /* a crash: unblocks and raises SIGABRT, like a failed assert */
        }
        if (!crasher && how == CRASHY_HOLDING && i == after + 1) {
            il_mutex_lock(&st->m);
            il_mutex_unlock(&st->m);
        }
        il_store(st->x, il_load(st->x) + 1);
    }
}

static void crashy_finish(DemoCtx *ctx, int verdict)
{
    CrashyState *st = ctx->state;
    (void)verdict;
    (void)arena_result_add(ctx->arena, "x", il_var_peek(st->x));
}

static const DemoClass crashy_demo = {
    .name = "crashy",
    .summary = "a lane dies on purpose",
    .params = crashy_params,
    .nparams = ARRAY_SIZE(crashy_params),
    .lanes = crashy_lanes,
    .events_per_lane = crashy_events,
    .setup = crashy_setup,
    .lane_main = crashy_lane_main,
    .finish = crashy_finish,
    .lane_kind = crashy_kind,
};

/* ---- helpers --------------------------------------------------------- */

static void assert_gone(pid_t pid)
{
    errno = 0;
    ck_assert_msg(kill(pid, 0) == -1 && errno == ESRCH, "process %ld is still there", (long)pid);
}

static void assert_no_children(void)
{
    errno = 0;
    ck_assert_msg(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD,
                  "a child process is left (or a zombie)");
}

/* The pids of the run's lanes (each > 0, each a process lane's own). */
static void lane_pids(const Run *run, pid_t *pids)
{
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        RunLaneInfo li;
        run_lane_info(run, i, &li);
        ck_assert_int_eq(li.kind, LANE_KIND_PROCESS);
        ck_assert_int_gt(li.pid, 0);
        ck_assert_int_ne(li.pid, getpid());
        pids[i] = li.pid;
        for (unsigned j = 0; j < i; j++) {
            ck_assert_int_ne(pids[j], pids[i]); /* a process each */
        }
    }
}

/* Wait (the tcase timeout bounds it) until every lane is blocked, without
 * run_poll(): the front end's watch must not find the deadlock first. */
static void wait_all_blocked(const Run *run)
{
    for (;;) {
        unsigned blocked = 0;
        for (unsigned i = 0; i < run_nlanes(run); i++) {
            RunLaneInfo li;
            run_lane_info(run, i, &li);
            blocked += li.state == LANE_BLOCKED;
        }
        if (blocked == run_nlanes(run)) {
            return;
        }
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

static const int race_procs_2x1[] = {
    RACE_THREADS, 2,          RACE_ITERATIONS,      1, RACE_VARIANT,
    RACE_UNSAFE,  RACE_LANES, RACE_LANES_PROCESSES, -1};

/* ---- the shared heap ------------------------------------------------- */

START_TEST(test_shared_heap)
{
    IlError err;
    SharedHeap *h = shared_heap_new(4096, &err);
    unsigned char *a, *b;

    ck_assert_ptr_nonnull(h);
    a = shared_heap_alloc(h, 3, 10);
    b = shared_heap_alloc(h, 1, 1);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq((uintptr_t)a % 64, 0);
    ck_assert_uint_eq((uintptr_t)b % 64, 0);
    ck_assert(b >= a + 30);
    for (int i = 0; i < 30; i++) {
        ck_assert_uint_eq(a[i], 0);
    }
    ck_assert_ptr_null(shared_heap_alloc(h, SIZE_MAX / 2, 4)); /* overflows */
    ck_assert_ptr_null(shared_heap_alloc(h, 1, shared_heap_size(h)));
    while (shared_heap_alloc(h, 1, 64) != NULL) {
    }
    ck_assert_uint_le(shared_heap_used(h), shared_heap_size(h));
    shared_heap_free(h);
    shared_heap_free(NULL);
}
END_TEST

/* ---- step and replay ------------------------------------------------- */

/* The lost update, built by hand with two processes, 20 times in a row:
 * same schedule, same result, same steps, every lane its own process. */
START_TEST(test_process_replay_20)
{
    for (int k = 0; k < 20; k++) {
        Run *run = check_run_start(&race_demo, race_procs_2x1, SCHED_REPLAY, "A B A B A B", false);
        pid_t pids[2];

        ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
        ck_assert_int_eq(check_result(run, "final"), 1);
        ck_assert_int_eq(check_result(run, "lost"), 1);
        ck_assert_uint_eq(run_steps(run), 6);
        lane_pids(run, pids);
        for (unsigned i = 0; i < 2; i++) {
            RunLaneInfo li;
            run_lane_info(run, i, &li);
            ck_assert_int_eq(li.state, LANE_FINISHED);
            ck_assert(li.exited); /* reaped by the sandbox, a normal end */
            ck_assert(WIFEXITED(li.exit_status) && WEXITSTATUS(li.exit_status) == 0);
        }
        run_free(run);
        assert_gone(pids[0]);
        assert_gone(pids[1]);
    }
    assert_no_children();
}
END_TEST

/* Interactive step mode drives processes one step at a time, and a mutex
 * shared by processes blocks exactly as between threads. */
START_TEST(test_process_step_mutex)
{
    static const int params[] = {RACE_THREADS, 2,          RACE_ITERATIONS,      1, RACE_VARIANT,
                                 RACE_MUTEX,   RACE_LANES, RACE_LANES_PROCESSES, -1};
    Run *run = check_run_start(&race_demo, params, SCHED_STEP, NULL, true);
    SchedToken a = {0, TOK_STEPS, 1, 1}, b = {1, TOK_STEPS, 1, 2};
    IlError err;
    RunLaneInfo li;

    ck_assert_int_eq(run_send(run, &a, &err), RUN_SEND_OK); /* A holds m */
    ck_assert_int_eq(run_send(run, &b, &err), RUN_SEND_REFUSED);
    ck_assert_msg(strstr(err.msg, "blocked on mutex m held by A") != NULL, "%s", err.msg);
    run_lane_info(run, 1, &li);
    ck_assert_int_eq(li.state, LANE_BLOCKED);
    ck_assert_int_eq(run_send_end(run), 0);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "final"), 2);
    run_free(run);
    assert_no_children();
}
END_TEST

/* ---- free runs -------------------------------------------------------- */

/* With the mutex, total == N*M across processes; every process's events
 * reach the front end, each lane from its start to its end. */
START_TEST(test_process_free_mutex_total)
{
    static const int params[] = {
        RACE_THREADS, 4,          RACE_ITERATIONS,      20000, RACE_VARIANT,
        RACE_MUTEX,   RACE_LANES, RACE_LANES_PROCESSES, -1};
    Run *run = check_run_start(&race_demo, params, SCHED_FREE, NULL, false);
    pid_t pids[4];

    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    ck_assert_int_eq(check_result(run, "final"), 4 * 20000);
    ck_assert_int_eq(check_result(run, "lost"), 0);
    lane_pids(run, pids);
    for (unsigned i = 0; i < 4; i++) {
        const Event *ev;
        size_t n = run_lane_events(run, i, &ev), waits = 0;
        uint64_t dropped = run_lane_dropped(run, i);
        for (size_t k = 0; k < n; k++) {
            waits += ev[k].kind == EV_LOCK_WAIT;
        }
        /* start, end, and per increment lock, load, add, store, unlock,
         * with a lock_wait before the lock only when it waited */
        ck_assert_uint_ge(n + dropped, 20000 * 5 + 2);
        ck_assert_uint_le(n + dropped, 20000 * 6 + 2);
        if (dropped == 0) {
            ck_assert_uint_eq(n - waits, 20000 * 5 + 2);
        }
        ck_assert_uint_gt(n, 2);
        ck_assert_uint_eq(ev[0].kind, EV_LANE_START);
        ck_assert_uint_eq(ev[0].lane, i);
        ck_assert_uint_eq(ev[n - 1].kind, EV_LANE_END);
    }
    run_free(run);
    for (unsigned i = 0; i < 4; i++) {
        assert_gone(pids[i]);
    }
    assert_no_children();
}
END_TEST

/* Two processes deadlock like two threads: found, named, blocked. */
START_TEST(test_process_free_deadlock)
{
    static const int params[] = {DEADLOCK_LANES, DEADLOCK_LANES_PROCESSES, -1};
    int fds = count_fds(), shared = count_maps(true);
    Run *run = check_run_start(&deadlock_demo, params, SCHED_FREE, NULL, false);
    pid_t pids[2];

    ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
    ck_assert_str_eq(run_cycle(run), "A holds acct1, waits acct2; B holds acct2, waits acct1");
    lane_pids(run, pids);
    for (unsigned i = 0; i < 2; i++) {
        RunLaneInfo li;
        run_lane_info(run, i, &li);
        ck_assert_int_eq(li.state, LANE_BLOCKED); /* not "running" */
        assert_gone(pids[i]);
    }
    run_free(run);
    assert_no_children();
    ck_assert_int_eq(count_fds(), fds);
    ck_assert_int_eq(count_maps(true), shared);
}
END_TEST

/* Thread lanes too: a free-mode deadlock reports its lanes blocked. */
START_TEST(test_thread_free_deadlock_blocked)
{
    Run *run = check_run_start(&deadlock_demo, NULL, SCHED_FREE, NULL, false);

    ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
    for (unsigned i = 0; i < 2; i++) {
        RunLaneInfo li;
        run_lane_info(run, i, &li);
        ck_assert_int_eq(li.kind, LANE_KIND_THREAD);
        ck_assert_int_eq(li.state, LANE_BLOCKED);
    }
    run_free(run);
}
END_TEST

/* Lanes that are processes, asleep on a condition variable nobody will
 * signal: a hang, in free mode (the front end's watch) and in step mode
 * (exactly), each lane named with its wait. */
START_TEST(test_process_hang)
{
    static const int params[] = {CRASHY_LANES, 1, CRASHY_HOW, CRASHY_HANG, -1};
    SchedMode modes[] = {SCHED_FREE, SCHED_REPLAY};

    for (unsigned k = 0; k < 2; k++) {
        Run *run = check_run_start(&crashy_demo, params, modes[k], NULL, false);
        pid_t pids[2];

        ck_assert_int_eq(run_wait(run), VERDICT_HANG);
        ck_assert_msg(strstr(run_message(run), "A waits on cond cv") != NULL &&
                          strstr(run_message(run), "B waits on cond cv") != NULL,
                      "%s", run_message(run));
        lane_pids(run, pids);
        for (unsigned i = 0; i < 2; i++) {
            RunLaneInfo li;
            run_lane_info(run, i, &li);
            ck_assert_int_eq(li.state, LANE_BLOCKED);
        }
        run_free(run);
        assert_gone(pids[0]);
        assert_gone(pids[1]);
    }
    assert_no_children();
}
END_TEST

/* The trylock variant's lockstep retries are a livelock with processes too. */
START_TEST(test_process_livelock)
{
    static const int params[] = {DEADLOCK_VARIANT, DEADLOCK_TRYLOCK, DEADLOCK_LANES,
                                 DEADLOCK_LANES_PROCESSES, -1};
    Run *run = check_run_start(&deadlock_demo, params, SCHED_REPLAY, "", false);

    ck_assert_int_eq(run_wait(run), VERDICT_LIVELOCK);
    run_free(run);
    assert_no_children();
}
END_TEST

/* An invariant a lane process saw broken is the run's verdict, with the
 * lane and the step. */
START_TEST(test_process_invariant)
{
    static const int params[] = {CRASHY_LANES, 1, CRASHY_AFTER, 1, CRASHY_HOW, CRASHY_VIOLATE, -1};
    Run *run = check_run_start(&crashy_demo, params, SCHED_REPLAY, "B2 B", false);

    ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
    ck_assert_msg(strstr(run_message(run), "invariant 'never' broken at step 2 by lane B") != NULL,
                  "%s", run_message(run));
    run_free(run);
    assert_no_children();
}
END_TEST

/* ---- killing runs ---------------------------------------------------- */

/* Killing a free run whose processes are deadlocked, before the front end
 * noticed: nothing left. */
START_TEST(test_kill_deadlocked_free)
{
    static const int params[] = {DEADLOCK_LANES, DEADLOCK_LANES_PROCESSES, -1};
    int fds = count_fds(), shared = count_maps(true);
    Run *run = check_run_start(&deadlock_demo, params, SCHED_FREE, NULL, false);
    pid_t pids[2];

    wait_all_blocked(run);
    lane_pids(run, pids);
    ck_assert_int_eq(kill(pids[0], 0), 0);
    ck_assert_int_eq(kill(pids[1], 0), 0);
    run_kill(run);
    ck_assert_int_eq(run_verdict(run), VERDICT_KILLED);
    assert_gone(pids[0]);
    assert_gone(pids[1]);
    assert_no_children();
    run_free(run);
    ck_assert_int_eq(count_fds(), fds);
    ck_assert_int_eq(count_maps(true), shared);
}
END_TEST

/* Killing a step run parked between steps (A holds acct1), and one that
 * the schedule deadlocked: nothing left either way. */
START_TEST(test_kill_step_runs)
{
    static const int params[] = {DEADLOCK_LANES, DEADLOCK_LANES_PROCESSES, -1};
    int fds = count_fds(), shared = count_maps(true);
    SchedToken a = {0, TOK_STEPS, 1, 1}, b = {1, TOK_STEPS, 1, 2};
    IlError err;
    pid_t pids[2];
    Run *run;

    run = check_run_start(&deadlock_demo, params, SCHED_STEP, NULL, true);
    ck_assert_int_eq(run_send(run, &a, &err), RUN_SEND_OK);
    lane_pids(run, pids);
    ck_assert(!run_done(run));
    run_free(run);
    assert_gone(pids[0]);
    assert_gone(pids[1]);
    assert_no_children();

    run = check_run_start(&deadlock_demo, params, SCHED_STEP, NULL, true);
    ck_assert_int_eq(run_send(run, &a, &err), RUN_SEND_OK);
    ck_assert_int_eq(run_send(run, &b, &err), RUN_SEND_DEADLOCK);
    lane_pids(run, pids);
    ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
    ck_assert_str_eq(run_cycle(run), "A holds acct1, waits acct2; B holds acct2, waits acct1");
    run_free(run);
    assert_gone(pids[0]);
    assert_gone(pids[1]);
    assert_no_children();
    ck_assert_int_eq(count_fds(), fds);
    ck_assert_int_eq(count_maps(true), shared);
}
END_TEST

/* ---- a lane process dies --------------------------------------------- */

static Run *start_crashy(int lanes, int how, int after, SchedMode mode, const char *sched,
                         bool interactive)
{
    int params[] = {CRASHY_LANES, lanes, CRASHY_LANE, 1, CRASHY_AFTER, after, CRASHY_HOW, how, -1};
    return check_run_start(&crashy_demo, params, mode, sched, interactive);
}

static void assert_died(const Run *run, unsigned lane, int sig, int status)
{
    RunLaneInfo li;
    char want[64];

    run_lane_info(run, lane, &li);
    ck_assert_int_eq(li.state, LANE_DIED);
    ck_assert(li.exited);
    if (sig != 0) {
        ck_assert(WIFSIGNALED(li.exit_status) && WTERMSIG(li.exit_status) == sig);
    } else {
        ck_assert(WIFEXITED(li.exit_status) && WEXITSTATUS(li.exit_status) == status);
    }
    ck_assert_int_eq(run_verdict(run), VERDICT_CRASHED);
    snprintf(want, sizeof(want), "lane B (process %d) ", (int)li.pid);
    ck_assert_msg(strstr(run_message(run), want) != NULL, "%s", run_message(run));
}

/* Replay: B dies during its fourth step; the verdict names it, at that step. */
START_TEST(test_crash_replay)
{
    int fds = count_fds(), shared = count_maps(true);
    /* B: load, store, load, store; the fourth step runs on into the crash */
    Run *run = start_crashy(1, CRASHY_SIGNAL, 2, SCHED_REPLAY, "B4 B A", false);
    pid_t pids[2];

    ck_assert_int_eq(run_wait(run), VERDICT_CRASHED);
    lane_pids(run, pids);
    assert_died(run, 1, SIGABRT, 0);
    ck_assert_msg(strstr(run_message(run), "died of signal 6") != NULL, "%s", run_message(run));
    ck_assert_msg(strstr(run_message(run), "at step 4") != NULL, "%s", run_message(run));
    ck_assert_int_eq(check_result(run, "x"), 2);
    {
        /* the reports: the verdict as data, each lane's process, how B ended */
        StrBuf b;
        char want[320];
        RunLaneInfo li;

        run_lane_info(run, 1, &li);
        strbuf_init(&b);
        report_json(&b, run);
        snprintf(want, sizeof(want),
                 "\"died\":{\"lane\":\"B\",\"pid\":%d,\"how\":\"died of signal 6 (Aborted)\","
                 "\"signal\":6,\"status\":null}",
                 (int)li.pid);
        ck_assert_msg(strstr(strbuf_str(&b), want) != NULL, "%s", strbuf_str(&b));
        snprintf(want, sizeof(want),
                 "\"state\":\"died\",\"ops\":4,\"steps\":4,\"events\":5,\"dropped\":0,"
                 "\"kind\":\"process\",\"pid\":%d,\"tid\":%d,\"exit\":{\"how\":\"died of "
                 "signal 6 (Aborted)\",\"signal\":6,\"status\":null,\"at\":4,\"unit\":\"steps\","
                 "\"reaped_at\":4}",
                 (int)li.pid, (int)li.pid);
        ck_assert_msg(strstr(strbuf_str(&b), want) != NULL, "%s", strbuf_str(&b));
        strbuf_fini(&b);
        strbuf_init(&b);
        report_text(&b, run, 80);
        snprintf(want, sizeof(want), "pid %d\n", (int)li.pid);
        ck_assert_msg(strstr(strbuf_str(&b), want) != NULL, "%s", strbuf_str(&b));
        snprintf(want, sizeof(want), "lane B (pid %d) died of signal 6 (Aborted) at step 4\n",
                 (int)li.pid);
        ck_assert_msg(strstr(strbuf_str(&b), want) != NULL, "%s", strbuf_str(&b));
        strbuf_fini(&b);
    }
    run_free(run);
    assert_gone(pids[0]);
    assert_gone(pids[1]);
    assert_no_children();
    ck_assert_int_eq(count_fds(), fds);
    ck_assert_int_eq(count_maps(true), shared);
}
END_TEST

/* Interactive: the step that kills B comes back as an error, not a hang. */
START_TEST(test_crash_interactive_step)
{
    Run *run = start_crashy(1, CRASHY_EXIT, 1, SCHED_STEP, NULL, true);
    SchedToken b = {1, TOK_STEPS, 1, 1};
    IlError err;

    ck_assert_int_eq(run_send(run, &b, &err), RUN_SEND_OK); /* load */
    b.pos = 2;
    ck_assert_int_lt(run_send(run, &b, &err), 0); /* store, then _exit(3) */
    ck_assert_int_eq(err.code, -IL_ECRASH);
    ck_assert_int_eq(run_wait(run), VERDICT_CRASHED);
    assert_died(run, 1, 0, 3);
    ck_assert_msg(strstr(run_message(run), "exited with status 3") != NULL, "%s", run_message(run));
    run_free(run);
    assert_no_children();
}
END_TEST

/* A lane process killed from outside while the run waits for the student. */
START_TEST(test_crash_killed_while_parked)
{
    Run *run = start_crashy(1, CRASHY_SIGNAL, 1000, SCHED_STEP, NULL, true);
    SchedToken a = {0, TOK_STEPS, 1, 1};
    IlError err;
    pid_t pids[2];

    ck_assert_int_eq(run_send(run, &a, &err), RUN_SEND_OK);
    lane_pids(run, pids);
    ck_assert_int_eq(kill(pids[1], SIGKILL), 0);
    ck_assert_int_eq(run_wait(run), VERDICT_CRASHED);
    assert_died(run, 1, SIGKILL, 0);
    run_free(run);
    assert_gone(pids[0]);
    assert_no_children();
}
END_TEST

/* Free mode: B dies holding the mutex A waits for.  The run ends crashed
 * (not a hang, not a timeout) and nothing is left. */
START_TEST(test_crash_free_holding)
{
    int fds = count_fds(), shared = count_maps(true);
    Run *run = start_crashy(1, CRASHY_HOLDING, 50, SCHED_FREE, NULL, false);
    pid_t pids[2];

    ck_assert_int_eq(run_wait(run), VERDICT_CRASHED);
    lane_pids(run, pids);
    assert_died(run, 1, SIGABRT, 0);
    ck_assert_msg(strstr(run_message(run), " ms") != NULL, "%s", run_message(run));
    {
        /* A, stopped by the run after B died, did not die itself */
        RunLaneInfo li;
        run_lane_info(run, 0, &li);
        ck_assert_int_ne(li.state, LANE_DIED);
    }
    run_free(run);
    assert_gone(pids[0]);
    assert_gone(pids[1]);
    assert_no_children();
    ck_assert_int_eq(count_fds(), fds);
    ck_assert_int_eq(count_maps(true), shared);
}
END_TEST

/* A thread lane that crashes takes its whole sandbox: crashed too. */
START_TEST(test_crash_thread_lane)
{
    Run *run = start_crashy(0, CRASHY_SIGNAL, 2, SCHED_FREE, NULL, false);

    ck_assert_int_eq(run_wait(run), VERDICT_CRASHED);
    ck_assert_msg(strstr(run_message(run), "signal 6") != NULL, "%s", run_message(run));
    run_free(run);
    assert_no_children();
}
END_TEST

/* ---- one clock ------------------------------------------------------- */

/* Every event happens within the run: no event time after the elapsed
 * time, and the lanes start near the start of the axis. */
START_TEST(test_clock_events_within_elapsed)
{
    static const int params[] = {RACE_THREADS, 4, RACE_ITERATIONS, 20000, -1};
    static const int procs[] = {RACE_THREADS,         4, RACE_ITERATIONS, 20000, RACE_LANES,
                                RACE_LANES_PROCESSES, -1};
    const int *sets[] = {params, procs};

    for (unsigned k = 0; k < 2; k++) {
        Run *run = check_run_start(&race_demo, sets[k], SCHED_FREE, NULL, false);
        uint64_t elapsed, first = UINT64_MAX, last = 0;

        ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
        elapsed = run_elapsed_ns(run);
        ck_assert_uint_gt(elapsed, 0);
        ck_assert_uint_eq(run_clock_ns(run), elapsed);
        for (unsigned i = 0; i < run_nlanes(run); i++) {
            const Event *ev;
            size_t n = run_lane_events(run, i, &ev);
            ck_assert_uint_gt(n, 0);
            ck_assert_uint_eq(ev[0].kind, EV_LANE_START);
            first = ev[0].t < first ? ev[0].t : first;
            last = ev[n - 1].t > last ? ev[n - 1].t : last;
        }
        ck_assert_msg(last <= elapsed, "last event at %llu ns, elapsed %llu ns",
                      (unsigned long long)last, (unsigned long long)elapsed);
        /* the start is where the lanes start, not where the sandbox did */
        ck_assert_msg(first <= elapsed / 2, "first event at %llu ns of %llu ns",
                      (unsigned long long)first, (unsigned long long)elapsed);
        run_free(run);
    }
}
END_TEST

/* A broken invariant's time and a deadlock's detection time are on the
 * axis of elapsed. */
START_TEST(test_clock_verdict_times)
{
    Run *run = start_crashy(0, CRASHY_VIOLATE, 1, SCHED_FREE, NULL, false);
    const ArenaViolation *v;
    uint64_t latency;
    double after_ms;
    const char *at;

    ck_assert_int_eq(run_wait(run), VERDICT_INVARIANT);
    v = &run_arena(run)->violation;
    ck_assert_msg(v->t <= run_elapsed_ns(run), "broken at %llu ns, elapsed %llu ns",
                  (unsigned long long)v->t, (unsigned long long)run_elapsed_ns(run));
    run_free(run);

    run = check_run_start(&deadlock_demo, NULL, SCHED_FREE, NULL, false);
    ck_assert_int_eq(run_wait(run), VERDICT_DEADLOCK);
    at = strstr(run_message(run), "deadlock after ");
    ck_assert_ptr_nonnull(at);
    ck_assert_int_eq(sscanf(at, "deadlock after %lf ms", &after_ms), 1);
    /* found after the cycle closed, and the run ended when it was found */
    ck_assert(run_detect_latency(run, &latency));
    ck_assert_msg(after_ms * 1e6 + 1e5 >= (double)latency, "after %.1f ms, latency %llu ns",
                  after_ms, (unsigned long long)latency);
    ck_assert_msg(after_ms * 1e6 <= (double)run_elapsed_ns(run) + 1e5,
                  "after %.1f ms, elapsed %llu ns", after_ms,
                  (unsigned long long)run_elapsed_ns(run));
    for (unsigned i = 0; i < run_nlanes(run); i++) {
        const Event *ev;
        size_t n = run_lane_events(run, i, &ev);
        ck_assert_uint_gt(n, 0);
        ck_assert_uint_le(ev[n - 1].t, run_elapsed_ns(run));
    }
    run_free(run);
}
END_TEST

/* ---- rings smaller than a lane's events ------------------------------ */

/* A run of demo in mode with every lane's ring holding ring_events events
 * (0 = what the demo asks for). */
static Run *start_ring(const int *params, SchedMode mode, const char *text, uint32_t ring_events)
{
    RunConfig cfg;
    Schedule sched = {NULL, 0, 0};
    IlError err;
    Run *run;

    run_config_init(&cfg, &race_demo);
    for (int i = 0; params[i] >= 0; i += 2) {
        cfg.params[params[i]] = params[i + 1];
    }
    cfg.mode = mode;
    cfg.timeout_s = 60;
    cfg.ring_events = ring_events;
    if (text != NULL) {
        ck_assert_msg(schedule_parse(text, 0, &sched, &err) == 0, "%s", err.msg);
        cfg.schedule = &sched;
    }
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "run_start: %s", err.msg);
    schedule_fini(&sched);
    return run;
}

/*
 * The front end reads a lane's ring in place until the ring is half full,
 * then keeps a copy and drains the ring by copying; a full ring drops and
 * counts.  Whichever way each event went, every event a lane wrote is kept
 * or counted as dropped, kept events are in the lane's order, and a kept
 * event is the event the lane wrote (a replay with a ring big enough for
 * the whole run has it, at the same step, with the same value).
 */
START_TEST(test_small_ring_keeps_or_counts_every_event)
{
    enum { ITERS = 3000, PER_LANE = ITERS * 3 + 2 };
    static const int threads[] = {RACE_THREADS, 2, RACE_ITERATIONS, ITERS, -1};
    static const int procs[] = {RACE_THREADS,         2, RACE_ITERATIONS, ITERS, RACE_LANES,
                                RACE_LANES_PROCESSES, -1};
    const int *sets[] = {threads, procs};

    for (unsigned k = 0; k < 2; k++) {
        Run *full = start_ring(sets[k], SCHED_REPLAY, "", 0);
        Run *runs[2];

        ck_assert_int_eq(run_wait(full), VERDICT_COMPLETED);
        runs[0] = start_ring(sets[k], SCHED_FREE, NULL, 1024);
        runs[1] = start_ring(sets[k], SCHED_REPLAY, "", 1024);
        for (unsigned r = 0; r < 2; r++) {
            ck_assert_int_eq(run_wait(runs[r]), VERDICT_COMPLETED);
            for (unsigned i = 0; i < 2; i++) {
                const Event *ev, *fe;
                size_t n = run_lane_events(runs[r], i, &ev);
                size_t fn = run_lane_events(full, i, &fe), at = 0;

                ck_assert_uint_eq(fn, PER_LANE);
                ck_assert_uint_eq(run_lane_dropped(full, i), 0);
                ck_assert_uint_eq(n + run_lane_dropped(runs[r], i), PER_LANE);
                /* the ring's first 1024 events are never dropped */
                ck_assert_uint_ge(n, 1024);
                ck_assert_uint_eq(ev[0].kind, EV_LANE_START);
                for (size_t j = 0; j < n; j++) {
                    ck_assert_uint_eq(ev[j].lane, i);
                    if (j > 0) {
                        ck_assert_uint_ge(ev[j].t, ev[j - 1].t);
                    }
                    if (r == 0) {
                        continue;
                    }
                    /* replay: the same event, at the same step, in the full run */
                    while (at < fn && fe[at].t < ev[j].t) {
                        at++;
                    }
                    ck_assert_msg(at < fn && fe[at].t == ev[j].t && fe[at].kind == ev[j].kind &&
                                      fe[at].obj == ev[j].obj && fe[at].value == ev[j].value,
                                  "lane %u event %zu (step %llu) differs from the full run", i, j,
                                  (unsigned long long)ev[j].t);
                    at++;
                }
            }
            run_free(runs[r]);
        }
        run_free(full);
    }
    assert_no_children();
}
END_TEST

/* With drain_max, each run_poll() takes in at most that many of a lane's
 * new events (the front end's work per call stays bounded), and the end of
 * the run takes in the rest. */
START_TEST(test_drain_max_bounds_each_poll)
{
    RunConfig cfg;
    SchedToken a30 = {0, TOK_STEPS, 30, 1};
    IlError err;
    Run *run;

    run_config_init(&cfg, &race_demo);
    cfg.params[RACE_THREADS] = 2;
    cfg.params[RACE_ITERATIONS] = 20;
    cfg.mode = SCHED_STEP;
    cfg.interactive = true;
    cfg.timeout_s = 60;
    cfg.drain_max = 4;
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "run_start: %s", err.msg);
    ck_assert_int_eq(run_send(run, &a30, &err), RUN_SEND_OK);
    for (unsigned l = 0; l < 2; l++) {
        /* the lanes are parked: what lane l wrote stays as it is */
        uint64_t written = ring_written(arena_ring((Arena *)run_arena(run), l));
        const Event *ev;
        size_t n = run_lane_events(run, l, &ev);
        ck_assert_uint_eq(written, l == 0 ? 31 : 1);
        while (n < written) {
            size_t before = n;
            ck_assert(!run_poll(run, 0));
            n = run_lane_events(run, l, &ev);
            ck_assert_uint_eq(n, before + 4 < written ? before + 4 : written);
        }
    }
    ck_assert_int_eq(run_send_end(run), 0);
    ck_assert_int_eq(run_wait(run), VERDICT_COMPLETED);
    for (unsigned l = 0; l < 2; l++) {
        const Event *ev;
        ck_assert_uint_eq(run_lane_events(run, l, &ev), 20 * 3 + 2);
        ck_assert_uint_eq(run_lane_dropped(run, l), 0);
    }
    run_free(run);
}
END_TEST

/* With drain_end_max, the end of a run does not take in everything at
 * once: each run_poll() after the end takes in at most that many of each
 * lane's events, run_events_waiting() says how many are left, and in the
 * end the logs hold every event the run recorded, as without it.
 * run_take_all() takes the rest at once. */
/* A lane whose log keeps no more: what it recorded past the log is
 * counted as dropped by the time the front end stops polling, however
 * little each poll takes in (the TUI's ticks at a run's end). */
START_TEST(test_full_log_counts_every_event_it_drops)
{
    RunConfig cfg;
    IlError err;
    Run *run;
    uint64_t recorded = 0;

    run_config_init(&cfg, &race_demo);
    cfg.params[RACE_THREADS] = 2;
    cfg.params[RACE_ITERATIONS] = 2000000; /* still running at the first poll */
    cfg.timeout_s = 60;
    cfg.ring_events = 1024; /* smaller than the log: drained by copying */
    cfg.log_events = 4096;
    cfg.drain_max = 64;
    cfg.drain_end_max = 64;
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "run_start: %s", err.msg);
    while (!run_poll(run, 1)) {
    }
    while (run_events_waiting(run) > 0) {
        ck_assert(run_poll(run, 0));
    }
    ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
    for (unsigned l = 0; l < 2; l++) {
        const Ring *ring = arena_ring((Arena *)run_arena(run), l);
        const Event *ev;
        ck_assert_uint_eq(run_lane_events(run, l, &ev), 4096);
        recorded += ring_written(ring) + ring_dropped(ring);
    }
    ck_assert_uint_eq(recorded, 2 * (2000000 * 3 + 2));
    ck_assert_uint_eq(run_events_total(run) + run_dropped_total(run), recorded);
    run_free(run);
}
END_TEST

START_TEST(test_drain_end_max_bounds_each_poll)
{
    for (int take_all = 0; take_all < 2; take_all++) {
        RunConfig cfg;
        IlError err;
        Run *run;
        uint64_t waiting, total = 0;
        unsigned polls = 0;

        run_config_init(&cfg, &race_demo);
        cfg.params[RACE_THREADS] = 2;
        cfg.params[RACE_ITERATIONS] = 5000;
        cfg.timeout_s = 60;
        cfg.drain_max = 1;
        cfg.drain_end_max = 1000;
        run = run_start(&cfg, &err);
        ck_assert_msg(run != NULL, "run_start: %s", err.msg);
        while (!run_poll(run, 1)) {
            polls++; /* each took in at most 1 event of each lane */
        }
        ck_assert_int_eq(run_verdict(run), VERDICT_COMPLETED);
        for (unsigned l = 0; l < 2; l++) {
            total += ring_written(arena_ring((Arena *)run_arena(run), l));
        }
        ck_assert_uint_eq(total, 2 * (5000 * 3 + 2));
        /* the end took in at most 1000 of each lane's events: the rest
         * waits (a poll while the run went took in one of each lane's;
         * the poll that ended it, also up to two of each: before and
         * after its wait) */
        ck_assert_uint_le(run_events_total(run), 2 * (2 * (uint64_t)polls + 2 + 1000));
        polls = 0;
        ck_assert_uint_eq(run_events_total(run) + run_events_waiting(run), total);
        if (take_all) {
            run_take_all(run);
            ck_assert_uint_eq(run_events_waiting(run), 0);
        }
        while ((waiting = run_events_waiting(run)) > 0) {
            uint64_t before = run_events_total(run);
            ck_assert(run_poll(run, 0));
            ck_assert_uint_le(run_events_total(run) - before, 2 * 1000);
            ck_assert_uint_eq(run_events_waiting(run), waiting - (run_events_total(run) - before));
            ck_assert_uint_lt(++polls, 100);
        }
        ck_assert_uint_ge(polls, take_all ? 0 : 10);
        ck_assert_uint_eq(run_events_total(run), total);
        for (unsigned l = 0; l < 2; l++) {
            const Event *ev;
            ck_assert_uint_eq(run_lane_events(run, l, &ev), 5000 * 3 + 2);
            ck_assert_uint_eq(ev[0].kind, EV_LANE_START);
            ck_assert_uint_eq(ev[5000 * 3 + 1].kind, EV_LANE_END);
        }
        run_free(run);
    }
}
END_TEST

static Suite *exec_suite(void)
{
    Suite *s = suite_create("exec");
    TCase *heap = NULL, *step = NULL, *free_ = NULL, *kill_ = NULL, *crash = NULL, *clock = NULL,
          *rings = NULL;

    add_tcase(s, &heap, "shared heap", test_shared_heap, 10);
    add_tcase(s, &step, "step", test_process_replay_20, 60);
    add_tcase(s, &step, "step", test_process_step_mutex, 60);
    add_tcase(s, &free_, "free", test_process_free_mutex_total, 60);
    add_tcase(s, &free_, "free", test_process_free_deadlock, 60);
    add_tcase(s, &free_, "free", test_thread_free_deadlock_blocked, 60);
    add_tcase(s, &free_, "free", test_process_hang, 60);
    add_tcase(s, &free_, "free", test_process_livelock, 60);
    add_tcase(s, &free_, "free", test_process_invariant, 60);
    add_tcase(s, &kill_, "kill", test_kill_deadlocked_free, 60);
    add_tcase(s, &kill_, "kill", test_kill_step_runs, 60);
    add_tcase(s, &crash, "crash", test_crash_replay, 60);
    add_tcase(s, &crash, "crash", test_crash_interactive_step, 60);
    add_tcase(s, &crash, "crash", test_crash_killed_while_parked, 60);
    add_tcase(s, &crash, "crash", test_crash_free_holding, 60);
    add_tcase(s, &crash, "crash", test_crash_thread_lane, 60);
    add_tcase(s, &clock, "clock", test_clock_events_within_elapsed, 60);
    add_tcase(s, &clock, "clock", test_clock_verdict_times, 60);
    add_tcase(s, &rings, "rings", test_small_ring_keeps_or_counts_every_event, 60);
    add_tcase(s, &rings, "rings", test_drain_max_bounds_each_poll, 30);
    add_tcase(s, &rings, "rings", test_drain_end_max_bounds_each_poll, 30);
    add_tcase(s, &rings, "rings", test_full_log_counts_every_event_it_drops, 30);
    return s;
}

CHECK_MAIN(exec_suite)
