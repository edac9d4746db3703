/*
 * grade.h - grading an answers file against lessons, and the reports.
 *
 * DESIGN
 * grade_answers() turns an Answers file and the lessons it is graded on
 * into a GradeReport: one GradeItem per question that has an answer:,
 * per challenge, and per answer that names nothing (an unknown id or
 * lesson).  Questions are checked with question_check(), challenges by
 * replaying the answer's schedule with challenge_check(): a real
 * step-mode run, deterministic, in its own sandbox, killed and reaped
 * before the next one.  A missing answer, an unknown id and a malformed
 * schedule are failed items with a message; nothing a student writes
 * makes grading stop.
 *
 * The report is then written in one of several formats (grade_format_*),
 * each for a real consumer: TAP version 13 (prove), JUnit XML (CI
 * servers, python3-junitparser), Gradescope's results.json, a JSON object
 * of our own, and text for people.  The formats are a table (GradeFormat)
 * so the command line's help and its error for a bad name come from it.
 *
 * Every item is worth one point.
 *
 * Thread: the front end's main thread (challenges start runs).
 */
#ifndef INTERLEAVE_GRADE_GRADE_H
#define INTERLEAVE_GRADE_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "lesson/answers.h"
#include "lesson/lesson.h"
#include "util/strbuf.h"

#define GRADE_FORMAT_VERSION 1     /* of our own JSON; bumped when its shape changes */
#define GRADE_DEFAULT_TIMEOUT 10.0 /* seconds per challenge replay */

typedef enum GradeKind {
    GRADE_QUESTION = 0,
    GRADE_CHALLENGE = 1,
    GRADE_UNKNOWN = 2, /* an answer that names no question or challenge */
    GRADE_KIND_COUNT
} GradeKind;

typedef struct GradeItem {
    char *lesson; /* lesson id ("race"); owned */
    char *id;     /* question or challenge id; owned */
    int kind;     /* GradeKind */
    bool passed;
    char *answer;  /* the answer given, NULL = none; owned */
    char *message; /* one line: what the check found; owned */
    char *prompt;  /* the question's prompt or the challenge's goal, NULL = none; owned */
    char *explain; /* the explain: text, NULL = none; owned */
    unsigned line; /* line of the answer in the answers file, 0 = none */
    uint64_t ns;   /* time the check took */
} GradeItem;

typedef struct GradeReport {
    GradeItem *items; /* in lesson order, then document order */
    size_t n;
    size_t passed;
    uint64_t ns;        /* time the whole grading took */
    char *answers_path; /* owned */
    int internal;       /* items that could not be checked (a run failed to start) */
} GradeReport;

typedef struct GradeOptions {
    double timeout_s;         /* per challenge replay; 0 = GRADE_DEFAULT_TIMEOUT */
    const char *const *known; /* ids of every lesson there is (borrowed), graded or not:
                               * answers to one of them that is not graded are skipped,
                               * not unknown; NULL = only the graded ones */
    size_t nknown;
    bool explore; /* a challenge answered with a schedule that missed: the explorer
                   * (challenge_explore) says how short a schedule reaches the goal
                   * ("a schedule of 6 steps reaches it"), or that none does */
} GradeOptions;

/*
 * Grade answers against lessons (nlessons of them, borrowed).  Each lesson
 * gives an item per graded question and per challenge, answered or not;
 * answers under a [LESSON] that is not among lessons, or for ids the
 * lesson does not have, give failed GRADE_UNKNOWN items.  Returns 0 with
 * *out filled (caller owns it: grade_report_fini()), or -ENOMEM.
 */
int grade_answers(const Answers *answers, Lesson *const *lessons, size_t nlessons,
                  const GradeOptions *opt, GradeReport *out) ATTR_WARN_UNUSED_RESULT;

void grade_report_fini(GradeReport *report);

/* "question", "challenge", "unknown". */
const char *grade_kind_name(int kind);

/* One output format. */
typedef struct GradeFormat {
    const char *name; /* "tap" */
    const char *help; /* one line */
    /* Append the report.  visibility is Gradescope's (visible, hidden,
     * after_due_date, after_published); the other formats ignore it. */
    void (*write)(StrBuf *out, const GradeReport *report, const char *visibility);
} GradeFormat;

/* The formats, ended by {NULL}. */
extern const GradeFormat grade_formats[];

/* A format by exact name, or NULL. */
const GradeFormat *grade_format_find(const char *name);

/* A Gradescope results.json for a submission that could not be graded:
 * score 0, no tests, message as its output.  Appended to out. */
void grade_gradescope_error(StrBuf *out, const char *message, const char *visibility);

/* Gradescope's visibility values, ended by NULL. */
extern const char *const grade_visibilities[];

#endif /* INTERLEAVE_GRADE_GRADE_H */
