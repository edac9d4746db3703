/*
 * sandbox.c - fork, limits, kill and reap (see sandbox.h).
 *
 * The child sets its process group itself and the parent sets it too, so
 * the group exists before either side relies on it.  Between fork() and
 * the call of fn the child only makes system calls; fn runs in a process
 * with a single thread, so it may use the full library.
 */
#include "config.h"

#include "core/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <unistd.h>

/* tasks allowed beyond the count and the budget: room for what the user's
 * other programs start meanwhile (64 was too little: a second test binary
 * of the same user starting its lanes made a run's lane threads fail with
 * EAGAIN); a run that forks without end still meets the limit at once */
#define SANDBOX_TASK_SLACK 4096

/*
 * Threads the current user runs now, from /proc.  RLIMIT_NPROC is named
 * for processes, but Linux counts tasks: every thread of every process
 * whose real user ID is the caller's (kernel/fork.c, copy_process; the
 * count lives in the user's ucounts).  So a user with a browser of 200
 * threads open already has 200 of them, and a limit of "processes now +
 * the run's budget" would leave the run no room for its lanes.  Each
 * process's /proc/PID/status gives its real UID (the first field of
 * "Uid:"; the owner of /proc/PID is the effective UID, or root for a
 * process that is not dumpable) and its "Threads:" count.
 */
static unsigned sandbox_user_tasks(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    unsigned n = 0;
    uid_t uid = getuid();
    char line[256];

    if (d == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        char path[300];
        FILE *f;
        long ruid = -1, threads = 0;
        if (e->d_name[0] < '0' || e->d_name[0] > '9') {
            continue;
        }
        snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
        f = fopen(path, "re");
        if (f == NULL) {
            continue; /* gone meanwhile */
        }
        while (fgets(line, sizeof(line), f) != NULL) {
            if (strncmp(line, "Uid:", 4) == 0) {
                ruid = strtol(line + 4, NULL, 10);
            } else if (strncmp(line, "Threads:", 8) == 0) {
                threads = strtol(line + 8, NULL, 10);
                break; /* Uid: comes before Threads: */
            }
        }
        fclose(f);
        if (ruid == (long)uid && threads > 0) {
            n += (unsigned)threads;
        }
    }
    closedir(d);
    return n;
}

unsigned sandbox_task_limit(unsigned user_tasks, unsigned budget)
{
    return user_tasks + budget + SANDBOX_TASK_SLACK;
}

static int sandbox_cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Close every descriptor from 3 up, except the kept ones. */
static void sandbox_close_fds(const int *keep, unsigned nkeep)
{
    int k[SANDBOX_KEEP_MAX];
    unsigned n = 0;
    int from = 3;

    for (unsigned i = 0; i < nkeep && n < ARRAY_SIZE(k); i++) {
        if (keep[i] >= 3) {
            k[n++] = keep[i];
        }
    }
    qsort(k, n, sizeof(k[0]), sandbox_cmp_int);
    for (unsigned i = 0; i < n; i++) {
        if (k[i] > from) {
            close_range((unsigned)from, (unsigned)k[i] - 1, 0);
        }
        from = k[i] + 1;
    }
    close_range((unsigned)from, ~0u, 0);
}

