/*
 * grade.c - grading answers against lessons (see grade.h).
 *
 * For each lesson, its graded questions and its challenges are visited in
 * document order (page by page, by line), each looked up in the answers
 * and checked; then every answer of that lesson that matched nothing
 * becomes an "unknown" item.  Answers under a [LESSON] that does not exist
 * at all become "unknown" items too; answers to a lesson that exists but
 * is not being graded (left out with --lesson) are not graded.
 */
#include "config.h"

#include "grade/grade.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/explore.h"
#include "util/vec.h"

static const char *const grade_kind_names[GRADE_KIND_COUNT] = {
    [GRADE_QUESTION] = "question",
    [GRADE_CHALLENGE] = "challenge",
    [GRADE_UNKNOWN] = "unknown",
};

const char *grade_kind_name(int kind)
{
    return kind >= 0 && kind < GRADE_KIND_COUNT ? grade_kind_names[kind] : "?";
}

void grade_report_fini(GradeReport *report)
{
    if (report == NULL) {
        return;
    }
    for (size_t i = 0; i < report->n; i++) {
        GradeItem *it = &report->items[i];
        free(it->lesson);
        free(it->id);
        free(it->answer);
        free(it->message);
        free(it->prompt);
        free(it->explain);
    }
    free(report->items);
    free(report->answers_path);
    memset(report, 0, sizeof(*report));
}

static char *grade_dup(const char *s, bool *oom)
{
    char *d;
    if (s == NULL) {
        return NULL;
    }
    d = strdup(s);
    if (d == NULL) {
        *oom = true;
    }
    return d;
}

/* Append an item; strings are copied.  Returns it or NULL (oom set). */
static GradeItem *grade_add(GradeReport *r, size_t *cap, const char *lesson, const char *id,
                            int kind, const AnswerEntry *ans, const char *prompt,
                            const char *explain, bool *oom)
{
    GradeItem *it;
    if (r->n == *cap) {
        GradeItem *grown = vec_grow(r->items, cap, r->n + 1, sizeof(*grown));
        if (grown == NULL) {
            *oom = true;
            return NULL;
        }
        r->items = grown;
    }
    it = &r->items[r->n++];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    it->lesson = grade_dup(lesson, oom);
    it->id = grade_dup(id, oom);
    it->prompt = grade_dup(prompt, oom);
    it->explain = grade_dup(explain, oom);
    if (ans != NULL) {
        it->answer = grade_dup(ans->value, oom);
        it->line = ans->line;
    }
    return it;
}

static void grade_say(GradeItem *it, const char *msg, bool *oom)
{
    free(it->message);
    it->message = grade_dup(msg, oom);
}

/* Did the graded lessons use this entry? */
static bool grade_entry_used(const AnswerEntry *e, Lesson *const *lessons, size_t nlessons)
{
    for (size_t l = 0; l < nlessons; l++) {
        const Lesson *lesson = lessons[l];
        if (strcmp(lesson->id, e->lesson) != 0) {
            continue;
        }
        for (size_t pg = 0; pg < lesson->npages; pg++) {
            const LessonPage *page = &lesson->pages[pg];
            for (size_t i = 0; i < page->nquestions; i++) {
                if (page->questions[i].id != NULL && strcmp(page->questions[i].id, e->id) == 0) {
                    return true; /* also a question that is not graded: its answer is fine */
                }
            }
            for (size_t i = 0; i < page->nchallenges; i++) {
                if (page->challenges[i].id != NULL && strcmp(page->challenges[i].id, e->id) == 0) {
                    return true;
                }
            }
        }
    }
    return false;
}

static bool grade_lesson_known(const char *name, Lesson *const *lessons, size_t nlessons,
                               const GradeOptions *opt)
{
    for (size_t l = 0; l < nlessons; l++) {
        if (strcmp(lessons[l]->id, name) == 0) {
            return true;
        }
    }
    for (size_t l = 0; opt != NULL && l < opt->nknown; l++) {
        if (strcmp(opt->known[l], name) == 0) {
            return true;
        }
    }
    return false;
}

static void grade_question(GradeItem *it, const LessonQuestion *q, const AnswerEntry *ans,
                           bool *oom)
{
    char msg[IL_ERROR_MSG_MAX];
    if (ans == NULL) {
        it->passed = false;
        grade_say(it, "no answer given", oom);
        return;
    }
    it->passed = question_check(q, ans->value, msg, sizeof(msg));
    grade_say(it, msg, oom);
}

/* A missed challenge: how short a schedule reaches its goal, from the
 * explorer, appended to msg (the schedule itself is not given away). */
static void grade_explore_hint(const LessonChallenge *ch, char *msg, size_t len)
{
    char sched[EXPLORE_SCHED_MAX], why[IL_ERROR_MSG_MAX];
    size_t at = strlen(msg);
    int rc = challenge_explore(ch, EXPLORE_DEFAULT_PREEMPTIONS, 20, sched, sizeof(sched), why,
                               sizeof(why));
    if (rc == CHALLENGE_REACHED) {
        Schedule s;
        IlError err;
        uint64_t steps = 0;
        if (schedule_parse(sched, 0, &s, &err) == 0) {
            for (size_t i = 0; i < s.n; i++) {
                steps += s.tok[i].count;
            }
            schedule_fini(&s);
        }
        snprintf(msg + at, len - at, "; the explorer reaches the goal in %llu steps",
                 (unsigned long long)steps);
    } else if (rc == CHALLENGE_MISSED) {
        snprintf(msg + at, len - at, "; the explorer found no schedule that reaches it");
    }
}

