/*
 * check_lesson.c - lesson files (lesson.c) and progress (progress.c).
 *
 * The shipped race lesson must load with its pages, runs and questions;
 * each kind of mistake an author can make must come back as the right
 * "path:line: message"; progress must survive being freed and loaded
 * again, and a damaged progress file must cost only its damaged lines.
 * Every file lives in a mkdtemp() directory that the test removes.
 */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_common.h"
#include "util/strbuf.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"

static char tmpdir[256];

static void tmp_setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "%s/lesson-test.XXXXXX",
             getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int tmp_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void tmp_teardown(void)
{
    if (tmpdir[0] != '\0') {
        nftw(tmpdir, tmp_rm, 16, FTW_DEPTH | FTW_PHYS);
        tmpdir[0] = '\0';
    }
}

/* Write text to tmpdir/name; returns the path (static buffer). */
static const char *tmp_write(const char *name, const char *text)
{
    static char path[512];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static char *race_path(void)
{
    static char path[1024];
    const char *src = getenv("top_srcdir");
    snprintf(path, sizeof(path), "%s/lessons/race.md", src != NULL ? src : ".");
    return path;
}

/* ------------------------------------------------------------------ */

START_TEST(test_race_loads)
{
    IlError err;
    Lesson *l = lesson_load(race_path(), &err);
    size_t runs = 0, questions = 0;
    const LessonRun *lost = NULL, *mutex_step = NULL;

    ck_assert_msg(l != NULL, "%s", err.msg);
    ck_assert_str_eq(l->id, "race");
    ck_assert_str_eq(l->demo, "race");
    ck_assert_ptr_nonnull(strstr(l->title, "Race"));
    ck_assert_ptr_null(strchr(l->summary, '\n'));
    ck_assert_uint_ge(strlen(l->summary), 20);
    ck_assert_uint_ge(l->npages, 6);
    for (size_t p = 0; p < l->npages; p++) {
        const LessonPage *page = &l->pages[p];
        ck_assert_uint_gt(strlen(page->title), 0);
        ck_assert_uint_gt(strlen(page->text), 0);
        ck_assert_uint_gt(page->line, 0);
        for (size_t r = 0; r < page->nruns; r++) {
            const LessonRun *run = &page->runs[r];
            ck_assert_str_eq(run->demo, "race");
            ck_assert_ptr_nonnull(run->label);
            if (run->schedule != NULL && strcmp(run->schedule, "A B A B A B") == 0) {
                lost = run;
            }
            if (run->mode != NULL && strcmp(run->mode, "step") == 0 && run->nparams == 3 &&
                strcmp(run->params[2], "variant=mutex") == 0) {
                mutex_step = run;
            }
        }
        runs += page->nruns;
        questions += page->nquestions;
        for (size_t q = 0; q < page->nquestions; q++) {
            ck_assert_ptr_nonnull(page->questions[q].id);
            ck_assert_ptr_nonnull(page->questions[q].prompt);
            ck_assert_int_lt(page->questions[q].answer, (int)page->questions[q].nchoices);
        }
    }
    ck_assert_uint_ge(runs, 6);
    ck_assert_uint_ge(questions, 2);
    ck_assert_ptr_nonnull(lost);
    ck_assert_str_eq(lost->mode, "replay");
    ck_assert_uint_eq(lost->nparams, 3);
    ck_assert_str_eq(lost->params[0], "threads=2");
    ck_assert_str_eq(lost->params[1], "iterations=1");
    ck_assert_str_eq(lost->params[2], "variant=unsafe");
    ck_assert_ptr_nonnull(mutex_step);
    lesson_free(l);
}
END_TEST

START_TEST(test_race_lints_clean)
{
    StrBuf out;
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(race_path(), &out), 0);
    ck_assert_str_eq(strbuf_str(&out), "");
    strbuf_fini(&out);
}
END_TEST

