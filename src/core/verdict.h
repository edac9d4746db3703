/*
 * verdict.h - how a run ended, as data.
 *
 * DESIGN
 * A VerdictInfo says what a run's verdict was and everything a person or
 * a program needs to know about it: when (the step, or the time since the
 * lanes started), the lanes involved with what each holds and waits for
 * (a deadlock's cycle in order, a hang's sleepers), a livelock's figures,
 * the broken invariant (its name, the item or slot, the lane that saw it,
 * and what the run did afterwards), a refused schedule token and why, a
 * lane process that died (which, its pid, how it ended).
 *
 * Every face renders this one structure: verdict_describe() writes the
 * one-line English message of the reports and the CLI, verdict_json() the
 * report's "verdict_info" object, and the lesson screen builds its banner
 * from the fields.  Nothing parses a message string.
 *
 * A VerdictInfo holds arena object indexes, not names: render it while
 * the run's arena is mapped.  Thread: any thread.
 */
#ifndef INTERLEAVE_CORE_VERDICT_H
#define INTERLEAVE_CORE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/waitfor.h"
#include "util/strbuf.h"

#define VERDICT_NO_HOLDER (-2) /* VerdictLane.holder: waits for no lane (a semaphore) */
#define VERDICT_DETAIL_MAX ARENA_MSG_MAX

/* One lane of a deadlock, a hang or a stall: what it holds and waits for. */
typedef struct VerdictLane {
    uint16_t lane;
    uint32_t op;    /* the wait: EV_LOCK_ACQUIRE (a mutex), EV_SEM_ACQUIRE (a
                     * semaphore at 0), EV_COND_SLEEP (asleep on a cond),
                     * EV_COND_WAKE (woken on cond, waits for its mutex) */
    uint32_t obj;   /* the object waited for: mutex, semaphore or cond */
    uint32_t cond;  /* EV_COND_WAKE: the cond it was woken on (obj is the mutex) */
    int32_t holder; /* the lane holding obj, -1 = none, VERDICT_NO_HOLDER */
    int64_t count;  /* a semaphore's count when the verdict was taken */
    uint32_t held;  /* in a cycle: the object this lane holds that the lane
                     * before it waits for; 0 = none */
} VerdictLane;

typedef struct VerdictInfo {
    int kind;        /* Verdict */
    bool stepping;   /* at counts steps (step/replay), else ns */
    bool have_at;    /* at is known */
    uint64_t at;     /* the step of the verdict, or ns since the lanes started
                      * when it was found (free mode) */
    bool cycle;      /* lanes[] is a wait-for cycle, in order: each waits for
                      * what the next one holds */
    unsigned nlanes; /* lanes involved */
    VerdictLane lanes[ARENA_MAX_LANES];

    /* VERDICT_LIVELOCK */
    const char *progress_unit; /* "transfers" (static), NULL = none */
    uint64_t span;             /* steps or ns without progress */
    uint64_t ops;              /* operations the lanes performed meanwhile (free) */
    unsigned nops;             /* step mode: each lane's operation count */
    uint64_t lane_ops[ARENA_MAX_LANES];

    /* VERDICT_BAD_SCHEDULE */
    int bad_token;     /* 1-based position of the refused token */
    char bad_text[16]; /* the token as written: "B", "~C", "A3" */
    char reason[256];  /* why: "lane B is blocked on mutex m held by A" */

    /* VERDICT_INVARIANT: the first broken invariant, and what the run did
     * afterwards (base_kind with the fields above) */
    int base_kind;      /* the verdict the run had before the violation */
    char invariant[64]; /* its name: "exactly once" */
    char what[512];     /* what broke: "item 3 taken a second time, from slot 1" */
    int inv_lane;       /* the lane that saw it, -1 = the end-of-run check */
    uint64_t inv_at;    /* step or ns since the lanes started */
    uint32_t inv_obj;   /* the object involved (a slot), 0 = none */

    /* VERDICT_CRASHED because a lane process died: the lane, its process,
     * how it ended (waitpid() status); at = when it was reaped.  -1 = not a
     * lane (the run's own process crashed, or it failed to start) */
    int died_lane;
    int32_t died_pid;
    int died_status;

    /* every other kind (timeout, crash, killed, a failed setup): one line */
    char detail[VERDICT_DETAIL_MAX];
} VerdictInfo;

/* Empty info of kind (nothing known yet). */
void verdict_init(VerdictInfo *vi, int kind, bool stepping);

/*
 * The lanes of wf that matter for kind: a cycle's lanes in order when wf
 * has one (cycle = true), else every unfinished lane that waits.
 */
void verdict_set_waits(VerdictInfo *vi, const WaitFor *wf, const Arena *arena);

/*
 * The one-line message, appended to out: "deadlock at step 2: A holds
 * acct1, waits acct2; B holds acct2, waits acct1", "hang after 12.0 ms:
 * every unfinished lane waits and none can wake another: A waits on cond
 * cv; B waits on cond cv", "invariant 'exactly once' broken at step 14 by
 * lane C: ...; then completed: ...".  Completed runs have none.
 */
void verdict_describe(const VerdictInfo *vi, const Arena *arena, StrBuf *out);

/*
 * The lanes' waits alone, "A waits on cond cv; B waits m (held by A)" (or
 * a cycle's "A holds acct1, waits acct2; ..."), appended to out.
 */
void verdict_describe_waits(const VerdictInfo *vi, const Arena *arena, StrBuf *out);

/* What lane k of vi->lanes waits for, without its name: "waits on cond
 * cv", "waits m (held by A)", "holds acct1, waits acct2". */
void verdict_describe_lane(const VerdictInfo *vi, unsigned k, const Arena *arena, StrBuf *out);

/*
 * The message as a banner, appended to out: the kind in capitals, then the
 * rest ("DEADLOCK at step 2: A holds acct1, waits acct2; ...", "BAD
 * SCHEDULE: token 2 'B': lane B is blocked ...").
 */
void verdict_banner(const VerdictInfo *vi, const Arena *arena, StrBuf *out);

/*
 * The JSON object for the report's "verdict_info" key, appended to out:
 * {"kind", "at", "unit", "cycle", "lanes": [{"lane", "waits", "op",
 * "holder", "holds", "count", "woken_on"}], ...}; a crash by a lane
 * process adds "died": {"lane", "pid", "how", "signal", "status"}.
 */
void verdict_json(const VerdictInfo *vi, const Arena *arena, StrBuf *out);

/* The name of a VerdictLane's wait op for machines: "mutex", "semaphore",
 * "cond", "woken".  Thread: any thread. */
const char *verdict_wait_name(uint32_t op);

#endif /* INTERLEAVE_CORE_VERDICT_H */
