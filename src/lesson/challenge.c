/*
 * challenge.c - parsing challenge blocks, and judging runs against them
 * (see challenge.h).
 *
 * Parsing checks everything that can be checked without running: the
 * demo, its parameters, the lane names in by:, lanes: and the solution
 * against the number of lanes those parameters give, the verdict name, the
 * shape of every comparison, and that the keys make sense together (by:
 * and invariant: need a verdict that names lanes or an invariant).  What
 * needs a run (does the solution reach the goal, do the result names
 * exist) is challenge_lint_solution(), which `interleave lint` calls.
 *
 * Judging reads only data from the Run and its arena, in this order: a
 * failure of the run itself (refused schedule, timeout, crash), the limits
 * on the schedule (lanes:, spurious:), whether the student's steps decided
 * the goal (see challenge.h, "the rule of the student's steps"), then the
 * verdict, who, which invariant, the results and the steps limit.  The
 * first thing that does not hold is the one line the student reads.
 */
#include "config.h"

#include "lesson/challenge.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/explore.h"
#include "core/schedule.h"
#include "core/verdict.h"
#include "demos/demo.h"

#define CHALLENGE_INFO "interleave-challenge"

static const KvKey challenge_keys[] = {
    {"id", false},      {"goal", false},    {"demo", false},     {"params", true},
    {"verdict", false}, {"result", true},   {"by", false},       {"invariant", false},
    {"steps", false},   {"lanes", false},   {"spurious", false}, {"solution", false},
    {"hint", false},    {"explain", false}, {NULL, false},
};

/* The verdicts a goal may ask for: ways a run ends that the run itself
 * chose, not failures of the run (bad schedule, timeout, crash, kill). */
static bool challenge_verdict_ok(int v)
{
    return v == VERDICT_COMPLETED || v == VERDICT_DEADLOCK || v == VERDICT_HANG ||
           v == VERDICT_INVARIANT || v == VERDICT_LIVELOCK;
}

static const char *const challenge_cmp_names[CMP_COUNT] = {
    [CMP_EQ] = "==", [CMP_NE] = "!=", [CMP_LT] = "<",
    [CMP_LE] = "<=", [CMP_GT] = ">",  [CMP_GE] = ">=",
};

const char *challenge_cmp_name(int cmp)
{
    return cmp >= 0 && cmp < CMP_COUNT ? challenge_cmp_names[cmp] : "?";
}

static bool challenge_cmp_holds(int cmp, int64_t a, int64_t b)
{
    switch (cmp) {
    case CMP_EQ:
        return a == b;
    case CMP_NE:
        return a != b;
    case CMP_LT:
        return a < b;
    case CMP_LE:
        return a <= b;
    case CMP_GT:
        return a > b;
    case CMP_GE:
        return a >= b;
    default:
        return false;
    }
}

bool challenge_lanes_has(const ChallengeLanes *set, unsigned lane)
{
    return lane < ARENA_MAX_LANES && (set->bits[lane / 64] >> (lane % 64)) & 1u;
}

static void challenge_lanes_add(ChallengeLanes *set, unsigned lane)
{
    if (lane < ARENA_MAX_LANES) {
        set->bits[lane / 64] |= (uint64_t)1 << (lane % 64);
    }
}

/* "A, B and C" for the lanes of set (at most the first nlanes). */
static void challenge_lanes_text(const ChallengeLanes *set, unsigned nlanes, char *buf, size_t len)
{
    unsigned count = 0, seen = 0;
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < nlanes; i++) {
        count += challenge_lanes_has(set, i) ? 1 : 0;
    }
    for (unsigned i = 0; i < nlanes && at < len; i++) {
        char name[LANE_NAME_MAX];
        int n;
        if (!challenge_lanes_has(set, i)) {
            continue;
        }
        lane_name(i, name);
        seen++;
        n = snprintf(buf + at, len - at, "%s%s", seen == 1 ? "" : (seen == count ? " and " : ", "),
                     name);
        if (n < 0) {
            break;
        }
        at += (size_t)n;
    }
}

/* ------------------------------------------------------------------ */
/* parsing                                                             */
/* ------------------------------------------------------------------ */

typedef struct ChallengeParser {
    KvProblemFn problem;
    void *ctx;
    bool oom;
    const char *scope; /* the lesson id its scenarios are registered under, NULL = none */
} ChallengeParser;

static void challenge_problem(ChallengeParser *p, unsigned line, const char *fmt, ...)
    ATTR_FORMAT(printf, 3, 4);

static void challenge_problem(ChallengeParser *p, unsigned line, const char *fmt, ...)
{
    char msg[IL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (p->problem != NULL) {
        p->problem(p->ctx, line, msg);
    }
}

static bool challenge_id_ok(const char *id)
{
    if (*id == '\0') {
        return false;
    }
    for (const char *c = id; *c != '\0'; c++) {
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.') {
            return false;
        }
    }
    return true;
}

/* Parse a comparison operator at *s; advance past it.  Returns the
 * ChallengeCmp or -1. */
