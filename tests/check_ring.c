/*
 * check_ring.c - unit tests of the single-producer event ring (core/ring.h).
 *
 * What a bug in the ring would break: events read back out of order or
 * corrupted after the index wraps, a full ring that overwrites instead of
 * counting drops, space that is not given back when the consumer reads, and
 * a producer in another process (a forked worker) whose events the front
 * end never sees.  The last case uses a real arena from arena_new(), which
 * is MAP_SHARED, and a real fork().
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_common.h"
#include "core/arena.h"
#include "core/ring.h"

/* A ring of cap events in aligned heap storage (the test owns it). */
static Ring *ring_make(uint32_t cap)
{
    size_t bytes = ring_bytes(cap);
    Ring *r;

    bytes = (bytes + 63) / 64 * 64;
    r = aligned_alloc(64, bytes);
    ck_assert_ptr_nonnull(r);
    memset(r, 0, bytes);
    ck_assert_int_eq(ring_init(r, cap), 0);
    return r;
}

/* Push events whose value and time are seq .. seq + n - 1. */
static void ring_push_seq(Ring *r, uint64_t seq, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        ring_push(r, seq + i, 7, EV_STORE, 3, (int64_t)(seq + i));
    }
}

/* Read want events (asking for no more) and check they are seq .. seq +
 * want - 1. */
static void ring_expect_seq(Ring *r, uint64_t seq, size_t want)
{
    Event ev[64];
    size_t got;

    ck_assert_uint_le(want, ARRAY_SIZE(ev));
    got = ring_read(r, ev, want);
    ck_assert_uint_eq(got, want);
    for (size_t i = 0; i < got; i++) {
        ck_assert_uint_eq(ev[i].t, seq + i);
        ck_assert_int_eq(ev[i].value, (int64_t)(seq + i));
        ck_assert_uint_eq(ev[i].lane, 7);
        ck_assert_uint_eq(ev[i].kind, EV_STORE);
        ck_assert_uint_eq(ev[i].obj, 3);
    }
}

START_TEST(test_init_rejects_bad_cap)
{
    Ring *r = ring_make(8);
    ck_assert_int_eq(ring_init(r, 6), -EINVAL);
    ck_assert_int_eq(ring_init(r, 1), -EINVAL);
    ck_assert_int_eq(ring_init(r, 0), -EINVAL);
    free(r);
}
END_TEST

START_TEST(test_order)
{
    Ring *r = ring_make(16);
    ck_assert_uint_eq(ring_pending(r), 0);
    ring_push_seq(r, 100, 10);
    ck_assert_uint_eq(ring_pending(r), 10);
    ring_expect_seq(r, 100, 10);
    ck_assert_uint_eq(ring_pending(r), 0);
    ck_assert_uint_eq(ring_dropped(r), 0);
    free(r);
}
END_TEST

START_TEST(test_read_max)
{
    Event ev[4];
    Ring *r = ring_make(16);
    ring_push_seq(r, 0, 10);
    ck_assert_uint_eq(ring_read(r, ev, 4), 4);
    ck_assert_uint_eq(ev[3].t, 3);
    ck_assert_uint_eq(ring_pending(r), 6);
    ring_expect_seq(r, 4, 6);
    free(r);
}
END_TEST

START_TEST(test_wrap_around)
{
    Ring *r = ring_make(8);
    uint64_t seq = 0;

    /* many laps, with a read size that does not divide the capacity, so
     * reads straddle the end of the buffer */
    for (int lap = 0; lap < 50; lap++) {
        ring_push_seq(r, seq, 5);
        ring_expect_seq(r, seq, 5);
        ck_assert_uint_eq(ring_pending(r), 0);
        seq += 5;
    }
    /* fill it exactly while the indices are far from zero */
    ring_push_seq(r, seq, 8);
    ck_assert_uint_eq(ring_pending(r), 8);
    ring_expect_seq(r, seq, 8);
    ck_assert_uint_eq(ring_dropped(r), 0);
    free(r);
}
END_TEST

START_TEST(test_drop_when_full)
{
    Ring *r = ring_make(8);
    ring_push_seq(r, 0, 8 + 5);
    ck_assert_uint_eq(ring_pending(r), 8);
    ck_assert_uint_eq(ring_dropped(r), 5);
    /* the oldest events stay; the newest ones were dropped */
    ring_expect_seq(r, 0, 8);
    ck_assert_uint_eq(ring_pending(r), 0);
    ck_assert_uint_eq(ring_dropped(r), 5);
    free(r);
}
END_TEST

START_TEST(test_read_frees_space)
{
    Event ev[3];
    Ring *r = ring_make(8);

    ring_push_seq(r, 0, 8);
    ring_push_seq(r, 8, 1); /* full: dropped */
    ck_assert_uint_eq(ring_dropped(r), 1);
    ck_assert_uint_eq(ring_read(r, ev, 3), 3);
    ck_assert_uint_eq(ev[0].t, 0);
    /* three slots are free again: three pushes fit, the fourth drops */
    ring_push_seq(r, 100, 3);
    ck_assert_uint_eq(ring_dropped(r), 1);
    ring_push_seq(r, 200, 1);
    ck_assert_uint_eq(ring_dropped(r), 2);
    ring_expect_seq(r, 3, 5);
    ring_expect_seq(r, 100, 3);
    ck_assert_uint_eq(ring_pending(r), 0);
    free(r);
}
END_TEST

