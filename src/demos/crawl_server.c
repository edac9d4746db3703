/*
 * crawl_server.c - the crawler demo's local HTTP server (see
 * crawl_server.h).
 *
 * Connections live in a fixed table (CRAWL_CONNS); each is in one of three
 * states: reading its request, waiting out the delay (due: when its
 * response may go), writing its response.  The epoll_wait() timeout is
 * the nearest due time, so delays are served by the clock, not by sleeping
 * a thread per client.
 */
#include "config.h"

#include "demos/crawl_server.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CRAWL_CONNS 512
#define CRAWL_REQ_MAX 1024

enum { CONN_FREE = 0, CONN_READ, CONN_WAIT, CONN_WRITE };

typedef struct CrawlConn {
    int fd;
    int state;
    uint64_t due; /* CLOCK_MONOTONIC ns: the response may go */
    size_t got, sent, len;
    char req[CRAWL_REQ_MAX];
    char resp[CRAWL_PAGE_MAX];
} CrawlConn;

typedef struct CrawlRun {
    CrawlServer *s;
    int ep;
    CrawlConn conns[CRAWL_CONNS];
} CrawlRun;

static uint64_t crawl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

unsigned crawl_links(unsigned page, unsigned pages, unsigned fanout, unsigned *out)
{
    unsigned n = 0;

    if (fanout > CRAWL_MAX_FANOUT) {
        fanout = CRAWL_MAX_FANOUT;
    }
    if (page + 1 < pages && n < fanout) {
        out[n++] = page + 1; /* every page is reachable from page 0 */
    }
    for (unsigned k = 1; n < fanout && k <= 2 * fanout && pages > 1; k++) {
        /* a fixed scramble: the other links, the same on every run */
        unsigned to = (page * 7u + k * 13u + 3u) % pages;
        bool dup = to == page;
        for (unsigned i = 0; i < n && !dup; i++) {
            dup = out[i] == to;
        }
        if (!dup) {
            out[n++] = to;
        }
    }
    return n;
}

unsigned crawl_parse_links(const char *page, size_t len, unsigned *out, unsigned max)
{
    static const char key[] = "href=\"/p/";
    unsigned n = 0;

    for (size_t i = 0; i + sizeof(key) - 1 < len && n < max; i++) {
        if (memcmp(page + i, key, sizeof(key) - 1) == 0) {
            size_t j = i + sizeof(key) - 1;
            unsigned v = 0;
            bool any = false;
            while (j < len && page[j] >= '0' && page[j] <= '9' && v < 100000) {
                v = v * 10 + (unsigned)(page[j++] - '0');
                any = true;
            }
            if (any) {
                out[n++] = v;
            }
            i = j;
        }
    }
    return n;
}

