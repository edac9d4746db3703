/*
 * quiz.c - a lesson's questions and challenges (see quiz.h).
 */
#include "config.h"

#include "lesson/quiz.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/answers.h"

/* Items of one page in file order: questions and challenges merged by the
 * line they start on. */
static size_t quiz_add_page(const LessonPage *pg, size_t page, QuizItem *out)
{
    size_t iq = 0, ic = 0, n = 0;

    while (iq < pg->nquestions || ic < pg->nchallenges) {
        bool take_q = ic >= pg->nchallenges ||
                      (iq < pg->nquestions && pg->questions[iq].line <= pg->challenges[ic].line);
        if (take_q) {
            const LessonQuestion *q = &pg->questions[iq++];
            out[n++] = (QuizItem){QUIZ_QUESTION, page, q, NULL, q->id != NULL ? q->id : ""};
        } else {
            const LessonChallenge *ch = &pg->challenges[ic++];
            out[n++] = (QuizItem){QUIZ_CHALLENGE, page, NULL, ch, ch->id != NULL ? ch->id : ""};
        }
    }
    return n;
}

int quiz_init(Quiz *qz, const Lesson *lesson, Progress *progress)
{
    size_t total = 0;

    memset(qz, 0, sizeof(*qz));
    qz->lesson = lesson;
    qz->progress = progress;
    if (lesson == NULL) {
        return 0;
    }
    for (size_t p = 0; p < lesson->npages; p++) {
        total += lesson->pages[p].nquestions + lesson->pages[p].nchallenges;
    }
    if (total == 0) {
        return 0;
    }
    qz->items = calloc(total, sizeof(*qz->items));
    if (qz->items == NULL) {
        return -ENOMEM;
    }
    for (size_t p = 0; p < lesson->npages; p++) {
        qz->n += quiz_add_page(&lesson->pages[p], p, qz->items + qz->n);
    }
    return 0;
}

void quiz_fini(Quiz *qz)
{
    if (qz == NULL) {
        return;
    }
    free(qz->items);
    memset(qz, 0, sizeof(*qz));
}

/* The answer with white space at both ends cut and runs inside made one
 * space (as the progress file and the grader see it); caller frees. */
static char *quiz_squeeze(const char *answer)
{
    char *out = malloc(strlen(answer) + 1), *w = out;

    if (out == NULL) {
        return NULL;
    }
    for (const char *r = answer; *r != '\0'; r++) {
        if (isspace((unsigned char)*r)) {
            if (w > out && w[-1] != ' ') {
                *w++ = ' ';
            }
        } else {
            *w++ = *r;
        }
    }
    while (w > out && w[-1] == ' ') {
        w--;
    }
    *w = '\0';
    return out;
}

bool quiz_explain_shown(const LessonQuestion *q, const ProgressItem *st)
{
    return st->right || st->noted || !question_graded(q) || st->attempts >= QUIZ_EXPLAIN_AFTER;
}

int quiz_answer(Quiz *qz, size_t i, const char *answer, char *msg, size_t len)
{
    const QuizItem *it;
    char why[256];
    char *text;
    int verdict, rc = 0;

    if (len > 0) {
        msg[0] = '\0';
    }
    if (i >= qz->n) {
        snprintf(msg, len, "there is no such question");
        return QUIZ_REFUSED;
    }
    it = &qz->items[i];
    if (it->kind != QUIZ_QUESTION) {
        snprintf(msg, len,
                 "%s is a challenge: it is answered by a run (step it, or type a "
                 "schedule)",
                 it->id);
        return QUIZ_REFUSED;
    }
    text = quiz_squeeze(answer != NULL ? answer : "");
    if (text == NULL) {
        snprintf(msg, len, "out of memory");
        return QUIZ_REFUSED;
    }
    if (text[0] == '\0') {
        free(text);
        snprintf(msg, len, "type an answer first");
        return QUIZ_REFUSED;
    }
    if (!question_graded(it->q)) {
        verdict = QUIZ_NOTED;
        snprintf(why, sizeof(why), "noted: this question is for thinking, and your answer is kept");
    } else if (question_check(it->q, text, why + 7, sizeof(why) - 7)) {
        /* question_check says "right: choice 2" or "right" */
        verdict = QUIZ_RIGHT;
        memmove(why, why + 7, strlen(why + 7) + 1);
    } else {
        verdict = QUIZ_WRONG;
        memcpy(why, "wrong: ", 7);
    }
    if (qz->progress != NULL) {
        rc = progress_mark_try(qz->progress, qz->lesson->id, it->id, verdict, text);
    }
    free(text);
    if (rc < 0) {
        snprintf(msg, len, "%s (%s)", why,
                 rc == -ENOMEM ? "out of memory: not kept" : progress_error(qz->progress));
    } else {
        snprintf(msg, len, "%s", why);
    }
    return verdict;
}

void quiz_status(const Quiz *qz, size_t i, ProgressItem *out)
{
    if (i >= qz->n || qz->lesson == NULL) {
        memset(out, 0, sizeof(*out));
        out->last = -1;
        return;
    }
    (void)progress_item(qz->progress, qz->lesson->id, qz->items[i].id, out);
}

/* Done, for one item and what progress holds of it. */
static bool quiz_item_done(const QuizItem *it, const ProgressItem *st)
{
    if (it->kind == QUIZ_QUESTION && !question_graded(it->q)) {
        return st->attempts > 0 || st->last >= 0;
    }
    return st->right;
}

bool quiz_done(const Quiz *qz, size_t i)
{
    ProgressItem st;
    if (i >= qz->n) {
        return false;
    }
    quiz_status(qz, i, &st);
    return quiz_item_done(&qz->items[i], &st);
}

size_t quiz_first(const Quiz *qz, size_t page)
{
    for (size_t i = 0; i < qz->n; i++) {
        if (qz->items[i].page >= page && !quiz_done(qz, i)) {
            return i;
        }
    }
    for (size_t i = 0; i < qz->n; i++) {
        if (qz->items[i].page >= page) {
            return i;
        }
    }
    for (size_t i = 0; i < qz->n; i++) {
        if (!quiz_done(qz, i)) {
            return i;
        }
    }
    return 0;
}

size_t quiz_find(const Quiz *qz, const char *id)
{
    for (size_t i = 0; i < qz->n; i++) {
        if (strcmp(qz->items[i].id, id) == 0) {
            return i;
        }
    }
    return (size_t)-1;
}

void quiz_tally(const Lesson *lesson, const Progress *progress, QuizTally *t)
{
    memset(t, 0, sizeof(*t));
    if (lesson == NULL) {
        return;
    }
    for (size_t p = 0; p < lesson->npages; p++) {
        const LessonPage *pg = &lesson->pages[p];
        for (size_t k = 0; k < pg->nquestions; k++) {
            QuizItem it = {QUIZ_QUESTION, p, &pg->questions[k], NULL, pg->questions[k].id};
            ProgressItem st;
            (void)progress_item(progress, lesson->id, it.id, &st);
            t->questions++;
            t->answered += quiz_item_done(&it, &st);
        }
        for (size_t k = 0; k < pg->nchallenges; k++) {
            ProgressItem st;
            (void)progress_item(progress, lesson->id, pg->challenges[k].id, &st);
            t->challenges++;
            t->solved += st.right;
        }
    }
    if (t->questions + t->challenges > 0) {
        t->done = t->answered == t->questions && t->solved == t->challenges;
    } else {
        t->done = lesson->npages > 0 && progress_pages_seen(progress, lesson->id) >= lesson->npages;
    }
}
