/*
 * check_sandbox.c - killing and reaping runs (core/sandbox.h, core/run.h).
 *
 * The promise: whatever a run does - hang in pause(), fork a grandchild
 * that hangs too, wait forever for a step that never comes - the front
 * end can end it at any moment and nothing is left behind: no zombie, no
 * leftover process, no leaked descriptor, no leftover mapping.  Every
 * check here looks at the kernel's view (kill(pid, 0), waitpid, /proc),
 * not at what the library believes.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_common.h"
#include "check_resources.h"
#include "core/run.h"
#include "core/sandbox.h"
#include "demos/race.h"

/* Children of this process, from /proc; returns how many were stored. */
static int list_children(pid_t *out, int max)
{
    char path[64];
    FILE *f;
    int n = 0;
    long pid;

    snprintf(path, sizeof(path), "/proc/self/task/%ld/children", (long)getpid());
    f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    while (n < max && fscanf(f, "%ld", &pid) == 1) {
        out[n++] = (pid_t)pid;
    }
    fclose(f);
    return n;
}

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

/* Wait (politely) until sb's child has exited; the tcase timeout bounds it. */
static void wait_exited(Sandbox *sb)
{
    while (!sandbox_exited(sb)) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

/* The hung run: fork a grandchild that pauses, report its pid, pause. */
static int hang_with_grandchild(void *arg)
{
    int fd = *(int *)arg;
    pid_t g = fork();

    if (g == 0) {
        for (;;) {
            pause();
        }
    }
    if (g < 0 || write(fd, &g, sizeof(g)) != (ssize_t)sizeof(g)) {
        return 9;
    }
    for (;;) {
        pause();
    }
    return 0;
}

/* The thread limit leaves room for the user's other programs: a second
 * run or test binary of the same user may start a few hundred threads
 * while this run starts its lanes (Linux counts every thread of the
 * user).  Two 64-lane runs and a 300-thread program started meanwhile
 * must fit under the limit of a run that counted none of them. */
START_TEST(test_task_limit_leaves_room_for_others)
{
    unsigned budget = 64 + 16;
    ck_assert_uint_ge(sandbox_task_limit(0, budget), budget + 2 * (64 + 16) + 300);
    ck_assert_uint_ge(sandbox_task_limit(500, budget), 500 + budget + 2 * (64 + 16) + 300);
}
END_TEST

START_TEST(test_kill_hung_run_and_grandchild)
{
    SandboxLimits lim = {0, 0, 0};
    Sandbox sb;
    IlError err;
    int fds_before = count_fds();
    int p[2];
    pid_t child, grandchild = 0;

    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(sandbox_start(&sb, &lim, hang_with_grandchild, &p[1], &p[1], 1, &err), 0);
    close(p[1]);
    child = sb.pid;
    ck_assert_int_gt(child, 0);
    ck_assert_int_eq(read(p[0], &grandchild, sizeof(grandchild)), (ssize_t)sizeof(grandchild));
    close(p[0]);
    ck_assert_int_gt(grandchild, 0);

    /* both are alive, in the run's own process group, and hung */
    ck_assert_int_eq(kill(child, 0), 0);
    ck_assert_int_eq(kill(grandchild, 0), 0);
    ck_assert_int_eq(getpgid(child), child);
    ck_assert_int_eq(getpgid(grandchild), child);
    ck_assert(!sandbox_exited(&sb));

    sandbox_kill(&sb);
    ck_assert(WIFSIGNALED(sb.status) && WTERMSIG(sb.status) == SIGKILL);
    assert_gone(child);
    assert_gone(grandchild);
    assert_no_children();
    ck_assert_int_eq(count_fds(), fds_before);
    /* a second kill is harmless */
    sandbox_kill(&sb);
    assert_no_children();
}
END_TEST

/* The child orphans its grandchild by exiting first: the grandchild is
 * reparented to the front end (a subreaper) and still reaped by kill. */
static int exit_leaving_grandchild(void *arg)
{
    int fd = *(int *)arg;
    pid_t g = fork();

    if (g == 0) {
        for (;;) {
            pause();
        }
    }
    if (g < 0 || write(fd, &g, sizeof(g)) != (ssize_t)sizeof(g)) {
        return 9;
    }
    return 4;
}

START_TEST(test_orphaned_grandchild_reaped)
{
    SandboxLimits lim = {0, 0, 0};
    Sandbox sb;
    IlError err;
    int p[2];
    pid_t grandchild = 0;

    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(sandbox_start(&sb, &lim, exit_leaving_grandchild, &p[1], &p[1], 1, &err), 0);
    close(p[1]);
    ck_assert_int_eq(read(p[0], &grandchild, sizeof(grandchild)), (ssize_t)sizeof(grandchild));
    close(p[0]);
    wait_exited(&sb);
    ck_assert(WIFEXITED(sb.status) && WEXITSTATUS(sb.status) == 4);
    ck_assert_int_eq(kill(grandchild, 0), 0); /* still hanging, now ours */
    sandbox_kill(&sb);
    assert_gone(grandchild);
    assert_no_children();
}
END_TEST

/* In the child: fd 0 is /dev/null and descriptors not kept are closed. */
typedef struct FdProbe {
    int kept, dropped;
} FdProbe;

static int probe_fds(void *arg)
{
    FdProbe *pr = arg;
    char c;
    if (fcntl(pr->kept, F_GETFD) < 0) {
        return 1;
    }
    if (fcntl(pr->dropped, F_GETFD) >= 0 || errno != EBADF) {
        return 2;
    }
    if (read(0, &c, 1) != 0) {
        return 3; /* stdin is not /dev/null */
    }
    if (getpgid(0) != getpid()) {
        return 4;
    }
    return 0;
}

START_TEST(test_child_environment)
{
    SandboxLimits lim = {0, 0, 0};
    Sandbox sb;
    IlError err;
    int a[2], b[2];
    FdProbe pr;

    ck_assert_int_eq(pipe(a), 0);
    ck_assert_int_eq(pipe(b), 0);
    pr.kept = a[1];
    pr.dropped = b[1];
    ck_assert_int_eq(sandbox_start(&sb, &lim, probe_fds, &pr, &pr.kept, 1, &err), 0);
    wait_exited(&sb);
    ck_assert_msg(WIFEXITED(sb.status) && WEXITSTATUS(sb.status) == 0, "probe failed: %d",
                  WIFEXITED(sb.status) ? WEXITSTATUS(sb.status) : -1);
    sandbox_kill(&sb);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
    assert_no_children();
}
END_TEST

static int spin_forever(void *arg)
{
    volatile unsigned long n = 0;
    (void)arg;
    for (;;) {
        n++;
    }
    return 0;
}

START_TEST(test_cpu_limit)
{
    SandboxLimits lim = {0, 0, 1};
    Sandbox sb;
    IlError err;

    ck_assert_int_eq(sandbox_start(&sb, &lim, spin_forever, NULL, NULL, 0, &err), 0);
    wait_exited(&sb);
    ck_assert_msg(WIFSIGNALED(sb.status) &&
                      (WTERMSIG(sb.status) == SIGXCPU || WTERMSIG(sb.status) == SIGKILL),
                  "status %#x", sb.status);
    sandbox_kill(&sb);
    assert_no_children();
}
END_TEST

#if !defined(__SANITIZE_ADDRESS__)
static int alloc_too_much(void *arg)
{
    (void)arg;
    return malloc((size_t)1 << 31) == NULL ? 0 : 1;
}
#endif

START_TEST(test_memory_limit)
{
#if defined(__SANITIZE_ADDRESS__)
    return; /* address-space limits do not apply under AddressSanitizer */
#else
    SandboxLimits lim = {0, (uint64_t)1 << 30, 0};
    Sandbox sb;
    IlError err;

    ck_assert_int_eq(sandbox_start(&sb, &lim, alloc_too_much, NULL, NULL, 0, &err), 0);
    wait_exited(&sb);
    ck_assert_msg(WIFEXITED(sb.status) && WEXITSTATUS(sb.status) == 0,
                  "a 2 GiB allocation succeeded under a 1 GiB limit");
    sandbox_kill(&sb);
#endif
}
END_TEST

/* ---- whole runs ----------------------------------------------------- */

static Run *start_step_run(double timeout_s)
{
    RunConfig cfg;
    IlError err;
    Run *run;

    run_config_init(&cfg, &race_demo);
    cfg.params[RACE_THREADS] = 3;
    cfg.params[RACE_ITERATIONS] = 2;
    cfg.params[RACE_VARIANT] = RACE_MUTEX;
    cfg.mode = SCHED_STEP;
    cfg.interactive = true;
    cfg.timeout_s = timeout_s;
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "run_start: %s", err.msg);
    return run;
}