static int challenge_parse_cmp(const char **s)
{
    static const struct {
        const char *text;
        int cmp;
    } ops[] = {{"==", CMP_EQ}, {"!=", CMP_NE}, {"<=", CMP_LE},
               {">=", CMP_GE}, {"<", CMP_LT},  {">", CMP_GT}};
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        size_t n = strlen(ops[i].text);
        if (strncmp(*s, ops[i].text, n) == 0) {
            *s += n;
            return ops[i].cmp;
        }
    }
    return -1;
}

static bool challenge_parse_int(const char *s, int64_t *out)
{
    char *end;
    long long v;
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    if (*s == '\0') {
        return false;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s) {
        return false;
    }
    while (*end == ' ' || *end == '\t') {
        end++;
    }
    if (*end != '\0') {
        return false;
    }
    *out = (int64_t)v;
    return true;
}

/* "final == 1" into cond (name allocated).  Returns false when malformed. */
static bool challenge_parse_cond(ChallengeParser *p, const char *text, ChallengeCond *cond)
{
    const char *s = text, *name;
    size_t nlen;
    int cmp;

    while (*s == ' ') {
        s++;
    }
    name = s;
    if (!isalpha((unsigned char)*s) && *s != '_') {
        return false;
    }
    while (isalnum((unsigned char)*s) || *s == '_') {
        s++;
    }
    nlen = (size_t)(s - name);
    while (*s == ' ') {
        s++;
    }
    cmp = challenge_parse_cmp(&s);
    if (cmp < 0 || !challenge_parse_int(s, &cond->value)) {
        return false;
    }
    cond->cmp = cmp;
    cond->name = malloc(nlen + 1);
    if (cond->name == NULL) {
        p->oom = true;
        return false;
    }
    memcpy(cond->name, name, nlen);
    cond->name[nlen] = '\0';
    return true;
}

/* "A B", "A, B": a set of lanes below nlanes (0 = do not check the
 * count).  Reports problems at line as "key: ...".  Returns false when
 * malformed. */
static bool challenge_parse_lanes(ChallengeParser *p, const char *key, const char *text,
                                  unsigned line, unsigned nlanes, ChallengeLanes *set)
{
    const char *s = text;
    bool any = false, ok = true;
    memset(set, 0, sizeof(*set));
    while (*s != '\0') {
        size_t n;
        int lane;
        while (*s == ' ' || *s == '\t' || *s == ',') {
            s++;
        }
        n = strcspn(s, " \t,");
        if (n == 0) {
            break;
        }
        lane = lane_parse(s, n);
        if (lane < 0) {
            challenge_problem(p, line, "%s: '%.*s' is not a lane name (A, B, ...)", key, (int)n, s);
            ok = false;
        } else if (nlanes > 0 && (unsigned)lane >= nlanes) {
            char last[LANE_NAME_MAX];
            lane_name(nlanes - 1, last);
            challenge_problem(p, line, "%s: lane %.*s does not exist (lanes A..%s)", key, (int)n, s,
                              last);
            ok = false;
        } else {
            challenge_lanes_add(set, (unsigned)lane);
            any = true;
        }
        s += n;
    }
    if (!any && ok) {
        challenge_problem(p, line, "%s: give one or more lanes (A B ...)", key);
        ok = false;
    }
    return ok;
}

void challenge_fini(LessonChallenge *ch)
{
    if (ch == NULL) {
        return;
    }
    free(ch->id);
    free(ch->goal);
    free(ch->demo);
    for (size_t i = 0; i < ch->nparams; i++) {
        free(ch->params[i]);
    }
    free(ch->params);
    for (size_t i = 0; i < ch->nresults; i++) {
        free(ch->results[i].name);
    }
    free(ch->results);
    free(ch->invariant);
    free(ch->steps.name);
    free(ch->solution);
    free(ch->hint);
    free(ch->explain);
    memset(ch, 0, sizeof(*ch));
}

/* Collapse white space to single spaces and trim, in place. */
static void challenge_squeeze(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r != '\0'; r++) {
        if (isspace((unsigned char)*r)) {
            space = w != s;
            continue;
        }
        if (space) {
            *w++ = ' ';
            space = false;
        }
        *w++ = *r;
    }
    *w = '\0';
}

