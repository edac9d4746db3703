/*
 * crawl_server.h - a small HTTP/1.0 server on 127.0.0.1 serving a
 * generated graph of pages, for the crawler demo (and its benchmark).
 *
 * DESIGN
 * One thread, one epoll(7) set: the listening socket, a pipe that stops
 * it, and the connections.  A connection is read until its request's
 * blank line, then held for the response delay (every connection's
 * delay runs at the same time: the server never makes the clients wait
 * for each other), then answered and closed.  "GET /p/N" gets page N: a
 * little HTML page with `fanout` links to other pages; anything else gets
 * 404.  Every page is reachable from page 0 (page N links to N + 1), and
 * the other links come from a fixed formula, so every run, and Python's
 * crawlers in the benchmark, see the same graph.
 *
 * The server counts the requests for each page (hits[], which the caller
 * provides: the run's shared heap), so a crawl's duplicate fetches are
 * counted where they land, not by the crawler that made them.
 *
 * Thread: start and stop from one thread (the sandbox's controller, or the
 * benchmark's main); the server runs on its own thread with every signal
 * blocked.
 */
#ifndef INTERLEAVE_DEMOS_CRAWL_SERVER_H
#define INTERLEAVE_DEMOS_CRAWL_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/compiler.h"

#define CRAWL_MAX_PAGES 200
#define CRAWL_MAX_FANOUT 8
#define CRAWL_PAGE_MAX 2048 /* bytes of a page, headers included */

typedef struct CrawlServer {
    int lfd;                   /* the listening socket, -1 = none */
    int stop[2];               /* a byte on stop[1] ends the server thread */
    int port;                  /* the port it listens on (the kernel's pick) */
    unsigned pages;            /* immutable while it runs */
    unsigned fanout;           /* immutable while it runs */
    uint32_t delay_us;         /* immutable while it runs: before each response */
    _Atomic uint32_t *hits;    /* per page: requests served */
    _Atomic uint64_t requests; /* requests served, pages or not */
    pthread_t thread;
    bool running;
} CrawlServer;

/*
 * The links of page: writes up to CRAWL_MAX_FANOUT page numbers to out,
 * returns how many (fanout, or fewer for the last page).  Thread: any.
 */
unsigned crawl_links(unsigned page, unsigned pages, unsigned fanout, unsigned *out);

/*
 * Start serving pages pages (1..CRAWL_MAX_PAGES) of fanout links each on
 * 127.0.0.1, port 0 (a free one: see s->port), answering each request
 * delay_us after it came in, counting requests per page in hits (pages
 * entries, zeroed by the caller, borrowed while it runs).  Returns 0, or a
 * negative errno with nothing left open.
 */
int crawl_server_start(CrawlServer *s, unsigned pages, unsigned fanout, uint32_t delay_us,
                       _Atomic uint32_t *hits) ATTR_WARN_UNUSED_RESULT;

/* Stop the server: its thread ends, every socket closes (the port is
 * free again).  Does nothing when it is not running. */
void crawl_server_stop(CrawlServer *s);

/*
 * Parse the links of a response (the "/p/N" in href="/p/N") into out, at
 * most max; returns how many.  Thread: any.
 */
unsigned crawl_parse_links(const char *page, size_t len, unsigned *out, unsigned max);

#endif /* INTERLEAVE_DEMOS_CRAWL_SERVER_H */