START_TEST(test_free_unfinished_step_run)
{
    SchedToken a = {0, TOK_STEPS, 1, 1};
    IlError err;
    pid_t kids[16];
    int nkids, maps_before, shared_before, fds_before;
    Run *run;

    /* a first run warms up the allocator and the clock calibration, so
     * the second one is measured against a settled address space */
    run = start_step_run(30);
    ck_assert_int_eq(run_send(run, &a, &err), RUN_SEND_OK);
    run_free(run);
    assert_no_children();

    maps_before = count_maps(false);
    shared_before = count_maps(true);
    fds_before = count_fds();
    run = start_step_run(30);
    ck_assert_int_eq(run_send(run, &a, &err), RUN_SEND_OK); /* A holds m; B, C wait */
    nkids = list_children(kids, 16);
    ck_assert_int_eq(nkids, 1);
    ck_assert(!run_done(run));
    ck_assert_int_eq(count_maps(true), shared_before + 1); /* the arena */
    run_free(run);

    assert_gone(kids[0]);
    assert_no_children();
    ck_assert_int_eq(count_maps(true), shared_before);
#if !defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer's allocator maps memory of its own on the way */
    ck_assert_int_eq(count_maps(false), maps_before);
#else
    (void)maps_before;
#endif
    ck_assert_int_eq(count_fds(), fds_before);
}
END_TEST