/* The demo, its parameters and the lane count. */
static const DemoClass *challenge_parse_demo(ChallengeParser *p, KvList *kv, unsigned fence_line,
                                             const char *main_demo, LessonChallenge *ch,
                                             int64_t values[DEMO_MAX_PARAMS], bool *params_ok)
{
    const KvEntry *v = kv_get(kv, "demo");
    const DemoClass *demo = NULL;
    IlError err;

    *params_ok = true;
    if (v != NULL) {
        demo = demo_find_scoped(p->scope, v->value, &err);
        if (demo == NULL) {
            challenge_problem(p, v->line, "demo: %s", err.msg);
        }
    } else if (main_demo != NULL) {
        demo = demo_find_scoped(p->scope, main_demo, &err);
    } else {
        challenge_problem(p, fence_line,
                          "challenge without demo: (give demo: NAME, or the lesson's main demo "
                          "in '<!-- interleave: demo=NAME -->')");
    }
    if (demo == NULL) {
        *params_ok = false;
        return NULL;
    }
    ch->demo = strdup(demo->name);
    if (ch->demo == NULL) {
        p->oom = true;
        return NULL;
    }
    demo_params_default(demo, values);
    for (size_t i = 0; i < kv->n; i++) {
        const char *s;
        if (strcmp(kv->e[i].key->name, "params") != 0) {
            continue;
        }
        s = kv->e[i].value;
        while (*s != '\0') {
            size_t len;
            char *tok, **grown;
            while (*s == ' ' || *s == '\t' || *s == ',') {
                s++;
            }
            len = strcspn(s, " \t,");
            if (len == 0) {
                break;
            }
            tok = strndup(s, len);
            s += len;
            if (tok == NULL) {
                p->oom = true;
                return demo;
            }
            if (demo_param_set(demo, tok, values, &err) < 0) {
                challenge_problem(p, kv->e[i].line, "params: %s", err.msg);
                *params_ok = false;
            }
            grown = realloc(ch->params, (ch->nparams + 1) * sizeof(*grown));
            if (grown == NULL) {
                free(tok);
                p->oom = true;
                return demo;
            }
            ch->params = grown;
            ch->params[ch->nparams++] = tok;
        }
    }
    if (*params_ok) {
        ch->nlanes = demo_lanes(demo, values);
    }
    return demo;
}

int challenge_parse(const char *text, unsigned first_line, unsigned fence_line,
                    const char *main_demo, KvProblemFn problem, void *ctx, LessonChallenge *out)
{
    return challenge_parse_scoped(text, first_line, fence_line, main_demo, NULL, problem, ctx, out);
}

