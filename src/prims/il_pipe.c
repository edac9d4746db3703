/*
 * il_pipe.c - instrumented pipes between lanes (see il_pipe.h).
 *
 * The arena object's value counts the messages in the pipe: a writer adds
 * one after its write(), a reader takes one after its read(), and the
 * sandbox adds one per tombstone it writes.  In step mode only one lane
 * runs at a time, so the count is exact whenever the scheduler looks, and
 * a lane granted a read finds a message (or a dead writer), a lane
 * granted a write finds room: neither ever blocks inside its step.  In
 * free mode the count may run a moment behind the kernel's pipe; it only
 * says whether to publish a wait, and what the front end shows.  Whether
 * a pipe with a dead writer is empty is asked of the kernel (poll), never
 * of the count.
 */
#include "config.h"

#include "prims/il_pipe.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "core/lane_pipe.h"
#include "core/sched.h"

int il_pipe_init(IlPipe *pipe, Arena *arena, const char *name, size_t payload)
{
    int rc = lane_pipe_new(arena, name, payload);
    if (rc < 0) {
        return rc;
    }
    pipe->arena = arena;
    pipe->pipe = (uint32_t)rc;
    pipe->index = arena->pipes[rc].obj;
    pipe->payload = payload;
    return 0;
}

void il_pipe_reader(IlPipe *pipe, unsigned lane)
{
    lane_pipe_add_end(pipe->arena, pipe->pipe, lane, LANE_PIPE_READER);
}

void il_pipe_writer(IlPipe *pipe, unsigned lane)
{
    lane_pipe_add_end(pipe->arena, pipe->pipe, lane, LANE_PIPE_WRITER);
}

int64_t il_pipe_peek(const IlPipe *pipe)
{
    int64_t v = arena_obj_value(pipe->arena, pipe->index);
    return v > 0 ? v : 0;
}

void il_pipe_write(IlPipe *pipe, int64_t tag, const void *data, size_t len)
{
    ArenaPipe *ap = &pipe->arena->pipes[pipe->pipe];
    ArenaObj *o = &pipe->arena->objs[pipe->index];
    char msg[LANE_PIPE_MSG_MAX];
    LanePipeHeader h;
    uint64_t t0 = 0;
    bool waited = false;

    if (len > pipe->payload) {
        len = pipe->payload;
    }
    if (atomic_load_explicit(&o->value, memory_order_relaxed) >= (int64_t)ap->capacity) {
        t0 = sched_wait_begin(EV_PIPE_WRITE, pipe->index); /* full: a reader must make room */
        waited = true;
    }
    sched_point(EV_PIPE_WRITE, pipe->index);
    h.tag = tag;
    h.sender = sched_self->lane;
    h.len = (uint32_t)len;
    memcpy(msg, &h, sizeof(h));
    if (len > 0) {
        memcpy(msg + sizeof(h), data, len);
    }
    memset(msg + sizeof(h) + len, 0, ap->msg_size - sizeof(h) - len);
    for (;;) {
        /* one packet of at most PIPE_BUF bytes: written whole or not at all */
        ssize_t n = write(ap->wfd, msg, ap->msg_size);
        if (n == (ssize_t)ap->msg_size) {
            break;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        sched_fail("write to a pipe", n < 0 ? errno : EIO);
    }
    if (waited) {
        sched_wait_end(t0);
    }
    atomic_fetch_add_explicit(&o->value, 1, memory_order_relaxed);
    sched_count_op();
    sched_record(EV_PIPE_WRITE, pipe->index, tag);
}

/* True when the kernel has a message in fd for us now. */
static bool il_pipe_ready(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    int rc;
    while ((rc = poll(&p, 1, 0)) < 0 && errno == EINTR) {
    }
    return rc > 0 && (p.revents & POLLIN) != 0;
}

int il_pipe_read(IlPipe *pipe, int64_t *tag, void *data, size_t len)
{
    ArenaPipe *ap = &pipe->arena->pipes[pipe->pipe];
    ArenaObj *o = &pipe->arena->objs[pipe->index];
    char msg[LANE_PIPE_MSG_MAX];
    LanePipeHeader h;
    uint64_t t0 = 0;
    bool waited = false;
    int rc;

    if (atomic_load_explicit(&o->value, memory_order_relaxed) <= 0 &&
        atomic_load(&ap->dead_writer) == 0) {
        /* empty: this lane waits for a writer */
        sched_record(EV_PIPE_WAIT, pipe->index, 0);
        t0 = sched_wait_begin(EV_PIPE_READ, pipe->index);
        waited = true;
    }
    sched_point(EV_PIPE_READ, pipe->index);
    for (;;) {
        ssize_t n;
        int32_t dead = atomic_load(&ap->dead_writer);
        if (dead != 0 && !il_pipe_ready(ap->rfd)) {
            /* empty, and a writer will never write again */
            h.tag = dead - 1;
            h.len = LANE_PIPE_TOMBSTONE;
            break;
        }
        /* blocks until a message, or a tombstone from the sandbox */
        n = read(ap->rfd, msg, ap->msg_size);
        if (n >= (ssize_t)sizeof(h)) {
            memcpy(&h, msg, sizeof(h));
            atomic_fetch_sub_explicit(&o->value, 1, memory_order_relaxed);
            if (h.len == LANE_PIPE_TOMBSTONE) {
                h.tag = h.sender;
            }
            break;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        sched_fail("read from a pipe", n < 0 ? errno : EIO);
    }
    if (waited) {
        sched_wait_end(t0);
    }
    sched_count_op();
    if (h.len == LANE_PIPE_TOMBSTONE) {
        *tag = h.tag;
        sched_record(EV_PIPE_READ, pipe->index, -(1 + h.tag));
        return -EPIPE;
    }
    *tag = h.tag;
    rc = (int)h.len;
    if (data != NULL && len > 0) {
        memcpy(data, msg + sizeof(h), h.len < len ? h.len : len);
    }
    sched_record(EV_PIPE_READ, pipe->index, h.tag);
    return rc;
}