/* A small lesson with every kind of block, checked field by field. */
START_TEST(test_format_fields)
{
    static const char text[] = "<!-- interleave: demo=race -->\n"  /* 1 */
                               "# Small *lesson*\n"                /* 2 */
                               "\n"                                /* 3 */
                               "The summary\nspans two lines.\n"   /* 4-5 */
                               "\n"                                /* 6 */
                               "## First\n"                        /* 7 */
                               "\n"                                /* 8 */
                               "Some `code` and text.\n"           /* 9 */
                               "\n"                                /* 10 */
                               "- one\n- two\n"                    /* 11-12 */
                               "\n"                                /* 13 */
                               "```interleave-run\n"               /* 14 */
                               "params: threads=2, iterations=1\n" /* 15 */
                               "params: variant=atomic\n"          /* 16 */
                               "schedule: A  B\n"                  /* 17 */
                               "```\n"                             /* 18 */
                               "\n"                                /* 19 */
                               "## Second\n"                       /* 20 */
                               "\n"                                /* 21 */
                               "```question\n"                     /* 22 */
                               "id: q1\n"                          /* 23 */
                               "prompt: Which one?\n"              /* 24 */
                               "  Really.\n"                       /* 25 */
                               "choice: 2\n"                       /* 26 */
                               "choice: 1\n"                       /* 27 */
                               "answer: 1\n"                       /* 28 */
                               "```\n"                             /* 29 */
                               "\n"                                /* 30 */
                               "```question\n"                     /* 31 */
                               "id: q2\n"                          /* 32 */
                               "prompt: Why?\n"                    /* 33 */
                               "explain: Because.\n"               /* 34 */
                               "```\n";                            /* 35 */
    IlError err;
    Lesson *l;
    const LessonRun *run;

    tmp_setup();
    l = lesson_load(tmp_write("small.md", text), &err);
    ck_assert_msg(l != NULL, "%s", err.msg);
    ck_assert_str_eq(l->id, "small");
    ck_assert_str_eq(l->title, "Small lesson");
    ck_assert_str_eq(l->summary, "The summary spans two lines.");
    ck_assert_str_eq(l->demo, "race");
    ck_assert_uint_eq(l->npages, 2); /* the summary alone makes no opening page */
    ck_assert_str_eq(l->pages[0].title, "First");
    ck_assert_uint_eq(l->pages[0].line, 7);
    ck_assert_str_eq(l->pages[0].text,
                     "Some `code` and text.\n\n- one\n- two\n\n[run 1] race threads=2 "
                     "iterations=1 variant=atomic (replay)");
    ck_assert_uint_eq(l->pages[0].nruns, 1);
    run = &l->pages[0].runs[0];
    ck_assert_uint_eq(run->line, 14);
    ck_assert_str_eq(run->demo, "race");
    ck_assert_uint_eq(run->nparams, 3);
    ck_assert_str_eq(run->params[2], "variant=atomic");
    ck_assert_str_eq(run->mode, "replay");
    ck_assert_str_eq(run->schedule, "A B");
    ck_assert_uint_eq(l->pages[1].nquestions, 2);
    ck_assert_str_eq(l->pages[1].questions[0].prompt, "Which one? Really.");
    ck_assert_uint_eq(l->pages[1].questions[0].nchoices, 2);
    ck_assert_int_eq(l->pages[1].questions[0].answer, 1); /* the text "1" wins */
    ck_assert_ptr_null(l->pages[1].questions[0].explain);
    ck_assert_uint_eq(l->pages[1].questions[1].line, 31);
    ck_assert_uint_eq(l->pages[1].questions[1].nchoices, 0);
    ck_assert_int_eq(l->pages[1].questions[1].answer, -1);
    ck_assert_str_eq(l->pages[1].questions[1].explain, "Because.");
    lesson_free(l);
    tmp_teardown();
}
END_TEST

/* One broken lesson and the one message it must give. */
typedef struct BadCase {
    const char *text;
    const char *want; /* ":LINE: start of message" */
} BadCase;

#define HEAD "# T\n\nSummary.\n\n## P\n\n" /* lines 1-6; the page starts at 5 */