int challenge_parse_scoped(const char *text, unsigned first_line, unsigned fence_line,
                           const char *main_demo, const char *scope, KvProblemFn problem, void *ctx,
                           LessonChallenge *out)
{
    ChallengeParser p = {problem, ctx, false, scope};
    KvList kv;
    const KvEntry *v;
    int64_t values[DEMO_MAX_PARAMS];
    bool params_ok;

    memset(out, 0, sizeof(*out));
    out->verdict = -1;
    out->spurious = true;
    out->line = fence_line;
    if (kv_parse(text, first_line, CHALLENGE_INFO, challenge_keys, problem, ctx, &kv) < 0) {
        return -ENOMEM;
    }

    v = kv_get(&kv, "id");
    if (v == NULL) {
        challenge_problem(&p, fence_line,
                          "challenge without id: (give each challenge a unique id)");
    } else if (!challenge_id_ok(v->value)) {
        challenge_problem(&p, v->line, "id: '%s' must be letters, digits, '-', '_' or '.'",
                          v->value);
    } else {
        out->id_line = v->line;
    }
    v = kv_get(&kv, "goal");
    if (v == NULL) {
        challenge_problem(&p, fence_line,
                          "challenge without goal: (say what the student must make "
                          "the run do)");
    } else if (v->value[0] == '\0') {
        challenge_problem(&p, v->line, "goal: empty");
    }

    challenge_parse_demo(&p, &kv, fence_line, main_demo, out, values, &params_ok);

    v = kv_get(&kv, "verdict");
    if (v != NULL) {
        for (int i = 0; i < VERDICT_COUNT; i++) {
            if (challenge_verdict_ok(i) && strcmp(v->value, verdict_name(i)) == 0) {
                out->verdict = i;
            }
        }
        if (out->verdict < 0) {
            challenge_problem(&p, v->line,
                              "verdict: must be completed, deadlock, hang, invariant or livelock, "
                              "got '%s'",
                              v->value);
        }
    }

    for (size_t i = 0; i < kv.n && !p.oom; i++) {
        ChallengeCond c = {NULL, 0, 0, kv.e[i].line};
        ChallengeCond *grown;
        if (strcmp(kv.e[i].key->name, "result") != 0) {
            continue;
        }
        if (!challenge_parse_cond(&p, kv.e[i].value, &c)) {
            if (!p.oom) {
                challenge_problem(&p, kv.e[i].line,
                                  "result: '%s' is not NAME OP NUMBER (OP: == != < <= > >=), "
                                  "e.g. 'final == 1'",
                                  kv.e[i].value);
            }
            continue;
        }
        grown = realloc(out->results, (out->nresults + 1) * sizeof(*grown));
        if (grown == NULL) {
            free(c.name);
            p.oom = true;
            break;
        }
        out->results = grown;
        out->results[out->nresults++] = c;
    }

    v = kv_get(&kv, "by");
    if (v != NULL) {
        if (out->verdict != VERDICT_INVARIANT && out->verdict != VERDICT_DEADLOCK &&
            out->verdict != VERDICT_HANG) {
            challenge_problem(&p, v->line,
                              "by: needs verdict: invariant (the lane that broke it), deadlock or "
                              "hang (the lanes stuck)");
        }
        out->has_by = challenge_parse_lanes(&p, "by", v->value, v->line,
                                            params_ok ? out->nlanes : 0, &out->by);
    }
    v = kv_get(&kv, "invariant");
    if (v != NULL) {
        if (out->verdict != VERDICT_INVARIANT) {
            challenge_problem(&p, v->line, "invariant: needs verdict: invariant");
        } else if (v->value[0] == '\0') {
            challenge_problem(&p, v->line,
                              "invariant: empty (the name the run reports, e.g. "
                              "'exactly once')");
        }
    }
    v = kv_get(&kv, "steps");
    if (v != NULL) {
        const char *s = v->value;
        int cmp;
        out->steps.line = v->line;
        if (strncmp(s, "steps", 5) == 0) {
            s += 5;
        }
        while (*s == ' ') {
            s++;
        }
        cmp = challenge_parse_cmp(&s);
        if (cmp < 0) {
            cmp = CMP_LE; /* "steps: 12" reads as at most 12 */
        }
        if (!challenge_parse_int(s, &out->steps.value) || out->steps.value < 0) {
            challenge_problem(&p, v->line,
                              "steps: '%s' is not [OP] NUMBER (OP: == != < <= > >=), e.g. '<= 12'",
                              v->value);
        } else {
            out->steps.cmp = cmp;
            out->steps.name = strdup("steps");
            out->has_steps = out->steps.name != NULL;
            p.oom = p.oom || out->steps.name == NULL;
        }
    }
    v = kv_get(&kv, "lanes");
    if (v != NULL) {
        out->has_lanes = challenge_parse_lanes(&p, "lanes", v->value, v->line,
                                               params_ok ? out->nlanes : 0, &out->lanes);
    }
    v = kv_get(&kv, "spurious");
    if (v != NULL) {
        if (strcmp(v->value, "yes") == 0) {
            out->spurious = true;
        } else if (strcmp(v->value, "no") == 0) {
            out->spurious = false;
        } else {
            challenge_problem(&p, v->line, "spurious: must be yes or no, got '%s'", v->value);
        }
    }
    v = kv_get(&kv, "solution");
    if (v != NULL) {
        out->solution_line = v->line;
        if (params_ok) {
            Schedule sched;
            IlError err;
            int rc = schedule_parse(v->value, out->nlanes, &sched, &err);
            if (rc == -ENOMEM) {
                p.oom = true;
            } else if (rc < 0) {
                challenge_problem(&p, v->line, "solution: %s", err.msg);
            } else {
                for (size_t i = 0; i < sched.n; i++) {
                    char tok[16];
                    schedule_token_format(&sched.tok[i], tok);
                    if (out->has_lanes && !challenge_lanes_has(&out->lanes, sched.tok[i].lane)) {
                        challenge_problem(&p, v->line,
                                          "solution: token %zu '%s' moves a lane that lanes: "
                                          "does not allow",
                                          i + 1, tok);
                        break;
                    }
                    if (!out->spurious && sched.tok[i].kind == TOK_SPURIOUS) {
                        challenge_problem(&p, v->line,
                                          "solution: token %zu '%s' is a spurious wakeup, and "
                                          "spurious: no",
                                          i + 1, tok);
                        break;
                    }
                }
                if (sched.n == 0) {
                    challenge_problem(&p, v->line,
                                      "solution: empty (give a schedule, "
                                      "e.g. 'A B A B')");
                }
                schedule_fini(&sched);
            }
        }
    }
    if (out->verdict < 0 && out->nresults == 0 && kv_get(&kv, "verdict") == NULL) {
        challenge_problem(&p, fence_line,
                          "challenge without a goal for the run: give verdict: or result: lines");
    }

    out->id = kv_take(&kv, "id");
    out->goal = kv_take(&kv, "goal");
    out->invariant = kv_take(&kv, "invariant");
    out->solution = kv_take(&kv, "solution");
    out->hint = kv_take(&kv, "hint");
    out->explain = kv_take(&kv, "explain");
    if (out->solution != NULL) {
        challenge_squeeze(out->solution);
    }
    kv_fini(&kv);
    if (p.oom) {
        challenge_fini(out);
        return -ENOMEM;
    }
    return 0;
}

int challenge_run_config(const LessonChallenge *ch, RunConfig *cfg, double timeout_s, IlError *err)
{
    const DemoClass *demo;
    if (ch->demo == NULL) {
        return il_error_set(err, -IL_EUSAGE, "challenge '%s' names no demo",
                            ch->id != NULL ? ch->id : "?");
    }
    demo = demo_find(ch->demo, err);
    if (demo == NULL) {
        return -IL_EUSAGE;
    }
    run_config_init(cfg, demo);
    for (size_t i = 0; i < ch->nparams; i++) {
        if (demo_param_set(demo, ch->params[i], cfg->params, err) < 0) {
            return -IL_EUSAGE;
        }
    }
    cfg->mode = SCHED_STEP;
    cfg->timeout_s = timeout_s;
    return 0;
}

/* ------------------------------------------------------------------ */
/* judging                                                             */
/* ------------------------------------------------------------------ */

/* A one-line message builder over a caller's buffer. */
typedef struct ChallengeMsg {
    char *buf;
    size_t len, at;
} ChallengeMsg;

