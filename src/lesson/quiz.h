/*
 * quiz.h - a lesson's questions and challenges as a student meets them:
 * the list, answering a question, and what the student's progress says
 * of each one and of the lesson.
 *
 * DESIGN
 * A Quiz is a flat list over the lesson's pages: every question and every
 * challenge, in the order of the file.  Answering a question goes through
 * question_check() (lesson/answers.h), the same judge the grader uses, and
 * every attempt is kept in the student's progress (progress_mark_try):
 * the answer given and how it was judged.  Challenges are met in a run, so
 * their attempts come from the session that judges the run
 * (session_challenge_start, lesson/session.h); the quiz only reads them.
 *
 * When is something done?
 *   - a question that is graded: some answer to it was right;
 *   - a question for thinking (no answer: in the file): it was answered;
 *   - a challenge: some run reached its goal.
 * A lesson is done when all of its questions and challenges are; a
 * lesson without any is done when every page was seen.
 *
 * The TUI draws a Quiz (ui/panel_quiz.h); tests drive it directly.
 *
 * Thread: one thread at a time per Quiz (the front end's main thread).
 */
#ifndef INTERLEAVE_LESSON_QUIZ_H
#define INTERLEAVE_LESSON_QUIZ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"

typedef enum QuizKind { QUIZ_QUESTION = 0, QUIZ_CHALLENGE = 1 } QuizKind;

typedef struct QuizItem {
    int kind;                  /* QuizKind */
    size_t page;               /* 0-based page it is on */
    const LessonQuestion *q;   /* QUIZ_QUESTION; borrowed from the lesson */
    const LessonChallenge *ch; /* QUIZ_CHALLENGE; borrowed from the lesson */
    const char *id;            /* its id (borrowed) */
} QuizItem;

typedef struct Quiz {
    const Lesson *lesson; /* borrowed */
    Progress *progress;   /* borrowed, may be NULL (nothing is kept) */
    QuizItem *items;      /* in file order */
    size_t n;
} Quiz;

/* What an answer was found to be. */
typedef enum QuizVerdict {
    QUIZ_WRONG = PROGRESS_WRONG,
    QUIZ_RIGHT = PROGRESS_RIGHT,
    QUIZ_NOTED = PROGRESS_NOTED, /* a question for thinking: kept, not judged */
    QUIZ_REFUSED = 3             /* not an attempt: nothing typed, or not a question */
} QuizVerdict;

/*
 * List the questions and challenges of lesson into qz (its fields are
 * set by this call).  lesson and progress are borrowed and must outlive
 * qz; progress may be NULL.  Returns 0 or -ENOMEM.  Free with quiz_fini().
 */
int quiz_init(Quiz *qz, const Lesson *lesson, Progress *progress) ATTR_WARN_UNUSED_RESULT;

/* Free what qz owns.  NULL-safe; qz may be initialised again. */
void quiz_fini(Quiz *qz);

/*
 * Answer question i with answer (a choice's number or text, a value, or
 * free text for a question that is not graded), judged by
 * question_check(), and keep the attempt in progress.  Writes one line
 * into msg (always NUL-terminated): "right: choice 2", "wrong: '4' is not
 * the right value", "noted: ...", or why nothing was kept ("type an
 * answer first"); when the attempt could not be saved, the line says that
 * too.  Returns a QuizVerdict.  Never gives the right answer away: a wrong
 * answer may be tried again.
 */
int quiz_answer(Quiz *qz, size_t i, const char *answer, char *msg, size_t len);

/* A question's explain: text gives its answer away, so it shows once the
 * answer was right (or noted, for a question that is not graded), or after
 * QUIZ_EXPLAIN_AFTER wrong tries.  st is what progress holds for it. */
#define QUIZ_EXPLAIN_AFTER 3
bool quiz_explain_shown(const LessonQuestion *q, const ProgressItem *st);

/* What progress holds for item i (progress_item; zeroed when none). */
void quiz_status(const Quiz *qz, size_t i, ProgressItem *out);

/* Whether item i is done (see DESIGN). */
bool quiz_done(const Quiz *qz, size_t i);

/* The item to show first for page: the first on page or after it that is
 * not done, else the first on page or after, else the first not done,
 * else 0. */
size_t quiz_first(const Quiz *qz, size_t page);

/* The item whose id is id, or (size_t)-1. */
size_t quiz_find(const Quiz *qz, const char *id);

/* A lesson's standing. */
typedef struct QuizTally {
    unsigned questions, answered; /* questions, and those done */
    unsigned challenges, solved;  /* challenges, and those solved */
    bool done;                    /* the lesson is done (see DESIGN) */
} QuizTally;

/* Count lesson's items and what progress (may be NULL) says of them. */
void quiz_tally(const Lesson *lesson, const Progress *progress, QuizTally *t);

#endif /* INTERLEAVE_LESSON_QUIZ_H */
