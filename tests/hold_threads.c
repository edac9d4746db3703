/*
 * hold_threads.c - a test helper: a process that holds many threads, as a
 * browser or an IDE does, for the RLIMIT_NPROC test (tests/e2e/nproc.sh).
 *
 * usage: hold-threads N
 * Starts N threads that sleep in pthread_cond_wait, prints "ready N" on
 * stdout, then reads stdin until end of file and exits (the threads go
 * with it).  The test closes its end of stdin to end it, so nothing is
 * left behind even when the test fails.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;

static void *hold_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&hold_mu);
    for (;;) {
        pthread_cond_wait(&hold_cv, &hold_mu); /* nobody signals: sleep until exit */
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
    pthread_attr_t attr;
    char buf[256];
    long started = 0;

    if (n < 1 || n > 100000) {
        fprintf(stderr, "usage: hold-threads N (1..100000)\n");
        return 2;
    }
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (long i = 0; i < n; i++) {
        pthread_t t;
        int rc = pthread_create(&t, &attr, hold_thread, NULL);
        if (rc != 0) {
            fprintf(stderr, "hold-threads: thread %ld: error %d\n", i, rc);
            break;
        }
        started++;
    }
    printf("ready %ld\n", started);
    fflush(stdout);
    while (read(0, buf, sizeof(buf)) > 0) {
    }
    return started == n ? 0 : 1;
}
