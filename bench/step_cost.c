/*
 * step_cost.c - what one step of the step scheduler costs, next to a bare
 * futex hand-off measured in the same run.
 *
 * DESIGN
 * In step and replay mode one lane runs at a time, and a step passes the
 * run from one lane to the next.  The floor for that is a futex hand-off:
 * one thread sets a word and wakes another, which was asleep in FUTEX_WAIT
 * on it.  This benchmark measures, for thread lanes and for process lanes:
 *
 *   handoff   a bare two-way futex hand-off between two threads (or two
 *             processes, on MAP_SHARED words): A wakes B and sleeps, B
 *             wakes A and sleeps; ns per round trip (there and back).
 *   A B       a replay of the race demo (unsafe, 2 lanes) round-robin:
 *             every step goes to the other lane; ns per step.
 *   A100      the same run as `A100 B100 A100 ...`: a lane granted 100
 *             steps in a row goes on by itself; ns per step.
 *
 * Steps are timed by the run itself: its elapsed time (from the lanes'
 * start to their end, so the sandbox's set-up is not in it) divided by
 * its steps, with tracing on, as a replay runs.  Each figure is the median
 * of RUNS repetitions, the repetitions of the three interleaved so that a
 * busy machine disturbs them alike; min and max follow.  The ratio step /
 * handoff is the figure to watch: a step that costs one one-way hand-off
 * is about 0.5 of the round trip.
 *
 * Usage: step-cost [-r RUNS] [-i ITERATIONS] [-k threads|processes|both]
 *   RUNS 9, ITERATIONS 20000 (3 steps each per lane), both kinds.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/run.h"
#include "demos/race.h"

/* ---- the bare hand-off ------------------------------------------------ */

/* Two futex words, one per side: 0 = nothing, 1 = your turn, 2 = asleep. */
typedef struct Pong {
    _Alignas(64) _Atomic uint32_t word[2];
    _Alignas(64) uint64_t rounds;
    int private_flag;
} Pong;

static void pong_futex(Pong *p, _Atomic uint32_t *w, int op, uint32_t val)
{
    (void)syscall(SYS_futex, (uint32_t *)w, op | p->private_flag, val, NULL, NULL, 0);
}

/* The same protocol as the scheduler's grant words (core/sched.c). */
static void pong_give(Pong *p, int side)
{
    if (atomic_exchange(&p->word[side], 1u) == 2u) {
        pong_futex(p, &p->word[side], FUTEX_WAKE, 1);
    }
}

static void pong_take(Pong *p, int side)
{
    for (;;) {
        uint32_t v = atomic_load(&p->word[side]);
        if (v == 1u) {
            atomic_store(&p->word[side], 0u);
            return;
        }
        if (v == 0u && !atomic_compare_exchange_strong(&p->word[side], &v, 2u)) {
            continue;
        }
        pong_futex(p, &p->word[side], FUTEX_WAIT, 2u);
    }
}

static void pong_side_b(Pong *p)
{
    for (uint64_t i = 0; i < p->rounds; i++) {
        pong_take(p, 1);
        pong_give(p, 0);
    }
}

static void *pong_thread(void *arg)
{
    pong_side_b(arg);
    return NULL;
}

/* ns per round trip (A wakes B, B wakes A), threads or processes. */
static double pong_run(bool processes, uint64_t rounds)
{
    Pong *p = mmap(NULL, sizeof(Pong), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_t th;
    pid_t pid = -1;
    uint64_t t0, t1;

    if (p == MAP_FAILED) {
        perror("step-cost: mmap");
        exit(1);
    }
    memset(p, 0, sizeof(*p));
    p->rounds = rounds;
    p->private_flag = processes ? 0 : FUTEX_PRIVATE_FLAG;
    if (processes) {
        pid = fork();
        if (pid < 0) {
            perror("step-cost: fork");
            exit(1);
        }
        if (pid == 0) {
            pong_side_b(p);
            _exit(0);
        }
    } else if (pthread_create(&th, NULL, pong_thread, p) != 0) {
        fprintf(stderr, "step-cost: pthread_create failed\n");
        exit(1);
    }
    t0 = clock_mono_ns();
    for (uint64_t i = 0; i < rounds; i++) {
        pong_give(p, 1);
        pong_take(p, 0);
    }
    t1 = clock_mono_ns();
    if (processes) {
        (void)waitpid(pid, NULL, 0);
    } else {
        pthread_join(th, NULL);
    }
    munmap(p, sizeof(*p));
    return (double)(t1 - t0) / (double)rounds;
}

/* ---- steps of a replay ------------------------------------------------ */

/* ns per step of a replay of race unsafe, 2 lanes, tokens tok[0..n) then
 * round-robin. */
static double steps_run(bool processes, int iterations, const SchedToken *tok, size_t n)
{
    Schedule sched = {(SchedToken *)tok, n, n};
    RunConfig cfg;
    IlError err;
    Run *run;
    double per;

    run_config_init(&cfg, &race_demo);
    cfg.params[RACE_THREADS] = 2;
    cfg.params[RACE_ITERATIONS] = iterations;
    cfg.params[RACE_LANES] = processes ? RACE_LANES_PROCESSES : RACE_LANES_THREADS;
    cfg.mode = SCHED_REPLAY;
    cfg.schedule = &sched;
    cfg.timeout_s = 600;
    run = run_start(&cfg, &err);
    if (run == NULL) {
        fprintf(stderr, "step-cost: %s\n", err.msg);
        exit(1);
    }
    if (run_wait(run) != VERDICT_COMPLETED || run_steps(run) == 0) {
        fprintf(stderr, "step-cost: the replay ended %s: %s\n", verdict_name(run_verdict(run)),
                run_message(run));
        exit(1);
    }
    per = (double)run_elapsed_ns(run) / (double)run_steps(run);
    run_free(run);
    return per;
}

typedef struct Series {
    double *v;
    int n;
} Series;

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : (a > b ? 1 : 0);
}

