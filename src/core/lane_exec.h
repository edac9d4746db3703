/*
 * lane_exec.h - lane executors: what runs a lane (a thread or a process).
 *
 * DESIGN
 * A lane is a body of demo code (LaneBody) that some executor runs.  The
 * executor behind a lane is a LaneExecClass, a const vtable in the spirit
 * of htop's MeterClass: a name, whether it starts lanes by fork(), and
 * start / join / kill.  Two exist:
 *
 *   thread   a pthread of the sandbox (the lanes of every demo so far);
 *   process  a process forked by the sandbox (sandbox_fork_lane): in the
 *            run's process group, killed when the sandbox dies, talking
 *            only through shared memory (the arena, the shared heap).
 *
 * A LaneExec is the set of lanes of one run.  lane_exec_start() starts
 * them in the one order that is safe: every forking lane first, while the
 * sandbox has a single thread (POSIX: after fork() in a multithreaded
 * process only async-signal-safe calls are allowed until exec), then a
 * watcher thread that reaps the lane processes, then the lane threads.
 * The watcher is the only caller of waitpid() in the sandbox: it polls
 * each lane process's pidfd (Linux >= 5.3), and for each one that ends it
 * calls the run's LaneExitFn twice, once when it sees the process ended
 * (a zombie: the run records the exit in the arena and tells the
 * scheduler when the lane died before it finished) and once when it has
 * reaped it, and then marks the lane reaped, which the process executor's
 * join waits for.  A zombie may be kept until a lane asks to reap it
 * (lane_exec_reap: the parent waiting for its dead child), so the time a
 * dead worker spends as a zombie is real and shows.
 *
 * A lane process keeps only the descriptors lane_exec_keep() gave it (the
 * pipe ends its lane uses); every other one is closed when it is forked.
 *
 * The scheduler (sched.c) treats every lane alike: its state lives in a
 * process-shared mapping, and a lane waits for a grant on its own
 * condition variable there, whatever runs it.
 *
 * The third executor runs coroutines:
 *
 *   coroutine  a context (its own stack, its own registers) on the thread
 *              of its host lane, the lane that runs the event loop
 *              (prims/il_loop.h).  start only makes the context; the host
 *              switches into it (lane_co_resume) and it switches back
 *              (lane_co_yield) where it awaits, so the coroutines of a loop
 *              never run at the same time and never run in parallel with
 *              their loop.  Each is a lane with its own ring: the one OS
 *              thread writes each ring in turn, one producer at a time, so
 *              recording stays free of locks and allocation.  join does
 *              nothing (a coroutine ends with its host, which joins its
 *              thread), kill does nothing (it dies with the sandbox).
 *
 * The switch is glibc's makecontext()/swapcontext() (ucontext.h, POSIX.1
 * 2001): portable across glibc's architectures, known to the sanitizers
 * (fiber annotations below), and its cost - one rt_sigprocmask system call
 * to keep the signal mask - is paid at an await, never on the recording
 * path.  A hand-written register switch would save that call and tie the
 * code to one ABI; an await already costs an epoll_wait() or more.
 *
 * Where step mode parks and wakes a coroutine: it never parks at an
 * instrumented point (only an await switches), and its host waits for the
 * grant in its stead; see HOSTS AND GUESTS in core/sched.h.
 *
 * All functions: Thread: the sandbox's controller.
 */
#ifndef INTERLEAVE_CORE_LANE_EXEC_H
#define INTERLEAVE_CORE_LANE_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/arena.h"
#include "core/compiler.h"
#include "core/error.h"

/* The body of a lane; its return value is a lane process's exit status. */
typedef int (*LaneBody)(void *arg);

/* Called by the watcher thread when lane's process has ended, with its
 * waitpid() status: first with reaped false, as soon as it sees the
 * process ended (a zombie, its pid still taken), then with reaped true
 * once it has reaped it, before the lane counts as reaped.  The first
 * call returns true to keep the zombie until lane_exec_reap() (a parent
 * lane that will notice the death and wait for it) or the end of the
 * run; false reaps it at once.  Thread: watcher. */
typedef bool (*LaneExitFn)(void *cb_arg, unsigned lane, int status, bool reaped);

