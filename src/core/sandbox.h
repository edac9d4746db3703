/*
 * sandbox.h - a run's process: forked, grouped, limited, always reapable.
 *
 * DESIGN
 * Each demo run is a forked child in its own process group with resource
 * limits.  The front end can kill it at any moment (kill(-pgid, SIGKILL))
 * and reap it and everything it forked, also while it is deadlocked: the
 * front end makes itself a child subreaper, so processes the run forked
 * are reparented to it and reaped too.  The child gets SIGKILL when its
 * parent dies, so a run never outlives the front end.  Inside the
 * sandbox, lane processes are forked the same way (sandbox_fork_lane):
 * in the run's group, killed with their parent.  Only this module calls
 * fork().
 */
#ifndef INTERLEAVE_CORE_SANDBOX_H
#define INTERLEAVE_CORE_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/compiler.h"
#include "core/error.h"

typedef struct SandboxLimits {
    unsigned max_tasks;   /* threads + processes the run may add, 0 = no limit */
    uint64_t max_memory;  /* bytes of address space, 0 = no limit (ignored under ASan) */
    unsigned cpu_seconds; /* CPU time, 0 = no limit */
} SandboxLimits;

typedef struct Sandbox {
    pid_t pid;  /* the child, also its process group id; 0 = none */
    int status; /* waitpid status once reaped */
    bool reaped;
} Sandbox;

/* The function a sandbox runs; its return value is the exit status. */
typedef int (*SandboxFn)(void *arg);

/*
 * The RLIMIT_NPROC a run's sandbox gets, given the user's tasks (threads
 * of all its processes, Linux's count: kernel/fork.c, copy_process) when
 * the run starts and the run's own budget: the count, the budget, and
 * SANDBOX_TASK_SLACK for tasks the user's other programs start while the
 * run goes (a second run, a test suite running in parallel, a browser
 * opening tabs).  The limit only stops a run that forks without end.
 * Thread: any.
 */
unsigned sandbox_task_limit(unsigned user_tasks, unsigned budget);

/*
 * Fork a child that joins a new process group, applies limits, closes every
 * descriptor except 0, 1, 2 and the keep_fds, and calls fn(arg), then
 * _exit()s with its value.  stdin is /dev/null in the child.
 * Returns 0, or a negative errno with err filled.
 * Thread: the front end's main thread.
 */
int sandbox_start(Sandbox *sb, const SandboxLimits *limits, SandboxFn fn, void *arg,
                  const int *keep_fds, unsigned nkeep, IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Inside a sandbox: fork a lane process that runs fn(arg) and _exit()s
 * with its value.  The process stays in the run's process group (so
 * killing the run kills it), gets SIGKILL when the process that forked
 * it dies (PR_SET_PDEATHSIG), and closes every descriptor from 3 up but
 * the nkeep in keep (the pipe ends its lane uses, at most
 * SANDBOX_KEEP_MAX; NULL and 0 = none: it talks through shared memory
 * only).  The caller must be single-threaded at that moment (lane
 * processes start before lane threads), so the child may use the full
 * library.  Returns the child's pid (> 0), or a negative errno with err
 * filled.  The caller reaps it.
 * Thread: the sandbox's controller, while it is the only thread.
 */
pid_t sandbox_fork_lane(SandboxFn fn, void *arg, const int *keep, unsigned nkeep,
                        IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Descriptors a lane process (or the sandbox) may keep open. */
#define SANDBOX_KEEP_MAX 64

/* True once the child has exited (reaps it without blocking).
 * Thread: the front end's main thread. */
bool sandbox_exited(Sandbox *sb);

/* Block until the child exits on its own, and reap it.  For a child that
 * finishes a job (a file being written), not for a run.  Safe after
 * sandbox_exited().  Thread: the front end's main thread. */
void sandbox_wait(Sandbox *sb);

/*
 * Kill the child's whole process group and reap the child and every
 * process of its group, blocking until they are gone (SIGKILL cannot be
 * ignored, so this is quick).  Safe to call twice and after sandbox_exited().
 * Thread: the front end's main thread.
 */
void sandbox_kill(Sandbox *sb);

#endif /* INTERLEAVE_CORE_SANDBOX_H */