static const BadCase bad_cases[] = {
    {"Just text.\n", ":1: the lesson must open with a '# Title' heading"},
    {"", ":1: no title"},
    {"# T\n\n## P\n\ntext\n", ":1: no summary"},
    {"# T\n\nSummary.\n", ":1: no pages"},
    {"# T\n\nSummary.\n\n## Empty\n\n## Next\n\ntext\n", ":5: page 'Empty' is empty"},
    {"# T\n\nSummary.\n\n## P\n\ntext\n\n# Again\n", ":9: a second '# ' title"},
    {HEAD "```interleave-run\nparams: threads=2\n```\n", ":7: run block without demo:"},
    {HEAD "```interleave-run\ndemo: nosuch\n```\n", ":8: demo: unknown demo 'nosuch'"},
    {HEAD "```interleave-run\ndemo: race\nparams: threads=0\n```\n", ":9: params: "},
    {HEAD "```interleave-run\ndemo: race\nparams: colour=red\n```\n", ":9: params: colour"},
    {HEAD "```interleave-run\ndemo: race\nmode: fast\n```\n", ":9: mode: must be free"},
    {HEAD "```interleave-run\ndemo: race\nparams: threads=2\nschedule: A C\n```\n",
     ":10: schedule: "},
    {HEAD "```interleave-run\ndemo: race\nmode: free\nschedule: A\n```\n",
     ":10: schedule: a free run takes no schedule"},
    {HEAD "```interleave-run\ndemo: race\nmode: replay\n```\n",
     ":9: mode: replay needs a schedule"},
    {HEAD "```interleave-run\ndemo: race\ncolour: red\n```\n", ":9: unknown key 'colour'"},
    {HEAD "```interleave-run\ndemo: race\njust words\n```\n", ":9: expected 'key: value'"},
    {HEAD "```interleave-run\ndemo: race\ndemo: race\n```\n", ":9: demo: given twice"},
    {HEAD "```interleave-dance\n```\n", ":7: unknown block 'interleave-dance'"},
    {HEAD "```question\nprompt: Why?\n```\n", ":7: question without id:"},
    {HEAD "```question\nid: q\n```\n", ":7: question without prompt:"},
    {HEAD "```question\nid: a b\nprompt: Why?\n```\n", ":8: id: 'a b' must be"},
    {HEAD "```question\nid: q\nprompt: Why?\n```\n\n```question\nid: q\nprompt: Again?\n```\n",
     ":13: id: 'q' is used twice (first at line 7)"},
    {HEAD "```question\nid: q\nprompt: Why?\nchoice: a\nchoice: b\nanswer: 3\n```\n",
     ":12: answer: '3' is neither"},
    {HEAD "```question\nid: q\nprompt: Why?\nanswer:\n```\n", ":10: answer: empty"},
    {HEAD "```question\nid: q\nprompt: Why?\nchoice: a\n```\n", ":7: question 'q' has one choice"},
    {"<!-- interleave: demo=nosuch -->\n" HEAD "text\n", ":1: demo: unknown demo"},
    {"<!-- interleave: colour=red -->\n" HEAD "text\n", ":1: interleave: directive: unknown"},
    {HEAD "<!-- interleave: demo=race -->\n\ntext\n", ":7: the interleave: directive belongs"},
    {"<!-- interleave: order=0 -->\n" HEAD "text\n", ":1: order: must be a number in 1..999"},
};

START_TEST(test_bad_lessons)
{
    const BadCase *c = &bad_cases[_i];
    const char *path;
    char want[1024];
    StrBuf out;
    IlError err;
    Lesson *l;
    int n;

    tmp_setup();
    path = tmp_write("bad.md", c->text);
    snprintf(want, sizeof(want), "%s%s", path, c->want);
    strbuf_init(&out);
    n = lesson_lint(path, &out);
    ck_assert_msg(n >= 1, "case %d: no problem found", _i);
    ck_assert_msg(strncmp(strbuf_str(&out), want, strlen(want)) == 0,
                  "case %d: want '%s...', got '%s'", _i, want, strbuf_str(&out));
    /* one line per problem */
    {
        int lines = 0;
        for (const char *s = strbuf_str(&out); *s != '\0'; s++) {
            lines += *s == '\n';
        }
        ck_assert_int_eq(lines, n);
    }
    l = lesson_load(path, &err);
    ck_assert_ptr_null(l);
    ck_assert_int_eq(err.code, -IL_EPARSE);
    ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "case %d: load said '%s'", _i,
                  err.msg);
    strbuf_fini(&out);
    tmp_teardown();
}
END_TEST

/* One problem is one message: a file with no title said it twice at line
 * 1; a NUL byte in a lesson file went unsaid (CommonMark reads it as
 * U+FFFD), while answers files, schedules and scripts refuse it. */
START_TEST(test_one_problem_one_message)
{
    static const char *const no_title[] = {"Just text.\n", "## Page\n\nx\n", ""};
    static const char nul[] = "# T\n\nSum\0mary.\n\n## P\n\ntext\n";
    StrBuf out;
    IlError err;
    char want[700];
    const char *path;
    FILE *f;

    tmp_setup();
    for (size_t i = 0; i < sizeof(no_title) / sizeof(no_title[0]); i++) {
        path = tmp_write("untitled.md", no_title[i]);
        strbuf_init(&out);
        ck_assert_msg(lesson_lint(path, &out) == 1, "case %zu: %s", i, strbuf_str(&out));
        snprintf(want, sizeof(want), "%s:1: ", path);
        ck_assert_msg(strncmp(strbuf_str(&out), want, strlen(want)) == 0, "%s", strbuf_str(&out));
        strbuf_fini(&out);
    }
    path = tmp_write("nul.md", "");
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
    ck_assert_int_eq(fclose(f), 0);
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 1);
    snprintf(want, sizeof(want), "%s:3: a NUL byte: not a text file\n", path);
    ck_assert_str_eq(strbuf_str(&out), want);
    strbuf_fini(&out);
    ck_assert_ptr_null(lesson_load(path, &err));
    ck_assert_int_eq(err.code, -IL_EPARSE);
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint_text("t.md", nul, sizeof(nul) - 1, &out), 1);
    ck_assert_str_eq(strbuf_str(&out), "t.md:3: a NUL byte: not a text file\n");
    strbuf_fini(&out);
    tmp_teardown();
}
END_TEST