typedef struct LaneExec LaneExec;

typedef struct LaneExecClass {
    const char *name; /* "thread", "process" */
    LaneKind kind;
    bool forks; /* starts by fork(): before any thread of the sandbox */
    /* start lane (its body and argument are the set's); 0 or negative */
    int (*start)(LaneExec *ex, unsigned lane, IlError *err);
    /* wait until a started lane has ended (its body returned, or it died) */
    void (*join)(LaneExec *ex, unsigned lane);
    /* end a started lane now, if the executor can end it alone (a process:
     * SIGKILL, reaped by the watcher); a thread ends with its sandbox */
    void (*kill)(LaneExec *ex, unsigned lane);
} LaneExecClass;

extern const LaneExecClass lane_exec_thread;
extern const LaneExecClass lane_exec_process;
extern const LaneExecClass lane_exec_coroutine;

/* A coroutine lane's context (the coroutine executor's). */
typedef struct LaneCo LaneCo;

/* The executor for kind.  Thread: any. */
const LaneExecClass *lane_exec_class(LaneKind kind);

/*
 * A set of nlanes lanes, each running body(args[lane]); thread lanes get
 * stack bytes of stack.  on_exit (may be NULL) hears of every lane process
 * that ends.  arena is where a failed pthread call is reported
 * (arena_fatal).  args is borrowed and must stay valid while lanes run.
 * Returns the set (free with lane_exec_free()) or NULL (out of memory).
 */
LaneExec *lane_exec_new(Arena *arena, unsigned nlanes, LaneBody body, void *const *args,
                        size_t stack, LaneExitFn on_exit, void *cb_arg) ATTR_WARN_UNUSED_RESULT;

/*
 * The descriptors lane keeps if it is forked (the pipe ends it uses): at
 * most SANDBOX_KEEP_MAX (core/sandbox.h), copied.  Call before
 * lane_exec_start().  Returns 0, or -E2BIG for too many.
 */
int lane_exec_keep(LaneExec *ex, unsigned lane, const int *fds, unsigned n);

/*
 * Start every lane, lane i with the executor of kinds[i]: forking lanes,
 * then the watcher, then threads (with every signal blocked: only the
 * controller takes signals).  Returns 0, or a negative error with err
 * filled; the lanes started so far go on (the caller ends the sandbox).
 */
int lane_exec_start(LaneExec *ex, const LaneKind *kinds, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Wait until every started lane has ended.  Only when they all will
 * (every lane finished or was killed). */
void lane_exec_join(LaneExec *ex);

/* Kill every lane that can be killed alone (the processes); the watcher
 * reaps them. */
void lane_exec_kill(LaneExec *ex);

/*
 * Reap lane's process, a zombie kept for its parent (see LaneExitFn):
 * like waitpid(), wait until it has ended and the watcher has reaped it,
 * and set *status to its waitpid() status.  Returns 0, or -ECHILD when
 * lane is not a process.  Call it for a process known to have ended
 * (ArenaLane.ended), or it waits for that.
 * Thread: any thread of the sandbox (its memory holds the set).
 */
int lane_exec_reap(LaneExec *ex, unsigned lane, int *status);

/* The process of a started process lane, 0 otherwise. */
pid_t lane_exec_pid(const LaneExec *ex, unsigned lane);

/* The context of a started coroutine lane, NULL for other lanes.  Borrowed:
 * valid until lane_exec_free(). */
LaneCo *lane_exec_co(const LaneExec *ex, unsigned lane);

/*
 * Switch from the calling thread (the host) into coroutine co, until it
 * switches back (lane_co_yield) or its body returns.  Returns true once its
 * body has returned (resuming it again is a bug).  Thread: the host lane's.
 */
bool lane_co_resume(LaneCo *co);

/* From inside coroutine co: switch back to the host, where lane_co_resume()
 * returns; this call returns when the host resumes co again.  Thread: the
 * coroutine (on its host's thread). */
void lane_co_yield(LaneCo *co);

/* Free the set, after lane_exec_join() (it joins the watcher).  NULL does
 * nothing. */
void lane_exec_free(LaneExec *ex);

#endif /* INTERLEAVE_CORE_LANE_EXEC_H */