static void challenge_say(ChallengeMsg *m, const char *fmt, ...) ATTR_FORMAT(printf, 2, 3);

static void challenge_say(ChallengeMsg *m, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (m->len == 0 || m->at >= m->len - 1) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(m->buf + m->at, m->len - m->at, fmt, ap);
    va_end(ap);
    if (n > 0) {
        m->at += (size_t)n;
        if (m->at >= m->len) {
            m->at = m->len - 1;
        }
    }
}

/* What the judge knows about a run, taken from its VerdictInfo when the
 * run is over, else from the arena's violation record (a parked run). */
typedef struct ChallengeFacts {
    int verdict;             /* Verdict; VERDICT_INVARIANT for a parked run that broke one */
    uint64_t steps;          /* steps so far, or of the whole run */
    const VerdictInfo *vi;   /* NULL for a parked run */
    bool violated;           /* an invariant broke */
    const char *invariant;   /* its name */
    int inv_lane;            /* the lane that saw it, -1 = the end-of-run check */
    uint64_t inv_at;         /* its step */
    ChallengeLanes involved; /* deadlock, hang: the lanes the verdict names */
} ChallengeFacts;

static void challenge_facts(const Run *run, ChallengeFacts *f)
{
    const Arena *arena = run_arena(run);
    bool done = run_done(run);

    memset(f, 0, sizeof(*f));
    f->vi = done ? run_verdict_info(run) : NULL;
    f->steps = done ? run_steps(run) : arena_step(arena);
    if (f->vi != NULL && f->vi->kind == VERDICT_INVARIANT) {
        f->violated = true;
        f->invariant = f->vi->invariant;
        f->inv_lane = f->vi->inv_lane;
        f->inv_at = f->vi->inv_at;
    } else if (f->vi == NULL && arena_violated(arena)) {
        f->violated = true;
        f->invariant = arena->violation.invariant;
        f->inv_lane = arena->violation.lane;
        f->inv_at = arena->violation.t;
    }
    if (done) {
        f->verdict = run_verdict(run);
    } else {
        f->verdict = f->violated ? VERDICT_INVARIANT : VERDICT_RUNNING;
    }
    if (f->vi != NULL) {
        for (unsigned k = 0; k < f->vi->nlanes; k++) {
            challenge_lanes_add(&f->involved, f->vi->lanes[k].lane);
        }
    }
}

/* The lanes that have not finished (a parked run). */
static void challenge_unfinished(const Arena *arena, unsigned nlanes, ChallengeLanes *set)
{
    memset(set, 0, sizeof(*set));
    for (unsigned i = 0; i < nlanes && i < ARENA_MAX_LANES; i++) {
        if (arena_lane_state(arena, i) != LANE_FINISHED) {
            challenge_lanes_add(set, i);
        }
    }
}

/* ", with final 1, lost 1": the goal's result fields as the run has them. */
static void challenge_say_results(ChallengeMsg *m, const LessonChallenge *ch, const Arena *arena)
{
    bool first = true;
    for (size_t i = 0; i < ch->nresults; i++) {
        int64_t v;
        bool dup = false;
        for (size_t j = 0; j < i; j++) {
            dup = dup || strcmp(ch->results[j].name, ch->results[i].name) == 0;
        }
        if (dup || !arena_result_get(arena, ch->results[i].name, &v)) {
            continue;
        }
        challenge_say(m, "%s %s %" PRId64, first ? " with" : ",", ch->results[i].name, v);
        first = false;
    }
}

/* "the run completed at step 6 with final 1" / "the run deadlocked at step
 * 2: A holds acct1, waits acct2; ..." / "invariant 'x' broke at step 6 by
 * lane B". */
static void challenge_say_run(ChallengeMsg *m, const LessonChallenge *ch, const Run *run,
                              const ChallengeFacts *f, int verdict)
{
    const Arena *arena = run_arena(run);

    switch (verdict) {
    case VERDICT_COMPLETED:
        challenge_say(m, "the run completed at step %" PRIu64, f->steps);
        challenge_say_results(m, ch, arena);
        break;
    case VERDICT_DEADLOCK:
    case VERDICT_HANG:
        challenge_say(m, "the run %s at step %" PRIu64,
                      verdict == VERDICT_DEADLOCK ? "deadlocked" : "hung",
                      f->vi != NULL && f->vi->have_at ? f->vi->at : f->steps);
        if (f->vi != NULL && f->vi->nlanes > 0) {
            StrBuf waits;
            strbuf_init(&waits);
            verdict_describe_waits(f->vi, arena, &waits);
            challenge_say(m, ": %s", strbuf_str(&waits));
            strbuf_fini(&waits);
        }
        challenge_say_results(m, ch, arena);
        break;
    case VERDICT_INVARIANT: {
        char who[LANE_NAME_MAX] = "";
        if (f->inv_lane >= 0) {
            lane_name((unsigned)f->inv_lane, who);
        }
        challenge_say(m, "invariant '%s' broke at step %" PRIu64 " %s%s",
                      f->invariant != NULL ? f->invariant : "?", f->inv_at,
                      f->inv_lane >= 0 ? "by lane " : "in the end-of-run check", who);
        challenge_say_results(m, ch, arena);
        break;
    }
    case VERDICT_LIVELOCK:
        challenge_say(
            m, "the run livelocked at step %" PRIu64 " (the lanes kept moving, none made progress)",
            f->steps);
        break;
    case VERDICT_TIMEOUT:
        challenge_say(m, "the run took too long and was stopped");
        break;
    case VERDICT_CRASHED:
        challenge_say(m, "the run crashed");
        break;
    case VERDICT_KILLED:
        challenge_say(m, "the run was stopped");
        break;
    default:
        challenge_say(m, "the run ended as %s", verdict_name(verdict));
        break;
    }
}