START_TEST(test_lint_counts_every_problem)
{
    const char *path;
    StrBuf out;

    tmp_setup();
    path = tmp_write("many.md", HEAD "```interleave-run\ndemo: nosuch\nmode: fast\n"
                                     "colour: red\n```\n");
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 3);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), ":8: demo:"));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), ":9: mode:"));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), ":10: unknown key"));
    strbuf_fini(&out);
    tmp_teardown();
}
END_TEST

START_TEST(test_missing_file)
{
    StrBuf out;
    IlError err;
    char path[512];

    tmp_setup();
    snprintf(path, sizeof(path), "%s/nothing.md", tmpdir);
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 1);
    {
        char want[600];
        snprintf(want, sizeof(want), "%s: No such file or directory\n", path);
        ck_assert_str_eq(strbuf_str(&out), want);
    }
    ck_assert_ptr_null(lesson_load(path, &err));
    ck_assert_int_eq(err.code, -ENOENT);
    ck_assert_ptr_null(lesson_load(tmpdir, &err)); /* a directory */
    ck_assert_int_eq(err.code, -EISDIR);
    strbuf_fini(&out);
    tmp_teardown();
}
END_TEST

START_TEST(test_list_and_dir)
{
    Lesson **list;
    size_t n;
    StrBuf problems;
    IlError err;

    tmp_setup();
    tmp_write("b.md", "# B\n\nSecond.\n\n## P\n\ntext\n");
    tmp_write("a.md", "# A\n\nFirst.\n\n## P\n\ntext\n");
    tmp_write("broken.md", "no title\n");
    tmp_write("notes.txt", "not a lesson\n");
    strbuf_init(&problems);
    ck_assert_int_eq(lesson_list(tmpdir, &list, &n, &problems, &err), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(list[0]->id, "a");
    ck_assert_str_eq(list[1]->id, "b");
    ck_assert_ptr_nonnull(strstr(strbuf_str(&problems), "broken.md:1: "));
    lesson_list_free(list, n);
    strbuf_fini(&problems);

    /* order=N comes before file names: c (order 1), b (order 2), then a */
    tmp_write("b.md", "<!-- interleave: order=2 -->\n# B\n\nSecond.\n\n## P\n\ntext\n");
    tmp_write("c.md", "<!-- interleave: order=1 -->\n# C\n\nThird.\n\n## P\n\ntext\n");
    ck_assert_int_eq(lesson_list(tmpdir, &list, &n, NULL, &err), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(list[0]->id, "c");
    ck_assert_int_eq(list[0]->order, 1);
    ck_assert_str_eq(list[1]->id, "b");
    ck_assert_str_eq(list[2]->id, "a");
    lesson_list_free(list, n);

    setenv("INTERLEAVE_LESSON_DIR", tmpdir, 1);
    ck_assert_str_eq(lesson_dir(), tmpdir);
    unsetenv("INTERLEAVE_LESSON_DIR");
    ck_assert_ptr_nonnull(lesson_dir());
    tmp_teardown();

    ck_assert_int_lt(lesson_list(tmpdir, &list, &n, NULL, &err), 0);
    ck_assert_int_eq(err.code, -ENOENT);
}
END_TEST

/* text of a lesson with a page nested depth levels deep (block quotes) */
static char *deep_lesson(size_t depth)
{
    static const char head[] = "# Deep\n\nA summary.\n\n## P\n\n";
    char *t = malloc(sizeof(head) + depth + 16);
    ck_assert_ptr_nonnull(t);
    memcpy(t, head, sizeof(head) - 1);
    memset(t + sizeof(head) - 1, '>', depth);
    strcpy(t + sizeof(head) - 1 + depth, " deep\n");
    return t;
}

START_TEST(test_deep_nesting_is_a_lint_error)
{
    /* 50,000 nested block quotes (or emphasis) made the renderer's
     * recursion overflow the stack: lint, list and the TUI died */
    char *text = deep_lesson(50000);
    const char *path;
    StrBuf out;
    IlError err;

    tmp_setup();
    path = tmp_write("deep.md", text);
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 1);
    ck_assert_msg(strstr(strbuf_str(&out), ":7: nested deeper than 32 levels") != NULL, "%s",
                  strbuf_str(&out));
    ck_assert_ptr_null(lesson_load(path, &err));
    ck_assert_int_eq(err.code, -IL_EPARSE);
    strbuf_fini(&out);
    free(text);
    /* 20 levels is prose with nested lists: fine */
    text = deep_lesson(20);
    path = tmp_write("ok.md", text);
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 0);
    strbuf_fini(&out);
    free(text);
    tmp_teardown();
}
END_TEST

