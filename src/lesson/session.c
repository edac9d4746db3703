/*
 * session.c - working through a lesson's demo (see session.h).
 *
 * In free mode the student starts, pauses (SIGSTOP on the run's process
 * group, via run_pause) and resets real runs, optionally in slow motion
 * (RunConfig.pace_us: every lane sleeps at each instrumented point, so the
 * run stays really concurrent and still races, only slower to watch).  In
 * step mode the run is interactive: each step is one token sent with
 * run_send(), and the controller in the sandbox grants that lane one step
 * or refuses it.  Undo starts a fresh interactive run whose schedule is
 * the schedule so far minus its last step; the replay is deterministic, so
 * the student lands exactly one step back.
 *
 * A challenge taken as the goal is judged by challenge_evaluate() at the
 * points where the run can change under the student's hands: after a
 * step, a replay, an undo, a hand-over (c), and when the run's end is
 * reported.  A run is judged until it decides the goal; then its attempt
 * is kept once (progress_mark_try) and its line stays the goal's message.
 */
#include "config.h"

#include "lesson/session.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/sandbox.h"
#include "core/sched.h"
#include "core/schedfile.h"
#include "demos/demo.h"
#include "export/chrome.h"
#include "export/explore_report.h"
#include "export/report.h"
#include "util/file.h"
#include "util/statedir.h"
#include "view/timeline.h"
#include "view/view.h"

#define SESSION_DRAIN_PER_TICK 32768u
/* Once a run is over, what it recorded and the screen has not taken in yet
 * comes in at most this many events a tick (the lanes no longer need the
 * cores), so the end of a long run is never one tick that takes in
 * millions of events while the keyboard waits. */
#define SESSION_DRAIN_END_PER_TICK 262144u

/* Slow-motion paces for free runs, microseconds per instrumented point. */
static const uint32_t session_paces[] = {0, 200, 2000, 20000};

struct LessonSession {
    const DemoClass *demo; /* NULL: a lesson without a demo */
    char *id;              /* lesson id or demo name: progress and file names */
    Progress *progress;    /* borrowed, may be NULL */
    int64_t params[DEMO_MAX_PARAMS];
    int mode; /* SCHED_FREE or SCHED_STEP */
    Run *run;
    bool paused;
    uint64_t paused_clock;             /* the run's clock when it was paused */
    bool counted;                      /* the end of this run was reported */
    char end_summary[SESSION_MSG_MAX]; /* what the ended run shows, "" = none */
    bool send_over; /* a step ended the run (every lane finished, or none can move) */
    bool end_good;  /* it ended well (completed, and the demo's summary is good news) */
    unsigned pace;  /* index into session_paces */
    unsigned generation;
    char msg[SESSION_MSG_MAX];
    SessionTone tone;
    char files_msg[SESSION_MSG_MAX]; /* the message's last file written, "" = none */
    char last_file[PATH_MAX + 64];
    char last_export[PATH_MAX + 64];
    Sandbox export_sb; /* the child writing a trace, while exporting */
    int export_fd;     /* its pipe's read end */
    bool exporting;
    bool export_cwd;  /* it writes in the current directory */
    bool export_live; /* the run went on after the snapshot */
    char *last_sched; /* the last step run's schedule (owned), NULL = none */

    const LessonChallenge *challenge; /* the goal (borrowed), NULL = none */
    int goal;                         /* ChallengeStatus of this run, -1 = not judged */
    bool goal_kept;                   /* this run decided the goal; its attempt is kept */
    uint64_t handed_at;               /* steps the student chose before c; UINT64_MAX = all */
    char goal_msg[SESSION_MSG_MAX];   /* the judge's line for this run */

    Explore *explore;      /* the explorer's search, NULL = none */
    ExploreConfig xcfg;    /* its configuration */
    bool explore_reported; /* its end was said */
};

static void session_judge(LessonSession *s, bool resay);
static bool session_export_poll(LessonSession *s, bool block);

/* The schedule of run as text (caller frees), NULL when out of memory. */
static char *session_schedule_text(const Run *run)
{
    size_t need = schedule_format(run_schedule(run), NULL, 0) + 1;
    char *text = malloc(need);
    if (text != NULL) {
        schedule_format(run_schedule(run), text, need);
    }
    return text;
}

LessonSession *session_new(const DemoClass *demo, const char *id, Progress *progress)
{
    LessonSession *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return NULL;
    }
    s->id = strdup(id != NULL ? id : "");
    if (s->id == NULL) {
        free(s);
        return NULL;
    }
    s->demo = demo;
    s->progress = progress;
    s->mode = SCHED_FREE;
    s->goal = -1;
    s->handed_at = UINT64_MAX;
    s->export_fd = -1;
    if (demo != NULL) {
        demo_params_default(demo, s->params);
    }
    return s;
}

void session_free(LessonSession *s)
{
    if (s == NULL) {
        return;
    }
    session_stop(s);
    session_explore_stop(s);
    (void)session_export_poll(s, true); /* a trace being written is finished, not cut */
    free(s->last_sched);
    free(s->id);
    free(s);
}

void session_say(LessonSession *s, SessionTone tone, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
    va_end(ap);
    s->tone = tone;
    s->files_msg[0] = '\0';
}

/*
 * Say where a file went (or how writing one goes): right after the message
 * of another file written (a schedule saved, then a trace written), the
 * new news follows the last file's instead of replacing it, so both paths
 * stay on screen until something else is said.  written: a file is there
 * now, and the next such message keeps this one.
 */
static void session_say_file(LessonSession *s, SessionTone tone, bool written, const char *fmt, ...)
    ATTR_FORMAT(printf, 4, 5);

