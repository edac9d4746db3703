/*
 * lane_pipe.h - the core's side of pipes between lanes.
 *
 * DESIGN
 * A pipe between lanes is a real kernel pipe, made by a demo's setup in
 * the sandbox before any lane process is forked (so every lane process
 * inherits its descriptors), and described in the arena (ArenaPipe): its
 * object, its ends, its message size and capacity, which lanes read and
 * which write it.  The instrumented reads and writes are in
 * prims/il_pipe.h; this module is what the run itself does with pipes:
 *
 *   - a lane process keeps only the ends its lane uses
 *     (lane_pipe_keep_fds): the others are closed when it is forked;
 *   - the sandbox keeps every end, so it can tell a pipe's readers that a
 *     writer died (lane_pipe_writer_died).
 *
 * Messages are packets (pipe2(O_DIRECT), Linux >= 3.4): each write of at
 * most PIPE_BUF bytes is one message, each read takes exactly one, whole,
 * even with several readers, and a pipe of S bytes holds S / page size
 * messages, so the arena's count of messages says exactly when a write
 * would block (step mode never lets a lane block inside a step).  Every
 * message starts with a LanePipeHeader.
 *
 * A writer's death.  A reader blocked in read() on a pipe whose writer
 * died would wait forever while other writers live (the kernel sends no
 * end-of-file while any write end is open, the sandbox's included).  So
 * when a writer lane's process dies and the demo handles that death, the
 * sandbox marks the pipe (dead_writer) and writes a tombstone message, one
 * per reader lane, through a non-blocking description of the write end
 * of its own: a blocked reader wakes and learns which lane died, like
 * concurrent.futures' process sentinels.  If the pipe is full the
 * tombstones are dropped, and readers learn it from dead_writer once they
 * find the pipe empty (il_pipe_read).
 *
 * Thread: as marked on each function.
 */
#ifndef INTERLEAVE_CORE_LANE_PIPE_H
#define INTERLEAVE_CORE_LANE_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/compiler.h"

/* The head of every message in a pipe between lanes. */
typedef struct LanePipeHeader {
    int64_t tag;    /* the demo's (a task id); a tombstone: -(1 + the dead lane) */
    int32_t sender; /* the lane that wrote it */
    uint32_t len;   /* payload bytes that follow; LANE_PIPE_TOMBSTONE for a tombstone */
} LanePipeHeader;

#define LANE_PIPE_TOMBSTONE 0xffffffffu
#define LANE_PIPE_MSG_MAX 4096 /* bytes of a message, header included: PIPE_BUF */

/*
 * Make a pipe called name for messages of payload bytes (at most
 * LANE_PIPE_MSG_MAX - sizeof(LanePipeHeader)), register its object
 * (OBJ_PIPE) and its ArenaPipe.  Readers and writers are added with
 * lane_pipe_add_end().  Returns the pipe's index in arena->pipes, or a
 * negative error: -EINVAL (payload too big), -ENOSPC (arena full, or
 * ARENA_MAX_PIPES pipes already), or the pipe2() failure.
 * Thread: setup only (the sandbox, before any lane starts).
 */
int lane_pipe_new(Arena *arena, const char *name, size_t payload) ATTR_WARN_UNUSED_RESULT;

/* Ends a lane uses, for lane_pipe_add_end(). */
enum { LANE_PIPE_READER = 1, LANE_PIPE_WRITER = 2 };

/* Lane uses pipe (its index) as a reader, a writer or both (ends).
 * Thread: setup only. */
void lane_pipe_add_end(Arena *arena, unsigned pipe, unsigned lane, unsigned ends);

/*
 * The descriptors a process running lane keeps: the ends of each pipe it
 * reads or writes.  Fills at most max into fds; returns how many there
 * are (more than max: some did not fit).  Thread: the sandbox.
 */
unsigned lane_pipe_keep_fds(const Arena *arena, unsigned lane, int *fds, unsigned max);

/*
 * Lane's process died and the run goes on: for every pipe lane writes,
 * record it as the pipe's dead writer (the first one) and write one
 * tombstone per reader lane, without ever blocking.  Async-signal-safe
 * apart from nothing: writes and atomics only.
 * Thread: the sandbox (its lane watcher), before the death is published
 * to the scheduler.
 */
void lane_pipe_writer_died(Arena *arena, unsigned lane);

#endif /* INTERLEAVE_CORE_LANE_PIPE_H */