START_TEST(test_special_files_refused)
{
    /* a FIFO named *.md in the lesson directory hung list and the TUI; a
     * FIFO, directory or device given to lint is refused at once */
    char fifo[600], dir[600];
    Lesson **list;
    size_t n;
    StrBuf out;
    IlError err;
    char *deep = deep_lesson(40000);

    tmp_setup();
    tmp_write("a.md", "# A\n\nFirst.\n\n## P\n\ntext\n");
    tmp_write("deep.md", deep);
    free(deep);
    snprintf(fifo, sizeof(fifo), "%s/pipe.md", tmpdir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    snprintf(dir, sizeof(dir), "%s/folder.md", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    strbuf_init(&out);
    ck_assert_int_eq(lesson_list(tmpdir, &list, &n, &out, &err), 0);
    ck_assert_uint_eq(n, 1); /* the good lesson still loads */
    ck_assert_str_eq(list[0]->id, "a");
    ck_assert_msg(strstr(strbuf_str(&out), "pipe.md: is a FIFO, not a regular lesson file") != NULL,
                  "%s", strbuf_str(&out));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "folder.md: is a directory"));
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "deep.md:7: nested deeper"));
    lesson_list_free(list, n);
    strbuf_fini(&out);
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(fifo, &out), 1);
    ck_assert_int_eq(lesson_lint("/dev/zero", &out), 1);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "/dev/zero: is a character device"));
    strbuf_fini(&out);
    tmp_teardown();
}
END_TEST

START_TEST(test_run_without_demo_takes_the_first_runs)
{
    /* interleave-lesson(5): without a directive, the main demo is the
     * first run's, and a run block without demo: uses it */
    const char *path;
    StrBuf out;
    IlError err;
    Lesson *l;

    tmp_setup();
    path = tmp_write("nodemo.md", HEAD "```interleave-run\nparams: threads=3\n```\n\n"
                                       "```interleave-run\ndemo: race\n```\n");
    strbuf_init(&out);
    ck_assert_msg(lesson_lint(path, &out) == 0, "%s", strbuf_str(&out));
    strbuf_fini(&out);
    l = lesson_load(path, &err);
    ck_assert_msg(l != NULL, "%s", err.msg);
    ck_assert_str_eq(l->demo, "race");
    ck_assert_str_eq(l->pages[0].runs[0].demo, "race");
    lesson_free(l);
    /* a parameter the first run's demo does not have is still caught */
    path = tmp_write("nodemo.md", HEAD "```interleave-run\nparams: forks=3\n```\n\n"
                                       "```interleave-run\ndemo: race\n```\n");
    strbuf_init(&out);
    ck_assert_int_eq(lesson_lint(path, &out), 1);
    ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "forks: unknown parameter"));
    strbuf_fini(&out);
    tmp_teardown();
}
END_TEST

/* ------------------------------------------------------------------ */
/* progress                                                            */
/* ------------------------------------------------------------------ */