int sandbox_start(Sandbox *sb, const SandboxLimits *limits, SandboxFn fn, void *arg,
                  const int *keep_fds, unsigned nkeep, IlError *err)
{
    static bool subreaper;
    unsigned tasks = 0;
    pid_t parent = getpid();
    pid_t pid;

    if (!subreaper) {
        /* orphans of a run (its forked workers) are reparented to us and
         * reaped by sandbox_kill(), instead of lingering under init */
        (void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        subreaper = true;
    }
    if (limits->max_tasks > 0) {
        /* the user's threads now, the run's budget, and room for tasks
         * /proc does not show (other PID namespaces) or that start
         * meanwhile; the limit only stops a run that forks without end */
        tasks = sandbox_task_limit(sandbox_user_tasks(), limits->max_tasks);
    }
    memset(sb, 0, sizeof(*sb));
    pid = fork();
    if (pid < 0) {
        return il_error_set(err, -errno, "cannot start the run: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        struct rlimit rl;
        int devnull;

        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (getppid() != parent) {
            _exit(127); /* the front end is already gone */
        }
        /* every handler of the front end back to the default: the TUI's
         * (which restore the terminal) must never run in a run's process */
        for (int sig = 1; sig < NSIG; sig++) {
            if (sig != SIGKILL && sig != SIGSTOP) {
                signal(sig, SIG_DFL);
            }
        }
        signal(SIGPIPE, SIG_IGN);
        signal(SIGWINCH, SIG_IGN);
        rl.rlim_cur = rl.rlim_max = 0;
        setrlimit(RLIMIT_CORE, &rl);
        if (tasks > 0 && getrlimit(RLIMIT_NPROC, &rl) == 0) {
            /* never above the hard limit the user has: setrlimit would
             * refuse it and leave no limit of ours at all */
            rlim_t want = tasks;
            if (rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max) {
                want = rl.rlim_max;
            }
            rl.rlim_cur = rl.rlim_max = want;
            setrlimit(RLIMIT_NPROC, &rl);
        }
#if !defined(__SANITIZE_ADDRESS__)
        if (limits->max_memory > 0) {
            rl.rlim_cur = rl.rlim_max = limits->max_memory;
            setrlimit(RLIMIT_AS, &rl);
        }
#endif
        if (limits->cpu_seconds > 0) {
            rl.rlim_cur = limits->cpu_seconds;
            rl.rlim_max = limits->cpu_seconds + 1;
            setrlimit(RLIMIT_CPU, &rl);
        }
        devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, 0);
            close(devnull);
        }
        sandbox_close_fds(keep_fds, nkeep);
        _exit(fn(arg));
    }
    setpgid(pid, pid); /* also done by the child; whichever runs first wins */
    sb->pid = pid;
    return 0;
}

pid_t sandbox_fork_lane(SandboxFn fn, void *arg, const int *keep, unsigned nkeep, IlError *err)
{
    pid_t parent = getpid();
    pid_t pid = fork();

    if (pid < 0) {
        return il_error_set(err, -errno, "cannot start a lane process: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        /* no setpgid: the lane stays in the run's group, which kill(-pgid)
         * ends; the death signal covers a sandbox that dies on its own */
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (getppid() != parent) {
            _exit(127); /* the sandbox is already gone */
        }
        sandbox_close_fds(keep, nkeep);
        _exit(fn(arg));
    }
    return pid;
}

bool sandbox_exited(Sandbox *sb)
{
    if (sb->pid <= 0 || sb->reaped) {
        return true;
    }
    pid_t r = waitpid(sb->pid, &sb->status, WNOHANG);
    if (r == sb->pid || (r < 0 && errno == ECHILD)) {
        sb->reaped = true;
    }
    return sb->reaped;
}

void sandbox_wait(Sandbox *sb)
{
    if (sb->pid <= 0 || sb->reaped) {
        return;
    }
    while (waitpid(sb->pid, &sb->status, 0) < 0 && errno == EINTR) {
    }
    sb->reaped = true;
}

void sandbox_kill(Sandbox *sb)
{
    if (sb->pid <= 0) {
        return;
    }
    kill(-sb->pid, SIGKILL);
    if (!sb->reaped) {
        while (waitpid(sb->pid, &sb->status, 0) < 0 && errno == EINTR) {
        }
        sb->reaped = true;
    }
    /* the rest of the group: processes the run forked, reparented to us */
    for (;;) {
        pid_t r = waitpid(-sb->pid, NULL, 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            break; /* ECHILD: nothing of the group is left */
        }
    }
    sb->pid = 0;
}
