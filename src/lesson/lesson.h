/*
 * lesson.h - lesson files: loading, the lesson model, and linting.
 *
 * A lesson is a text file in lessons/ (format: interleave-lesson(5)) made of
 * pages; each page has text and may hold demo runs and questions.  This
 * module has no curses; the TUI and `interleave lint` both use it.
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_LESSON_LESSON_H
#define INTERLEAVE_LESSON_LESSON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"
#include "core/error.h"
#include "lesson/challenge.h"
#include "util/strbuf.h"

/* A demo run a page offers ("run this"). */
typedef struct LessonRun {
    char *label;   /* one line shown to the student */
    char *demo;    /* demo name ("race") */
    char **params; /* "key=value" strings, nparams of them */
    size_t nparams;
    char *mode;     /* "free", "step" or "replay" (NULL = free) */
    char *schedule; /* schedule string, NULL = none */
    unsigned line;  /* line in the file where the block starts */
} LessonRun;

/* A question on a page (graded later; for now shown and answered). */
typedef struct LessonQuestion {
    char *id; /* unique within the lesson */
    char *prompt;
    char **choices; /* nchoices strings; 0 choices = free text */
    size_t nchoices;
    int answer;    /* index of the right choice, -1 = none given */
    char *value;   /* a question without choices: the right value ("18"),
                      NULL = none (not graded); see question_check() */
    char *explain; /* shown after answering, may be NULL */
    unsigned line;
} LessonQuestion;

typedef struct LessonPage {
    char *title; /* page heading */
    char *text;  /* plain text: paragraphs separated by blank lines,
                    code and lists kept line by line; the UI wraps it */
    LessonRun *runs;
    size_t nruns;
    LessonQuestion *questions;
    size_t nquestions;
    LessonChallenge *challenges; /* interleave-challenge blocks (challenge.h) */
    size_t nchallenges;
    unsigned line; /* line where the page starts */
} LessonPage;

typedef struct Lesson {
    char *id;   /* file name without extension ("race") */
    char *path; /* the file it came from */
    char *title;
    char *summary; /* one line */
    char *demo;    /* the lesson's main demo, may be NULL */
    LessonPage *pages;
    size_t npages;
    int order; /* place in the course (order=N), 0 = after the numbered ones */
    /* where it came from (lesson/lessonpath.h): a LessonOrigin, and whether
     * it replaces a built-in lesson of the same id */
    int origin;
    bool replaces;
} Lesson;

/*
 * Load and check the lesson at path.  Returns it (caller owns it; free with
 * lesson_free()) or NULL with err->msg as "path:line: what is wrong".
 */
Lesson *lesson_load(const char *path, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Free lesson; NULL does nothing. */
void lesson_free(Lesson *lesson);

/*
 * Check the lesson file at path, appending one "path:line: message" line
 * per problem to out.  Returns the number of problems (0 = clean).
 */
int lesson_lint(const char *path, StrBuf *out);

/*
 * The same checks on the len bytes of text, named name in the messages (a
 * file's contents already in memory; the fuzzer's entry).  Returns the
 * number of problems.
 */
int lesson_lint_text(const char *name, const char *text, size_t len, StrBuf *out);

/*
 * The directory of the built-in lessons: $INTERLEAVE_LESSON_DIR if set;
 * else, when the running program is the one built in a source checkout
 * (its executable sits in the build tree), the checkout's lessons/, so an
 * edit there shows at once even after `make install`; else the installed
 * data directory if it exists; else "lessons".  Other directories come
 * before it on the lesson search path (lesson/lessonpath.h).  Borrowed
 * string.
 */
const char *lesson_dir(void);

/*
 * Load every lesson (*.md) in dir, in course order (order=N, then file name).  Files that fail to
 * load are skipped and reported in problems (may be NULL).  Returns 0 and
 * sets *out / *n (caller owns them: lesson_list_free()), or a negative
 * error with err filled when dir cannot be read.
 */
int lesson_list(const char *dir, Lesson ***out, size_t *n, StrBuf *problems, IlError *err);

/* Free a list from lesson_list(). */
void lesson_list_free(Lesson **list, size_t n);

#endif /* INTERLEAVE_LESSON_LESSON_H */
