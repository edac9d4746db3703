/*
 * lane_exec.c - the thread and process lane executors (see lane_exec.h).
 *
 * LOCKING
 * LaneExec.mu (private to the sandbox process) guards each lane's reaped
 * flag and status and procs_left; the watcher broadcasts cv when it reaps
 * a lane.  It never nests with the scheduler's mutex: on_exit is called
 * without it.
 */
#include "config.h"

#include "core/lane_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "core/sandbox.h"

/* AddressSanitizer must hear of every stack switch (its fiber API). */
#if defined(__SANITIZE_ADDRESS__)
#define LANE_CO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LANE_CO_ASAN 1
#endif
#endif
#ifdef LANE_CO_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

struct LaneCo {
    ucontext_t ctx;          /* the coroutine's registers and stack */
    ucontext_t host;         /* the host's, saved by the last lane_co_resume() */
    void *map;               /* the stack's mapping, a guard page at its bottom */
    size_t map_size;         /* bytes mapped */
    void *lane;              /* its LaneExecLane */
    bool done;               /* the body returned */
    const void *host_bottom; /* sanitizer: the host's stack while it is away */
    size_t host_size;
};
typedef struct LaneExecLane {
    LaneExec *ex;             /* immutable: the set, for the thread trampoline */
    unsigned index;           /* immutable: the lane */
    const LaneExecClass *cls; /* NULL = not started */
    pthread_t thread;         /* thread lanes */
    pid_t pid;                /* process lanes */
    LaneCo *co;               /* coroutine lanes */
    bool gone;                /* GUARDED_BY(LaneExec.mu): process lanes: waitpid() took it, the
                               * pid may belong to a stranger now */
    bool reaped;              /* GUARDED_BY(LaneExec.mu): process lanes: gone and on_exit done */
    int status;               /* GUARDED_BY(LaneExec.mu): waitpid() status once reaped */
    int pidfd;                /* process lanes: the watcher polls it; -1 = closed */
    bool noticed;             /* watcher only: it saw the process end (a zombie) */
    bool zombie;              /* GUARDED_BY(LaneExec.mu): noticed, and kept until reaping is
                               * asked for (on_exit said so) */
    bool reap_asked;          /* GUARDED_BY(LaneExec.mu): lane_exec_reap() or the end */
    unsigned nkeep;           /* immutable after start: descriptors a process lane keeps */
    int keep[SANDBOX_KEEP_MAX];
} LaneExecLane;

struct LaneExec {
    Arena *arena; /* for arena_fatal */
    unsigned n;
    LaneBody body;
    void *const *args;
    size_t stack;
    LaneExitFn on_exit;
    void *cb_arg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned procs_left; /* GUARDED_BY(mu): process lanes not yet reaped */
    int wake[2];         /* a byte to wake[1] makes the watcher look at reap requests */
    bool watching;       /* the watcher thread was started */
    pthread_t watcher;
    LaneExecLane lanes[];
};

static void lane_exec_check(LaneExec *ex, int rc, const char *call)
{
    if (UNLIKELY(rc != 0)) {
        arena_fatal(ex->arena, -1, call, rc);
    }
}

/* ---- threads ------------------------------------------------------- */

static void *lane_exec_thread_main(void *p)
{
    LaneExecLane *l = p;
    (void)l->ex->body(l->ex->args[l->index]);
    return NULL;
}

static int lane_exec_thread_start(LaneExec *ex, unsigned lane, IlError *err)
{
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);

    if (rc == 0 && ex->stack > 0) {
        rc = pthread_attr_setstacksize(&attr, ex->stack);
    }
    if (rc == 0) {
        rc =
            pthread_create(&ex->lanes[lane].thread, &attr, lane_exec_thread_main, &ex->lanes[lane]);
    }
    (void)pthread_attr_destroy(&attr);
    if (rc != 0) {
        return il_error_set(err, -rc, "cannot create a lane thread: %s", strerror(rc));
    }
    return 0;
}

static void lane_exec_thread_join(LaneExec *ex, unsigned lane)
{
    lane_exec_check(ex, pthread_join(ex->lanes[lane].thread, NULL), "pthread_join");
}

