/*
 * script.c - demo scripts (see script.h).
 *
 * The file is parsed whole into commands before anything runs, so a typo
 * on the last line is found before the class, not at the end of it.  A
 * running script is a program counter over the commands and, for the one
 * that takes time, its progress: the next token of a paced step, the
 * deadline of a wait.
 */
#include "config.h"

#include "lesson/script.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/schedule.h"
#include "core/sched.h"
#include "demos/demo.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/vec.h"

#define SCRIPT_VERDICT_WAIT_NS (60ull * 1000000000ull) /* wait verdict, by default */

typedef enum ScriptOp {
    OP_LESSON,
    OP_PAGE,
    OP_PRESENT,
    OP_PARAMS,
    OP_MODE,
    OP_RUN,
    OP_STEP,
    OP_WAIT_VERDICT,
    OP_WAIT_TIME,
    OP_PAUSE,
    OP_RESUME,
    OP_RESET,
    OP_SAY,
    OP_KEY
} ScriptOp;

typedef struct ScriptCmd {
    ScriptOp op;
    unsigned line;
    char *arg;   /* the rest of the line (owned), "" = none */
    uint64_t ns; /* a duration: a wait, a step's pace, a verdict wait's limit */
    long n;      /* a page, a run block (1-based); present on = 1 */
} ScriptCmd;

struct Script {
    char *path;
    ScriptCmd *cmd;
    size_t n, cap;
    size_t pc;         /* the command running now */
    bool started;      /* cmd[pc] has begun (its wait or pace is under way) */
    uint64_t deadline; /* its end (a wait), or its next token (a paced step) */
    Schedule steps;    /* a paced step's tokens */
    size_t next_tok;   /* the next one to send */
    bool key;          /* a key arrived for a `key` command */
    bool paused;
    bool pause_seen; /* script_tick() saw the pause begin, at paused_at */
    uint64_t paused_at;
    ScriptState state;
    char error[1024];
};

static const struct {
    const char *name;
    ScriptOp op;
    const char *usage; /* for errors */
} script_cmds[] = {
    {"lesson", OP_LESSON, "lesson NAME"},
    {"page", OP_PAGE, "page N"},
    {"present", OP_PRESENT, "present on|off"},
    {"params", OP_PARAMS, "params KEY=VALUE ..."},
    {"mode", OP_MODE, "mode free|step"},
    {"run", OP_RUN, "run [N]"},
    {"step", OP_STEP, "step SCHEDULE [every DURATION]"},
    {"wait", OP_WAIT_TIME, "wait DURATION | wait verdict [DURATION]"},
    {"pause", OP_PAUSE, "pause"},
    {"resume", OP_RESUME, "resume"},
    {"reset", OP_RESET, "reset"},
    {"say", OP_SAY, "say TEXT"},
    {"key", OP_KEY, "key"},
};

/* The command's name as a script spells it. */
static const char *script_cmd_name(ScriptOp op)
{
    if (op == OP_WAIT_VERDICT) {
        return "wait verdict";
    }
    for (size_t k = 0; k < ARRAY_SIZE(script_cmds); k++) {
        if (script_cmds[k].op == op) {
            return script_cmds[k].name;
        }
    }
    return "?";
}