/* The goal in words, for "(goal: ...)". */
static void challenge_say_goal(ChallengeMsg *m, const LessonChallenge *ch)
{
    const char *sep = "";
    if (ch->verdict >= 0) {
        challenge_say(m, "%s", verdict_name(ch->verdict));
        sep = ", ";
    }
    if (ch->invariant != NULL) {
        challenge_say(m, "%s'%s'", ch->verdict >= 0 ? " " : "", ch->invariant);
        sep = ", ";
    }
    if (ch->has_by) {
        char lanes[256];
        challenge_lanes_text(&ch->by, ARENA_MAX_LANES, lanes, sizeof(lanes));
        challenge_say(m, " by %s", lanes);
        sep = ", ";
    }
    for (size_t i = 0; i < ch->nresults; i++) {
        challenge_say(m, "%s%s %s %" PRId64, sep, ch->results[i].name,
                      challenge_cmp_name(ch->results[i].cmp), ch->results[i].value);
        sep = ", ";
    }
}

/* Check the schedule's limits (lanes:, spurious:).  Returns false with the
 * message said when a token breaks one. */
static bool challenge_limits_ok(ChallengeMsg *m, const LessonChallenge *ch, const Run *run)
{
    const Schedule *s = run_schedule(run);
    for (size_t i = 0; i < s->n; i++) {
        char tok[16];
        schedule_token_format(&s->tok[i], tok);
        if (ch->has_lanes && !challenge_lanes_has(&ch->lanes, s->tok[i].lane)) {
            char lanes[256];
            challenge_lanes_text(&ch->lanes, ARENA_MAX_LANES, lanes, sizeof(lanes));
            challenge_say(m,
                          "not reached: token %zu '%s' moves a lane this challenge does not "
                          "allow (only %s)",
                          i + 1, tok, lanes);
            return false;
        }
        if (!ch->spurious && s->tok[i].kind == TOK_SPURIOUS) {
            challenge_say(m,
                          "not reached: token %zu '%s' is a spurious wakeup, and this challenge "
                          "allows none",
                          i + 1, tok);
            return false;
        }
    }
    return true;
}

