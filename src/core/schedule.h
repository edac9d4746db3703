/*
 * schedule.h - schedule strings: which lane moves next.
 *
 * Lanes are named A, B, ..., Z, AA, AB, ... in creation order (lane 0 is A,
 * lane 26 is AA, lane 63 is BL).  A schedule is tokens separated by spaces
 * or commas:
 *
 *   A     grant lane A one step
 *   A3    grant lane A three steps (1..1000000000)
 *   A*    run lane A until it blocks or finishes
 *   ~A    a spurious wakeup: lane A, asleep in a condition wait, wakes
 *         without a signal (it then needs the mutex back, like any woken
 *         lane).  Takes no step; refused when A is not asleep on a
 *         condition variable.
 *
 * Lane letters may be given in lower case.  A step runs a lane from one
 * instrumented point to the next.  What happens when a schedule runs out
 * (round-robin) is the scheduler's business, see sched.h.
 */
#ifndef INTERLEAVE_CORE_SCHEDULE_H
#define INTERLEAVE_CORE_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/error.h"

#define SCHEDULE_MAX_COUNT 1000000000u
#define LANE_NAME_MAX 4 /* "BL" plus NUL, with room */

typedef enum SchedTokenKind {
    TOK_STEPS = 0,   /* count steps */
    TOK_RUN = 1,     /* until the lane blocks or finishes */
    TOK_SPURIOUS = 2 /* "~A": wake the lane from its condition wait, no step */
} SchedTokenKind;

typedef struct SchedToken {
    uint16_t lane;  /* 0 = A */
    uint16_t kind;  /* SchedTokenKind */
    uint32_t count; /* steps, for TOK_STEPS; 0 otherwise */
    uint32_t pos;   /* 1-based position of the token in its schedule */
} SchedToken;

typedef struct Schedule {
    SchedToken *tok; /* owned; free with schedule_fini() */
    size_t n;        /* tokens in use */
    size_t cap;      /* tokens allocated */
} Schedule;

/*
 * Parse text into out (initialised by this call; caller owns it and frees
 * it with schedule_fini()).  When nlanes > 0, naming a lane >= nlanes is an
 * error.  Returns 0, or -IL_EPARSE with err saying which token is wrong and
 * why (-ENOMEM when out of memory).  On failure out is left empty.
 * Thread: any thread.
 */
int schedule_parse(const char *text, unsigned nlanes, Schedule *out,
                   IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Free the tokens of sched and empty it.  Thread: owner only. */
void schedule_fini(Schedule *sched);

/*
 * Append one token to sched.  Returns 0 or -ENOMEM.  Thread: owner only.
 */
int schedule_append(Schedule *sched, SchedToken tok) ATTR_WARN_UNUSED_RESULT;

/*
 * Write the canonical text of sched ("A B A3 B*") into buf (always
 * NUL-terminated).  Returns the length the full text needs, like snprintf.
 * Thread: any thread.
 */
size_t schedule_format(const Schedule *sched, char *buf, size_t len);

/* Write one token's text ("A3", "B*", "~C") into buf.  Thread: any thread. */
void schedule_token_format(const SchedToken *tok, char buf[16]);

/* Write the name of lane ("A", "AB") into buf.  Thread: any thread. */
void lane_name(unsigned lane, char buf[LANE_NAME_MAX]);

/*
 * Parse a lane name of len letters (either case).  Returns the lane index
 * or -1 when it is not a name.  Thread: any thread.
 */
int lane_parse(const char *s, size_t len);

#endif /* INTERLEAVE_CORE_SCHEDULE_H */
