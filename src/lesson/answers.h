/*
 * answers.h - answer files, and checking one answer to one question.
 *
 * An answers file (format: interleave-answers(5)) is plain text in the
 * style of a lesson file's blocks: a line "[LESSON]" starts the answers
 * to one lesson, and each line "ID: ANSWER" under it answers the question
 * or challenge ID of that lesson: a choice (its number or its text), a
 * value, or a schedule.  Lines starting with a space continue the answer
 * above; blank lines and lines starting with '#' are skipped.
 *
 *   # Ada Lovelace, lab 3
 *   [race]
 *   race-two-threads: 2
 *   race-mutex-steps: 5
 *   race-lose-one: A B A B A B
 *
 * The parser only reads the file; which ids exist is the grader's
 * business (an unknown id is a failed answer, not a broken file).  A file
 * that cannot be read as answers gets every problem as "path:line: what".
 *
 * question_check() judges one answer to one question; the TUI and the
 * grader share it, so a student and a grader get the same verdict.
 *
 * Thread: any thread (no shared state).
 */
#ifndef INTERLEAVE_LESSON_ANSWERS_H
#define INTERLEAVE_LESSON_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compiler.h"
#include "lesson/lesson.h"
#include "util/strbuf.h"

#define ANSWERS_FILE_MAX (1024u * 1024u) /* bytes */

typedef struct AnswerEntry {
    char *lesson;  /* the [LESSON] it is under; owned */
    char *id;      /* question or challenge id; owned */
    char *value;   /* the answer, white space squeezed; "" = left blank; owned */
    unsigned line; /* line of the entry in the file */
} AnswerEntry;

typedef struct Answers {
    char *path;     /* the file, for messages; owned */
    AnswerEntry *e; /* in file order */
    size_t n;
    char **lessons; /* the [LESSON] names, first appearance order, no repeats */
    size_t nlessons;
} Answers;

/*
 * Parse text (len bytes, need not be NUL-terminated) read from path.
 * Returns the answers (caller owns them: answers_free()) when the text is
 * a well-formed answers file, or NULL with one "path:line: message" line
 * per problem appended to problems (when not NULL) and *code set to
 * -IL_EPARSE, or -ENOMEM.  code may be NULL.
 */
Answers *answers_parse(const char *text, size_t len, const char *path, StrBuf *problems,
                       int *code) ATTR_WARN_UNUSED_RESULT;

/*
 * Read and parse the file at path ("-" = standard input is the caller's
 * business: give the text to answers_parse()).  As answers_parse(); the
 * file is read with file_read() (util/file.h), like every file read by
 * name: a file that cannot be read gives one line "path: reason" and
 * *code = -errno: -EISDIR "path: is a directory, not a regular answers
 * file", -ENODEV for a FIFO, device or socket (refused at once, never
 * waited on), -EFBIG for one over ANSWERS_FILE_MAX.
 */
Answers *answers_load(const char *path, StrBuf *problems, int *code) ATTR_WARN_UNUSED_RESULT;

/* Free a; NULL does nothing. */
void answers_free(Answers *a);

/* The entry for id under lesson, or NULL.  Borrowed. */
const AnswerEntry *answers_find(const Answers *a, const char *lesson, const char *id);

/* True when q can be graded: it has an answer: (a choice or a value). */
bool question_graded(const LessonQuestion *q);

/*
 * Is answer right for q?  A question with choices takes the number of a
 * choice (1..n) or its text (compared ignoring case and runs of white
 * space); a question that asks for a value takes the value (numbers
 * compared as numbers, "5" == "5.0" == "five" for zero to twenty; other
 * text ignoring case and runs of white space).  Writes one line into msg: "right", or why not ("'4'
 * is not one of the choices 1..3", "not the right choice").  The message never gives the right
 * answer away: a wrong answer may be tried again. Returns true when right.  A question that is not
 * graded is never right.
 */
bool question_check(const LessonQuestion *q, const char *answer, char *msg, size_t len);

#endif /* INTERLEAVE_LESSON_ANSWERS_H */