/* Build the response to c's request. */
static void crawl_respond(CrawlServer *s, CrawlConn *c)
{
    char body[CRAWL_PAGE_MAX - 256];
    unsigned page = 0, links[CRAWL_MAX_FANOUT], n;
    int blen = 0;
    bool ok = sscanf(c->req, "GET /p/%u ", &page) == 1 && page < s->pages;

    atomic_fetch_add(&s->requests, 1);
    if (!ok) {
        c->len = (size_t)snprintf(c->resp, sizeof(c->resp),
                                  "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n"
                                  "Connection: close\r\n\r\n");
        return;
    }
    atomic_fetch_add(&s->hits[page], 1);
    n = crawl_links(page, s->pages, s->fanout, links);
    blen = snprintf(body, sizeof(body), "<html><body><h1>page %u</h1>\n", page);
    for (unsigned i = 0; i < n && blen < (int)sizeof(body); i++) {
        blen += snprintf(body + blen, sizeof(body) - (size_t)blen,
                         "<a href=\"/p/%u\">page %u</a>\n", links[i], links[i]);
    }
    if (blen < (int)sizeof(body)) {
        blen += snprintf(body + blen, sizeof(body) - (size_t)blen, "</body></html>\n");
    }
    if (blen > (int)sizeof(body) - 1) {
        blen = (int)sizeof(body) - 1;
    }
    c->len = (size_t)snprintf(c->resp, sizeof(c->resp),
                              "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
                              "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                              blen, body);
}

static void crawl_close(CrawlRun *r, CrawlConn *c)
{
    (void)epoll_ctl(r->ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    c->state = CONN_FREE;
}

static void crawl_accept(CrawlRun *r)
{
    for (;;) {
        int fd = accept4(r->s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        CrawlConn *c = NULL;
        struct epoll_event ev;

        if (fd < 0) {
            return; /* EAGAIN: no more for now (or an error: try next time) */
        }
        for (unsigned i = 0; i < CRAWL_CONNS && c == NULL; i++) {
            if (r->conns[i].state == CONN_FREE) {
                c = &r->conns[i];
            }
        }
        if (c == NULL) {
            close(fd); /* full: the client sees the connection closed */
            continue;
        }
        memset(c, 0, offsetof(CrawlConn, req));
        c->fd = fd;
        c->state = CONN_READ;
        memset(&ev, 0, sizeof(ev));
        ev.events = EPOLLIN;
        ev.data.ptr = c;
        if (epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            close(fd);
            c->state = CONN_FREE;
        }
    }
}

static void crawl_write(CrawlRun *r, CrawlConn *c)
{
    while (c->sent < c->len) {
        ssize_t n = write(c->fd, c->resp + c->sent, c->len - c->sent);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct epoll_event ev;
                memset(&ev, 0, sizeof(ev));
                ev.events = EPOLLOUT;
                ev.data.ptr = c;
                (void)epoll_ctl(r->ep, EPOLL_CTL_MOD, c->fd, &ev);
                c->state = CONN_WRITE;
                return;
            }
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        c->sent += (size_t)n;
    }
    crawl_close(r, c);
}

static void crawl_read(CrawlRun *r, CrawlConn *c)
{
    for (;;) {
        ssize_t n = read(c->fd, c->req + c->got, sizeof(c->req) - 1 - c->got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        }
        if (n <= 0) {
            crawl_close(r, c); /* the client went away before asking */
            return;
        }
        c->got += (size_t)n;
        c->req[c->got] = '\0';
        if (strstr(c->req, "\r\n\r\n") != NULL || strstr(c->req, "\n\n") != NULL ||
            c->got >= sizeof(c->req) - 1) {
            /* the request is in: hold it for the delay */
            (void)epoll_ctl(r->ep, EPOLL_CTL_DEL, c->fd, NULL);
            crawl_respond(r->s, c);
            c->due = crawl_now() + (uint64_t)r->s->delay_us * 1000u;
            c->state = CONN_WAIT;
            return;
        }
    }
}

static void *crawl_serve(void *arg)
{
    CrawlRun *r = arg;

    for (;;) {
        struct epoll_event evs[64];
        uint64_t now = crawl_now(), next = UINT64_MAX;
        int timeout = -1, n;

        for (unsigned i = 0; i < CRAWL_CONNS; i++) {
            CrawlConn *c = &r->conns[i];
            if (c->state != CONN_WAIT) {
                continue;
            }
            if (c->due <= now) {
                crawl_write(r, c);
            } else if (c->due < next) {
                next = c->due;
            }
        }
        if (next != UINT64_MAX) {
            timeout = (int)((next - now + 999999) / 1000000);
        }
        n = epoll_wait(r->ep, evs, 64, timeout);
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == NULL) {
                crawl_accept(r);
            } else if (evs[i].data.ptr == (void *)r) {
                /* the stop pipe */
                for (unsigned k = 0; k < CRAWL_CONNS; k++) {
                    if (r->conns[k].state != CONN_FREE) {
                        close(r->conns[k].fd);
                    }
                }
                close(r->ep);
                free(r);
                return NULL;
            } else {
                CrawlConn *c = evs[i].data.ptr;
                if (c->state == CONN_READ) {
                    crawl_read(r, c);
                } else if (c->state == CONN_WRITE) {
                    crawl_write(r, c);
                }
            }
        }
    }
}

int crawl_server_start(CrawlServer *s, unsigned pages, unsigned fanout, uint32_t delay_us,
                       _Atomic uint32_t *hits)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof(sa);
    struct epoll_event ev;
    CrawlRun *r;
    sigset_t all, old;
    int rc;

    memset(s, 0, sizeof(*s));
    s->lfd = -1;
    s->stop[0] = s->stop[1] = -1;
    s->pages = pages;
    s->fanout = fanout;
    s->delay_us = delay_us;
    s->hits = hits;
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return -ENOMEM;
    }
    r->s = s;
    r->ep = -1;
    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* 127.0.0.1 only: nothing else on the network */
    sa.sin_port = 0;                             /* a free port, the kernel's pick */
    if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(s->lfd, 256) < 0 || getsockname(s->lfd, (struct sockaddr *)&sa, &salen) < 0 ||
        pipe2(s->stop, O_CLOEXEC | O_NONBLOCK) < 0 || (r->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
        rc = -errno;
        goto fail;
    }
    s->port = ntohs(sa.sin_port);
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;
    ev.data.ptr = NULL; /* the listening socket */
    if (epoll_ctl(r->ep, EPOLL_CTL_ADD, s->lfd, &ev) < 0) {
        rc = -errno;
        goto fail;
    }
    ev.data.ptr = r; /* the stop pipe */
    if (epoll_ctl(r->ep, EPOLL_CTL_ADD, s->stop[0], &ev) < 0) {
        rc = -errno;
        goto fail;
    }
    /* the server takes no signal: its process's other threads do */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&s->thread, NULL, crawl_serve, r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        rc = -rc;
        goto fail;
    }
    s->running = true;
    return 0;

fail:
    if (r->ep >= 0) {
        close(r->ep);
    }
    free(r);
    if (s->lfd >= 0) {
        close(s->lfd);
    }
    if (s->stop[0] >= 0) {
        close(s->stop[0]);
        close(s->stop[1]);
    }
    s->lfd = s->stop[0] = s->stop[1] = -1;
    return rc;
}

void crawl_server_stop(CrawlServer *s)
{
    if (!s->running) {
        return;
    }
    (void)write(s->stop[1], "x", 1);
    (void)pthread_join(s->thread, NULL);
    close(s->lfd);
    close(s->stop[0]);
    close(s->stop[1]);
    s->lfd = s->stop[0] = s->stop[1] = -1;
    s->running = false;
}