START_TEST(test_arena_rings_separate)
{
    IlError err;
    Arena *a = arena_new(3, 64, &err);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(a->ring_cap, 64);
    for (unsigned l = 0; l < 3; l++) {
        ring_push(arena_ring(a, l), l, (uint16_t)l, EV_LOAD, 0, 10 * (int64_t)l);
    }
    for (unsigned l = 0; l < 3; l++) {
        Event ev[4];
        ck_assert_uint_eq(ring_read(arena_ring(a, l), ev, 4), 1);
        ck_assert_uint_eq(ev[0].lane, l);
        ck_assert_int_eq(ev[0].value, 10 * (int64_t)l);
    }
    arena_free(a);
}
END_TEST

/* A forked process writes into the arena; the parent sees its events. */
START_TEST(test_forked_writer_small)
{
    IlError err;
    Arena *a = arena_new(1, 256, &err);
    Ring *r;
    pid_t pid;
    int status;

    ck_assert_ptr_nonnull(a);
    r = arena_ring(a, 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        ring_push_seq(r, 1000, 40);
        _exit(0);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_uint_eq(ring_pending(r), 40);
    ring_expect_seq(r, 1000, 40);
    arena_free(a);
}
END_TEST

#define FORK_EVENTS 200000u

/* A forked writer streams many more events than the ring holds while the
 * parent reads concurrently: every event arrives, in order, intact.  The
 * writer waits for room (spinning on ring_pending) so nothing is dropped;
 * that waiting is the test's, not the ring's. */
START_TEST(test_forked_writer_stream)
{
    IlError err;
    Arena *a = arena_new(2, 64, &err);
    Ring *r;
    uint64_t next = 0;
    Event ev[32];
    pid_t pid;
    int status;

    ck_assert_ptr_nonnull(a);
    r = arena_ring(a, 1);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        for (uint64_t i = 0; i < FORK_EVENTS; i++) {
            while (ring_pending(r) >= r->cap) {
                sched_yield();
            }
            ring_push(r, i, 1, EV_ATOMIC_ADD, 2, (int64_t)(i * 3));
        }
        _exit(0);
    }
    while (next < FORK_EVENTS) {
        size_t got = ring_read(r, ev, ARRAY_SIZE(ev));
        for (size_t i = 0; i < got; i++) {
            if (ev[i].t != next || ev[i].value != (int64_t)(next * 3) || ev[i].lane != 1 ||
                ev[i].kind != EV_ATOMIC_ADD || ev[i].obj != 2) {
                kill(pid, SIGKILL);
                ck_abort_msg("event %llu arrived as t=%llu value=%lld", (unsigned long long)next,
                             (unsigned long long)ev[i].t, (long long)ev[i].value);
            }
            next++;
        }
        if (got == 0) {
            sched_yield();
        }
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_uint_eq(ring_dropped(r), 0);
    ck_assert_uint_eq(ring_pending(r), 0);
    /* the other lane's ring was not touched */
    ck_assert_uint_eq(ring_pending(arena_ring(a, 0)), 0);
    arena_free(a);
}
END_TEST

/* A forked writer that overruns the ring: its drops are visible to the
 * parent through the shared dropped counter. */
START_TEST(test_forked_writer_drops)
{
    IlError err;
    Arena *a = arena_new(1, 64, &err);
    Ring *r;
    pid_t pid;
    int status;

    ck_assert_ptr_nonnull(a);
    r = arena_ring(a, 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        ring_push_seq(r, 0, 64 + 36);
        _exit(0);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_uint_eq(ring_pending(r), 64);
    ck_assert_uint_eq(ring_dropped(r), 36);
    arena_free(a);
}
END_TEST

static Suite *ring_suite(void)
{
    Suite *s = suite_create("ring");
    TCase *basic = NULL, *fork_tc = NULL;

    add_tcase(s, &basic, "basic", test_init_rejects_bad_cap, 5);
    add_tcase(s, &basic, "basic", test_order, 5);
    add_tcase(s, &basic, "basic", test_read_max, 5);
    add_tcase(s, &basic, "basic", test_wrap_around, 5);
    add_tcase(s, &basic, "basic", test_drop_when_full, 5);
    add_tcase(s, &basic, "basic", test_read_frees_space, 5);
    add_tcase(s, &basic, "basic", test_arena_rings_separate, 5);
    add_tcase(s, &fork_tc, "forked_writer", test_forked_writer_small, 10);
    add_tcase(s, &fork_tc, "forked_writer", test_forked_writer_stream, 30);
    add_tcase(s, &fork_tc, "forked_writer", test_forked_writer_drops, 10);
    return s;
}

CHECK_MAIN(ring_suite)
