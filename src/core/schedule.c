/*
 * schedule.c - parsing and printing schedule strings (see schedule.h).
 *
 * Errors name the token by position and text, and say what was expected:
 *   "token 3 'A0': a step count must be 1..1000000000"
 *
 * A token is a lane name with an optional count or '*' ("A", "A3", "A*"),
 * or '~' and a lane name ("~B", a spurious wakeup).
 */
#include "config.h"

#include "core/schedule.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/vec.h"

#define LANE_LIMIT (26 + 26 * 26) /* names of one or two letters */

void lane_name(unsigned lane, char buf[LANE_NAME_MAX])
{
    if (lane < 26) {
        buf[0] = (char)('A' + lane);
        buf[1] = '\0';
    } else if (lane < LANE_LIMIT) {
        unsigned k = lane - 26;
        buf[0] = (char)('A' + k / 26);
        buf[1] = (char)('A' + k % 26);
        buf[2] = '\0';
    } else {
        buf[0] = '?';
        buf[1] = '\0';
    }
}

int lane_parse(const char *s, size_t len)
{
    int v[2];
    if (len < 1 || len > 2) {
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        if (!isalpha((unsigned char)s[i])) {
            return -1;
        }
        v[i] = toupper((unsigned char)s[i]) - 'A';
    }
    return len == 1 ? v[0] : 26 + v[0] * 26 + v[1];
}

void schedule_fini(Schedule *sched)
{
    free(sched->tok);
    sched->tok = NULL;
    sched->n = 0;
    sched->cap = 0;
}

int schedule_append(Schedule *sched, SchedToken tok)
{
    SchedToken *t = vec_grow(sched->tok, &sched->cap, sched->n + 1, sizeof(*t));
    if (t == NULL) {
        return -ENOMEM;
    }
    sched->tok = t;
    tok.pos = (uint32_t)sched->n + 1;
    sched->tok[sched->n++] = tok;
    return 0;
}

/* Longest part of a token a message quotes: a longer one is cut, with
 * "..." after it, so the message keeps its reason whatever the input. */
#define SCHEDULE_QUOTE_MAX 20

/* The token's text for a message: prefix, then s (len bytes) cut to
 * SCHEDULE_QUOTE_MAX bytes with "..." when longer. */
static const char *schedule_quote(char *buf, size_t n, const char *prefix, const char *s,
                                  size_t len)
{
    snprintf(buf, n, "%s%.*s%s", prefix, (int)(len > SCHEDULE_QUOTE_MAX ? SCHEDULE_QUOTE_MAX : len),
             s, len > SCHEDULE_QUOTE_MAX ? "..." : "");
    return buf;
}

static int schedule_token(const char *s, size_t len, unsigned pos, unsigned nlanes, SchedToken *tok,
                          IlError *err)
{
    size_t letters = 0;
    bool spurious = false;
    int lane;
    char q[SCHEDULE_QUOTE_MAX + 8];

    if (len > 0 && s[0] == '~') {
        /* "~B": a spurious wakeup of lane B; a lane name and nothing else */
        spurious = true;
        s++;
        len--;
    }
    while (letters < len && isalpha((unsigned char)s[letters])) {
        letters++;
    }
    if (spurious && (letters == 0 || letters != len)) {
        return il_error_set(err, -IL_EPARSE,
                            "token %u '%s': a spurious wakeup is '~' and a lane name (~B)", pos,
                            schedule_quote(q, sizeof(q), "~", s, len));
    }
    if (letters == 0) {
        return il_error_set(err, -IL_EPARSE,
                            "token %u '%s': expected a lane name (A, B, ...) first", pos,
                            schedule_quote(q, sizeof(q), "", s, len));
    }
    lane = lane_parse(s, letters);
    if (lane < 0) {
        return il_error_set(err, -IL_EPARSE, "token %u '%s': lane names are 1 or 2 letters", pos,
                            schedule_quote(q, sizeof(q), spurious ? "~" : "", s, len));
    }
    if (nlanes > 0 && (unsigned)lane >= nlanes) {
        char last[LANE_NAME_MAX];
        lane_name(nlanes - 1, last);
        return il_error_set(err, -IL_EPARSE, "token %u '%s': no such lane (this run has A..%s)",
                            pos, schedule_quote(q, sizeof(q), spurious ? "~" : "", s, len), last);
    }
    tok->lane = (uint16_t)lane;
    tok->kind = spurious ? TOK_SPURIOUS : TOK_STEPS;
    tok->count = spurious ? 0 : 1;
    if (letters == len) {
        return 0;
    }
    if (s[letters] == '*' && letters + 1 == len) {
        tok->kind = TOK_RUN;
        tok->count = 0;
        return 0;
    }
    {
        unsigned long long v = 0;
        for (size_t i = letters; i < len; i++) {
            if (!isdigit((unsigned char)s[i])) {
                return il_error_set(err, -IL_EPARSE,
                                    "token %u '%s': after the lane name, expected a step count "
                                    "or '*'",
                                    pos, schedule_quote(q, sizeof(q), "", s, len));
            }
            v = v * 10 + (unsigned)(s[i] - '0');
            if (v > SCHEDULE_MAX_COUNT) {
                break;
            }
        }
        if (v < 1 || v > SCHEDULE_MAX_COUNT) {
            return il_error_set(err, -IL_EPARSE, "token %u '%s': a step count must be 1..%u", pos,
                                schedule_quote(q, sizeof(q), "", s, len), SCHEDULE_MAX_COUNT);
        }
        tok->count = (uint32_t)v;
    }
    return 0;
}

int schedule_parse(const char *text, unsigned nlanes, Schedule *out, IlError *err)
{
    const char *p = text;
    unsigned pos = 0;
    Schedule s = {NULL, 0, 0};

    while (*p != '\0') {
        const char *start;
        SchedToken tok;
        int rc;

        while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        start = p;
        while (*p != '\0' && *p != ' ' && *p != ',' && *p != '\t' && *p != '\n' && *p != '\r') {
            p++;
        }
        pos++;
        rc = schedule_token(start, (size_t)(p - start), pos, nlanes, &tok, err);
        if (rc == 0) {
            rc = schedule_append(&s, tok);
            if (rc < 0) {
                il_error_set(err, rc, "out of memory parsing the schedule");
            }
        }
        if (rc < 0) {
            schedule_fini(&s);
            *out = s; /* the contract: on failure out is left empty */
            return rc;
        }
    }
    *out = s;
    return 0;
}

void schedule_token_format(const SchedToken *tok, char buf[16])
{
    char name[LANE_NAME_MAX];
    lane_name(tok->lane, name);
    if (tok->kind == TOK_RUN) {
        snprintf(buf, 16, "%s*", name);
    } else if (tok->kind == TOK_SPURIOUS) {
        snprintf(buf, 16, "~%s", name);
    } else if (tok->count == 1) {
        snprintf(buf, 16, "%s", name);
    } else {
        snprintf(buf, 16, "%s%u", name, tok->count);
    }
}

size_t schedule_format(const Schedule *sched, char *buf, size_t len)
{
    size_t need = 0;
    if (len > 0) {
        buf[0] = '\0';
    }
    for (size_t i = 0; i < sched->n; i++) {
        char t[16];
        schedule_token_format(&sched->tok[i], t);
        size_t tl = strlen(t) + (i > 0 ? 1 : 0);
        if (need + tl < len) {
            snprintf(buf + need, len - need, "%s%s", i > 0 ? " " : "", t);
        }
        need += tl;
    }
    return need;
}