START_TEST(test_progress_persists)
{
    IlError err;
    Progress *pr;
    char want[512];
    struct stat st;

    tmp_setup();
    setenv("XDG_STATE_HOME", tmpdir, 1);
    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    snprintf(want, sizeof(want), "%s/interleave/progress", tmpdir);
    ck_assert_str_eq(progress_path(pr), want);
    ck_assert_uint_eq(progress_pages_seen(pr, "race"), 0);
    ck_assert_int_eq(progress_mark_page(pr, "race", 0), 0);
    ck_assert_int_eq(progress_mark_page(pr, "race", 3), 0);
    ck_assert_int_eq(progress_mark_page(pr, "race", 3), 0);
    ck_assert_int_eq(progress_mark_run(pr, "race"), 0);
    ck_assert_int_eq(progress_mark_run(pr, "race"), 0);
    ck_assert_int_eq(progress_mark_page(pr, "my lesson", 1), 0);
    ck_assert_int_eq(progress_mark_answer(pr, "race", "q1", true), 0);
    ck_assert_int_eq(progress_mark_run(pr, ""), -EINVAL);
    ck_assert_uint_eq(progress_pages_seen(pr, "race"), 2);
    progress_free(pr);

    /* the directory is private, no temporary file is left behind */
    snprintf(want, sizeof(want), "%s/interleave", tmpdir);
    ck_assert_int_eq(stat(want, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0700);

    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_uint_eq(progress_pages_seen(pr, "race"), 2);
    ck_assert_uint_eq(progress_runs(pr, "race"), 2);
    ck_assert_uint_eq(progress_pages_seen(pr, "my lesson"), 1);
    ck_assert_uint_eq(progress_runs(pr, "my lesson"), 0);
    ck_assert_uint_eq(progress_pages_seen(pr, "other"), 0);
    progress_free(pr);
    progress_free(NULL);
    tmp_teardown();
}
END_TEST

START_TEST(test_progress_tolerates_garbage)
{
    static const char garbage[] = "# interleave progress 1\n"
                                  "page race 1\n"
                                  "page race x\n"
                                  "page race 99999999999999999999\n"
                                  "\x01\x02\xff binary junk\n"
                                  "runs race 5 extra\n"
                                  "runs race 4\n"
                                  "answer race q1 maybe\n"
                                  "page\n"
                                  "page%20 2\n"
                                  "page race 2";
    IlError err;
    Progress *pr;
    char dir[512], path[600], buf[4096];
    FILE *f;
    size_t n;

    tmp_setup();
    setenv("XDG_STATE_HOME", tmpdir, 1);
    snprintf(dir, sizeof(dir), "%s/interleave", tmpdir);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(path, sizeof(path), "%s/progress", dir);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fwrite(garbage, 1, sizeof(garbage) - 1, f);
    fclose(f);

    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_uint_eq(progress_pages_seen(pr, "race"), 2); /* pages 1 and 2 */
    ck_assert_uint_eq(progress_runs(pr, "race"), 4);
    ck_assert_int_eq(progress_mark_run(pr, "race"), 0);
    progress_free(pr);

    /* the rewrite has the facts, then every line it did not understand,
     * as it was: another version's lines are never deleted */
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_str_eq(buf, "# interleave progress 1\npage race 1\npage race 2\nruns race 5\n"
                          "page race x\npage race 99999999999999999999\n"
                          "\x01\x02\xff binary junk\nruns race 5 extra\n"
                          "answer race q1 maybe\npage\npage%20 2\n");
    tmp_teardown();
}
END_TEST

START_TEST(test_progress_default_home)
{
    IlError err;
    Progress *pr;
    char want[512];

    tmp_setup();
    unsetenv("XDG_STATE_HOME");
    setenv("HOME", tmpdir, 1);
    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    snprintf(want, sizeof(want), "%s/.local/state/interleave/progress", tmpdir);
    ck_assert_str_eq(progress_path(pr), want);
    ck_assert_int_eq(progress_mark_page(pr, "race", 0), 0);
    ck_assert_int_eq(access(want, R_OK), 0);
    progress_free(pr);
    tmp_teardown();
}
END_TEST

START_TEST(test_progress_keeps_what_it_does_not_know)
{
    /* a newer version's lines survive a save by this one, byte for byte */
    static const char text[] = "# interleave progress 1\n"
                               "page race 1\n"
                               "badge race gold 2026-01-01\n"
                               "# a comment of the future\n";
    char path[600], buf[4096];
    IlError err;
    Progress *pr;
    FILE *f;
    size_t n;

    tmp_setup();
    setenv("XDG_STATE_HOME", tmpdir, 1);
    snprintf(path, sizeof(path), "%s/interleave", tmpdir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/interleave/progress", tmpdir);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_int_eq(progress_mark_run(pr, "race"), 0);
    progress_free(pr);
    f = fopen(path, "r");
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_str_eq(buf, "# interleave progress 1\npage race 1\nruns race 1\n"
                          "badge race gold 2026-01-01\n# a comment of the future\n");
    tmp_teardown();
}
END_TEST

START_TEST(test_progress_names_of_any_length)
{
    /* a name written as a line longer than the reader took was dropped at
     * the next load */
    char *name = malloc(20001);
    IlError err;
    Progress *pr;

    memset(name, 'x', 20000);
    name[20000] = '\0';
    name[5] = ' '; /* escaped as %20 on the line */
    tmp_setup();
    setenv("XDG_STATE_HOME", tmpdir, 1);
    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_int_eq(progress_mark_page(pr, name, 2), 0);
    ck_assert_int_eq(progress_mark_answer(pr, name, name, true), 0);
    progress_free(pr);
    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_uint_eq(progress_pages_seen(pr, name), 1);
    progress_free(pr);
    free(name);
    tmp_teardown();
}
END_TEST

START_TEST(test_progress_many_lessons)
{
    /* 40,000 lessons load (in linear time: lessons and answers are
     * hashed; bench/progress_load.sh measures it) and round-trip */
    StrBuf text, again;
    IlError err;
    Progress *pr;

    strbuf_init(&text);
    strbuf_add(&text, "# interleave progress 1\n");
    for (int i = 0; i < 40000; i++) {
        strbuf_addf(&text, "page l%d 1\npage l%d 0\nruns l%d %d\nanswer l%d q right\n", i, i, i,
                    i + 1, i);
    }
    pr = progress_from_text(text.s, text.len, &err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_uint_eq(progress_pages_seen(pr, "l39999"), 2);
    ck_assert_uint_eq(progress_runs(pr, "l12345"), 12346);
    ck_assert_uint_eq(progress_runs(pr, "l40000"), 0);
    strbuf_init(&again);
    ck_assert_int_eq(progress_format(pr, &again), 0);
    ck_assert_uint_eq(again.len, text.len); /* same facts: pages sorted 0, 1 */
    progress_free(pr);
    strbuf_fini(&text);
    strbuf_fini(&again);
}
END_TEST

/* Attempts and the page a lesson reopens at: kept on disk, in order,
 * whatever the answer's text holds, and read back the same. */
START_TEST(test_progress_attempts_and_page)
{
    IlError err;
    Progress *pr;
    ProgressItem st;
    char path[600], buf[4096];
    FILE *f;
    size_t n;

    tmp_setup();
    setenv("XDG_STATE_HOME", tmpdir, 1);
    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_int_eq(progress_at(pr, "race"), -1);
    ck_assert(!progress_item(pr, "race", "q1", &st));
    ck_assert_int_eq(st.last, -1);
    ck_assert_int_eq(progress_mark_page(pr, "race", 0), 0);
    ck_assert_int_eq(progress_mark_page(pr, "race", 4), 0);
    ck_assert_int_eq(progress_mark_page(pr, "race", 2), 0); /* seen before; but now here */
    ck_assert_int_eq(progress_at(pr, "race"), 2);
    ck_assert_int_eq(progress_mark_try(pr, "race", "q1", PROGRESS_WRONG, "only 2"), 0);
    ck_assert_int_eq(progress_mark_try(pr, "race", "q1", PROGRESS_RIGHT, "1 or 2"), 0);
    ck_assert_int_eq(progress_mark_try(pr, "race", "think", PROGRESS_NOTED, "100% sure\tno%"), 0);
    ck_assert_int_eq(progress_mark_try(pr, "race", "ch", PROGRESS_WRONG, "A3 B3"), 0);
    ck_assert_int_eq(progress_mark_try(pr, "race", "q1", PROGRESS_RIGHT, ""), -EINVAL);
    ck_assert_int_eq(progress_mark_try(pr, "race", "q1", 7, "x"), -EINVAL);
    progress_free(pr);

    snprintf(path, sizeof(path), "%s/interleave/progress", tmpdir);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_str_eq(buf, "# interleave progress 1\n"
                          "page race 0\npage race 2\npage race 4\n"
                          "at race 2\n"
                          "answer race q1 right\n"
                          "try race q1 wrong only%202\n"
                          "try race q1 right 1%20or%202\n"
                          "try race think noted 100%25%20sure%09no%25\n"
                          "answer race ch wrong\n"
                          "try race ch wrong A3%20B3\n");

    pr = progress_load(&err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_int_eq(progress_at(pr, "race"), 2);
    ck_assert(progress_item(pr, "race", "q1", &st));
    ck_assert_uint_eq(st.attempts, 2);
    ck_assert(st.right);
    ck_assert_int_eq(st.last, PROGRESS_RIGHT);
    ck_assert_str_eq(st.text, "1 or 2");
    ck_assert(progress_item(pr, "race", "think", &st));
    ck_assert(st.noted && !st.right);
    ck_assert_str_eq(st.text, "100% sure\tno%");
    ck_assert(progress_item(pr, "race", "ch", &st));
    ck_assert(!st.right);
    ck_assert_int_eq(st.last, PROGRESS_WRONG);
    progress_free(pr);
    tmp_teardown();
}
END_TEST

/* A file of an older version (answer lines only) reads as it meant; a
 * try line that is not well formed is kept as it was, not applied. */
START_TEST(test_progress_attempts_old_and_odd)
{
    static const char text[] = "answer race q1 right\n"
                               "try race q2 maybe 3\n"
                               "try race q2 wrong\n"
                               "at race x\n";
    IlError err;
    Progress *pr = progress_from_text(text, sizeof(text) - 1, &err);
    ProgressItem st;
    StrBuf out;

    ck_assert_ptr_nonnull(pr);
    ck_assert(progress_item(pr, "race", "q1", &st));
    ck_assert(st.right);
    ck_assert_uint_eq(st.attempts, 0);
    ck_assert_int_eq(st.last, PROGRESS_RIGHT);
    ck_assert_ptr_null(st.text);
    ck_assert(!progress_item(pr, "race", "q2", &st));
    ck_assert_int_eq(progress_at(pr, "race"), -1);
    strbuf_init(&out);
    ck_assert_int_eq(progress_format(pr, &out), 0);
    ck_assert_str_eq(strbuf_str(&out), "# interleave progress 1\nanswer race q1 right\n"
                                       "try race q2 maybe 3\ntry race q2 wrong\nat race x\n");
    strbuf_fini(&out);
    progress_free(pr);
}
END_TEST

START_TEST(test_progress_lesson_without_pages)
{
    /* found by fuzz_progress: a lesson with runs but no page sorted a NULL
     * array (undefined behaviour under UBSan) */
    static const char text[] = "runs race 3\nanswer quiz q1 wrong\n";
    IlError err;
    Progress *pr = progress_from_text(text, sizeof(text) - 1, &err);
    ck_assert_msg(pr != NULL, "%s", err.msg);
    ck_assert_uint_eq(progress_runs(pr, "race"), 3);
    ck_assert_uint_eq(progress_pages_seen(pr, "race"), 0);
    progress_free(pr);
}
END_TEST

START_TEST(test_progress_save_failure_is_said)
{
    /* a save that fails returns at once with a line that says why */
    IlError err;
    Progress *pr;
    char blocker[600];

    tmp_setup();
    /* the state directory cannot be made: a file stands in its way */
    setenv("XDG_STATE_HOME", tmpdir, 1);
    snprintf(blocker, sizeof(blocker), "%s/interleave", tmpdir);
    tmp_write("interleave", "not a directory\n");
    pr = progress_load(&err);
    if (pr == NULL) {
        /* reading through a file as a directory already failed: fine too */
        ck_assert_int_eq(err.code, -ENOTDIR);
    } else {
        ck_assert_int_lt(progress_mark_page(pr, "race", 1), 0);
        ck_assert_msg(strstr(progress_error(pr), "progress is not saved") != NULL, "'%s'",
                      progress_error(pr));
        ck_assert_ptr_nonnull(strstr(progress_error(pr), blocker));
        progress_free(pr);
    }
    tmp_teardown();
}
END_TEST

Suite *lesson_suite(void);

Suite *lesson_suite(void)
{
    Suite *s = suite_create("lesson");
    TCase *load = NULL, *bad = NULL, *progress = NULL;

    add_tcase(s, &load, "load", test_race_loads, 10);
    add_tcase(s, &load, "load", test_race_lints_clean, 10);
    add_tcase(s, &load, "load", test_format_fields, 10);
    add_tcase(s, &load, "load", test_list_and_dir, 10);
    add_tcase(s, &load, "load", test_missing_file, 10);
    add_tcase(s, &load, "load", test_deep_nesting_is_a_lint_error, 10);
    add_tcase(s, &load, "load", test_special_files_refused, 10);
    add_tcase(s, &load, "load", test_run_without_demo_takes_the_first_runs, 10);
    bad = tcase_create("bad");
    tcase_set_timeout(bad, 10);
    tcase_add_loop_test(bad, test_bad_lessons, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(bad, test_lint_counts_every_problem);
    tcase_add_test(bad, test_one_problem_one_message);
    suite_add_tcase(s, bad);
    add_tcase(s, &progress, "progress", test_progress_persists, 10);
    add_tcase(s, &progress, "progress", test_progress_tolerates_garbage, 10);
    add_tcase(s, &progress, "progress", test_progress_default_home, 10);
    add_tcase(s, &progress, "progress", test_progress_keeps_what_it_does_not_know, 10);
    add_tcase(s, &progress, "progress", test_progress_names_of_any_length, 10);
    add_tcase(s, &progress, "progress", test_progress_many_lessons, 30);
    add_tcase(s, &progress, "progress", test_progress_save_failure_is_said, 10);
    add_tcase(s, &progress, "progress", test_progress_lesson_without_pages, 10);
    add_tcase(s, &progress, "progress", test_progress_attempts_and_page, 10);
    add_tcase(s, &progress, "progress", test_progress_attempts_old_and_odd, 10);
    return s;
}

CHECK_MAIN(lesson_suite)