/* "500ms", "2s", "1.5s", "200us": ns into *out.  Returns 0 or -1. */
static int script_duration(const char *s, uint64_t *out)
{
    char *end;
    double v;

    if (!(s[0] >= '0' && s[0] <= '9')) {
        return -1;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || v < 0 || v > 86400) {
        return -1;
    }
    if (strcmp(end, "ms") == 0) {
        v *= 1e6;
    } else if (strcmp(end, "s") == 0) {
        v *= 1e9;
    } else if (strcmp(end, "us") == 0) {
        v *= 1e3;
    } else {
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

void script_free(Script *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        free(s->cmd[i].arg);
    }
    free(s->cmd);
    schedule_fini(&s->steps);
    free(s->path);
    free(s);
}

/* Parse one command line (without its comment, trimmed) into c. */
static int script_parse_line(Script *s, char *line, unsigned lineno, ScriptCmd *c, IlError *err)
{
    char *sp = strpbrk(line, " \t");
    char *rest = sp != NULL ? sp + strspn(sp, " \t") : line + strlen(line);
    size_t k;

    if (sp != NULL) {
        *sp = '\0';
    }
    for (k = 0; k < ARRAY_SIZE(script_cmds); k++) {
        if (strcmp(line, script_cmds[k].name) == 0) {
            break;
        }
    }
    if (k == ARRAY_SIZE(script_cmds)) {
        return il_error_set(
            err, -IL_EPARSE,
            "%s:%u: unknown command '%s' (lesson, page, present, params, mode, run, "
            "step, wait, pause, resume, reset, say, key)",
            s->path, lineno, line);
    }
    memset(c, 0, sizeof(*c));
    c->op = script_cmds[k].op;
    c->line = lineno;
    switch (c->op) {
    case OP_LESSON:
    case OP_PARAMS:
    case OP_SAY:
        if (*rest == '\0') {
            return il_error_set(err, -IL_EPARSE, "%s:%u: %s needs an argument (%s)", s->path,
                                lineno, line, script_cmds[k].usage);
        }
        break;
    case OP_PAGE:
    case OP_RUN: {
        char *end;
        if (c->op == OP_RUN && *rest == '\0') {
            c->n = 0; /* a free run */
            break;
        }
        errno = 0;
        c->n = strtol(rest, &end, 10);
        if (errno != 0 || end == rest || *end != '\0' || c->n < 1 || c->n > 1000 ||
            !(rest[0] >= '0' && rest[0] <= '9')) {
            return il_error_set(err, -IL_EPARSE, "%s:%u: %s: '%s' is not a number 1..1000 (%s)",
                                s->path, lineno, line, rest, script_cmds[k].usage);
        }
        break;
    }
    case OP_PRESENT:
        if (strcmp(rest, "on") != 0 && strcmp(rest, "off") != 0) {
            return il_error_set(err, -IL_EPARSE, "%s:%u: present: on or off, got '%s'", s->path,
                                lineno, rest);
        }
        c->n = strcmp(rest, "on") == 0;
        break;
    case OP_MODE:
        if (strcmp(rest, "free") != 0 && strcmp(rest, "step") != 0) {
            return il_error_set(err, -IL_EPARSE, "%s:%u: mode: free or step, got '%s'", s->path,
                                lineno, rest);
        }
        c->n = strcmp(rest, "step") == 0 ? SCHED_STEP : SCHED_FREE;
        break;
    case OP_STEP: {
        char *every = strstr(rest, " every ");
        Schedule sch;
        if (every != NULL) {
            *every = '\0';
            if (script_duration(every + 7 + strspn(every + 7, " \t"), &c->ns) < 0) {
                return il_error_set(err, -IL_EPARSE,
                                    "%s:%u: step: 'every' takes a duration such as 500ms or 2s",
                                    s->path, lineno);
            }
        }
        if (*rest == '\0') {
            return il_error_set(err, -IL_EPARSE, "%s:%u: step needs a schedule (%s)", s->path,
                                lineno, script_cmds[k].usage);
        }
        /* the tokens are checked now; the lane names when it runs */
        if (schedule_parse(rest, 0, &sch, err) < 0) {
            char why[sizeof(err->msg)];
            snprintf(why, sizeof(why), "%s", err->msg);
            return il_error_set(err, -IL_EPARSE, "%s:%u: step: %s", s->path, lineno, why);
        }
        schedule_fini(&sch);
        break;
    }
    case OP_WAIT_TIME:
        if (strncmp(rest, "verdict", 7) == 0 && (rest[7] == '\0' || rest[7] == ' ')) {
            const char *d = rest + 7 + strspn(rest + 7, " \t");
            c->op = OP_WAIT_VERDICT;
            c->ns = SCRIPT_VERDICT_WAIT_NS;
            if (*d != '\0' && script_duration(d, &c->ns) < 0) {
                return il_error_set(err, -IL_EPARSE,
                                    "%s:%u: wait verdict: '%s' is not a duration such as 30s",
                                    s->path, lineno, d);
            }
        } else if (script_duration(rest, &c->ns) < 0) {
            return il_error_set(err, -IL_EPARSE,
                                "%s:%u: wait: '%s' is not a duration such as 500ms or 2s, nor "
                                "'verdict'",
                                s->path, lineno, rest);
        }
        break;
    default:
        if (*rest != '\0') {
            return il_error_set(err, -IL_EPARSE, "%s:%u: %s takes no argument, got '%s'", s->path,
                                lineno, line, rest);
        }
        break;
    }
    c->arg = strdup(rest);
    if (c->arg == NULL) {
        return il_error_set(err, -ENOMEM, "out of memory");
    }
    return 0;
}

Script *script_load(const char *path, IlError *err)
{
    char why[UTIL_WHY_MAX];
    char *text = NULL, *p;
    size_t len;
    unsigned lineno = 0;
    Script *s;
    int rc;

    rc = file_read(path, "script", SCRIPT_MAX_BYTES, &text, &len, why, sizeof(why));
    if (rc < 0) {
        il_error_set(err, rc, "%s", why);
        return NULL;
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL || (s->path = strdup(path)) == NULL) {
        free(s);
        free(text);
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    if (memchr(text, '\0', len) != NULL) {
        il_error_set(err, -IL_EPARSE, "%s: a NUL byte: not a text file", path);
        free(text);
        script_free(s);
        return NULL;
    }
    for (p = text; *p != '\0';) {
        char *line = p, *hash, *end;
        size_t n = strcspn(p, "\n");
        ScriptCmd c, *grown;

        p += n;
        if (*p == '\n') {
            *p++ = '\0';
        }
        lineno++;
        hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        line += strspn(line, " \t\r");
        end = line + strlen(line);
        while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) {
            *--end = '\0';
        }
        if (*line == '\0') {
            continue;
        }
        if (script_parse_line(s, line, lineno, &c, err) < 0) {
            free(text);
            script_free(s);
            return NULL;
        }
        grown = vec_grow(s->cmd, &s->cap, s->n + 1, sizeof(*grown));
        if (grown == NULL) {
            free(c.arg);
            free(text);
            script_free(s);
            il_error_set(err, -ENOMEM, "out of memory");
            return NULL;
        }
        s->cmd = grown;
        s->cmd[s->n++] = c;
    }
    free(text);
    /* a command that needs a lesson before the first `lesson` cannot run:
     * say so now, not in front of the class */
    for (size_t i = 0; i < s->n && s->cmd[i].op != OP_LESSON; i++) {
        ScriptOp op = s->cmd[i].op;
        if (op != OP_SAY && op != OP_KEY && op != OP_WAIT_TIME && op != OP_PRESENT) {
            il_error_set(err, -IL_EPARSE,
                         "%s:%u: %s needs a lesson open: put 'lesson NAME' before it", path,
                         s->cmd[i].line, script_cmd_name(op));
            script_free(s);
            return NULL;
        }
    }
    s->state = s->n > 0 ? SCRIPT_RUNNING : SCRIPT_DONE;
    return s;
}

/* The command failed: stop with "file:line: what". */
static ScriptState script_fail(Script *s, const ScriptCmd *c, const char *what)
{
    snprintf(s->error, sizeof(s->error), "%s:%u: %s", s->path, c->line, what);
    s->state = SCRIPT_FAILED;
    return s->state;
}

static void script_report(Script *s, const ScriptHost *h, const ScriptCmd *c, const char *fmt, ...)
    ATTR_FORMAT(printf, 4, 5);

static void script_report(Script *s, const ScriptHost *h, const ScriptCmd *c, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    (void)s;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (h->report != NULL) {
        h->report(h->ctx, c->line, buf);
    }
}

/* The run's end as the class saw it: the verdict in words (the banner's,
 * or for a completed run the demo's summary) and the run's results with
 * their units. */
static void script_report_end(Script *s, const ScriptHost *h, const ScriptCmd *c,
                              LessonSession *ses)
{
    const Run *run = session_run(ses);
    const ArenaResult *res = &run_arena(run)->result;
    StrBuf b;

    strbuf_init(&b);
    if (run_message(run)[0] != '\0') {
        strbuf_addf(&b, "%s", run_message(run)); /* "deadlock at step 2: A holds ..." */
    } else if (session_end_summary(ses)[0] != '\0') {
        strbuf_addf(&b, "%s", session_end_summary(ses)); /* the demo's words, completed */
    } else {
        strbuf_addf(&b, "%s", verdict_name(run_verdict(run)));
    }
    for (uint32_t i = 0; res->done && i < res->nfields && i < ARENA_MAX_FIELDS; i++) {
        char val[48];
        demo_unit_format(demo_result_unit(session_demo(ses), res->fields[i].name),
                         res->fields[i].value, run_arena(run)->stepping != 0, val, sizeof(val));
        strbuf_addf(&b, "%s%s %s", i == 0 ? " (" : ", ", res->fields[i].name, val);
    }
    if (res->done && res->nfields > 0) {
        strbuf_add(&b, ")");
    }
    script_report(s, h, c, "%s", strbuf_str(&b));
    strbuf_fini(&b);
}

/* Run command c at now.  Returns true when it completed (go on), false
 * when it waits (state and *wake set) or failed (state FAILED). */
static bool script_run_cmd(Script *s, const ScriptHost *h, ScriptCmd *c, uint64_t now,
                           uint64_t *wake)
{
    LessonSession *ses = h->session(h->ctx);
    IlError err;

    if (c->op != OP_LESSON && c->op != OP_SAY && c->op != OP_KEY && c->op != OP_WAIT_TIME &&
        c->op != OP_PRESENT && ses == NULL) {
        script_fail(s, c, "no lesson is open (start with: lesson NAME)");
        return false;
    }
    switch (c->op) {
    case OP_LESSON:
        if (h->open(h->ctx, c->arg, &err) < 0) {
            script_fail(s, c, err.msg);
            return false;
        }
        script_report(s, h, c, "lesson %s", c->arg);
        return true;
    case OP_PAGE: {
        const Lesson *l = h->lesson(h->ctx);
        if (l == NULL || (size_t)c->n > l->npages) {
            char why[128];
            snprintf(why, sizeof(why), "page %ld: the lesson has %zu page%s", c->n,
                     l != NULL ? l->npages : (size_t)0, l != NULL && l->npages == 1 ? "" : "s");
            script_fail(s, c, why);
            return false;
        }
        if (h->goto_page(h->ctx, (size_t)c->n - 1, &err) < 0) {
            script_fail(s, c, err.msg);
            return false;
        }
        script_report(s, h, c, "page %ld: %s", c->n,
                      l->pages[c->n - 1].title != NULL ? l->pages[c->n - 1].title : "");
        return true;
    }
    case OP_PRESENT:
        if (h->present != NULL) {
            h->present(h->ctx, c->n != 0);
        }
        script_report(s, h, c, "present %s", c->n ? "on" : "off");
        return true;
    case OP_PARAMS: {
        const DemoClass *demo = session_demo(ses);
        int64_t p[DEMO_MAX_PARAMS];
        char *copy, *save = NULL;
        char *words[DEMO_MAX_PARAMS * 2];
        size_t nw = 0;
        if (demo == NULL) {
            script_fail(s, c, "params: this lesson has no demo");
            return false;
        }
        copy = strdup(c->arg);
        if (copy == NULL) {
            script_fail(s, c, "out of memory");
            return false;
        }
        for (char *w = strtok_r(copy, " \t,", &save); w != NULL && nw < ARRAY_SIZE(words);
             w = strtok_r(NULL, " \t,", &save)) {
            words[nw++] = w;
        }
        memcpy(p, session_params(ses), sizeof(p));
        if (demo_params_parse(demo, (const char *const *)words, nw, p, &err) < 0) {
            free(copy);
            script_fail(s, c, err.msg);
            return false;
        }
        free(copy);
        session_set_params(ses, p);
        if (session_mode(ses) == SCHED_STEP && session_message(ses)[0] != '\0') {
            /* step mode replays the steps so far on the new values: say how far */
            script_report(s, h, c, "params: %s", session_message(ses));
        } else {
            script_report(s, h, c, "params %s", c->arg);
        }
        return true;
    }
    case OP_MODE:
        if (c->n == SCHED_STEP) {
            if (!session_start(ses, SCHED_STEP, NULL)) {
                script_fail(s, c, session_message(ses));
                return false;
            }
        } else if (session_mode(ses) != SCHED_FREE) {
            session_toggle_mode(ses);
        }
        script_report(s, h, c, "mode %s", c->n == SCHED_STEP ? "step" : "free");
        return true;
    case OP_RUN:
        if (c->n == 0) {
            if (!session_start(ses, SCHED_FREE, NULL)) {
                script_fail(s, c, session_message(ses));
                return false;
            }
            script_report(s, h, c, "run: a free run");
        } else {
            const Lesson *l = h->lesson(h->ctx);
            size_t page = l != NULL ? h->page(h->ctx) : 0;
            const LessonPage *pg;
            pg = l != NULL && page < l->npages ? &l->pages[page] : NULL;
            if (pg == NULL || (size_t)c->n > pg->nruns) {
                char why[128];
                snprintf(why, sizeof(why), "run %ld: page %zu has %zu run block%s", c->n, page + 1,
                         pg != NULL ? pg->nruns : (size_t)0,
                         pg != NULL && pg->nruns == 1 ? "" : "s");
                script_fail(s, c, why);
                return false;
            }
            session_page_run(ses, &pg->runs[c->n - 1]);
            if (session_run(ses) == NULL) {
                script_fail(s, c, session_message(ses));
                return false;
            }
            script_report(s, h, c, "run %ld: %s", c->n, pg->runs[c->n - 1].label);
        }
        return true;
    case OP_STEP:
        if (!s->started) {
            if (session_mode(ses) != SCHED_STEP || session_run(ses) == NULL ||
                run_done(session_run(ses))) {
                if (!session_start(ses, SCHED_STEP, NULL)) {
                    script_fail(s, c, session_message(ses));
                    return false;
                }
            }
            schedule_fini(&s->steps);
            if (schedule_parse(c->arg, run_nlanes(session_run(ses)), &s->steps, &err) < 0) {
                script_fail(s, c, err.msg);
                return false;
            }
            s->next_tok = 0;
            s->started = true;
            s->deadline = now;
        }
        while (s->next_tok < s->steps.n && now >= s->deadline) {
            char tok[32], why[SESSION_MSG_MAX + 64];
            schedule_token_format(&s->steps.tok[s->next_tok], tok);
            if (s->next_tok > 0 && session_run_over(ses)) {
                /* the steps before ended the run: this one has no lane to go to */
                snprintf(why, sizeof(why), "step: token %zu '%s': the run is over (%s)",
                         s->next_tok + 1, tok, session_message(ses));
                script_fail(s, c, why);
                return false;
            }
            session_send_at(ses, tok, s->next_tok + 1);
            s->next_tok++;
            if (session_tone(ses) == SESSION_ERROR) {
                snprintf(why, sizeof(why), "step: %s", session_message(ses));
                script_fail(s, c, why);
                return false;
            }
            s->deadline = now + c->ns;
            if (c->ns > 0) {
                break;
            }
        }
        if (s->next_tok < s->steps.n) {
            *wake = s->deadline;
            return false;
        }
        {
            char sched[512];
            schedule_format(run_schedule(session_run(ses)), sched, sizeof(sched));
            script_report(s, h, c, "step %s: the schedule so far: %s%s", c->arg, sched,
                          session_run_over(ses) ? " (the run is ending)" : "");
        }
        return true;
    case OP_WAIT_VERDICT: {
        const Run *run = session_run(ses);
        if (run == NULL) {
            script_fail(s, c, "wait verdict: no run (start one with run or step)");
            return false;
        }
        if (!s->started) {
            s->started = true;
            s->deadline = now + c->ns;
            if (session_mode(ses) == SCHED_STEP && !run_done(run)) {
                session_continue(ses); /* the rest of a step run goes round-robin */
            }
        }
        if (h->poll != NULL) {
            h->poll(h->ctx);
        }
        if (run_done(run) && session_end_reported(ses)) {
            /* the session has said what the run shows: report that */
            script_report_end(s, h, c, ses);
            return true;
        }
        if (now >= s->deadline) {
            script_fail(s, c, "wait verdict: the run did not end in time");
            return false;
        }
        *wake = 0;
        return false;
    }
    case OP_WAIT_TIME:
        if (!s->started) {
            s->started = true;
            s->deadline = now + c->ns;
        }
        if (ses != NULL && h->poll != NULL) {
            h->poll(h->ctx);
        }
        if (now < s->deadline) {
            *wake = s->deadline;
            return false;
        }
        script_report(s, h, c, "wait %s", c->arg);
        return true;
    case OP_PAUSE:
    case OP_RESUME:
        if (session_run(ses) == NULL || session_mode(ses) != SCHED_FREE) {
            script_fail(s, c, "pause and resume work on a free run (start one with run)");
            return false;
        }
        if (run_done(session_run(ses))) {
            /* a free run takes the time it takes: a fast one is not an error */
            script_report(s, h, c, "%s: the run had already ended",
                          c->op == OP_PAUSE ? "pause" : "resume");
            return true;
        }
        if (session_paused(ses) != (c->op == OP_PAUSE)) {
            session_run_pause(ses);
        }
        script_report(s, h, c, "%s", c->op == OP_PAUSE ? "pause" : "resume");
        return true;
    case OP_RESET:
        session_reset(ses);
        script_report(s, h, c, "reset");
        return true;
    case OP_SAY:
        if (h->say != NULL) {
            h->say(h->ctx, c->arg);
        }
        script_report(s, h, c, "say %s", c->arg);
        return true;
    case OP_KEY:
        if (!s->key) {
            s->state = SCRIPT_KEY;
            return false;
        }
        s->key = false;
        return true;
    }
    return true;
}

ScriptState script_tick(Script *s, const ScriptHost *host, uint64_t now_ns, uint64_t *wake_ns)
{
    *wake_ns = 0;
    if (s->state == SCRIPT_DONE || s->state == SCRIPT_FAILED) {
        return s->state;
    }
    if (s->paused) {
        if (!s->pause_seen) {
            s->pause_seen = true;
            s->paused_at = now_ns;
        }
        s->state = SCRIPT_PAUSED;
        return s->state;
    }
    if (s->pause_seen) {
        /* a wait or a pace goes on where it was: the pause does not count */
        if (s->started && now_ns > s->paused_at) {
            s->deadline += now_ns - s->paused_at;
        }
        s->pause_seen = false;
    }
    s->state = SCRIPT_RUNNING;
    while (s->pc < s->n) {
        uint64_t wake = 0;
        if (!script_run_cmd(s, host, &s->cmd[s->pc], now_ns, &wake)) {
            if (s->state == SCRIPT_RUNNING) {
                *wake_ns = wake;
            }
            return s->state;
        }
        s->pc++;
        s->started = false;
    }
    s->state = SCRIPT_DONE;
    return s->state;
}

void script_key(Script *s)
{
    if (s->state == SCRIPT_KEY) {
        s->key = true;
        s->state = SCRIPT_RUNNING;
    }
}

void script_pause(Script *s, bool pause)
{
    if (s->state == SCRIPT_DONE || s->state == SCRIPT_FAILED) {
        return;
    }
    s->paused = pause;
    s->state = pause ? SCRIPT_PAUSED : SCRIPT_RUNNING;
}

void script_skip(Script *s)
{
    if (s->pc < s->n && (s->state == SCRIPT_RUNNING || s->state == SCRIPT_KEY)) {
        s->pc++;
        s->started = false;
        s->key = false;
        s->state = s->pc < s->n ? SCRIPT_RUNNING : SCRIPT_DONE;
    }
}

ScriptState script_state(const Script *s)
{
    return s->state;
}

unsigned script_line(const Script *s)
{
    return s->pc < s->n ? s->cmd[s->pc].line : 0;
}

const char *script_error(const Script *s)
{
    return s->error;
}

size_t script_ncommands(const Script *s)
{
    return s->n;
}

size_t script_done(const Script *s)
{
    return s->pc;
}
