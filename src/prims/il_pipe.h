/*
 * il_pipe.h - instrumented, scheduler-aware pipes between lanes.
 *
 * A real kernel pipe (core/lane_pipe.h), made in setup before the lanes
 * fork, carrying fixed-size messages: a tag the demo chooses (a task id)
 * and up to `payload` bytes.  Lanes that are forked processes send each
 * other data through it the way multiprocessing's workers do; threads may
 * use it too.
 *
 *     il_pipe_write(&st->tasks, id, &task, sizeof(task));      // one step
 *     n = il_pipe_read(&st->results, &tag, &res, sizeof(res)); // one step
 *
 * In step mode a read is BLOCKED while the pipe is empty (and none of its
 * writers died) and a write while it is full: the scheduler knows that
 * the lane waits for data from another lane, never lets a lane block
 * inside a step, and finds "no lane can move" exactly.  In free mode they
 * are real read() and write() calls that block in the kernel; a lane
 * about to wait publishes it (EV_PIPE_WAIT, and its slot's wait), so the
 * timeline and the wait-for graph see it.
 *
 * A writer lane whose process dies (a death the demo handles,
 * DemoClass.lane_death_handled) does not leave a reader waiting forever:
 * il_pipe_read returns -EPIPE naming that lane, like a future's
 * BrokenProcessPool.
 *
 * Events: pipe_write (value: the tag), pipe_wait (the pipe was empty),
 * pipe_read (value: the tag, or -(1 + lane) of a dead writer).
 */
#ifndef INTERLEAVE_PRIMS_IL_PIPE_H
#define INTERLEAVE_PRIMS_IL_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

typedef struct IlPipe {
    Arena *arena;   /* immutable after init */
    uint32_t index; /* immutable after init: the pipe's arena object */
    uint32_t pipe;  /* immutable after init: its index in arena->pipes */
    size_t payload; /* immutable after init: bytes of payload per message, at most */
} IlPipe;

/*
 * Make pipe (caller's storage; in the shared heap when lanes that are
 * processes use the handle) for messages of at most payload bytes
 * (LANE_PIPE_MSG_MAX less a 16-byte header) and register it as name.
 * Returns 0, -EINVAL (payload too big), -ENOSPC (arena full) or the
 * pipe2() error.  Thread: setup only, before any lane starts.
 */
int il_pipe_init(IlPipe *pipe, Arena *arena, const char *name,
                 size_t payload) ATTR_WARN_UNUSED_RESULT;

/* Lane reads pipe (a lane process keeps only the ends its lane uses).
 * Thread: setup only. */
void il_pipe_reader(IlPipe *pipe, unsigned lane);

/* Lane writes pipe.  Thread: setup only. */
void il_pipe_writer(IlPipe *pipe, unsigned lane);

/*
 * Send one message: tag and len bytes of data (len <= payload; the rest
 * of the message is zero).  Blocks while the pipe is full (step mode: the
 * lane is BLOCKED, not offered a step).  One step.  Thread: a writer lane.
 */
void il_pipe_write(IlPipe *pipe, int64_t tag, const void *data, size_t len);

/*
 * Take one message: its tag into *tag and up to len bytes of its data
 * into data.  Blocks while the pipe is empty (step mode: BLOCKED).
 * Returns the bytes of data the sender gave (before any cut to len), or
 * -EPIPE when a writer of pipe died: *tag is then the dead lane.  One
 * step.  Thread: a reader lane.
 */
int il_pipe_read(IlPipe *pipe, int64_t *tag, void *data, size_t len);

/* Messages in pipe now (0 while empty).  No step.  Thread: any. */
int64_t il_pipe_peek(const IlPipe *pipe);

#endif /* INTERLEAVE_PRIMS_IL_PIPE_H */