int challenge_evaluate(const LessonChallenge *ch, const Run *run, uint64_t chosen_steps, char *msg,
                       size_t len)
{
    ChallengeMsg m = {msg, len, 0};
    const Arena *arena = run_arena(run);
    bool done = run_done(run);
    bool only_invariant = ch->verdict == VERDICT_INVARIANT && ch->nresults == 0;
    ChallengeFacts f;
    int verdict;
    uint64_t decided;

    if (len > 0) {
        msg[0] = '\0';
    }
    challenge_facts(run, &f);
    verdict = f.verdict;

    /* 1. the run itself failed: the schedule was refused, or it timed out */
    if (verdict == VERDICT_BAD_SCHEDULE) {
        if (f.vi != NULL) {
            challenge_say(&m, "not reached: the schedule was refused at token %d '%s': %s",
                          f.vi->bad_token, f.vi->bad_text, f.vi->reason);
        } else {
            challenge_say(&m, "not reached: the schedule was refused at token %d",
                          run_bad_token(run));
        }
        return CHALLENGE_MISSED;
    }
    if (verdict == VERDICT_TIMEOUT || verdict == VERDICT_CRASHED || verdict == VERDICT_KILLED) {
        challenge_say(&m, "not reached: ");
        challenge_say_run(&m, ch, run, &f, verdict);
        return CHALLENGE_MISSED;
    }
    /* 2. the limits on the schedule */
    if (!challenge_limits_ok(&m, ch, run)) {
        return CHALLENGE_MISSED;
    }
    /* 3. did the student's steps decide it? */
    if (only_invariant) {
        if (!f.violated) {
            if (!done) {
                challenge_say(&m, "not yet: no invariant has broken by step %" PRIu64, f.steps);
                return CHALLENGE_PENDING;
            }
            challenge_say(&m, "not reached: ");
            challenge_say_run(&m, ch, run, &f, verdict);
            challenge_say(&m, ", and no invariant broke (goal: ");
            challenge_say_goal(&m, ch);
            challenge_say(&m, ")");
            return CHALLENGE_MISSED;
        }
        decided = f.inv_at;
        verdict = VERDICT_INVARIANT;
    } else {
        if (!done) {
            challenge_say(&m, "not yet: the run goes on at step %" PRIu64, f.steps);
            return CHALLENGE_PENDING;
        }
        decided = f.steps;
    }
    if (chosen_steps != UINT64_MAX && decided > chosen_steps) {
        challenge_say(&m, "not reached: your steps ended at step %" PRIu64 "; after that ",
                      chosen_steps);
        challenge_say_run(&m, ch, run, &f, verdict);
        challenge_say(&m, ", but steps the scheduler chose do not count");
        return CHALLENGE_MISSED;
    }
    /* 4. the verdict */
    if ((ch->verdict >= 0 && verdict != ch->verdict) ||
        (ch->verdict < 0 && !challenge_verdict_ok(verdict))) {
        challenge_say(&m, "not reached: ");
        challenge_say_run(&m, ch, run, &f, verdict);
        challenge_say(&m, " (goal: ");
        challenge_say_goal(&m, ch);
        challenge_say(&m, ")");
        return CHALLENGE_MISSED;
    }
    /* 5. who, and which invariant */
    if (ch->has_by || ch->invariant != NULL) {
        bool ok = true;
        if (verdict == VERDICT_INVARIANT) {
            if (ch->has_by &&
                (f.inv_lane < 0 || !challenge_lanes_has(&ch->by, (unsigned)f.inv_lane))) {
                ok = false;
            }
            if (ch->invariant != NULL &&
                (f.invariant == NULL || strcmp(ch->invariant, f.invariant) != 0)) {
                ok = false;
            }
        } else if (ch->has_by) {
            for (unsigned i = 0; i < ARENA_MAX_LANES; i++) {
                if (challenge_lanes_has(&ch->by, i) && !challenge_lanes_has(&f.involved, i)) {
                    ok = false;
                }
            }
        }
        if (!ok) {
            challenge_say(&m, "not reached: ");
            challenge_say_run(&m, ch, run, &f, verdict);
            challenge_say(&m, " (goal: ");
            challenge_say_goal(&m, ch);
            challenge_say(&m, ")");
            return CHALLENGE_MISSED;
        }
    }
    /* 6. the results */
    for (size_t i = 0; i < ch->nresults; i++) {
        const ChallengeCond *c = &ch->results[i];
        int64_t v;
        if (!arena_result_get(arena, c->name, &v)) {
            challenge_say(&m, "not reached: ");
            challenge_say_run(&m, ch, run, &f, verdict);
            challenge_say(&m, ", and it has no result '%s'", c->name);
            return CHALLENGE_MISSED;
        }
        if (!challenge_cmp_holds(c->cmp, v, c->value)) {
            challenge_say(&m, "not reached: ");
            challenge_say_run(&m, ch, run, &f, verdict);
            challenge_say(&m, " (goal: %s %s %" PRId64 ")", c->name, challenge_cmp_name(c->cmp),
                          c->value);
            return CHALLENGE_MISSED;
        }
    }
    /* 7. the steps limit, on the step that decided the goal */
    if (ch->has_steps && !challenge_cmp_holds(ch->steps.cmp, (int64_t)decided, ch->steps.value)) {
        challenge_say(&m, "not reached: ");
        challenge_say_run(&m, ch, run, &f, verdict);
        challenge_say(&m, ", in %" PRIu64 " steps (goal: steps %s %" PRId64 ")", decided,
                      challenge_cmp_name(ch->steps.cmp), ch->steps.value);
        return CHALLENGE_MISSED;
    }
    challenge_say(&m, "goal reached: ");
    challenge_say_run(&m, ch, run, &f, verdict);
    return CHALLENGE_REACHED;
}

int challenge_check(const LessonChallenge *ch, const char *schedule, double timeout_s, char *msg,
                    size_t len)
{
    RunConfig cfg;
    Schedule sched;
    IlError err;
    Run *run;
    int rc;

    if (len > 0) {
        msg[0] = '\0';
    }
    if (challenge_run_config(ch, &cfg, timeout_s, &err) < 0) {
        snprintf(msg, len, "cannot run the challenge: %s", err.msg);
        return -IL_EUSAGE;
    }
    rc = schedule_parse(schedule, demo_lanes(cfg.demo, cfg.params), &sched, &err);
    if (rc == -ENOMEM) {
        snprintf(msg, len, "out of memory");
        return -ENOMEM;
    }
    if (rc < 0) {
        snprintf(msg, len, "not reached: malformed schedule: %s", err.msg);
        return CHALLENGE_MISSED;
    }
    if (sched.n == 0) {
        schedule_fini(&sched);
        snprintf(msg, len, "not reached: the schedule is empty");
        return CHALLENGE_MISSED;
    }
    /* Interactive step mode: run_start() returns once the schedule is
     * played, with the lanes parked if the run goes on; the round-robin
     * that would follow is never played (run_free kills the run). */
    cfg.schedule = &sched;
    cfg.interactive = true;
    run = run_start(&cfg, &err);
    schedule_fini(&sched);
    if (run == NULL) {
        snprintf(msg, len, "cannot start the run: %s", err.msg);
        return err.code < 0 ? err.code : -IL_EINTERNAL;
    }
    if (run_done(run)) {
        rc = challenge_evaluate(ch, run, UINT64_MAX, msg, len);
    } else {
        uint64_t chosen = arena_step(run_arena(run));
        rc = challenge_evaluate(ch, run, chosen, msg, len);
        if (rc == CHALLENGE_PENDING) {
            ChallengeLanes left;
            char lanes[256];
            challenge_unfinished(run_arena(run), run_nlanes(run), &left);
            challenge_lanes_text(&left, run_nlanes(run), lanes, sizeof(lanes));
            snprintf(msg, len,
                     "not reached: the schedule ended at step %" PRIu64
                     " with %s still running, before the goal was decided (A* runs a lane "
                     "until it blocks or finishes)",
                     chosen, lanes);
            rc = CHALLENGE_MISSED;
        }
    }
    run_free(run);
    return rc;
}