START_TEST(test_step_run_times_out)
{
    pid_t kids[16];
    int fds_before = count_fds();
    Run *run = start_step_run(0.2);

    ck_assert_int_eq(list_children(kids, 16), 1);
    ck_assert_int_eq(run_wait(run), VERDICT_TIMEOUT);
    ck_assert_int_eq(run_verdict(run), VERDICT_TIMEOUT);
    ck_assert_msg(strstr(run_message(run), "time limit") != NULL, "%s", run_message(run));
    assert_gone(kids[0]);
    assert_no_children();
    run_free(run);
    ck_assert_int_eq(count_fds(), fds_before);
}
END_TEST

START_TEST(test_kill_free_run)
{
    RunConfig cfg;
    IlError err;
    pid_t kids[16];
    Run *run;

    run_config_init(&cfg, &race_demo);
    cfg.params[RACE_THREADS] = 4;
    cfg.params[RACE_ITERATIONS] = RACE_MAX_ITERATIONS;
    cfg.params[RACE_VARIANT] = RACE_MUTEX;
    cfg.tracing = false;
    run = run_start(&cfg, &err);
    ck_assert_msg(run != NULL, "run_start: %s", err.msg);
    ck_assert_int_eq(list_children(kids, 16), 1);
    ck_assert(!run_poll(run, 0));
    run_kill(run);
    ck_assert(run_done(run));
    ck_assert_int_eq(run_verdict(run), VERDICT_KILLED);
    assert_gone(kids[0]);
    assert_no_children();
    run_kill(run); /* idempotent */
    ck_assert_int_eq(run_verdict(run), VERDICT_KILLED);
    run_free(run);
}
END_TEST

static Suite *sandbox_suite(void)
{
    Suite *s = suite_create("sandbox");
    TCase *sb = NULL, *lim = NULL, *runs = NULL;

    add_tcase(s, &sb, "sandbox", test_task_limit_leaves_room_for_others, 10);
    add_tcase(s, &sb, "sandbox", test_kill_hung_run_and_grandchild, 10);
    add_tcase(s, &sb, "sandbox", test_orphaned_grandchild_reaped, 10);
    add_tcase(s, &sb, "sandbox", test_child_environment, 10);
    add_tcase(s, &lim, "limits", test_cpu_limit, 20);
    add_tcase(s, &lim, "limits", test_memory_limit, 10);
    add_tcase(s, &runs, "runs", test_free_unfinished_step_run, 20);
    add_tcase(s, &runs, "runs", test_step_run_times_out, 20);
    add_tcase(s, &runs, "runs", test_kill_free_run, 20);
    return s;
}

CHECK_MAIN(sandbox_suite)
