/*
 * challenge.h - challenges: a goal stated as a property of a run, and the
 * evaluator that says whether a finished run reached it.
 *
 * A challenge is a fenced block of a lesson file (interleave-challenge,
 * format in interleave-lesson(5)):
 *
 *   ```interleave-challenge
 *   id: race-lose-one
 *   goal: Make the counter end at 1.
 *   params: threads=2 iterations=1 variant=unsafe
 *   verdict: completed          how the run must end
 *   result: final == 1          demo results (repeatable)
 *   by: B                       invariant: the lane that broke it;
 *                               deadlock/hang: lanes that must be stuck
 *   invariant: exactly once     which invariant must break
 *   steps: <= 6                 a limit on the steps the goal takes
 *   lanes: A B                  the only lanes the schedule may move
 *   spurious: no                no ~X tokens
 *   solution: A B A B A B       a schedule that reaches it (lint replays it)
 *   ```
 *
 * THE RULE OF THE STUDENT'S STEPS.  A step-mode run whose schedule ends
 * before the run does goes on round-robin, and round-robin alone loses an
 * update in the race demo.  So a goal counts only when the student's own
 * steps decide it: a goal about how the run ends (a verdict other than
 * invariant, or any result: line) needs the run to end within those
 * steps, and a goal that is only "this invariant breaks" needs the
 * violation to happen within them.  challenge_evaluate() takes the number
 * of steps the student chose for that reason.
 *
 * What the evaluator reads is data: run_verdict_info() (the verdict, its
 * step, the lanes it names, the broken invariant, a refused token),
 * run_steps(), run_schedule() (the tokens the student gave) and
 * arena_result_get(); for a run parked between steps, the arena's
 * violation record and lane states.  It parses no message.
 *
 * Thread: any thread for parsing; the run functions follow run.h (the
 * front end's main thread).
 */
#ifndef INTERLEAVE_LESSON_CHALLENGE_H
#define INTERLEAVE_LESSON_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/error.h"
#include "core/run.h"
#include "lesson/kv.h"
#include "util/strbuf.h"

/* How a value is compared with the goal's number. */
typedef enum ChallengeCmp {
    CMP_EQ = 0, /* == */
    CMP_NE,     /* != */
    CMP_LT,     /* <  */
    CMP_LE,     /* <= */
    CMP_GT,     /* >  */
    CMP_GE,     /* >= */
    CMP_COUNT
} ChallengeCmp;

/* "final == 1": a demo result compared with a number. */
typedef struct ChallengeCond {
    char *name; /* result field ("final"); owned.  "steps" for the steps limit */
    int cmp;    /* ChallengeCmp */
    int64_t value;
    unsigned line; /* line of the key in the lesson file */
} ChallengeCond;

/* A set of lanes, one bit per lane (lane 0 = A). */
typedef struct ChallengeLanes {
    uint64_t bits[(ARENA_MAX_LANES + 63) / 64];
} ChallengeLanes;

typedef struct LessonChallenge {
    char *id;      /* unique within the lesson (shared with questions) */
    char *goal;    /* what the student is asked to do; shown as the prompt */
    char *demo;    /* demo name, in full */
    char **params; /* "key=value", nparams of them (as in a run block) */
    size_t nparams;
    int verdict;            /* Verdict the run must end with, -1 = any ending but a failure
                             * of the run itself (bad schedule, timeout, crash) */
    ChallengeCond *results; /* result: lines, all must hold */
    size_t nresults;
    bool has_by;
    ChallengeLanes by; /* by: invariant -> the lane that broke it is one of these;
                        * deadlock/hang -> the verdict names every one of these
                        * (VerdictInfo.lanes: the cycle, or the lanes waiting) */
    char *invariant;   /* invariant that must break ("exactly once"), NULL = any */
    bool has_steps;
    ChallengeCond steps; /* steps: limit on the deciding step (name "steps") */
    bool has_lanes;
    ChallengeLanes lanes; /* lanes: the only lanes the schedule may name */
    bool spurious;        /* spurious wakeup tokens (~B) allowed (default true) */
    char *solution;       /* a schedule that reaches the goal, NULL = none given */
    char *hint;           /* may be NULL */
    char *explain;        /* shown once the goal is reached, may be NULL */
    unsigned line;        /* line of the opening fence */
    unsigned id_line;     /* line of id: (0 = none) */
    unsigned solution_line;
    unsigned nlanes; /* lanes of a run with these parameters, 0 = unknown (bad demo) */
} LessonChallenge;

/* What challenge_evaluate() found. */
typedef enum ChallengeStatus {
    CHALLENGE_MISSED = 0,  /* the run did something else (msg says what) */
    CHALLENGE_REACHED = 1, /* goal reached */
    CHALLENGE_PENDING = 2  /* not decided yet: the run goes on */
} ChallengeStatus;