int challenge_lint_solution(const LessonChallenge *ch, const char *path, StrBuf *out)
{
    char msg[IL_ERROR_MSG_MAX];
    int rc;
    if (ch->solution == NULL || ch->nlanes == 0) {
        return 0;
    }
    rc = challenge_check(ch, ch->solution, 30, msg, sizeof(msg));
    if (rc == CHALLENGE_REACHED) {
        return 0;
    }
    if (rc < 0) {
        strbuf_addf(out, "%s:%u: solution: cannot replay it: %s\n", path, ch->solution_line, msg);
    } else {
        const char *why = msg;
        if (strncmp(why, "not reached: ", 13) == 0) {
            why += 13;
        }
        strbuf_addf(out, "%s:%u: solution: does not reach the goal: %s\n", path, ch->solution_line,
                    why);
    }
    return 1;
}

int challenge_explore(const LessonChallenge *ch, unsigned preemptions, double timeout_s,
                      char *schedule, size_t slen, char *msg, size_t mlen)
{
    RunConfig rc;
    ExploreConfig cfg;
    Explore *ex;
    const ExploreResult *res;
    IlError err;
    int status = CHALLENGE_MISSED;

    schedule[0] = '\0';
    if (challenge_run_config(ch, &rc, 0, &err) < 0) {
        snprintf(msg, mlen, "%s", err.msg);
        return -IL_EUSAGE;
    }
    explore_config_init(&cfg, rc.demo);
    memcpy(cfg.params, rc.params, sizeof(cfg.params));
    cfg.preemptions = preemptions;
    cfg.limit = 20000;
    cfg.timeout_s = timeout_s;
    ex = explore_start(&cfg, &err);
    if (ex == NULL) {
        snprintf(msg, mlen, "%s", err.msg);
        return err.code < 0 ? err.code : -IL_EINTERNAL;
    }
    while (!explore_poll(ex, 100)) {
        /* the search runs in its sandbox */
    }
    res = explore_result(ex);
    if (res->failed) {
        snprintf(msg, mlen, "the explorer failed: %s", res->error);
        explore_free(ex);
        return -IL_EINTERNAL;
    }
    /* failing outcomes first: they are what puzzles ask for */
    for (int pass = 0; pass < 2 && status != CHALLENGE_REACHED; pass++) {
        for (uint32_t i = 0; i < res->noutcomes; i++) {
            const ExploreOutcome *o = &res->outcomes[i];
            char why[IL_ERROR_MSG_MAX];
            if (explore_outcome_failing(o) != (pass == 0) || o->schedule[0] == '(') {
                continue;
            }
            if (challenge_check(ch, o->schedule, 30, why, sizeof(why)) == CHALLENGE_REACHED) {
                snprintf(schedule, slen, "%s", o->schedule);
                snprintf(msg, mlen, "%s", why);
                status = CHALLENGE_REACHED;
                break;
            }
        }
    }
    if (status != CHALLENGE_REACHED) {
        snprintf(msg, mlen,
                 "no schedule within %u preemption%s reaches the goal: %llu schedules, %u "
                 "outcome%s, the search %s",
                 preemptions, preemptions == 1 ? "" : "s",
                 (unsigned long long)atomic_load(&((ExploreResult *)res)->schedules),
                 res->noutcomes, res->noutcomes == 1 ? "" : "s",
                 res->complete && !explore_timed_out(ex) ? "complete" : "incomplete");
    }
    explore_free(ex);
    return status;
}

int challenge_lint_reachable(const LessonChallenge *ch, const char *path, StrBuf *out)
{
    char sched[EXPLORE_SCHED_MAX], msg[IL_ERROR_MSG_MAX];
    int rc;

    if (ch->solution != NULL || ch->nlanes == 0) {
        return 0;
    }
    rc = challenge_explore(ch, EXPLORE_DEFAULT_PREEMPTIONS, 20, sched, sizeof(sched), msg,
                           sizeof(msg));
    if (rc == CHALLENGE_REACHED) {
        return 0;
    }
    strbuf_addf(out, "%s:%u: challenge '%s': %s\n", path, ch->line, ch->id != NULL ? ch->id : "?",
                msg);
    return 1;
}
