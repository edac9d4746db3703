/*
 * crawl_server_main.c - the crawler demo's local server on its own, for
 * the benchmark's Python crawlers: the same code and the same page graph
 * interleave's crawl demo serves inside its runs.
 *
 * Usage: crawl-server PAGES FANOUT DELAY_MS
 * Prints "port N" once it listens on 127.0.0.1:N, then serves until its
 * standard input ends; then prints "requests R fetched F duplicates D"
 * (what it served) and exits.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "demos/crawl_server.h"

int main(int argc, char **argv)
{
    static _Atomic uint32_t hits[CRAWL_MAX_PAGES];
    CrawlServer s;
    unsigned pages, fanout, delay_ms;
    unsigned long requests = 0, fetched = 0;
    char buf[256];

    if (argc != 4) {
        fprintf(stderr, "usage: crawl-server PAGES FANOUT DELAY_MS\n");
        return 2;
    }
    pages = (unsigned)strtoul(argv[1], NULL, 10);
    fanout = (unsigned)strtoul(argv[2], NULL, 10);
    delay_ms = (unsigned)strtoul(argv[3], NULL, 10);
    if (pages < 2 || pages > CRAWL_MAX_PAGES || fanout < 1 || fanout > CRAWL_MAX_FANOUT) {
        fprintf(stderr, "crawl-server: pages 2..%d, fanout 1..%d\n", CRAWL_MAX_PAGES,
                CRAWL_MAX_FANOUT);
        return 2;
    }
    if (crawl_server_start(&s, pages, fanout, delay_ms * 1000u, hits) < 0) {
        perror("crawl-server");
        return 1;
    }
    printf("port %d\n", s.port);
    fflush(stdout);
    while (read(0, buf, sizeof(buf)) > 0) {
    }
    crawl_server_stop(&s);
    for (unsigned p = 0; p < pages; p++) {
        requests += atomic_load(&hits[p]);
        fetched += atomic_load(&hits[p]) > 0;
    }
    printf("requests %lu fetched %lu duplicates %lu\n", requests, fetched, requests - fetched);
    return 0;
}
