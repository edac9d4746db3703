/*
 * il_net.c - HTTP GETs over real sockets (see il_net.h).
 */
#include "config.h"

#include "prims/il_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/sched.h"

static void il_net_addr(struct sockaddr_in *sa, int port)
{
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa->sin_port = htons((uint16_t)port);
}

static int il_net_request(unsigned page, char *req, size_t len)
{
    return snprintf(req, len, "GET /p/%u HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", page);
}

ssize_t il_http_get(int label, int port, unsigned page, char *buf, size_t cap)
{
    struct sockaddr_in sa;
    char req[96];
    int n = il_net_request(page, req, sizeof(req)), fd;
    ssize_t got = 0;

    sched_point(EV_NET_CONNECT, (uint32_t)label);
    sched_count_op();
    sched_record(EV_NET_CONNECT, (uint32_t)label, page);
    il_net_addr(&sa, port);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        got = -errno;
    } else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
               write(fd, req, (size_t)n) != n) {
        got = -errno;
    } else {
        for (;;) {
            ssize_t r = read(fd, buf + got, cap - 1 - (size_t)got);
            if (r < 0 && errno == EINTR) {
                continue;
            }
            if (r < 0) {
                got = -errno;
                break;
            }
            if (r == 0 || (size_t)(got += r) >= cap - 1) {
                break;
            }
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    if (got >= 0) {
        buf[got] = '\0';
    }
    sched_clock_fresh(sched_self); /* it waited for the server */
    sched_record(EV_NET_RESPONSE, (uint32_t)label, got);
    return got;
}

ssize_t il_co_http_get(IlChan *chan, int label, int port, unsigned page, char *buf, size_t cap)
{
    struct sockaddr_in sa;
    char req[96];
    int n = il_net_request(page, req, sizeof(req)), rc = 0;
    ssize_t got = 0;

    sched_count_op();
    sched_record(EV_NET_CONNECT, (uint32_t)label, page);
    il_net_addr(&sa, port);
    chan->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (chan->fd < 0) {
        got = -errno;
        goto out;
    }
    if (connect(chan->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;
        socklen_t el = sizeof(e);
        if (e != EINPROGRESS) {
            got = -e;
            goto out;
        }
        /* the connect goes on: await writability, then ask how it went */
        rc = il_await_io(chan, POLLOUT);
        if (rc < 0) {
            got = rc;
            goto out;
        }
        if (getsockopt(chan->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0 || e != 0) {
            got = -(e != 0 ? e : errno);
            goto out;
        }
    }
    if (il_chan_write(chan, req, (size_t)n) != n) {
        got = -EIO;
        goto out;
    }
    for (;;) {
        ssize_t r = il_chan_read(chan, buf + got, cap - 1 - (size_t)got);
        if (r < 0) {
            got = r;
            break;
        }
        if (r == 0 || (size_t)(got += r) >= cap - 1) {
            break;
        }
    }
out:
    if (chan->fd >= 0) {
        close(chan->fd);
        chan->fd = -1;
    }
    if (got >= 0) {
        buf[got] = '\0';
    }
    sched_record(EV_NET_RESPONSE, (uint32_t)label, got);
    return got;
}

void il_io_pause(int label, uint64_t ns)
{
    uint64_t t0;
    struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};

    if (ns == 0 || sched_self->stepping) {
        return;
    }
    sched_record(EV_IO_WAIT, (uint32_t)label, (int64_t)ns);
    t0 = arena_time(sched_self->arena);
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        /* interrupted: sleep the rest */
    }
    sched_clock_fresh(sched_self);
    sched_record(EV_IO_DONE, (uint32_t)label, (int64_t)(arena_time(sched_self->arena) - t0));
}

void il_io_wait(int label, uint64_t ns)
{
    uint64_t t0;

    sched_point(EV_IO_WAIT, (uint32_t)label);
    sched_count_op();
    sched_record(EV_IO_WAIT, (uint32_t)label, (int64_t)ns);
    t0 = arena_time(sched_self->arena);
    if (!sched_self->arena->stepping) {
        struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        }
    }
    sched_clock_fresh(sched_self);
    sched_record(EV_IO_DONE, (uint32_t)label, (int64_t)(arena_time(sched_self->arena) - t0));
}
