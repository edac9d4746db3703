/*
 * crawl.h - the crawler demo: a graph of pages on a local HTTP server,
 * fetched over real sockets sequentially, by a thread pool, and by an
 * event loop.
 */
#ifndef INTERLEAVE_DEMOS_CRAWL_H
#define INTERLEAVE_DEMOS_CRAWL_H

#include "demos/demo.h"

enum {
    CRAWL_P_VARIANT = 0,
    CRAWL_P_PAGES = 1,
    CRAWL_P_FANOUT = 2,
    CRAWL_P_WORKERS = 3,
    CRAWL_P_DELAY_MS = 4
};
enum { CRAWL_SEQUENTIAL = 0, CRAWL_THREADS = 1, CRAWL_THREADS_NOLOCK = 2, CRAWL_ASYNC = 3 };

#define CRAWL_MAX_WORKERS 16
#define CRAWL_MAX_PAGES_VIEW 200 /* pages the view tracks: the demo's most */

struct DemoView;
extern const struct DemoView crawl_view; /* crawl_view.c */

extern const DemoClass crawl_demo;

#endif /* INTERLEAVE_DEMOS_CRAWL_H */