/*
 * Parse the body of an interleave-challenge block into out (zeroed by this
 * call).  text is the block's content, first_line the line of its first
 * content line, fence_line the line of the opening fence; main_demo is the
 * lesson's main demo (NULL = none) used when the block names none.  Every
 * problem goes to problem(ctx, line, msg) ("result: 'fnal = 1' is not
 * NAME OP NUMBER").  Returns 0 (with or without problems) or -ENOMEM.
 * Caller owns out: challenge_fini().  Thread: any thread.
 */
int challenge_parse(const char *text, unsigned first_line, unsigned fence_line,
                    const char *main_demo, KvProblemFn problem, void *ctx,
                    LessonChallenge *out) ATTR_WARN_UNUSED_RESULT;

/* challenge_parse(), with demo names looked up in scope first (the
 * lesson's id: its own scenarios, demo_find_scoped()).  Thread: any. */
int challenge_parse_scoped(const char *text, unsigned first_line, unsigned fence_line,
                           const char *main_demo, const char *scope, KvProblemFn problem, void *ctx,
                           LessonChallenge *out) ATTR_WARN_UNUSED_RESULT;

/* Free what ch owns.  NULL-safe. */
void challenge_fini(LessonChallenge *ch);

/*
 * The run configuration of ch: its demo and parameters, step mode, a
 * timeout of timeout_s seconds (0 = none).  Returns 0, or -IL_EUSAGE with
 * err naming what is wrong (a challenge that did not lint clean).  The
 * TUI starts the student's step-mode run from it.
 */
int challenge_run_config(const LessonChallenge *ch, RunConfig *cfg, double timeout_s,
                         IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Did run reach the goal of ch?  run is finished, or parked between steps
 * (interactive step mode).  chosen_steps is how many of the run's steps the
 * student chose (the schedule's, or those sent one by one); UINT64_MAX =
 * all of them.  Writes one line into msg (always NUL-terminated):
 * "goal reached: the run completed at step 6 with final 1, lost 1", or
 * what the run did instead, "not reached: the run completed at step 6 with
 * final 2 (goal: final == 1)".  Returns a ChallengeStatus; PENDING while
 * the goal cannot be decided yet (the run goes on).
 * Thread: the front end's main thread.
 */
int challenge_evaluate(const LessonChallenge *ch, const Run *run, uint64_t chosen_steps, char *msg,
                       size_t len);

/*
 * Replay schedule (text) as the answer to ch: a step-mode run of ch's demo
 * whose steps are the schedule, judged by challenge_evaluate().  The
 * round-robin that would follow the schedule is not played: what it would
 * do is not the student's.  Returns CHALLENGE_REACHED or CHALLENGE_MISSED
 * with msg saying why (a malformed schedule is MISSED: "malformed
 * schedule: token 2 'Q': lane Q does not exist (lanes A..B)"), or a
 * negative error when the run could not be started (-ENOMEM, fork
 * failure; msg says so).  timeout_s bounds the run (0 = none).  Leaves no
 * process behind.  Thread: the front end's main thread.
 */
int challenge_check(const LessonChallenge *ch, const char *schedule, double timeout_s, char *msg,
                    size_t len);

/*
 * Lint ch's solution: replay it and append "path:line: solution: does not
 * reach the goal: ..." to out when it does not.  Returns the number of
 * problems (0 or 1; 0 also when ch gives no solution).
 */
int challenge_lint_solution(const LessonChallenge *ch, const char *path, StrBuf *out);

/*
 * Is ch's goal reachable at all?  The explorer (core/explore.h) runs ch's
 * demo with at most preemptions preemptions, and the shortest schedule of
 * each outcome it finds, failing ones first, is replayed as an answer
 * (challenge_check).  Returns CHALLENGE_REACHED with the schedule that
 * reached it in schedule (slen bytes), CHALLENGE_MISSED when none did
 * (msg says what was searched: "no schedule within 2 preemptions reaches
 * the goal: 14 schedules, 2 outcomes, the search complete"), or a
 * negative error (msg says why).  timeout_s bounds the search.  Leaves no
 * process behind.  Thread: the front end's main thread.
 */
int challenge_explore(const LessonChallenge *ch, unsigned preemptions, double timeout_s,
                      char *schedule, size_t slen, char *msg, size_t mlen);

/*
 * Lint a challenge that gives no solution: challenge_explore() must find
 * one, else "path:line: challenge 'ID': no schedule within 2 preemptions
 * reaches the goal ..." goes to out.  Returns the number of problems (0 or
 * 1; 0 also when ch gives a solution, which challenge_lint_solution()
 * replays).
 */
int challenge_lint_reachable(const LessonChallenge *ch, const char *path, StrBuf *out);

/* The text of a comparison ("<="), and the parse of one; -1 = none. */
const char *challenge_cmp_name(int cmp);

/* Lane sets. */
bool challenge_lanes_has(const ChallengeLanes *set, unsigned lane);

#endif /* INTERLEAVE_LESSON_CHALLENGE_H */