static void session_say_file(LessonSession *s, SessionTone tone, bool written, const char *fmt, ...)
{
    char text[SESSION_MSG_MAX], kept[SESSION_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    snprintf(kept, sizeof(kept), "%s", s->files_msg);
    if (kept[0] != '\0') {
        session_say(s, tone, "%s; %s", kept, text);
    } else {
        session_say(s, tone, "%s", text);
    }
    snprintf(s->files_msg, sizeof(s->files_msg), "%s", written ? text : kept);
}

void session_stop(LessonSession *s)
{
    if (s->run != NULL && s->mode == SCHED_STEP && run_schedule(s->run)->n > 0) {
        char *text = session_schedule_text(s->run);
        if (text != NULL) {
            free(s->last_sched);
            s->last_sched = text;
        }
    }
    if (s->run != NULL) {
        s->generation++;
    }
    run_free(s->run);
    s->run = NULL;
    s->paused = false;
    s->counted = false;
    s->end_summary[0] = '\0';
    s->send_over = false;
}

/* Whether the session's demo and parameters are those of its challenge. */
static bool session_fits_challenge(const LessonSession *s)
{
    RunConfig cfg;
    IlError err;

    if (challenge_run_config(s->challenge, &cfg, 0, &err) < 0 || cfg.demo != s->demo) {
        return false;
    }
    for (unsigned i = 0; i < s->demo->nparams; i++) {
        if (cfg.params[i] != s->params[i]) {
            return false;
        }
    }
    return true;
}

bool session_start(LessonSession *s, int mode, const Schedule *sched)
{
    RunConfig cfg;
    IlError err;

    session_stop(s);
    s->goal = -1;
    s->goal_kept = false;
    s->handed_at = UINT64_MAX;
    s->goal_msg[0] = '\0';
    if (s->challenge != NULL && (mode == SCHED_FREE || !session_fits_challenge(s))) {
        s->challenge = NULL; /* another demo, parameters or mode: not the challenge's run */
    }
    if (s->demo == NULL) {
        session_say(s, SESSION_ERROR, "this lesson has no demo to run");
        return false;
    }
    run_config_init(&cfg, s->demo);
    memcpy(cfg.params, s->params, sizeof(cfg.params));
    cfg.mode = mode == SCHED_FREE ? SCHED_FREE : SCHED_STEP;
    cfg.interactive = mode != SCHED_FREE;
    cfg.schedule = sched;
    cfg.pace_us = mode == SCHED_FREE ? session_paces[s->pace] : 0;
    cfg.timeout_s = 0; /* the student stops runs; a paused run must not time out */
    cfg.nice = 19;     /* 64 busy lanes on two cores must not starve the front end */
    {
        /* a tick copies at most SESSION_DRAIN_PER_TICK events, whatever the
         * lanes do */
        unsigned n = demo_lanes(s->demo, s->params);
        uint32_t per = SESSION_DRAIN_PER_TICK / (n > 0 ? n : 1);
        cfg.drain_max = per > 256 ? per : 256;
        per = SESSION_DRAIN_END_PER_TICK / (n > 0 ? n : 1);
        cfg.drain_end_max = per > 2048 ? per : 2048;
    }
    s->mode = cfg.mode;
    s->run = run_start(&cfg, &err);
    s->generation++;
    if (s->run == NULL) {
        session_say(s, SESSION_ERROR, "cannot start the run: %s", err.msg);
        return false;
    }
    return true;
}

/* Report the end of the run once: message and progress. */
static void session_report_end(LessonSession *s)
{
    int v = run_verdict(s->run);
    const DemoView *view = view_of(s->demo);
    StrBuf sum;
    bool good = false;
    int saved = 0;

    s->counted = true;
    s->paused = false;
    if (v == VERDICT_COMPLETED || v == VERDICT_DEADLOCK) {
        if (s->progress != NULL) {
            saved = progress_mark_run(s->progress, s->id);
        }
    }
    strbuf_init(&sum);
    if (view->summary != NULL) {
        ViewCtx ctx;
        view_ctx_init(&ctx, s->run);
        good = view->summary(&ctx, &sum);
    }
    s->end_good = v == VERDICT_COMPLETED && (strbuf_str(&sum)[0] == '\0' || good);
    if (strbuf_str(&sum)[0] != '\0') {
        snprintf(s->end_summary, sizeof(s->end_summary), "%s", strbuf_str(&sum));
    } else if (v == VERDICT_COMPLETED) {
        snprintf(s->end_summary, sizeof(s->end_summary), "%s%s%s", verdict_name(v),
                 run_message(s->run)[0] != '\0' ? ": " : "", run_message(s->run));
    }
    if (strbuf_str(&sum)[0] != '\0') {
        /* the demo says what the run shows ("1 update lost") */
        session_say(s, good ? SESSION_GOOD : SESSION_ERROR, "%s", strbuf_str(&sum));
    } else if (v == VERDICT_KILLED) {
        /* reset or quit: no news */
    } else if (v != VERDICT_COMPLETED) {
        /* the banner names what happened; the message line says what to do */
        session_say(s, SESSION_ERROR, "%s: %s", verdict_name(v),
                    s->mode == SCHED_STEP
                        ? "u undoes the last step, r starts again, e tries another variant"
                        : "r runs it again, e tries another variant, m lets you schedule it");
    } else {
        session_say(s, SESSION_GOOD, "%s%s%s", verdict_name(v),
                    run_message(s->run)[0] != '\0' ? ": " : "", run_message(s->run));
    }
    if (saved < 0) {
        session_say(s, SESSION_ERROR, "%s", progress_error(s->progress)); /* at once */
    }
    strbuf_fini(&sum);
    /* with a challenge, what counts is the goal: its line replaces the
     * run's own news */
    session_judge(s, true);
}

/* Poll the explorer; say when its search is over.  Returns true while it
 * goes or when it just ended (to be redrawn). */
static bool session_explore_poll(LessonSession *s)
{
    const ExploreResult *r;
    unsigned failing = 0;

    if (s->explore == NULL || s->explore_reported) {
        return false;
    }
    if (!explore_poll(s->explore, 0)) {
        return true;
    }
    s->explore_reported = true;
    r = explore_result(s->explore);
    if (r->failed) {
        session_say(s, SESSION_ERROR, "the explorer failed: %s", r->error);
        return true;
    }
    for (uint32_t i = 0; i < r->noutcomes; i++) {
        failing += explore_outcome_failing(&r->outcomes[i]);
    }
    session_say(s, failing > 0 ? SESSION_INFO : SESSION_GOOD,
                "explored %llu schedules%s: %u outcome%s, %u failing; Enter on one replays it",
                (unsigned long long)atomic_load(&((ExploreResult *)r)->schedules),
                r->complete && !explore_timed_out(s->explore) ? " (complete)" : " (incomplete)",
                r->noutcomes, r->noutcomes == 1 ? "" : "s", failing);
    return true;
}

bool session_explore_start(LessonSession *s, unsigned preemptions)
{
    IlError err;

    session_explore_stop(s);
    if (s->demo == NULL) {
        session_say(s, SESSION_ERROR, "no demo to explore");
        return false;
    }
    explore_config_init(&s->xcfg, s->demo);
    memcpy(s->xcfg.params, s->params, sizeof(s->xcfg.params));
    s->xcfg.preemptions = preemptions;
    s->xcfg.timeout_s = 120;
    s->explore = explore_start(&s->xcfg, &err);
    if (s->explore == NULL) {
        session_say(s, SESSION_ERROR, "cannot explore: %s", err.msg);
        return false;
    }
    s->explore_reported = false;
    session_say(s, SESSION_INFO, "exploring every schedule with at most %u preemption%s ...",
                preemptions, preemptions == 1 ? "" : "s");
    return true;
}

void session_explore_stop(LessonSession *s)
{
    explore_free(s->explore);
    s->explore = NULL;
}

const ExploreResult *session_explore_result(const LessonSession *s)
{
    return s->explore != NULL ? explore_result(s->explore) : NULL;
}

bool session_exploring(const LessonSession *s)
{
    return s->explore != NULL && !s->explore_reported;
}

bool session_explore_load(LessonSession *s, size_t k)
{
    unsigned order[EXPLORE_MAX_OUTCOMES];
    const ExploreResult *r = session_explore_result(s);
    const ExploreOutcome *o;
    Schedule sch;
    IlError err;
    size_t n;

    if (r == NULL || session_exploring(s)) {
        session_say(s, SESSION_ERROR, "%s",
                    r == NULL ? "nothing explored yet" : "the search is still going");
        return false;
    }
    n = explore_report_order(r, order);
    if (k >= n) {
        session_say(s, SESSION_ERROR, "no outcome %zu (there are %zu)", k + 1, n);
        return false;
    }
    o = &r->outcomes[order[k]];
    if (o->schedule[0] == '(' ||
        schedule_parse(o->schedule, demo_lanes(s->demo, s->params), &sch, &err) < 0) {
        session_say(s, SESSION_ERROR, "cannot replay that outcome's schedule");
        return false;
    }
    session_challenge_leave(s);
    if (!session_start(s, SCHED_STEP, &sch)) {
        schedule_fini(&sch);
        return false;
    }
    schedule_fini(&sch);
    session_say(s, SESSION_INFO, "replayed %s (%u steps): %s; step on from here", o->schedule,
                o->steps,
                o->step_limit ? "still going at the step limit" : verdict_name(o->verdict));
    return true;
}

bool session_tick(LessonSession *s, bool *ended)
{
    /* while a trace is written the screen is redrawn, to say when it is */
    bool live = session_export_poll(s, false) || s->exporting;

    live = session_explore_poll(s) || live;
    *ended = false;
    if (s->run == NULL) {
        return live;
    }
    if (!run_done(s->run)) {
        run_poll(s->run, 0);
        live = live || !s->paused || run_done(s->run);
    } else if (run_events_waiting(s->run) > 0) {
        /* over, and what it recorded still comes in (drain_end_max) */
        run_poll(s->run, 0);
        live = true;
    }
    if (run_done(s->run) && !s->counted) {
        session_report_end(s);
        *ended = true;
    }
    return live;
}

int session_wait(LessonSession *s)
{
    bool ended;
    if (s->run == NULL) {
        return -1;
    }
    run_wait(s->run);
    (void)session_tick(s, &ended);
    return run_verdict(s->run);
}

void session_run_pause(LessonSession *s)
{
    if (s->run == NULL || run_done(s->run) || s->mode != SCHED_FREE) {
        if (session_start(s, SCHED_FREE, NULL)) {
            session_say(s, SESSION_INFO, "running%s", s->pace > 0 ? " in slow motion" : "");
        }
    } else if (run_pause(s->run, !s->paused) == 0) {
        s->paused = !s->paused;
        s->paused_clock = run_clock_ns(s->run);
        session_say(s, SESSION_INFO, "%s",
                    s->paused ? "paused: the run's processes are stopped; "
                                "space resumes, +/- and arrows move the timeline"
                              : "running");
    }
}

void session_slow(LessonSession *s)
{
    char pace[32];
    s->pace = (s->pace + 1) % (unsigned)ARRAY_SIZE(session_paces);
    timeline_format_time((uint64_t)session_paces[s->pace] * 1000u, false, pace, sizeof(pace));
    session_say(s, SESSION_INFO, "%s%s%s",
                s->pace == 0 ? "full speed" : "slow motion: every lane pauses ",
                s->pace == 0 ? "" : pace, s->pace == 0 ? "" : " at each step (from the next run)");
}

void session_toggle_mode(LessonSession *s)
{
    if (s->mode == SCHED_FREE) {
        if (session_start(s, SCHED_STEP, NULL)) {
            session_say(s, SESSION_INFO,
                        "step mode: you are the scheduler; press A, B, ... to give "
                        "a lane one step");
        }
    } else {
        session_stop(s);
        s->mode = SCHED_FREE;
        s->challenge = NULL;
        session_say(s, SESSION_INFO, "free mode: space starts a real run");
    }
}

void session_reset(LessonSession *s)
{
    if (s->mode == SCHED_STEP) {
        if (session_start(s, SCHED_STEP, NULL)) {
            session_say(s, SESSION_INFO, "reset: a new step run, no step taken");
        }
    } else if (session_start(s, SCHED_FREE, NULL)) {
        session_say(s, SESSION_INFO, "reset: a new run");
    }
}

void session_continue(LessonSession *s)
{
    if (s->run != NULL && !run_done(s->run)) {
        if (s->mode == SCHED_STEP && s->handed_at == UINT64_MAX) {
            /* from here on the scheduler picks: its steps are not the student's */
            s->handed_at = arena_step(run_arena(s->run));
        }
        (void)run_send_end(s->run);
        session_say(s, SESSION_INFO, "the rest of the run goes round-robin");
        session_judge(s, false);
    }
}

void session_step(LessonSession *s, unsigned lane)
{
    char name[LANE_NAME_MAX];
    const Arena *a;
    uint32_t st;
    SchedToken tok;
    IlError err;
    int rc;

    lane_name(lane, name);
    if (s->run == NULL || s->mode != SCHED_STEP) {
        if (!session_start(s, SCHED_STEP, NULL)) {
            return;
        }
    }
    if (lane >= run_nlanes(s->run)) {
        session_say(s, SESSION_ERROR,
                    "there is no lane %s: this run has %u lanes (e changes threads)", name,
                    run_nlanes(s->run));
        return;
    }
    if (run_done(s->run)) {
        session_say(s, SESSION_ERROR,
                    "the run is over (%s): u undoes the last step, r starts again",
                    verdict_name(run_verdict(s->run)));
        return;
    }
    a = run_arena(s->run);
    st = arena_lane_state(a, lane);
    if (st == LANE_FINISHED) {
        session_say(s, SESSION_ERROR, "lane %s has finished: it cannot take a step", name);
        return;
    }
    if (st == LANE_BLOCKED) {
        char why[256];
        sched_why_blocked(a, lane, why, sizeof(why)); /* the scheduler's own words */
        session_say(s, SESSION_ERROR, "%s", why);
        return;
    }
    memset(&tok, 0, sizeof(tok));
    tok.lane = (uint16_t)lane;
    tok.kind = TOK_STEPS;
    tok.count = 1;
    tok.pos = (uint32_t)run_schedule(s->run)->n + 1;
    rc = run_send(s->run, &tok, &err);
    switch (rc) {
    case RUN_SEND_OK:
        session_say(s, SESSION_INFO, "lane %s took a step", name);
        break;
    case RUN_SEND_REFUSED:
        session_say(s, SESSION_ERROR, "refused: %s", err.msg);
        break;
    case RUN_SEND_FINISHED:
    case RUN_SEND_DEADLOCK:
        run_poll(s->run, 0);
        session_say(s, SESSION_INFO, "lane %s took a step; the run is ending", name);
        break;
    default:
        session_say(s, SESSION_ERROR, "the run stopped: %s", err.msg);
        break;
    }
    session_judge(s, false);
}

void session_send(LessonSession *s, const char *text)
{
    session_send_at(s, text, 1);
}

void session_send_at(LessonSession *s, const char *text, size_t first)
{
    Schedule sch;
    IlError err;
    size_t i;

    if (s->run == NULL || s->mode != SCHED_STEP || run_done(s->run)) {
        if (!session_start(s, SCHED_STEP, NULL)) {
            return;
        }
    }
    if (schedule_parse(text, run_nlanes(s->run), &sch, &err) < 0) {
        session_say(s, SESSION_ERROR, "bad steps: %s", err.msg);
        return;
    }
    for (i = 0; i < sch.n; i++) {
        SchedToken tok = sch.tok[i];
        char name[32];
        int rc;
        schedule_token_format(&tok, name);
        tok.pos = (uint32_t)run_schedule(s->run)->n + 1;
        memset(&err, 0, sizeof(err));
        rc = run_send(s->run, &tok, &err);
        if (rc == RUN_SEND_OK) {
            continue;
        }
        if (rc == RUN_SEND_FINISHED || rc == RUN_SEND_DEADLOCK) {
            const char *why =
                rc == RUN_SEND_FINISHED ? "every lane has finished" : "no lane can move";
            run_poll(s->run, 0);
            s->send_over = true;
            if (i + 1 < sch.n) {
                /* tokens left over for a run that is over: as the CLI's replay */
                char next[32];
                schedule_token_format(&sch.tok[i + 1], next);
                session_say(s, SESSION_ERROR, "token %zu '%s': the run is over (%s)", first + i + 1,
                            next, why);
            } else {
                session_say(s, SESSION_INFO, "%s: taken; %s, the run is ending", text, why);
            }
        } else if (rc == RUN_SEND_REFUSED) {
            /* numbered and worded as the CLI's bad_schedule */
            session_say(s, SESSION_ERROR, "token %zu '%s': %s", first + i, name,
                        run_refusal(s->run));
        } else {
            session_say(s, SESSION_ERROR, "token %zu '%s': %s", first + i, name,
                        err.msg[0] != '\0' ? err.msg : "the run is over");
        }
        schedule_fini(&sch);
        return;
    }
    session_say(s, SESSION_INFO, "%s: taken", text);
    schedule_fini(&sch);
}

void session_undo(LessonSession *s)
{
    const Schedule *cur;
    Schedule sch = {NULL, 0, 0};
    char last[16];

    if (s->run == NULL || s->mode != SCHED_STEP) {
        session_say(s, SESSION_ERROR, "undo works in step mode (m)");
        return;
    }
    cur = run_schedule(s->run);
    if (cur->n == 0) {
        session_say(s, SESSION_ERROR, "nothing to undo: no step taken yet");
        return;
    }
    for (size_t i = 0; i < cur->n; i++) {
        SchedToken t = cur->tok[i];
        if (i + 1 == cur->n) {
            if (t.kind != TOK_STEPS || t.count <= 1) {
                break;
            }
            t.count--;
        }
        if (schedule_append(&sch, t) < 0) {
            schedule_fini(&sch);
            session_say(s, SESSION_ERROR, "out of memory");
            return;
        }
    }
    schedule_token_format(&cur->tok[cur->n - 1], last);
    if (session_start(s, SCHED_STEP, &sch)) {
        session_say(s, SESSION_INFO, "undone: the last step (%s); the run was replayed up to there",
                    last);
        session_judge(s, false);
    }
    schedule_fini(&sch);
}

void session_save(LessonSession *s)
{
    const RunConfig *cfg;
    char comment[160], *path = NULL;
    IlError err;

    if (s->run == NULL || s->mode != SCHED_STEP || run_schedule(s->run)->n == 0) {
        session_say(s, SESSION_ERROR, "nothing to save: take some steps in step mode first");
        return;
    }
    /* a self-contained file: demo, parameters and every step taken */
    cfg = run_config(s->run);
    snprintf(comment, sizeof(comment), "interleave schedule saved from %s", s->id);
    if (schedfile_save(s->id, comment, cfg->demo, cfg->params, run_schedule(s->run), &path, &err) <
        0) {
        session_say(s, SESSION_ERROR, "%s", err.msg);
        return;
    }
    snprintf(s->last_file, sizeof(s->last_file), "%s", path);
    session_say_file(s, SESSION_GOOD, true, "schedule saved to %s", path);
    free(path);
}

/*
 * A schedule file's run: its demo (another than the session's switches the
 * session to it, as a page's run block does) and its parameters, applied
 * to s.  Returns 0, or -1 with the message said.
 */
static int session_apply_file(LessonSession *s, const SchedFile *sf)
{
    const DemoClass *demo = s->demo;
    int64_t params[DEMO_MAX_PARAMS];
    IlError err;

    if (sf->demo != NULL) {
        demo = demo_find(sf->demo, &err);
        if (demo == NULL) {
            session_say(s, SESSION_ERROR, "%s:%u: %s", sf->path, sf->demo_line, err.msg);
            return -1;
        }
    }
    if (demo == s->demo) {
        memcpy(params, s->params, sizeof(params));
    } else {
        demo_params_default(demo, params);
    }
    if (schedfile_apply_params(sf, demo, params, &err) < 0) {
        session_say(s, SESSION_ERROR, "%s", err.msg);
        return -1;
    }
    if (demo != s->demo) {
        session_stop(s);
        s->demo = demo;
    }
    memcpy(s->params, params, sizeof(params));
    return 0;
}

void session_load(LessonSession *s, const char *input)
{
    char *named = NULL;
    const char *text = input;
    bool is_file = false;
    SchedFile sf;
    Schedule sch;
    IlError err;
    struct stat sb;
    int rc;

    while (*text == ' ') {
        text++;
    }
    if (*text == '\0') {
        session_say(s, SESSION_DIM, "nothing loaded");
        return;
    }
    if (s->demo == NULL) {
        session_say(s, SESSION_ERROR, "this lesson has no demo to run");
        return;
    }
    if (strchr(text, '/') == NULL && strchr(text, ' ') == NULL &&
        !(stat(text, &sb) == 0 && S_ISREG(sb.st_mode))) {
        /* a name saved with w ("race-1" or "race-1.sched" in the saved
         * schedules), or one that ships (core/schedfile.h) */
        named = schedfile_resolve(text);
        if (named != NULL && strcmp(named, text) != 0) {
            text = named;
        }
    }
    is_file = strchr(text, '/') != NULL || (stat(text, &sb) == 0 && S_ISREG(sb.st_mode));
    if (is_file) {
        /* a file carries its run: demo: and params: apply, then its tokens */
        rc = schedfile_read(text, &sf, &err);
        if (rc == 0 && session_apply_file(s, &sf) < 0) {
            schedfile_fini(&sf);
            free(named);
            return;
        }
        if (rc == 0) {
            snprintf(s->last_file, sizeof(s->last_file), "%s", text);
            rc = schedfile_schedule(&sf, demo_lanes(s->demo, s->params), &sch, &err);
            schedfile_fini(&sf);
        }
    } else {
        rc = schedule_parse(text, demo_lanes(s->demo, s->params), &sch, &err);
    }
    free(named);
    if (rc < 0) {
        session_say(s, SESSION_ERROR, "%s%s", is_file ? "" : "bad schedule: ", err.msg);
        return;
    }
    if (session_start(s, SCHED_STEP, &sch)) {
        session_say(s, SESSION_INFO, "replaying %zu token%s; then keep stepping, or c to finish",
                    sch.n, sch.n == 1 ? "" : "s");
        session_judge(s, false);
    }
    schedule_fini(&sch);
}

void session_page_run(LessonSession *s, const LessonRun *r)
{
    const DemoClass *demo;
    IlError err;
    int64_t params[DEMO_MAX_PARAMS];
    int mode;

    demo = demo_find(r->demo, &err);
    if (demo == NULL) {
        session_say(s, SESSION_ERROR, "%s", err.msg);
        return;
    }
    demo_params_default(demo, params);
    for (size_t i = 0; i < r->nparams; i++) {
        if (demo_param_set(demo, r->params[i], params, &err) < 0) {
            session_say(s, SESSION_ERROR, "%s", err.msg);
            return;
        }
    }
    mode = r->mode != NULL ? sched_mode_parse(r->mode) : SCHED_FREE;
    session_stop(s);
    s->challenge = NULL; /* a page's run is not a challenge */
    s->demo = demo;
    memcpy(s->params, params, sizeof(params));
    if (r->schedule != NULL) {
        session_load(s, r->schedule);
    } else if (mode == SCHED_STEP || mode == SCHED_REPLAY) {
        if (session_start(s, SCHED_STEP, NULL)) {
            session_say(s, SESSION_INFO, "%s: step mode, press a lane's letter to step it",
                        r->label);
        }
    } else if (session_start(s, SCHED_FREE, NULL)) {
        session_say(s, SESSION_INFO, "%s: running", r->label);
    }
}

/*
 * Step mode: send the tokens of the schedule text one by one to the fresh
 * step run, as if the student pressed the keys, stopping at the first one
 * that is refused.  So the schedule that deadlocked one variant can be
 * tried on another: where a lane cannot move the replay stops and says
 * why, and the run stays live from there.  Says what happened, after the
 * prefix what (the new parameters).
 */
static void session_replay_keys(LessonSession *s, const char *text, const char *what)
{
    Schedule sch;
    IlError err;
    size_t i;

    if (schedule_parse(text, run_nlanes(s->run), &sch, &err) < 0) {
        session_say(s, SESSION_ERROR, "%s: new step run; the last schedule does not fit it (%s)",
                    what, err.msg);
        return;
    }
    for (i = 0; i < sch.n; i++) {
        SchedToken tok = sch.tok[i];
        int rc;
        tok.pos = (uint32_t)run_schedule(s->run)->n + 1;
        rc = run_send(s->run, &tok, &err);
        if (rc == RUN_SEND_OK) {
            continue;
        }
        if (rc == RUN_SEND_FINISHED || rc == RUN_SEND_DEADLOCK) {
            run_poll(s->run, 0);
            i++;
            break;
        }
        if (rc == RUN_SEND_REFUSED) {
            session_say(s, SESSION_ERROR, "%s: %s stops at token %zu: %s", what, text, i + 1,
                        run_refusal(s->run));
        } else {
            session_say(s, SESSION_ERROR, "%s: the run stopped: %s", what, err.msg);
        }
        schedule_fini(&sch);
        return;
    }
    session_say(s, SESSION_INFO, "%s: %s replayed on it (u undoes, r starts with no step)", what,
                text);
    schedule_fini(&sch);
}

void session_set_params(LessonSession *s, const int64_t params[DEMO_MAX_PARAMS])
{
    bool changed = memcmp(params, s->params, sizeof(s->params)) != 0;
    const LessonChallenge *had = s->challenge;
    StrBuf b;
    RunConfig cfg;

    if (!changed) {
        session_say(s, SESSION_DIM, "parameters unchanged");
        return;
    }
    strbuf_init(&b);
    if (s->mode == SCHED_STEP) {
        /* only what changed: "variant=ordered" */
        for (unsigned i = 0; i < s->demo->nparams; i++) {
            char val[64];
            if (params[i] == s->params[i]) {
                continue;
            }
            demo_param_format(&s->demo->params[i], params[i], val, sizeof(val));
            strbuf_addf(&b, "%s%s=%s", strbuf_str(&b)[0] != '\0' ? " " : "",
                        s->demo->params[i].name, val);
        }
    }
    memcpy(s->params, params, sizeof(s->params));
    if (s->mode == SCHED_STEP) {
        /* keep the schedule: the same steps on the new variant */
        char *replay = NULL;
        if (s->run != NULL && run_schedule(s->run)->n > 0) {
            replay = session_schedule_text(s->run);
        }
        if (session_start(s, SCHED_STEP, NULL)) {
            if (replay != NULL) {
                session_replay_keys(s, replay, strbuf_str(&b));
            } else {
                session_say(s, SESSION_INFO, "%s: new step run", strbuf_str(&b));
            }
        }
        free(replay);
    } else {
        run_config_init(&cfg, s->demo);
        memcpy(cfg.params, s->params, sizeof(cfg.params));
        report_params(&b, &cfg);
        session_stop(s);
        s->challenge = NULL;
        session_say(s, SESSION_INFO, "%s: space runs it", strbuf_str(&b));
    }
    if (had != NULL && s->challenge == NULL) {
        char msg[SESSION_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", s->msg);
        session_say(s, s->tone, "%s (challenge %s left: its parameters are fixed)", msg, had->id);
    }
    strbuf_fini(&b);
}

/* ------------------------------------------------------------------ */
/* challenges                                                          */
/* ------------------------------------------------------------------ */

static void session_say_goal(LessonSession *s)
{
    if (s->goal == CHALLENGE_REACHED) {
        session_say(s, SESSION_GOOD, "%s", s->goal_msg);
    } else {
        session_say(s, SESSION_ERROR, "%s (u undoes the last step, r starts again)", s->goal_msg);
    }
}

/*
 * Judge the run against the challenge.  Once the run has decided the
 * goal, the attempt is kept (once per run) and the goal's line becomes the
 * message; with resay, a run decided before says it again (its end was
 * just reported over it).
 */
static void session_judge(LessonSession *s, bool resay)
{
    char msg[SESSION_MSG_MAX];
    char *text;
    int rc, saved = 0;

    if (s->challenge == NULL || s->run == NULL) {
        s->goal = -1;
        return;
    }
    if (s->goal_kept) {
        if (resay) {
            session_say_goal(s);
        }
        return;
    }
    rc = challenge_evaluate(s->challenge, s->run, s->handed_at, msg, sizeof(msg));
    s->goal = rc;
    snprintf(s->goal_msg, sizeof(s->goal_msg), "%s", msg);
    if (rc == CHALLENGE_PENDING) {
        return; /* the action's own message stays */
    }
    s->goal_kept = true;
    text = session_schedule_text(s->run);
    if (s->progress != NULL && s->challenge->id != NULL) {
        saved = progress_mark_try(s->progress, s->id, s->challenge->id,
                                  rc == CHALLENGE_REACHED ? PROGRESS_RIGHT : PROGRESS_WRONG,
                                  text != NULL && text[0] != '\0' ? text : "(no step)");
    }
    free(text);
    session_say_goal(s);
    if (saved < 0) {
        session_say(s, SESSION_ERROR, "%s", progress_error(s->progress)); /* at once */
    }
}

bool session_challenge_start(LessonSession *s, const LessonChallenge *ch, const char *schedule)
{
    RunConfig cfg;
    IlError err;
    const char *sch = schedule != NULL ? schedule : "";

    if (challenge_run_config(ch, &cfg, 0, &err) < 0) {
        session_say(s, SESSION_ERROR, "challenge %s cannot run: %s", ch->id, err.msg);
        return false;
    }
    session_stop(s);
    s->demo = cfg.demo;
    memcpy(s->params, cfg.params, sizeof(s->params));
    s->mode = SCHED_STEP;
    s->challenge = ch;
    while (*sch == ' ' || *sch == '\t') {
        sch++;
    }
    if (*sch != '\0') {
        session_load(s, sch); /* replays, then judges */
        return s->run != NULL;
    }
    if (!session_start(s, SCHED_STEP, NULL)) {
        return false;
    }
    session_say(s, SESSION_INFO,
                "challenge %s: you are the scheduler (A, B, ...); interleave checks after "
                "every step",
                ch->id);
    session_judge(s, false);
    return true;
}

void session_challenge_leave(LessonSession *s)
{
    s->challenge = NULL;
    s->goal = -1;
}

void session_challenge_rebind(LessonSession *s, const LessonChallenge *ch)
{
    s->challenge = ch;
    if (ch == NULL || s->demo == NULL || !session_fits_challenge(s)) {
        session_challenge_leave(s);
        return;
    }
    /* the goal may have changed: a run that decided the old one is judged
     * anew, not kept again (its attempt is in progress already) */
    if (s->goal_kept && s->run != NULL) {
        s->goal = challenge_evaluate(ch, s->run, s->handed_at, s->goal_msg, sizeof(s->goal_msg));
        s->goal_kept = s->goal != CHALLENGE_PENDING;
    }
}

const LessonChallenge *session_challenge(const LessonSession *s)
{
    return s->challenge;
}

int session_goal(const LessonSession *s, const char **msg)
{
    if (msg != NULL) {
        *msg = s->goal_msg;
    }
    return s->challenge != NULL && s->run != NULL ? s->goal : -1;
}

/* ------------------------------------------------------------------ */
/* the trace export                                                    */
/* ------------------------------------------------------------------ */

static int session_sink_fd(void *ctx, const char *buf, size_t len)
{
    return file_write_all(*(const int *)ctx, buf, len);
}

static int session_fill_trace(void *ctx, int fd)
{
    return chrome_write(ctx, session_sink_fd, &fd);
}

/* What the export's child needs. */
typedef struct SessionExportJob {
    const Run *run;
    const char *dir, *stem;
    int fd; /* the pipe's write end: "ok PATH" or "error WHY" */
} SessionExportJob;

/* In the export's child (a copy of the front end, the run as it was at
 * the fork): write the trace and say how it went on the pipe. */
static int session_export_child(void *arg)
{
    const SessionExportJob *job = arg;
    char why[UTIL_WHY_MAX], *path = NULL;
    StrBuf b;
    int rc = statedir_write_new_fill(job->dir, job->stem, ".json", session_fill_trace,
                                     (void *)job->run, &path, why, sizeof(why));

    strbuf_init(&b);
    if (rc == 0) {
        strbuf_addf(&b, "ok %s", path);
    } else {
        strbuf_addf(&b, "error %s", why);
    }
    if (b.failed || file_write_all(job->fd, b.s, b.len) < 0) {
        rc = -EIO; /* the front end reads "its writer stopped" */
    }
    return rc == 0 ? 0 : 1;
}

/* When the export's child is done (or, with block, once it is): say where
 * the trace went or why not.  Returns true when it finished now. */
static bool session_export_poll(LessonSession *s, bool block)
{
    char buf[PATH_MAX + UTIL_WHY_MAX + 16];
    size_t n = 0;

    if (!s->exporting) {
        return false;
    }
    if (block) {
        sandbox_wait(&s->export_sb);
    } else if (!sandbox_exited(&s->export_sb)) {
        return false;
    }
    /* the child is gone: what it wrote is all there, then end of file */
    while (n < sizeof(buf) - 1) {
        ssize_t r = read(s->export_fd, buf + n, sizeof(buf) - 1 - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        n += (size_t)r;
    }
    buf[n] = '\0';
    close(s->export_fd);
    s->export_fd = -1;
    s->exporting = false;
    if (strncmp(buf, "ok ", 3) == 0) {
        /* the path as a student types it: ~ for the home directory */
        const char *path = buf + 3;
        const char *home = getenv("HOME");
        size_t hl = home != NULL ? strlen(home) : 0;
        bool tilde = hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/';
        snprintf(s->last_export, sizeof(s->last_export), "%.*s", (int)sizeof(s->last_export) - 1,
                 path);
        session_say_file(s, SESSION_GOOD, true,
                         "trace written to %s%s%s (ui.perfetto.dev opens it)%s", tilde ? "~" : "",
                         path + (tilde ? hl : 0), s->export_cwd ? ", in the current directory" : "",
                         s->export_live ? "; the run went on: these are its events until then"
                                        : "");
    } else if (strncmp(buf, "error ", 6) == 0) {
        session_say_file(s, SESSION_ERROR, false, "the trace is not written: %s", buf + 6);
    } else {
        session_say_file(s, SESSION_ERROR, false,
                         "the trace is not written: its writer stopped (status %d)",
                         s->export_sb.status);
    }
    return true;
}

int session_export(LessonSession *s)
{
    char stem[96], when[32], nodir[UTIL_WHY_MAX] = "";
    char *dir = NULL;
    size_t n = 0;
    time_t now = time(NULL);
    struct tm tm;
    SandboxLimits limits;
    SessionExportJob job;
    IlError err;
    int fds[2], rc;

    if (s->run == NULL) {
        session_say(s, SESSION_ERROR,
                    "nothing to write: start a run first (space runs one, m then A, B, ... "
                    "steps one)");
        return -ENOENT;
    }
    if (s->exporting) {
        session_say(s, SESSION_INFO, "a trace is being written already: wait for it");
        return -EBUSY;
    }
    /* a trace of a run that is over holds every event it recorded, also
     * those the screen has not taken in yet */
    run_take_all(s->run);
    /* the id, kept to characters every file system takes */
    for (const char *c = s->id; *c != '\0' && n < 64; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
        stem[n++] = ok ? *c : '_';
    }
    if (n == 0) {
        stem[n++] = 'r';
    }
    stem[n] = '\0';
    if (localtime_r(&now, &tm) == NULL || strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm) == 0) {
        snprintf(when, sizeof(when), "%lld", (long long)now);
    }
    snprintf(stem + n, sizeof(stem) - n, "-%s", when);
    rc = statedir_make("traces", &dir, nodir, sizeof(nodir));
    if (rc < 0) {
        /* no state directory (no HOME): the current directory */
        dir = strdup(".");
        if (dir == NULL) {
            session_say(s, SESSION_ERROR, "cannot write the trace: out of memory");
            return -ENOMEM;
        }
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        rc = -errno;
        free(dir);
        session_say(s, SESSION_ERROR, "the trace is not written: pipe: %s", strerror(-rc));
        return rc;
    }
    /*
     * A trace of a long free run is a hundred megabytes or more, seconds of
     * writing: a child writes it from its copy-on-write image of the run,
     * as the run was now, and the front end goes on (rule 2: the UI never
     * hangs); session_tick says how it went.  The front end is
     * single-threaded here, so the child may use the whole library.
     */
    memset(&limits, 0, sizeof(limits));
    job = (SessionExportJob){s->run, dir, stem, fds[1]};
    rc = sandbox_start(&s->export_sb, &limits, session_export_child, &job, &fds[1], 1, &err);
    close(fds[1]);
    free(dir);
    if (rc < 0) {
        close(fds[0]);
        session_say(s, SESSION_ERROR, "the trace is not written: %s", err.msg);
        return rc;
    }
    s->export_fd = fds[0];
    s->exporting = true;
    s->export_cwd = nodir[0] != '\0';
    s->export_live = !run_done(s->run);
    session_say_file(s, SESSION_INFO, false, "writing the trace of %" PRIu64 " events ...",
                     run_events_total(s->run));
    return 0;
}

int session_export_wait(LessonSession *s)
{
    if (!s->exporting) {
        return -ENOENT;
    }
    (void)session_export_poll(s, true);
    return s->last_export[0] != '\0' && session_tone(s) == SESSION_GOOD ? 0 : -EIO;
}

bool session_exporting(const LessonSession *s)
{
    return s->exporting;
}

const Run *session_run(const LessonSession *s)
{
    return s->run;
}

const DemoClass *session_demo(const LessonSession *s)
{
    return s->demo;
}

const int64_t *session_params(const LessonSession *s)
{
    return s->params;
}

int session_mode(const LessonSession *s)
{
    return s->mode;
}

bool session_paused(const LessonSession *s)
{
    return s->paused;
}

uint64_t session_clock(const LessonSession *s)
{
    if (s->run == NULL) {
        return 0;
    }
    if (run_done(s->run)) {
        return run_elapsed_ns(s->run);
    }
    return s->paused ? s->paused_clock : run_clock_ns(s->run);
}

uint32_t session_pace_us(const LessonSession *s)
{
    return session_paces[s->pace];
}

const char *session_message(const LessonSession *s)
{
    return s->msg;
}

SessionTone session_tone(const LessonSession *s)
{
    return s->tone;
}

bool session_run_over(const LessonSession *s)
{
    return s->run == NULL || s->send_over || run_done(s->run);
}

bool session_end_reported(const LessonSession *s)
{
    return s->run != NULL && s->counted;
}

const char *session_end_summary(const LessonSession *s)
{
    return s->end_summary;
}

bool session_end_good(const LessonSession *s)
{
    return s->end_good;
}

const char *session_last_schedule(const LessonSession *s)
{
    return s->last_sched != NULL ? s->last_sched : "";
}

const char *session_last_file(const LessonSession *s)
{
    return s->last_file;
}

const char *session_last_export(const LessonSession *s)
{
    return s->last_export;
}

unsigned session_generation(const LessonSession *s)
{
    return s->generation;
}
