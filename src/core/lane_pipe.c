/*
 * lane_pipe.c - pipes between lanes, the run's side (see lane_pipe.h).
 */
#include "config.h"

#include "core/lane_pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LANE_PIPE_BYTES (256 * 1024) /* asked for each pipe: 64 messages of a page */

int lane_pipe_new(Arena *arena, const char *name, size_t payload)
{
    uint32_t n = atomic_load(&arena->npipes);
    ArenaPipe *p;
    int fds[2], obj, tomb;
    long page = sysconf(_SC_PAGESIZE);
    char path[64];

    if (payload > LANE_PIPE_MSG_MAX - sizeof(LanePipeHeader)) {
        return -EINVAL;
    }
    if (n >= ARENA_MAX_PIPES) {
        return -ENOSPC;
    }
    obj = arena_obj_new(arena, OBJ_PIPE, name, 0);
    if (obj < 0) {
        return obj;
    }
    /* packets: one write is one message, one read takes one */
    if (pipe2(fds, O_DIRECT | O_CLOEXEC) < 0) {
        return -errno;
    }
    (void)fcntl(fds[1], F_SETPIPE_SZ, LANE_PIPE_BYTES); /* else the default it has */
    /* a description of the write end of our own that never blocks: the
     * sandbox's tombstones must not wait for a reader */
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[1]);
    tomb = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (tomb >= 0 && fcntl(tomb, F_SETFL, O_NONBLOCK | O_DIRECT) < 0) {
        close(tomb); /* a packet too, or readers could not tell messages apart */
        tomb = -1;
    }
    if (tomb < 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return -e;
    }
    p = &arena->pipes[n];
    memset(p, 0, sizeof(*p));
    p->obj = (uint32_t)obj;
    p->rfd = fds[0];
    p->wfd = fds[1];
    p->tomb_fd = tomb;
    p->msg_size = (uint32_t)(sizeof(LanePipeHeader) + payload);
    {
        int bytes = fcntl(fds[1], F_GETPIPE_SZ);
        p->capacity = bytes > 0 && page > 0 ? (uint32_t)(bytes / page) : 16;
    }
    arena->objs[obj].pad = (uint16_t)n;
    atomic_store(&arena->npipes, n + 1);
    return (int)n;
}

void lane_pipe_add_end(Arena *arena, unsigned pipe, unsigned lane, unsigned ends)
{
    ArenaPipe *p = &arena->pipes[pipe];
    if (lane >= ARENA_MAX_LANES) {
        return;
    }
    if (ends & LANE_PIPE_READER) {
        p->readers[lane / 64] |= (uint64_t)1 << (lane % 64);
    }
    if (ends & LANE_PIPE_WRITER) {
        p->writers[lane / 64] |= (uint64_t)1 << (lane % 64);
    }
}

unsigned lane_pipe_keep_fds(const Arena *arena, unsigned lane, int *fds, unsigned max)
{
    unsigned n = 0, np = atomic_load(&((Arena *)arena)->npipes);

    for (unsigned i = 0; i < np && i < ARENA_MAX_PIPES; i++) {
        const ArenaPipe *p = &arena->pipes[i];
        if (arena_lane_in(p->readers, lane)) {
            if (n < max) {
                fds[n] = p->rfd;
            }
            n++;
        }
        if (arena_lane_in(p->writers, lane)) {
            if (n < max) {
                fds[n] = p->wfd;
            }
            n++;
        }
    }
    return n;
}

void lane_pipe_writer_died(Arena *arena, unsigned lane)
{
    unsigned np = atomic_load(&arena->npipes);

    for (unsigned i = 0; i < np && i < ARENA_MAX_PIPES; i++) {
        ArenaPipe *p = &arena->pipes[i];
        unsigned readers = 0;
        char msg[LANE_PIPE_MSG_MAX];
        LanePipeHeader h = {-(1 + (int64_t)lane), (int32_t)lane, LANE_PIPE_TOMBSTONE};
        int32_t none = 0;

        if (!arena_lane_in(p->writers, lane)) {
            continue;
        }
        (void)atomic_compare_exchange_strong(&p->dead_writer, &none, (int32_t)lane + 1);
        for (unsigned l = 0; l < arena->nlanes; l++) {
            readers += arena_lane_in(p->readers, l);
        }
        memset(msg, 0, p->msg_size);
        memcpy(msg, &h, sizeof(h));
        for (unsigned k = 0; k < readers; k++) {
            if (write(p->tomb_fd, msg, p->msg_size) != (ssize_t)p->msg_size) {
                break; /* full: readers find dead_writer once it is empty */
            }
            atomic_fetch_add(&arena->objs[p->obj].value, 1);
        }
    }
}