static void lane_exec_thread_kill(LaneExec *ex, unsigned lane)
{
    /* a thread cannot be ended alone; it ends with the sandbox */
    (void)ex;
    (void)lane;
}

const LaneExecClass lane_exec_thread = {
    .name = "thread",
    .kind = LANE_KIND_THREAD,
    .forks = false,
    .start = lane_exec_thread_start,
    .join = lane_exec_thread_join,
    .kill = lane_exec_thread_kill,
};

/* ---- processes ----------------------------------------------------- */

static int lane_exec_process_main(void *p)
{
    LaneExecLane *l = p;
    return l->ex->body(l->ex->args[l->index]);
}

static int lane_exec_process_start(LaneExec *ex, unsigned lane, IlError *err)
{
    LaneExecLane *l = &ex->lanes[lane];
    pid_t pid = sandbox_fork_lane(lane_exec_process_main, l, l->keep, l->nkeep, err);
    if (pid < 0) {
        return (int)pid;
    }
    l->pid = pid;
    /* nobody reaps it before the watcher: the pid is surely ours */
    l->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (l->pidfd < 0) {
        int e = errno;
        (void)kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
        return il_error_set(err, -e, "cannot watch a lane process: pidfd_open: %s", strerror(e));
    }
    return 0;
}

/* Ask the watcher to reap lane once it has ended.  Caller holds mu. */
static void lane_exec_ask_reap(LaneExec *ex, unsigned lane)
{
    if (!ex->lanes[lane].reap_asked) {
        ex->lanes[lane].reap_asked = true;
        (void)write(ex->wake[1], "r", 1);
    }
}

static void lane_exec_process_join(LaneExec *ex, unsigned lane)
{
    lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
    lane_exec_ask_reap(ex, lane); /* a zombie kept for its parent: the run is over */
    while (!ex->lanes[lane].reaped) {
        lane_exec_check(ex, pthread_cond_wait(&ex->cv, &ex->mu), "pthread_cond_wait");
    }
    lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
}

static void lane_exec_process_kill(LaneExec *ex, unsigned lane)
{
    lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
    if (!ex->lanes[lane].gone) {
        /* not waited for yet (a zombie at most): the pid is still ours */
        (void)kill(ex->lanes[lane].pid, SIGKILL);
    }
    lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
}

const LaneExecClass lane_exec_process = {
    .name = "process",
    .kind = LANE_KIND_PROCESS,
    .forks = true,
    .start = lane_exec_process_start,
    .join = lane_exec_process_join,
    .kill = lane_exec_process_kill,
};

/* ---- coroutines ---------------------------------------------------- */

/* The coroutine the calling thread is switching into: how the entry
 * function finds its own (makecontext passes only ints). */
static _Thread_local LaneCo *lane_co_entering;

static void lane_co_entry(void)
{
    LaneCo *co = lane_co_entering;
    LaneExecLane *l = co->lane;

#ifdef LANE_CO_ASAN
    __sanitizer_finish_switch_fiber(NULL, &co->host_bottom, &co->host_size);
#endif
    (void)l->ex->body(l->ex->args[l->index]);
    co->done = true;
#ifdef LANE_CO_ASAN
    __sanitizer_start_switch_fiber(NULL, co->host_bottom, co->host_size);
#endif
    /* returning switches to uc_link: the host, in lane_co_resume() */
}

static int lane_exec_co_start(LaneExec *ex, unsigned lane, IlError *err)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t stack = ex->stack > 0 ? ex->stack : 256 * 1024;
    LaneCo *co = calloc(1, sizeof(*co));

    if (co == NULL) {
        return il_error_set(err, -ENOMEM, "cannot make a coroutine: out of memory");
    }
    co->map_size = (stack + page - 1) / page * page + page;
    co->map = mmap(NULL, co->map_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (co->map == MAP_FAILED) {
        int e = errno;
        free(co);
        return il_error_set(err, -e, "cannot map a coroutine's stack: %s", strerror(e));
    }
    /* the lowest page is a guard: an overflow faults instead of writing over
     * another mapping */
    (void)mprotect(co->map, page, PROT_NONE);
    if (getcontext(&co->ctx) < 0) {
        int e = errno;
        munmap(co->map, co->map_size);
        free(co);
        return il_error_set(err, -e, "getcontext: %s", strerror(e));
    }
    co->ctx.uc_stack.ss_sp = (char *)co->map + page;
    co->ctx.uc_stack.ss_size = co->map_size - page;
    co->ctx.uc_link = &co->host;
    co->lane = &ex->lanes[lane];
    makecontext(&co->ctx, lane_co_entry, 0);
    ex->lanes[lane].co = co;
    return 0;
}