static void grade_challenge(GradeReport *r, GradeItem *it, const LessonChallenge *ch,
                            const AnswerEntry *ans, double timeout_s, bool explore, bool *oom)
{
    char msg[IL_ERROR_MSG_MAX];
    int rc;
    if (ans == NULL || ans->value[0] == '\0') {
        it->passed = false;
        grade_say(it, ans == NULL ? "no answer given" : "no answer given (the schedule is empty)",
                  oom);
        return;
    }
    rc = challenge_check(ch, ans->value, timeout_s, msg, sizeof(msg));
    if (rc < 0) {
        char full[IL_ERROR_MSG_MAX + 32];
        r->internal++;
        snprintf(full, sizeof(full), "not checked: %s", msg);
        it->passed = false;
        grade_say(it, full, oom);
        return;
    }
    it->passed = rc == CHALLENGE_REACHED;
    if (!it->passed && explore) {
        grade_explore_hint(ch, msg, sizeof(msg));
    }
    grade_say(it, msg, oom);
}

static void grade_lesson(GradeReport *r, size_t *cap, const Lesson *lesson, const Answers *answers,
                         double timeout_s, bool explore, bool *oom)
{
    for (size_t pg = 0; pg < lesson->npages && !*oom; pg++) {
        const LessonPage *page = &lesson->pages[pg];
        size_t qi = 0, ci = 0;
        /* questions and challenges of the page, merged in document order */
        while ((qi < page->nquestions || ci < page->nchallenges) && !*oom) {
            bool take_q =
                ci >= page->nchallenges ||
                (qi < page->nquestions && page->questions[qi].line < page->challenges[ci].line);
            uint64_t t0 = clock_mono_ns();
            GradeItem *it;
            if (take_q) {
                const LessonQuestion *q = &page->questions[qi++];
                const AnswerEntry *ans;
                if (!question_graded(q) || q->id == NULL) {
                    continue;
                }
                ans = answers_find(answers, lesson->id, q->id);
                it = grade_add(r, cap, lesson->id, q->id, GRADE_QUESTION, ans, q->prompt,
                               q->explain, oom);
                if (it != NULL) {
                    grade_question(it, q, ans, oom);
                }
            } else {
                const LessonChallenge *ch = &page->challenges[ci++];
                const AnswerEntry *ans;
                if (ch->id == NULL) {
                    continue;
                }
                ans = answers_find(answers, lesson->id, ch->id);
                it = grade_add(r, cap, lesson->id, ch->id, GRADE_CHALLENGE, ans, ch->goal,
                               ch->explain, oom);
                if (it != NULL) {
                    grade_challenge(r, it, ch, ans, timeout_s, explore, oom);
                }
            }
            if (it != NULL) {
                it->ns = clock_mono_ns() - t0;
                r->passed += it->passed ? 1 : 0;
            }
        }
    }
}

int grade_answers(const Answers *answers, Lesson *const *lessons, size_t nlessons,
                  const GradeOptions *opt, GradeReport *out)
{
    double timeout_s = opt != NULL && opt->timeout_s > 0 ? opt->timeout_s : GRADE_DEFAULT_TIMEOUT;
    uint64_t t0 = clock_mono_ns();
    size_t cap = 0;
    bool oom = false;

    memset(out, 0, sizeof(*out));
    out->answers_path = grade_dup(answers->path, &oom);
    for (size_t l = 0; l < nlessons && !oom; l++) {
        grade_lesson(out, &cap, lessons[l], answers, timeout_s, opt != NULL && opt->explore, &oom);
        /* answers to this lesson that name nothing in it */
        for (size_t i = 0; i < answers->n && !oom; i++) {
            const AnswerEntry *e = &answers->e[i];
            char msg[IL_ERROR_MSG_MAX];
            GradeItem *it;
            if (strcmp(e->lesson, lessons[l]->id) != 0 || grade_entry_used(e, lessons, nlessons)) {
                continue;
            }
            it = grade_add(out, &cap, e->lesson, e->id, GRADE_UNKNOWN, e, NULL, NULL, &oom);
            if (it != NULL) {
                snprintf(msg, sizeof(msg), "lesson %s has no question or challenge '%s'", e->lesson,
                         e->id);
                grade_say(it, msg, &oom);
            }
        }
    }
    /* answers under a lesson that does not exist */
    for (size_t i = 0; i < answers->n && !oom; i++) {
        const AnswerEntry *e = &answers->e[i];
        char msg[IL_ERROR_MSG_MAX];
        GradeItem *it;
        if (grade_lesson_known(e->lesson, lessons, nlessons, opt)) {
            continue;
        }
        it = grade_add(out, &cap, e->lesson, e->id, GRADE_UNKNOWN, e, NULL, NULL, &oom);
        if (it != NULL) {
            snprintf(msg, sizeof(msg), "there is no lesson '%s' to answer", e->lesson);
            grade_say(it, msg, &oom);
        }
    }
    out->ns = clock_mono_ns() - t0;
    if (oom) {
        grade_report_fini(out);
        return -ENOMEM;
    }
    return 0;
}