static double median(Series *s)
{
    qsort(s->v, (size_t)s->n, sizeof(double), cmp_double);
    return s->v[s->n / 2];
}

static void print_row(const char *name, Series *s)
{
    double med = median(s);
    printf("  %-34s %9.2f %9.2f %9.2f\n", name, med / 1000.0, s->v[0] / 1000.0,
           s->v[s->n - 1] / 1000.0);
}

static void bench_kind(bool processes, int runs, int iterations)
{
    uint64_t per_lane = (uint64_t)iterations * 3 + 1; /* load, add, store; then the end */
    size_t ntok = (size_t)(2 * (per_lane / 100 + 1));
    SchedToken *hundreds = calloc(ntok, sizeof(*hundreds));
    Series hand = {calloc((size_t)runs, sizeof(double)), runs};
    Series ab = {calloc((size_t)runs, sizeof(double)), runs};
    Series a100 = {calloc((size_t)runs, sizeof(double)), runs};
    const char *kind = processes ? "processes" : "threads";
    char name[64];
    double h, s1, s100;

    if (hundreds == NULL || hand.v == NULL || ab.v == NULL || a100.v == NULL) {
        fprintf(stderr, "step-cost: out of memory\n");
        exit(1);
    }
    /* A100 B100 A100 B100 ...; the round-robin takes what is left */
    for (size_t i = 0; i < ntok; i++) {
        hundreds[i] = (SchedToken){(uint16_t)(i % 2), TOK_STEPS, 100, (uint32_t)i + 1};
    }
    ntok = (size_t)(2 * (per_lane / 100));
    (void)pong_run(processes, 1000); /* warm up */
    for (int r = 0; r < runs; r++) {
        hand.v[r] = pong_run(processes, (uint64_t)iterations * 3);
        ab.v[r] = steps_run(processes, iterations, NULL, 0);
        a100.v[r] = steps_run(processes, iterations, hundreds, ntok);
    }
    printf("%s lanes (us; median, min, max of %d runs):\n", kind, runs);
    snprintf(name, sizeof(name), "bare futex hand-off, there and back");
    print_row(name, &hand);
    print_row("step, A B A B (round-robin)", &ab);
    print_row("step, A100 B100 ...", &a100);
    h = median(&hand);
    s1 = median(&ab);
    s100 = median(&a100);
    printf("  ratio step / hand-off: %.2f (A B), %.2f (A100); A100 / A B: %.2f\n", s1 / h, s100 / h,
           s100 / s1);
    free(hundreds);
    free(hand.v);
    free(ab.v);
    free(a100.v);
}

int main(int argc, char **argv)
{
    int runs = 9, iterations = 20000, opt;
    const char *kinds = "both";

    while ((opt = getopt(argc, argv, "r:i:k:h")) != -1) {
        switch (opt) {
        case 'r':
            runs = atoi(optarg);
            break;
        case 'i':
            iterations = atoi(optarg);
            break;
        case 'k':
            kinds = optarg;
            break;
        default:
            fprintf(stderr, "usage: step-cost [-r RUNS] [-i ITERATIONS] "
                            "[-k threads|processes|both]\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    if (runs < 1 || iterations < 100 || iterations > RACE_MAX_ITERATIONS ||
        (strcmp(kinds, "threads") != 0 && strcmp(kinds, "processes") != 0 &&
         strcmp(kinds, "both") != 0)) {
        fprintf(stderr, "step-cost: -r >= 1, -i 100..%d, -k threads|processes|both\n",
                RACE_MAX_ITERATIONS);
        return 2;
    }
    printf("step-cost: race unsafe, 2 lanes, %d iterations (%d steps), %d runs each\n", iterations,
           iterations * 6 + 2, runs);
    {
        double load[3];
        if (getloadavg(load, 3) == 3) {
            printf("machine: %ld online CPUs, load %.2f %.2f %.2f\n", sysconf(_SC_NPROCESSORS_ONLN),
                   load[0], load[1], load[2]);
        }
    }
#ifndef __OPTIMIZE__
    printf("note: not an optimised build; the figures are not representative\n");
#endif
    if (strcmp(kinds, "processes") != 0) {
        bench_kind(false, runs, iterations);
    }
    if (strcmp(kinds, "threads") != 0) {
        bench_kind(true, runs, iterations);
    }
    return 0;
}