static void lane_exec_co_join(LaneExec *ex, unsigned lane)
{
    /* a coroutine runs on its host's thread: it has ended (or will never
     * run again) once the host did, and the host is joined as a thread */
    (void)ex;
    (void)lane;
}

static void lane_exec_co_kill(LaneExec *ex, unsigned lane)
{
    (void)ex;
    (void)lane;
}

const LaneExecClass lane_exec_coroutine = {
    .name = "coroutine",
    .kind = LANE_KIND_COROUTINE,
    .forks = false,
    .start = lane_exec_co_start,
    .join = lane_exec_co_join,
    .kill = lane_exec_co_kill,
};

bool lane_co_resume(LaneCo *co)
{
    LaneCo *outer = lane_co_entering;

    lane_co_entering = co;
#ifdef LANE_CO_ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, co->ctx.uc_stack.ss_sp, co->ctx.uc_stack.ss_size);
#endif
    if (swapcontext(&co->host, &co->ctx) < 0) {
        LaneExecLane *l = co->lane;
        lane_exec_check(l->ex, errno, "swapcontext");
    }
#ifdef LANE_CO_ASAN
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
    lane_co_entering = outer;
    return co->done;
}

void lane_co_yield(LaneCo *co)
{
#ifdef LANE_CO_ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, co->host_bottom, co->host_size);
#endif
    if (swapcontext(&co->ctx, &co->host) < 0) {
        LaneExecLane *l = co->lane;
        lane_exec_check(l->ex, errno, "swapcontext");
    }
#ifdef LANE_CO_ASAN
    __sanitizer_finish_switch_fiber(fake, &co->host_bottom, &co->host_size);
#endif
}

LaneCo *lane_exec_co(const LaneExec *ex, unsigned lane)
{
    return lane < ex->n ? ex->lanes[lane].co : NULL;
}

/* The waitpid() status a process that ended as si says would have. */
static int lane_exec_status(const siginfo_t *si)
{
    switch (si->si_code) {
    case CLD_EXITED:
        return (si->si_status & 0xff) << 8;
    case CLD_DUMPED:
        return (si->si_status & 0x7f) | 0x80;
    default: /* CLD_KILLED */
        return si->si_status & 0x7f;
    }
}

/* Reap lane (ended, not yet reaped) and tell on_exit.  Thread: watcher. */
static void lane_exec_reap_now(LaneExec *ex, unsigned i)
{
    LaneExecLane *l = &ex->lanes[i];
    int status = 0;

    lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
    while (waitpid(l->pid, &status, 0) < 0 && errno == EINTR) {
    }
    l->gone = true;
    l->zombie = false;
    lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
    if (ex->on_exit != NULL) {
        (void)ex->on_exit(ex->cb_arg, i, status, true);
    }
    lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
    l->reaped = true;
    l->status = status;
    ex->procs_left--;
    lane_exec_check(ex, pthread_cond_broadcast(&ex->cv), "pthread_cond_broadcast");
    lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
    close(l->pidfd);
    l->pidfd = -1;
}

/*
 * The watcher: reap lane processes as they end, until none is left.  It
 * polls each live lane's pidfd (readable once the process has ended) and
 * its wake pipe.  For a process that ended it first only looks (waitid
 * WNOWAIT: the zombie keeps its pid) and reports the end; then it reaps it
 * at once, or, when on_exit asks to keep it (a death a parent lane will
 * notice and wait for), only once lane_exec_reap() or the end of the run
 * asks.  Reaping is under mu, so lane_exec_process_kill() never signals a
 * pid that was reused.
 */
static void *lane_exec_watch(void *p)
{
    LaneExec *ex = p;
    struct pollfd *pfd = calloc(ex->n + 1, sizeof(*pfd));
    unsigned *who = calloc(ex->n + 1, sizeof(*who));

    if (pfd == NULL || who == NULL) {
        arena_fatal(ex->arena, -1, "lane watcher: calloc", ENOMEM);
    }
    for (;;) {
        unsigned left, np = 0;

        lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
        left = ex->procs_left;
        lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
        if (left == 0) {
            break;
        }
        pfd[np++] = (struct pollfd){ex->wake[0], POLLIN, 0};
        for (unsigned i = 0; i < ex->n; i++) {
            LaneExecLane *l = &ex->lanes[i];
            if (l->cls == &lane_exec_process && !l->noticed) {
                who[np] = i;
                pfd[np++] = (struct pollfd){l->pidfd, POLLIN, 0};
            }
        }
        if (poll(pfd, np, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            arena_fatal(ex->arena, -1, "lane watcher: poll", errno);
        }
        if (pfd[0].revents != 0) {
            char drain[64];
            while (read(ex->wake[0], drain, sizeof(drain)) > 0) {
            }
        }
        for (unsigned k = 1; k < np; k++) {
            unsigned i = who[k];
            LaneExecLane *l = &ex->lanes[i];
            siginfo_t si;
            bool keep = false;
            if (pfd[k].revents == 0) {
                continue;
            }
            memset(&si, 0, sizeof(si));
            if (waitid(P_PID, (id_t)l->pid, &si, WEXITED | WNOWAIT | WNOHANG) < 0 ||
                si.si_pid != l->pid) {
                continue; /* EINTR, or not ended after all: look again */
            }
            l->noticed = true;
            if (ex->on_exit != NULL) {
                keep = ex->on_exit(ex->cb_arg, i, lane_exec_status(&si), false);
            }
            lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
            l->zombie = keep && !l->reap_asked;
            lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
        }
        for (unsigned i = 0; i < ex->n; i++) {
            LaneExecLane *l = &ex->lanes[i];
            bool now;
            if (l->cls != &lane_exec_process || !l->noticed) {
                continue;
            }
            lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
            now = !l->gone && (!l->zombie || l->reap_asked);
            lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
            if (now) {
                lane_exec_reap_now(ex, i);
            }
        }
    }
    free(pfd);
    free(who);
    return NULL;
}

int lane_exec_reap(LaneExec *ex, unsigned lane, int *status)
{
    LaneExecLane *l = &ex->lanes[lane];
    int rc = 0;

    if (lane >= ex->n || l->cls != &lane_exec_process) {
        return -ECHILD;
    }
    lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
    lane_exec_ask_reap(ex, lane);
    while (!l->reaped) {
        lane_exec_check(ex, pthread_cond_wait(&ex->cv, &ex->mu), "pthread_cond_wait");
    }
    *status = l->status;
    lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
    return rc;
}

/* ---- the set ------------------------------------------------------- */

const LaneExecClass *lane_exec_class(LaneKind kind)
{
    switch (kind) {
    case LANE_KIND_PROCESS:
        return &lane_exec_process;
    case LANE_KIND_COROUTINE:
        return &lane_exec_coroutine;
    default:
        return &lane_exec_thread;
    }
}

LaneExec *lane_exec_new(Arena *arena, unsigned nlanes, LaneBody body, void *const *args,
                        size_t stack, LaneExitFn on_exit, void *cb_arg)
{
    LaneExec *ex = calloc(1, sizeof(*ex) + nlanes * sizeof(LaneExecLane));

    if (ex == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&ex->mu, NULL) != 0) {
        free(ex);
        return NULL;
    }
    if (pthread_cond_init(&ex->cv, NULL) != 0) {
        (void)pthread_mutex_destroy(&ex->mu);
        free(ex);
        return NULL;
    }
    if (pipe2(ex->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        (void)pthread_cond_destroy(&ex->cv);
        (void)pthread_mutex_destroy(&ex->mu);
        free(ex);
        return NULL;
    }
    ex->arena = arena;
    ex->n = nlanes;
    ex->body = body;
    ex->args = args;
    ex->stack = stack;
    ex->on_exit = on_exit;
    ex->cb_arg = cb_arg;
    for (unsigned i = 0; i < nlanes; i++) {
        ex->lanes[i].ex = ex;
        ex->lanes[i].index = i;
        ex->lanes[i].pidfd = -1;
    }
    return ex;
}

int lane_exec_keep(LaneExec *ex, unsigned lane, const int *fds, unsigned n)
{
    if (n > SANDBOX_KEEP_MAX) {
        return -E2BIG;
    }
    memcpy(ex->lanes[lane].keep, fds, n * sizeof(*fds));
    ex->lanes[lane].nkeep = n;
    return 0;
}

int lane_exec_start(LaneExec *ex, const LaneKind *kinds, IlError *err)
{
    sigset_t all, old;
    int rc = 0;

    /* 1. lane processes, while this is the sandbox's only thread */
    for (unsigned i = 0; i < ex->n; i++) {
        const LaneExecClass *cls = lane_exec_class(kinds[i]);
        if (!cls->forks) {
            continue;
        }
        rc = cls->start(ex, i, err);
        if (rc < 0) {
            return rc;
        }
        ex->lanes[i].cls = cls;
        ex->procs_left++; /* no other thread yet: no lock needed */
    }
    /* 2. the watcher and 3. the lane threads inherit a full signal mask */
    sigfillset(&all);
    lane_exec_check(ex, pthread_sigmask(SIG_SETMASK, &all, &old), "pthread_sigmask");
    if (ex->procs_left > 0) {
        rc = pthread_create(&ex->watcher, NULL, lane_exec_watch, ex);
        if (rc != 0) {
            rc = il_error_set(err, -rc, "cannot watch the lane processes: %s", strerror(rc));
        } else {
            ex->watching = true;
        }
    }
    for (unsigned i = 0; i < ex->n && rc == 0; i++) {
        const LaneExecClass *cls = lane_exec_class(kinds[i]);
        if (cls->forks) {
            continue;
        }
        rc = cls->start(ex, i, err);
        if (rc == 0) {
            ex->lanes[i].cls = cls;
        }
    }
    lane_exec_check(ex, pthread_sigmask(SIG_SETMASK, &old, NULL), "pthread_sigmask");
    return rc;
}

void lane_exec_join(LaneExec *ex)
{
    for (unsigned i = 0; i < ex->n; i++) {
        if (ex->lanes[i].cls != NULL) {
            ex->lanes[i].cls->join(ex, i);
        }
    }
}

void lane_exec_kill(LaneExec *ex)
{
    for (unsigned i = 0; i < ex->n; i++) {
        if (ex->lanes[i].cls != NULL) {
            ex->lanes[i].cls->kill(ex, i);
        }
    }
}

pid_t lane_exec_pid(const LaneExec *ex, unsigned lane)
{
    return ex->lanes[lane].cls == &lane_exec_process ? ex->lanes[lane].pid : 0;
}

void lane_exec_free(LaneExec *ex)
{
    if (ex == NULL) {
        return;
    }
    if (ex->watching) {
        /* zombies kept for a parent lane: the run is over, reap them */
        lane_exec_check(ex, pthread_mutex_lock(&ex->mu), "pthread_mutex_lock");
        for (unsigned i = 0; i < ex->n; i++) {
            if (ex->lanes[i].cls == &lane_exec_process) {
                lane_exec_ask_reap(ex, i);
            }
        }
        lane_exec_check(ex, pthread_mutex_unlock(&ex->mu), "pthread_mutex_unlock");
        lane_exec_check(ex, pthread_join(ex->watcher, NULL), "pthread_join");
    }
    for (unsigned i = 0; i < ex->n; i++) {
        if (ex->lanes[i].co != NULL) {
            munmap(ex->lanes[i].co->map, ex->lanes[i].co->map_size);
            free(ex->lanes[i].co);
        }
    }
    close(ex->wake[0]);
    close(ex->wake[1]);
    (void)pthread_cond_destroy(&ex->cv);
    (void)pthread_mutex_destroy(&ex->mu);
    free(ex);
}
