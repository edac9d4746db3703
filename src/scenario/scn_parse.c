/*
 * scn_parse.c - the scenario language's lexer, parser and checks (scn.h).
 *
 * Two passes over the text.  The lexer cuts it into tokens, one logical
 * line at a time, and turns indentation into INDENT and DEDENT tokens the
 * way Python's tokenizer does (spaces only: a tab is an error, because a
 * tab's width is a guess).  The parser is recursive descent over the
 * tokens, one function per rule of the grammar in
 * man/interleave-scenario.5; nesting is bounded (SCN_MAX_DEPTH) so that no
 * input can exhaust the stack.
 *
 * Names are resolved after each lane's body is parsed: as in a Python
 * function, a name the lane assigns anywhere is its local, so a loop may
 * read a local that a later line sets.  Every node is registered in the
 * program (prog->nodes), so a failure anywhere frees everything with
 * scn_free().
 */
#include "config.h"

#include "scenario/scn.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/vec.h"

/* ------------------------------------------------------------------ */
/* tokens                                                               */
/* ------------------------------------------------------------------ */

typedef enum TokKind {
    T_EOF = 0,
    T_NEWLINE,
    T_INDENT,
    T_DEDENT,
    T_NAME,
    T_INT,
    T_DEC, /* a number with a fraction: value is in thousandths */
    T_STR,
    T_OP /* operators and punctuation: text holds it */
} TokKind;

typedef struct Tok {
    TokKind kind;
    int line, col;
    int64_t value;
    const char *text; /* NAME, STR, OP: points into the parser's copy */
    size_t len;
} Tok;

typedef struct Parser {
    ScnProgram *prog;
    IlError *err;
    Tok *toks;
    size_t ntoks, cap, at;
    char *strs; /* unescaped string literals, NUL-separated */
    int depth;
    bool failed;
    ScnLane *lane; /* the lane being parsed, NULL at the top level */
    int loops;     /* loops around the statement being parsed */
} Parser;

static const char *const scn_kind_names[SCN_KIND_COUNT] = {
    [SCN_VAR] = "variable",    [SCN_ARRAY] = "array",          [SCN_LOCK] = "Lock",
    [SCN_RLOCK] = "RLock",     [SCN_COND] = "Condition",       [SCN_SEM] = "Semaphore",
    [SCN_BARRIER] = "Barrier", [SCN_LATCH] = "CountDownLatch", [SCN_EVENT] = "Event",
    [SCN_RWLOCK] = "RWLock",
};

const char *scn_kind_name(ScnKind k)
{
    return (unsigned)k < SCN_KIND_COUNT ? scn_kind_names[k] : "?";
}

static const char *const scn_method_names[SCN_M_COUNT] = {
    [SCN_M_ACQUIRE] = "acquire",
    [SCN_M_RELEASE] = "release",
    [SCN_M_TRY_ACQUIRE] = "try_acquire",
    [SCN_M_WAIT] = "wait",
    [SCN_M_NOTIFY] = "notify",
    [SCN_M_NOTIFY_ALL] = "notify_all",
    [SCN_M_COUNT_DOWN] = "count_down",
    [SCN_M_SET] = "set",
    [SCN_M_CLEAR] = "clear",
    [SCN_M_IS_SET] = "is_set",
    [SCN_M_ACQUIRE_READ] = "acquire_read",
    [SCN_M_RELEASE_READ] = "release_read",
    [SCN_M_ACQUIRE_WRITE] = "acquire_write",
    [SCN_M_RELEASE_WRITE] = "release_write",
    [SCN_F_ATOMIC_ADD] = "atomic_add",
    [SCN_F_CAS] = "cas",
};

const char *scn_method_name(ScnMethod m)
{
    return (unsigned)m < SCN_M_COUNT ? scn_method_names[m] : "?";
}

/* Which methods each kind has (a bit per ScnMethod). */
#define M(x) (1u << (x))
static const unsigned scn_kind_methods[SCN_KIND_COUNT] = {
    [SCN_LOCK] = M(SCN_M_ACQUIRE) | M(SCN_M_RELEASE) | M(SCN_M_TRY_ACQUIRE),
    [SCN_RLOCK] = M(SCN_M_ACQUIRE) | M(SCN_M_RELEASE) | M(SCN_M_TRY_ACQUIRE),
    [SCN_COND] =
        M(SCN_M_WAIT) | M(SCN_M_NOTIFY) | M(SCN_M_NOTIFY_ALL) | M(SCN_M_ACQUIRE) | M(SCN_M_RELEASE),
    [SCN_SEM] = M(SCN_M_ACQUIRE) | M(SCN_M_RELEASE) | M(SCN_M_TRY_ACQUIRE),
    [SCN_BARRIER] = M(SCN_M_WAIT),
    [SCN_LATCH] = M(SCN_M_COUNT_DOWN) | M(SCN_M_WAIT),
    [SCN_EVENT] = M(SCN_M_SET) | M(SCN_M_CLEAR) | M(SCN_M_WAIT) | M(SCN_M_IS_SET),
    [SCN_RWLOCK] = M(SCN_M_ACQUIRE_READ) | M(SCN_M_RELEASE_READ) | M(SCN_M_ACQUIRE_WRITE) |
                   M(SCN_M_RELEASE_WRITE),
};
#undef M

static const char *const scn_keywords[] = {
    "if",   "elif",     "else",   "while",  "for",
    "in",   "range",    "break",  "pass",   "assert",
    "lane", "param",    "memory", "expect", "critical_section",
    "with", "continue", "True",   "False",  "and",
    "or",   "not",      "as",     NULL,
};

static bool scn_is_keyword(const char *s, size_t len)
{
    for (size_t i = 0; scn_keywords[i] != NULL; i++) {
        if (strlen(scn_keywords[i]) == len && memcmp(scn_keywords[i], s, len) == 0) {
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* errors and nodes                                                     */
/* ------------------------------------------------------------------ */

static void ATTR_FORMAT(printf, 4, 5) scn_fail(Parser *p, int line, int col, const char *fmt, ...)
{
    char what[400];
    va_list ap;

    if (p->failed) {
        return; /* the first error is the one that counts */
    }
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    p->failed = true;
    il_error_set(p->err, -IL_EPARSE, "%.80s:%d:%d: %s", p->prog->path, line + p->prog->line_base,
                 col, what);
}

static void scn_oom(Parser *p)
{
    if (!p->failed) {
        p->failed = true;
        il_error_set(p->err, -ENOMEM, "%.80s: out of memory", p->prog->path);
    }
}

/* Remember ptr as owned by prog; on failure free it and return NULL. */
static void *scn_own(ScnProgram *prog, void *ptr)
{
    void **n;
    if (ptr == NULL) {
        return NULL;
    }
    n = vec_grow(prog->nodes, &prog->nodes_cap, prog->nnodes + 1, sizeof(*prog->nodes));
    if (n == NULL) {
        free(ptr);
        return NULL;
    }
    prog->nodes = n;
    prog->nodes[prog->nnodes++] = ptr;
    return ptr;
}

static void *scn_new(Parser *p, size_t size)
{
    void *v = scn_own(p->prog, calloc(1, size));
    if (v == NULL) {
        scn_oom(p);
    }
    return v;
}

static char *scn_strndup(Parser *p, const char *s, size_t len)
{
    char *c = scn_new(p, len + 1);
    if (c != NULL) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

static bool scn_block_add(Parser *p, ScnBlock *b, ScnStmt *s)
{
    ScnStmt **n = vec_grow(b->s, &b->cap, b->n + 1, sizeof(*b->s));
    if (n == NULL) {
        scn_oom(p);
        return false;
    }
    if (b->s == NULL || n != b->s) {
        /* the old array is registered: keep the new one registered instead */
        for (size_t i = 0; i < p->prog->nnodes; i++) {
            if (p->prog->nodes[i] == b->s) {
                p->prog->nodes[i] = n;
                break;
            }
        }
        if (b->s == NULL && scn_own(p->prog, n) == NULL) {
            scn_oom(p);
            return false;
        }
    }
    b->s = n;
    b->s[b->n++] = s;
    return true;
}

/* ------------------------------------------------------------------ */
/* lexer                                                                */
/* ------------------------------------------------------------------ */

static bool scn_push(Parser *p, TokKind kind, int line, int col, const char *text, size_t len,
                     int64_t value)
{
    Tok *t = vec_grow(p->toks, &p->cap, p->ntoks + 1, sizeof(*p->toks));
    if (t == NULL) {
        scn_oom(p);
        return false;
    }
    p->toks = t;
    p->toks[p->ntoks++] = (Tok){kind, line, col, value, text, len};
    return true;
}

static const char *const scn_ops[] = {"==", "!=", "<=", ">=", "//", "..", "<", ">", "+", "-", "*",
                                      "%",  "(",  ")",  "[",  "]",  ",",  ":", "=", ".", NULL};

/* A number: digits, or digits '.' digits (kept in thousandths).  Sets
 * *end.  Returns false (with an error) when it does not fit. */
static bool scn_lex_number(Parser *p, const char *s, size_t i, size_t n, int line, int col,
                           size_t *end)
{
    int64_t v = 0;
    size_t j = i;
    while (j < n && isdigit((unsigned char)s[j])) {
        int d = s[j] - '0';
        if (v > (INT64_MAX - d) / 10) {
            scn_fail(p, line, col, "number too large (at most %lld)", (long long)INT64_MAX);
            return false;
        }
        v = v * 10 + d;
        j++;
    }
    if (j + 1 < n && s[j] == '.' && isdigit((unsigned char)s[j + 1])) {
        int64_t milli = 0, scale = 100;
        j++;
        while (j < n && isdigit((unsigned char)s[j])) {
            milli += (s[j] - '0') * scale;
            scale /= 10;
            j++;
        }
        if (v > INT64_MAX / 1000 - 1) {
            scn_fail(p, line, col, "number too large");
            return false;
        }
        *end = j;
        return scn_push(p, T_DEC, line, col, s + i, j - i, v * 1000 + milli);
    }
    if (j < n && (isalpha((unsigned char)s[j]) || s[j] == '_')) {
        scn_fail(p, line, col, "expected a number, got '%.*s'", (int)(j + 1 - i), s + i);
        return false;
    }
    *end = j;
    return scn_push(p, T_INT, line, col, s + i, j - i, v);
}

static bool scn_lex(Parser *p, const char *s, size_t n)
{
    int indents[SCN_MAX_DEPTH + 2];
    int nind = 1, line = 0;
    size_t i = 0;

    indents[0] = 0;
    while (i < n && !p->failed) {
        size_t start = i, eol = i;
        int ind = 0;
        line++;
        while (eol < n && s[eol] != '\n') {
            eol++;
        }
        /* the indentation */
        while (i < eol && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) {
            if (s[i] == '\t') {
                scn_fail(p, line, (int)(i - start) + 1,
                         "a tab in the indentation: indent with spaces");
                return false;
            }
            ind += s[i] == ' ';
            i++;
        }
        if (i == eol || s[i] == '#') {
            i = eol + 1; /* blank or comment: no tokens, no indentation change */
            continue;
        }
        if (ind > indents[nind - 1]) {
            if (nind > SCN_MAX_DEPTH) {
                scn_fail(p, line, ind + 1, "blocks nested too deeply (at most %d)", SCN_MAX_DEPTH);
                return false;
            }
            indents[nind++] = ind;
            scn_push(p, T_INDENT, line, ind + 1, NULL, 0, 0);
        } else {
            while (ind < indents[nind - 1]) {
                nind--;
                scn_push(p, T_DEDENT, line, ind + 1, NULL, 0, 0);
            }
            if (ind != indents[nind - 1]) {
                scn_fail(p, line, ind + 1,
                         "this indentation (%d spaces) matches no enclosing block", ind);
                return false;
            }
        }
        while (i < eol && !p->failed) {
            int col = (int)(i - start) + 1;
            char c = s[i];
            if (c == ' ' || c == '\r' || c == '\t') {
                i++;
            } else if (c == '#') {
                i = eol;
            } else if (isalpha((unsigned char)c) || c == '_') {
                size_t j = i;
                while (j < eol && (isalnum((unsigned char)s[j]) || s[j] == '_')) {
                    j++;
                }
                if (j - i > 64) {
                    scn_fail(p, line, col, "a name longer than 64 characters");
                    return false;
                }
                scn_push(p, T_NAME, line, col, s + i, j - i, 0);
                i = j;
            } else if (isdigit((unsigned char)c)) {
                size_t j;
                if (!scn_lex_number(p, s, i, eol, line, col, &j)) {
                    return false;
                }
                i = j;
            } else if (c == '"' || c == '\'') {
                size_t j = i + 1;
                while (j < eol && s[j] != c) {
                    if (s[j] == '\\') {
                        scn_fail(p, line, (int)(j - start) + 1,
                                 "a backslash in a string (escapes are not supported)");
                        return false;
                    }
                    j++;
                }
                if (j >= eol) {
                    scn_fail(p, line, col, "expected the closing %c of this string", c);
                    return false;
                }
                scn_push(p, T_STR, line, col, s + i + 1, j - i - 1, 0);
                i = j + 1;
            } else {
                size_t k;
                for (k = 0; scn_ops[k] != NULL; k++) {
                    size_t l = strlen(scn_ops[k]);
                    if (i + l <= eol && memcmp(s + i, scn_ops[k], l) == 0) {
                        scn_push(p, T_OP, line, col, scn_ops[k], l, 0);
                        i += l;
                        break;
                    }
                }
                if (scn_ops[k] == NULL) {
                    if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f) {
                        scn_fail(p, line, col, "unexpected byte 0x%02x", (unsigned char)c);
                    } else {
                        scn_fail(p, line, col, "unexpected character '%c'", c);
                    }
                    return false;
                }
            }
        }
        scn_push(p, T_NEWLINE, line, (int)(eol - start) + 1, NULL, 0, 0);
        i = eol + 1;
    }
    while (nind > 1) {
        nind--;
        scn_push(p, T_DEDENT, line + 1, 1, NULL, 0, 0);
    }
    scn_push(p, T_EOF, line + 1, 1, NULL, 0, 0);
    return !p->failed;
}

/* ------------------------------------------------------------------ */
/* token helpers                                                        */
/* ------------------------------------------------------------------ */

static const Tok *scn_peek(Parser *p)
{
    return &p->toks[p->at];
}

static const Tok *scn_peek2(Parser *p)
{
    return &p->toks[p->at + 1 < p->ntoks ? p->at + 1 : p->at];
}

static const Tok *scn_next(Parser *p)
{
    const Tok *t = &p->toks[p->at];
    if (t->kind != T_EOF) {
        p->at++;
    }
    return t;
}

static bool scn_is_op(const Tok *t, const char *op)
{
    return t->kind == T_OP && t->len == strlen(op) && memcmp(t->text, op, t->len) == 0;
}

static bool scn_is_word(const Tok *t, const char *w)
{
    return t->kind == T_NAME && t->len == strlen(w) && memcmp(t->text, w, t->len) == 0;
}

/* How a token reads in a message: "'foo'", "the end of the line". */
static void scn_describe(const Tok *t, char *buf, size_t len)
{
    switch (t->kind) {
    case T_EOF:
        snprintf(buf, len, "the end of the file");
        break;
    case T_NEWLINE:
        snprintf(buf, len, "the end of the line");
        break;
    case T_INDENT:
        snprintf(buf, len, "an indented line");
        break;
    case T_DEDENT:
        snprintf(buf, len, "the end of the block");
        break;
    case T_STR:
        snprintf(buf, len, "a string");
        break;
    default:
        snprintf(buf, len, "'%.*s'", (int)(t->len < 40 ? t->len : 40), t->text);
        break;
    }
}

static void scn_expected(Parser *p, const char *what)
{
    const Tok *t = scn_peek(p);
    char got[64];
    scn_describe(t, got, sizeof(got));
    scn_fail(p, t->line, t->col, "expected %s, got %s", what, got);
}

static bool scn_expect_op(Parser *p, const char *op, const char *what)
{
    if (!scn_is_op(scn_peek(p), op)) {
        scn_expected(p, what);
        return false;
    }
    scn_next(p);
    return true;
}

static bool scn_expect_newline(Parser *p)
{
    if (scn_peek(p)->kind != T_NEWLINE) {
        scn_expected(p, "the end of the line");
        return false;
    }
    scn_next(p);
    return true;
}

/* ------------------------------------------------------------------ */
/* expressions                                                          */
/* ------------------------------------------------------------------ */

static ScnExpr *scn_expr(Parser *p);

static ScnExpr *scn_enew(Parser *p, ScnExprKind kind, const Tok *at)
{
    ScnExpr *e = scn_new(p, sizeof(*e));
    if (e != NULL) {
        e->kind = kind;
        e->line = at->line;
        e->col = at->col;
        e->index = -1;
        e->timeout_ms = -1;
    }
    return e;
}

static ScnExpr *scn_binary(Parser *p, const Tok *at, ScnOp op, ScnExpr *a, ScnExpr *b)
{
    ScnExpr *e;
    if (a == NULL || b == NULL) {
        return NULL;
    }
    e = scn_enew(p, op == SCN_OP_NEG || op == SCN_OP_NOT ? SCN_E_UNARY : SCN_E_BINARY, at);
    if (e == NULL) {
        return NULL;
    }
    e->op = op;
    e->a = a;
    e->b = op == SCN_OP_NEG || op == SCN_OP_NOT ? NULL : b;
    e->has_op = true;
    e->has_step = a->has_step || (e->b != NULL && e->b->has_step);
    return e;
}

static int scn_find_shared(const ScnProgram *prog, const char *name)
{
    for (size_t i = 0; i < prog->nshared; i++) {
        if (strcmp(prog->shared[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int scn_find_param(const ScnProgram *prog, const char *name)
{
    for (size_t i = 0; i < prog->nparams; i++) {
        if (strcmp(prog->params[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* A place an atomic works on: a shared variable or an array element. */
static ScnExpr *scn_place(Parser *p)
{
    const Tok *t = scn_peek(p);
    ScnExpr *e;
    int sh;
    char *name;

    if (t->kind != T_NAME) {
        scn_expected(p, "a shared variable");
        return NULL;
    }
    name = scn_strndup(p, t->text, t->len);
    if (name == NULL) {
        return NULL;
    }
    sh = scn_find_shared(p->prog, name);
    if (sh < 0 || (p->prog->shared[sh].kind != SCN_VAR && p->prog->shared[sh].kind != SCN_ARRAY)) {
        scn_fail(p, t->line, t->col, "expected a shared variable, got '%s'", name);
        return NULL;
    }
    scn_next(p);
    e = scn_enew(p, p->prog->shared[sh].kind == SCN_VAR ? SCN_E_SHARED : SCN_E_ELEM, t);
    if (e == NULL) {
        return NULL;
    }
    e->index = sh;
    if (e->kind == SCN_E_ELEM) {
        if (!scn_expect_op(p, "[", "'[' (an array's element: flags[i])")) {
            return NULL;
        }
        e->a = scn_expr(p);
        if (e->a == NULL || !scn_expect_op(p, "]", "']'")) {
            return NULL;
        }
        e->has_step = e->a->has_step;
    }
    return e;
}

/* The arguments of a method call, after '('. */
static bool scn_method_args(Parser *p, ScnExpr *e, ScnKind kind)
{
    if (e->method == SCN_M_ACQUIRE && (kind == SCN_LOCK || kind == SCN_RLOCK || kind == SCN_SEM) &&
        scn_peek(p)->kind == T_NAME) {
        const Tok *k = scn_next(p);
        if (!scn_expect_op(p, "=", "'='")) {
            return false;
        }
        if (scn_is_word(k, "timeout") && kind == SCN_LOCK) {
            const Tok *v = scn_next(p);
            if (v->kind == T_INT && v->value <= 3600) {
                e->timeout_ms = v->value * 1000;
            } else if (v->kind == T_DEC && v->value <= 3600000) {
                e->timeout_ms = v->value;
            } else {
                scn_fail(p, v->line, v->col, "expected a timeout in seconds (0.001 .. 3600)");
                return false;
            }
        } else if (scn_is_word(k, "blocking")) {
            const Tok *v = scn_next(p);
            if (scn_is_word(v, "False")) {
                e->nonblocking = true;
            } else if (!scn_is_word(v, "True")) {
                scn_fail(p, v->line, v->col, "expected True or False");
                return false;
            }
        } else {
            scn_fail(p, k->line, k->col, "expected %s, got '%.*s'",
                     kind == SCN_LOCK ? "timeout= or blocking=" : "blocking=", (int)k->len,
                     k->text);
            return false;
        }
    }
    return scn_expect_op(p, ")", "')'");
}

static ScnExpr *scn_call(Parser *p, const Tok *at, const char *name)
{
    ScnExpr *e = scn_enew(p, SCN_E_CALL, at);
    const Tok *m;
    int sh;
    ScnKind kind;
    size_t k;

    if (e == NULL) {
        return NULL;
    }
    e->has_step = true;
    if (strcmp(name, "atomic_add") == 0 || strcmp(name, "cas") == 0) {
        e->method = name[0] == 'a' ? SCN_F_ATOMIC_ADD : SCN_F_CAS;
        scn_next(p); /* '(' */
        e->a = scn_place(p);
        if (e->a == NULL || !scn_expect_op(p, ",", "','")) {
            return NULL;
        }
        e->b = scn_expr(p);
        if (e->b == NULL) {
            return NULL;
        }
        if (e->method == SCN_F_CAS) {
            if (!scn_expect_op(p, ",", "',' and the new value")) {
                return NULL;
            }
            e->c = scn_expr(p);
            if (e->c == NULL) {
                return NULL;
            }
        }
        return scn_expect_op(p, ")", "')'") ? e : NULL;
    }
    sh = scn_find_shared(p->prog, name);
    if (sh < 0) {
        scn_fail(p, at->line, at->col, "unknown name '%s' (declare it at the top: %s = Lock())",
                 name, name);
        return NULL;
    }
    kind = p->prog->shared[sh].kind;
    scn_next(p); /* '.' */
    m = scn_next(p);
    if (m->kind != T_NAME) {
        scn_fail(p, m->line, m->col, "expected a method of %s after '.'", name);
        return NULL;
    }
    for (k = 0; k < SCN_F_ATOMIC_ADD; k++) {
        if (scn_is_word(m, scn_method_names[k])) {
            break;
        }
    }
    if (k == SCN_F_ATOMIC_ADD || (scn_kind_methods[kind] & (1u << k)) == 0) {
        char list[200] = "";
        size_t at2 = 0;
        for (unsigned j = 0; j < SCN_F_ATOMIC_ADD; j++) {
            if (scn_kind_methods[kind] & (1u << j)) {
                at2 += (size_t)snprintf(list + at2, sizeof(list) - at2, "%s%s", at2 > 0 ? ", " : "",
                                        scn_method_names[j]);
            }
        }
        if (list[0] == '\0') {
            scn_fail(p, m->line, m->col, "%s is a shared %s: it has no methods", name,
                     scn_kind_name(kind));
        } else {
            scn_fail(p, m->line, m->col, "%s is a %s: its methods are %s, got '%.*s'", name,
                     scn_kind_name(kind), list, (int)m->len, m->text);
        }
        return NULL;
    }
    e->method = (ScnMethod)k;
    e->index = sh;
    if (!scn_expect_op(p, "(", "'(' (a call: name.method())")) {
        return NULL;
    }
    return scn_method_args(p, e, kind) ? e : NULL;
}

static ScnExpr *scn_primary(Parser *p)
{
    const Tok *t = scn_peek(p);
    ScnExpr *e;
    char *name;

    if (t->kind == T_INT) {
        scn_next(p);
        e = scn_enew(p, SCN_E_INT, t);
        if (e != NULL) {
            e->value = t->value;
        }
        return e;
    }
    if (scn_is_op(t, "(")) {
        scn_next(p);
        e = scn_expr(p);
        if (e == NULL || !scn_expect_op(p, ")", "')'")) {
            return NULL;
        }
        return e;
    }
    if (scn_is_word(t, "True") || scn_is_word(t, "False")) {
        scn_next(p);
        e = scn_enew(p, SCN_E_INT, t);
        if (e != NULL) {
            e->value = t->text[0] == 'T';
        }
        return e;
    }
    if (t->kind == T_DEC) {
        scn_fail(p, t->line, t->col, "values are whole numbers, got '%.*s'", (int)t->len, t->text);
        return NULL;
    }
    if (t->kind != T_NAME || scn_is_keyword(t->text, t->len)) {
        scn_expected(p, "a value (a number, a name, a call, or '(')");
        return NULL;
    }
    name = scn_strndup(p, t->text, t->len);
    if (name == NULL) {
        return NULL;
    }
    if (scn_is_op(scn_peek2(p), ".") ||
        ((strcmp(name, "atomic_add") == 0 || strcmp(name, "cas") == 0) &&
         scn_is_op(scn_peek2(p), "("))) {
        scn_next(p);
        return scn_call(p, t, name);
    }
    scn_next(p);
    e = scn_enew(p, SCN_E_LOCAL, t); /* resolved later */
    if (e == NULL) {
        return NULL;
    }
    e->name = name;
    if (scn_is_op(scn_peek(p), "[")) {
        scn_next(p);
        e->kind = SCN_E_ELEM;
        e->a = scn_expr(p);
        if (e->a == NULL || !scn_expect_op(p, "]", "']'")) {
            return NULL;
        }
    }
    return e;
}

static ScnExpr *scn_unary(Parser *p)
{
    const Tok *t = scn_peek(p);
    if (scn_is_op(t, "-")) {
        ScnExpr *a;
        scn_next(p);
        if (++p->depth > SCN_MAX_DEPTH) {
            scn_fail(p, t->line, t->col, "expression nested too deeply");
            return NULL;
        }
        a = scn_unary(p);
        p->depth--;
        if (a != NULL && a->kind == SCN_E_INT && a->value != INT64_MIN) {
            a->value = -a->value; /* a literal: fold it */
            return a;
        }
        return scn_binary(p, t, SCN_OP_NEG, a, a);
    }
    return scn_primary(p);
}

static ScnExpr *scn_term(Parser *p)
{
    ScnExpr *e = scn_unary(p);
    for (;;) {
        const Tok *t = scn_peek(p);
        ScnOp op;
        if (scn_is_op(t, "*")) {
            op = SCN_OP_MUL;
        } else if (scn_is_op(t, "//")) {
            op = SCN_OP_DIV;
        } else if (scn_is_op(t, "%")) {
            op = SCN_OP_MOD;
        } else {
            return e;
        }
        if (e == NULL) {
            return NULL;
        }
        scn_next(p);
        e = scn_binary(p, t, op, e, scn_unary(p));
    }
}

static ScnExpr *scn_arith(Parser *p)
{
    ScnExpr *e = scn_term(p);
    for (;;) {
        const Tok *t = scn_peek(p);
        ScnOp op;
        if (scn_is_op(t, "+")) {
            op = SCN_OP_ADD;
        } else if (scn_is_op(t, "-")) {
            op = SCN_OP_SUB;
        } else {
            return e;
        }
        if (e == NULL) {
            return NULL;
        }
        scn_next(p);
        e = scn_binary(p, t, op, e, scn_term(p));
    }
}

static ScnExpr *scn_compare(Parser *p)
{
    static const struct {
        const char *text;
        ScnOp op;
    } ops[] = {{"==", SCN_OP_EQ}, {"!=", SCN_OP_NE}, {"<=", SCN_OP_LE},
               {">=", SCN_OP_GE}, {"<", SCN_OP_LT},  {">", SCN_OP_GT}};
    ScnExpr *e = scn_arith(p);
    const Tok *t = scn_peek(p);

    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        if (scn_is_op(t, ops[i].text)) {
            scn_next(p);
            e = scn_binary(p, t, ops[i].op, e, scn_arith(p));
            t = scn_peek(p);
            for (size_t j = 0; j < ARRAY_SIZE(ops) && e != NULL; j++) {
                if (scn_is_op(t, ops[j].text)) {
                    scn_fail(p, t->line, t->col,
                             "chained comparisons are not supported: write a < b and b < c");
                    return NULL;
                }
            }
            return e;
        }
    }
    if (scn_is_op(t, "=") && e != NULL) {
        scn_fail(p, t->line, t->col, "expected '==' to compare ('=' assigns)");
        return NULL;
    }
    return e;
}

static ScnExpr *scn_not(Parser *p)
{
    const Tok *t = scn_peek(p);
    if (scn_is_word(t, "not")) {
        ScnExpr *a;
        scn_next(p);
        if (++p->depth > SCN_MAX_DEPTH) {
            scn_fail(p, t->line, t->col, "expression nested too deeply");
            return NULL;
        }
        a = scn_not(p);
        p->depth--;
        return scn_binary(p, t, SCN_OP_NOT, a, a);
    }
    return scn_compare(p);
}

static ScnExpr *scn_and(Parser *p)
{
    ScnExpr *e = scn_not(p);
    while (e != NULL && scn_is_word(scn_peek(p), "and")) {
        const Tok *t = scn_next(p);
        e = scn_binary(p, t, SCN_OP_AND, e, scn_not(p));
    }
    return e;
}

static ScnExpr *scn_expr(Parser *p)
{
    const Tok *t = scn_peek(p);
    ScnExpr *e;

    if (++p->depth > SCN_MAX_DEPTH) {
        scn_fail(p, t->line, t->col, "expression nested too deeply");
        return NULL;
    }
    e = scn_and(p);
    while (e != NULL && scn_is_word(scn_peek(p), "or")) {
        const Tok *o = scn_next(p);
        e = scn_binary(p, o, SCN_OP_OR, e, scn_and(p));
    }
    p->depth--;
    return p->failed ? NULL : e;
}

/* The source text of the tokens [from, p->at) on one line, for messages
 * and labels ("counter + 1"). */
static char *scn_text(Parser *p, size_t from)
{
    const Tok *a = &p->toks[from];
    const Tok *b = &p->toks[p->at > from ? p->at - 1 : from];
    const char *line;
    size_t start, end;

    if (a->line < 1 || (size_t)a->line > p->prog->nlines || b->line != a->line) {
        return scn_strndup(p, "", 0);
    }
    line = p->prog->lines[a->line - 1];
    start = (size_t)a->col - 1;
    end = (size_t)b->col - 1 + (b->kind == T_STR ? b->len + 2 : b->len);
    if (end > strlen(line) || start > end) {
        return scn_strndup(p, "", 0);
    }
    return scn_strndup(p, line + start, end - start);
}

/* ------------------------------------------------------------------ */
/* name resolution                                                      */
/* ------------------------------------------------------------------ */

static int scn_local_find(const ScnLane *l, const char *name)
{
    for (size_t i = 0; i < l->nlocals; i++) {
        if (strcmp(l->locals[i], name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int scn_local_add(Parser *p, ScnLane *l, char *name)
{
    int at = scn_local_find(l, name);
    char **n;
    if (at >= 0) {
        return at;
    }
    if (l->nlocals >= SCN_MAX_LOCALS) {
        scn_fail(p, l->line, 1, "lane %s has more than %d locals", l->name, SCN_MAX_LOCALS);
        return -1;
    }
    n = vec_grow(l->locals, &l->cap, l->nlocals + 1, sizeof(*l->locals));
    if (n == NULL) {
        scn_oom(p);
        return -1;
    }
    if (n != l->locals) {
        bool found = false;
        for (size_t i = 0; i < p->prog->nnodes && l->locals != NULL; i++) {
            if (p->prog->nodes[i] == l->locals) {
                p->prog->nodes[i] = n;
                found = true;
                break;
            }
        }
        if (!found && scn_own(p->prog, n) == NULL) {
            scn_oom(p);
            return -1;
        }
    }
    l->locals = n;
    l->locals[l->nlocals] = name;
    return (int)l->nlocals++;
}

/* Resolve the names in e.  lane NULL: the top level (params, and shared
 * variables when shared_ok). */
static void scn_resolve(Parser *p, ScnExpr *e, ScnLane *lane, bool shared_ok)
{
    int idx;
    if (e == NULL || p->failed) {
        return;
    }
    scn_resolve(p, e->a, lane, shared_ok);
    scn_resolve(p, e->b, lane, shared_ok);
    scn_resolve(p, e->c, lane, shared_ok);
    if (e->name == NULL || (e->kind != SCN_E_LOCAL && e->kind != SCN_E_ELEM)) {
        if (e->kind == SCN_E_BINARY || e->kind == SCN_E_UNARY) {
            e->has_step = e->a->has_step || (e->b != NULL && e->b->has_step);
        } else if (e->kind == SCN_E_CALL && !shared_ok) {
            scn_fail(p, e->line, e->col, "a call cannot stand here (only in a lane)");
        }
        return;
    }
    if (e->kind == SCN_E_ELEM) {
        idx = scn_find_shared(p->prog, e->name);
        if (idx < 0 || p->prog->shared[idx].kind != SCN_ARRAY) {
            scn_fail(p, e->line, e->col, "'%s' is not a shared array", e->name);
            return;
        }
        if (!shared_ok) {
            scn_fail(p, e->line, e->col, "expected a constant (numbers and params), got '%s'",
                     e->name);
            return;
        }
        e->index = idx;
        e->has_step = lane != NULL;
        return;
    }
    if ((idx = scn_find_param(p->prog, e->name)) >= 0) {
        e->kind = SCN_E_PARAM;
        e->index = idx;
        return;
    }
    if ((idx = scn_find_shared(p->prog, e->name)) >= 0) {
        ScnKind k = p->prog->shared[idx].kind;
        if (k == SCN_ARRAY) {
            scn_fail(p, e->line, e->col, "'%s' is an array: read an element, %s[i]", e->name,
                     e->name);
        } else if (k != SCN_VAR) {
            scn_fail(p, e->line, e->col, "'%s' is a %s, not a value: call its methods", e->name,
                     scn_kind_name(k));
        } else if (!shared_ok) {
            scn_fail(p, e->line, e->col, "expected a constant (numbers and params), got '%s'",
                     e->name);
        } else {
            e->kind = SCN_E_SHARED;
            e->index = idx;
            e->has_step = lane != NULL;
        }
        return;
    }
    if (lane != NULL && (idx = scn_local_find(lane, e->name)) >= 0) {
        e->index = idx;
        return;
    }
    if (lane != NULL) {
        scn_fail(p, e->line, e->col,
                 "unknown name '%s' (not a param, a shared variable, or a local this lane "
                 "assigns)",
                 e->name);
    } else if (shared_ok) {
        scn_fail(p, e->line, e->col, "unknown name '%s' (not a param or a shared variable)",
                 e->name);
    } else {
        scn_fail(p, e->line, e->col, "expected a constant (numbers and params), got '%s'", e->name);
    }
}

/* Collect the locals a block assigns, then resolve its expressions. */
static void scn_collect_locals(Parser *p, ScnLane *l, ScnBlock *b)
{
    for (size_t i = 0; i < b->n && !p->failed; i++) {
        ScnStmt *s = b->s[i];
        if (s->kind == SCN_S_ASSIGN && s->target->kind == SCN_E_LOCAL) {
            const char *n = s->target->name;
            int sh = scn_find_shared(p->prog, n);
            if (scn_find_param(p->prog, n) >= 0) {
                scn_fail(p, s->target->line, s->target->col,
                         "'%s' is a param: it cannot be assigned", n);
                return;
            }
            if (sh >= 0 && p->prog->shared[sh].kind == SCN_ARRAY) {
                scn_fail(p, s->target->line, s->target->col,
                         "'%s' is an array: assign an element, %s[i] = ...", n, n);
                return;
            }
            if (sh >= 0 && p->prog->shared[sh].kind != SCN_VAR) {
                scn_fail(p, s->target->line, s->target->col, "'%s' is a %s: it cannot be assigned",
                         n, scn_kind_name(p->prog->shared[sh].kind));
                return;
            }
            if (sh < 0 && scn_local_add(p, l, s->target->name) < 0) {
                return;
            }
        }
        if (s->kind == SCN_S_FOR && scn_local_add(p, l, s->name) < 0) {
            return;
        }
        scn_collect_locals(p, l, &s->body);
        scn_collect_locals(p, l, &s->orelse);
    }
}

static void scn_resolve_block(Parser *p, ScnLane *l, ScnBlock *b)
{
    for (size_t i = 0; i < b->n && !p->failed; i++) {
        ScnStmt *s = b->s[i];
        scn_resolve(p, s->target, l, true);
        scn_resolve(p, s->e, l, true);
        if (s->kind == SCN_S_FOR) {
            s->index = scn_local_find(l, s->name);
        }
        scn_resolve_block(p, l, &s->body);
        scn_resolve_block(p, l, &s->orelse);
    }
}

/* ------------------------------------------------------------------ */
/* statements                                                           */
/* ------------------------------------------------------------------ */

static bool scn_block(Parser *p, ScnBlock *out);

static ScnStmt *scn_snew(Parser *p, ScnStmtKind kind, const Tok *at)
{
    ScnStmt *s = scn_new(p, sizeof(*s));
    if (s != NULL) {
        s->kind = kind;
        s->line = at->line;
        s->col = at->col;
        s->index = -1;
        s->id = p->prog->nstmts++;
    }
    return s;
}

/* ':' NEWLINE and an indented block. */
static bool scn_colon_block(Parser *p, ScnBlock *out)
{
    if (!scn_expect_op(p, ":", "':'")) {
        return false;
    }
    if (scn_peek(p)->kind != T_NEWLINE) {
        scn_expected(p, "the end of the line after ':' (the block goes on the next lines)");
        return false;
    }
    scn_next(p);
    if (scn_peek(p)->kind != T_INDENT) {
        scn_expected(p, "an indented block");
        return false;
    }
    return scn_block(p, out);
}

static ScnStmt *scn_stmt(Parser *p);

static ScnStmt *scn_if(Parser *p, const Tok *t)
{
    ScnStmt *s = scn_snew(p, SCN_S_IF, t);
    if (s == NULL) {
        return NULL;
    }
    s->e = scn_expr(p);
    if (s->e == NULL || !scn_colon_block(p, &s->body)) {
        return NULL;
    }
    if (scn_is_word(scn_peek(p), "elif")) {
        const Tok *e = scn_next(p);
        ScnStmt *inner;
        if (++p->depth > SCN_MAX_DEPTH) {
            scn_fail(p, e->line, e->col, "too many elif");
            return NULL;
        }
        inner = scn_if(p, e);
        p->depth--;
        if (inner == NULL || !scn_block_add(p, &s->orelse, inner)) {
            return NULL;
        }
    } else if (scn_is_word(scn_peek(p), "else")) {
        scn_next(p);
        if (!scn_colon_block(p, &s->orelse)) {
            return NULL;
        }
    }
    return s;
}

static ScnStmt *scn_stmt(Parser *p)
{
    const Tok *t = scn_peek(p);
    ScnStmt *s;
    size_t from;

    if (t->kind != T_NAME) {
        if (t->kind == T_INDENT) {
            scn_fail(p, t->line, t->col, "unexpected indentation");
        } else {
            scn_expected(p, "a statement");
        }
        return NULL;
    }
    if (scn_is_word(t, "pass") || scn_is_word(t, "break") || scn_is_word(t, "continue")) {
        scn_next(p);
        s = scn_snew(p,
                     t->text[0] == 'p'   ? SCN_S_PASS
                     : t->text[0] == 'b' ? SCN_S_BREAK
                                         : SCN_S_CONTINUE,
                     t);
        if (s != NULL && s->kind != SCN_S_PASS && p->loops == 0) {
            scn_fail(p, t->line, t->col, "'%.*s' outside a loop", (int)t->len, t->text);
            return NULL;
        }
        return s != NULL && scn_expect_newline(p) ? s : NULL;
    }
    if (scn_is_word(t, "assert")) {
        scn_next(p);
        s = scn_snew(p, SCN_S_ASSERT, t);
        if (s == NULL) {
            return NULL;
        }
        from = p->at;
        s->e = scn_expr(p);
        if (s->e == NULL) {
            return NULL;
        }
        s->text = scn_text(p, from);
        if (scn_is_op(scn_peek(p), ",")) {
            const Tok *m;
            scn_next(p);
            m = scn_next(p);
            if (m->kind != T_STR) {
                scn_fail(p, m->line, m->col, "expected a message in quotes after ','");
                return NULL;
            }
            s->msg = scn_strndup(p, m->text, m->len);
        }
        return scn_expect_newline(p) ? s : NULL;
    }
    if (scn_is_word(t, "if")) {
        scn_next(p);
        return scn_if(p, t);
    }
    if (scn_is_word(t, "while") || scn_is_word(t, "for")) {
        bool is_for = t->text[0] == 'f';
        scn_next(p);
        s = scn_snew(p, is_for ? SCN_S_FOR : SCN_S_WHILE, t);
        if (s == NULL) {
            return NULL;
        }
        if (is_for) {
            const Tok *v = scn_next(p);
            if (v->kind != T_NAME || scn_is_keyword(v->text, v->len)) {
                scn_fail(p, v->line, v->col, "expected a loop variable after 'for'");
                return NULL;
            }
            s->name = scn_strndup(p, v->text, v->len);
            if (s->name == NULL) {
                return NULL;
            }
            if (scn_find_shared(p->prog, s->name) >= 0 || scn_find_param(p->prog, s->name) >= 0) {
                scn_fail(p, v->line, v->col, "the loop variable '%s' must be a local", s->name);
                return NULL;
            }
            if (!scn_is_word(scn_peek(p), "in")) {
                scn_expected(p, "'in'");
                return NULL;
            }
            scn_next(p);
            if (!scn_is_word(scn_peek(p), "range")) {
                scn_expected(p, "'range' (for i in range(n))");
                return NULL;
            }
            scn_next(p);
            if (!scn_expect_op(p, "(", "'('")) {
                return NULL;
            }
        }
        s->e = scn_expr(p);
        if (s->e == NULL || (is_for && !scn_expect_op(p, ")", "')'"))) {
            return NULL;
        }
        p->loops++;
        if (!scn_colon_block(p, &s->body)) {
            return NULL;
        }
        p->loops--;
        return s;
    }
    if (scn_is_word(t, "with")) {
        const Tok *o;
        int sh;
        scn_next(p);
        s = scn_snew(p, SCN_S_WITH, t);
        o = scn_next(p);
        if (s == NULL) {
            return NULL;
        }
        if (o->kind != T_NAME) {
            scn_fail(p, o->line, o->col, "expected a lock after 'with'");
            return NULL;
        }
        s->name = scn_strndup(p, o->text, o->len);
        if (s->name == NULL) {
            return NULL;
        }
        sh = scn_find_shared(p->prog, s->name);
        if (sh < 0 ||
            (p->prog->shared[sh].kind != SCN_LOCK && p->prog->shared[sh].kind != SCN_RLOCK &&
             p->prog->shared[sh].kind != SCN_COND && p->prog->shared[sh].kind != SCN_SEM)) {
            scn_fail(p, o->line, o->col,
                     "expected a Lock, RLock, Condition or Semaphore after 'with', got '%s'",
                     s->name);
            return NULL;
        }
        s->index = sh;
        return scn_colon_block(p, &s->body) ? s : NULL;
    }
    if (scn_is_word(t, "critical_section")) {
        scn_next(p);
        s = scn_snew(p, SCN_S_CS, t);
        return s != NULL && scn_colon_block(p, &s->body) ? s : NULL;
    }
    if (scn_is_word(t, "else") || scn_is_word(t, "elif")) {
        scn_fail(p, t->line, t->col, "'%.*s' without an 'if' before it", (int)t->len, t->text);
        return NULL;
    }
    if (scn_is_word(t, "lane") || scn_is_word(t, "param") || scn_is_word(t, "memory") ||
        scn_is_word(t, "expect")) {
        scn_fail(p, t->line, t->col, "'%.*s' belongs at the top level, not inside a lane",
                 (int)t->len, t->text);
        return NULL;
    }
    /* an assignment or a call */
    from = p->at;
    {
        ScnExpr *lhs = scn_primary(p);
        if (lhs == NULL) {
            return NULL;
        }
        if (lhs->kind == SCN_E_CALL && !scn_is_op(scn_peek(p), "=")) {
            s = scn_snew(p, SCN_S_CALL, t);
            if (s == NULL) {
                return NULL;
            }
            s->e = lhs;
            return scn_expect_newline(p) ? s : NULL;
        }
        if (!scn_is_op(scn_peek(p), "=")) {
            if (scn_peek(p)->kind == T_NEWLINE) {
                scn_fail(p, t->line, t->col,
                         "a value on its own does nothing: assign it (x = ...) or call a method");
            } else {
                scn_expected(p, "'=' or the end of the line");
            }
            return NULL;
        }
        if (lhs->name == NULL || (lhs->kind != SCN_E_LOCAL && lhs->kind != SCN_E_ELEM)) {
            scn_fail(p, t->line, t->col, "expected a name or an array element before '='");
            return NULL;
        }
        scn_next(p); /* '=' */
        s = scn_snew(p, SCN_S_ASSIGN, t);
        if (s == NULL) {
            return NULL;
        }
        s->target = lhs;
        from = p->at;
        s->e = scn_expr(p);
        if (s->e == NULL) {
            return NULL;
        }
        s->text = scn_text(p, from);
        return scn_expect_newline(p) ? s : NULL;
    }
}

/* INDENT stmt+ DEDENT */
static bool scn_block(Parser *p, ScnBlock *out)
{
    const Tok *t = scn_next(p); /* INDENT */
    if (++p->depth > SCN_MAX_DEPTH) {
        scn_fail(p, t->line, t->col, "blocks nested too deeply");
        return false;
    }
    while (!p->failed && scn_peek(p)->kind != T_DEDENT && scn_peek(p)->kind != T_EOF) {
        ScnStmt *s = scn_stmt(p);
        if (s == NULL || !scn_block_add(p, out, s)) {
            return false;
        }
    }
    if (scn_peek(p)->kind == T_DEDENT) {
        scn_next(p);
    }
    p->depth--;
    return !p->failed;
}

/* ------------------------------------------------------------------ */
/* the top level                                                        */
/* ------------------------------------------------------------------ */

/* An integer literal, possibly negative. */
static bool scn_int_lit(Parser *p, int64_t *v, const char *what)
{
    bool neg = false;
    const Tok *t;
    if (scn_is_op(scn_peek(p), "-")) {
        scn_next(p);
        neg = true;
    }
    t = scn_next(p);
    if (t->kind != T_INT) {
        p->at--;
        scn_expected(p, what);
        return false;
    }
    *v = neg ? -t->value : t->value;
    return true;
}

static bool scn_param(Parser *p, const Tok *t)
{
    ScnParam *pa;
    const Tok *n = scn_next(p);
    if (n->kind != T_NAME || scn_is_keyword(n->text, n->len)) {
        scn_fail(p, n->line, n->col, "expected the param's name after 'param'");
        return false;
    }
    if (p->prog->nparams >= SCN_MAX_PARAMS) {
        scn_fail(p, t->line, t->col, "too many params (at most %d)", SCN_MAX_PARAMS);
        return false;
    }
    pa = &p->prog->params[p->prog->nparams];
    pa->name = scn_strndup(p, n->text, n->len);
    pa->line = t->line;
    if (pa->name == NULL) {
        return false;
    }
    if (scn_find_param(p->prog, pa->name) >= 0 || scn_find_shared(p->prog, pa->name) >= 0) {
        scn_fail(p, n->line, n->col, "'%s' is declared twice", pa->name);
        return false;
    }
    if (!scn_expect_op(p, "=", "'=' and the default (param n = 2 in 1..8)") ||
        !scn_int_lit(p, &pa->def, "a whole number (the default)")) {
        return false;
    }
    if (!scn_is_word(scn_peek(p), "in")) {
        scn_expected(p, "'in' and the range (param n = 2 in 1..8)");
        return false;
    }
    scn_next(p);
    if (!scn_int_lit(p, &pa->min, "the smallest value") ||
        !scn_expect_op(p, "..", "'..' (a range: 1..8)") ||
        !scn_int_lit(p, &pa->max, "the largest value")) {
        return false;
    }
    if (pa->min > pa->max || pa->def < pa->min || pa->def > pa->max) {
        scn_fail(p, t->line, t->col, "the default %lld is not in %lld..%lld", (long long)pa->def,
                 (long long)pa->min, (long long)pa->max);
        return false;
    }
    p->prog->nparams++;
    return scn_expect_newline(p);
}

static ScnShared *scn_shared_add(Parser *p, const Tok *n)
{
    ScnShared *sh;
    char *name = scn_strndup(p, n->text, n->len);
    if (name == NULL) {
        return NULL;
    }
    if (scn_find_shared(p->prog, name) >= 0 || scn_find_param(p->prog, name) >= 0) {
        scn_fail(p, n->line, n->col, "'%s' is declared twice", name);
        return NULL;
    }
    if (p->prog->nshared >= SCN_MAX_SHARED) {
        scn_fail(p, n->line, n->col, "too many shared names (at most %d)", SCN_MAX_SHARED);
        return NULL;
    }
    sh = vec_grow(p->prog->shared, &p->prog->shared_cap, p->prog->nshared + 1,
                  sizeof(*p->prog->shared));
    if (sh == NULL) {
        scn_oom(p);
        return NULL;
    }
    p->prog->shared = sh;
    sh = &p->prog->shared[p->prog->nshared++];
    memset(sh, 0, sizeof(*sh));
    sh->name = name;
    sh->line = n->line;
    sh->col = n->col;
    sh->lock = -1;
    return sh;
}

/* A constant expression (numbers and params). */
static ScnExpr *scn_const(Parser *p)
{
    ScnExpr *e = scn_expr(p);
    scn_resolve(p, e, NULL, false);
    return p->failed ? NULL : e;
}

static const struct {
    const char *ctor;
    ScnKind kind;
    int nargs; /* 0, 1 (a number), -1 (a lock, optional) */
} scn_ctors[] = {
    {"Lock", SCN_LOCK, 0},     {"RLock", SCN_RLOCK, 0},     {"Condition", SCN_COND, -1},
    {"Semaphore", SCN_SEM, 1}, {"Barrier", SCN_BARRIER, 1}, {"CountDownLatch", SCN_LATCH, 1},
    {"Event", SCN_EVENT, 0},   {"RWLock", SCN_RWLOCK, 0},
};

/* NAME = ... at the top: a shared variable, array or object. */
static bool scn_shared(Parser *p, const Tok *n)
{
    ScnShared *sh = scn_shared_add(p, n);
    const Tok *t;
    if (sh == NULL) {
        return false;
    }
    scn_next(p); /* '=' */
    t = scn_peek(p);
    if (scn_is_op(t, "[")) {
        scn_next(p);
        sh->kind = SCN_ARRAY;
        for (;;) {
            ScnExpr *e = scn_const(p), **n2;
            size_t cap = sh->nelems;
            if (e == NULL) {
                return false;
            }
            if (sh->nelems >= SCN_MAX_ARRAY) {
                scn_fail(p, t->line, t->col, "an array has at most %d elements", SCN_MAX_ARRAY);
                return false;
            }
            n2 = scn_new(p, sizeof(*n2) * (cap + 1));
            if (n2 == NULL) {
                return false;
            }
            if (cap > 0) {
                memcpy(n2, sh->elems, sizeof(*n2) * cap);
            }
            n2[cap] = e;
            sh->elems = n2;
            sh->nelems++;
            if (scn_is_op(scn_peek(p), ",")) {
                scn_next(p);
                continue;
            }
            if (!scn_expect_op(p, "]", "',' or ']'")) {
                return false;
            }
            break;
        }
        if (scn_is_op(scn_peek(p), "*")) {
            const Tok *star = scn_next(p);
            if (sh->nelems != 1) {
                scn_fail(p, star->line, star->col, "[x] * n repeats one element");
                return false;
            }
            sh->init = sh->elems[0];
            sh->elems = NULL;
            sh->nelems = 0;
            sh->size = scn_const(p);
            if (sh->size == NULL) {
                return false;
            }
        }
        return scn_expect_newline(p);
    }
    if (t->kind == T_NAME && scn_is_op(scn_peek2(p), "(")) {
        for (size_t i = 0; i < ARRAY_SIZE(scn_ctors); i++) {
            if (!scn_is_word(t, scn_ctors[i].ctor)) {
                continue;
            }
            scn_next(p);
            scn_next(p);
            sh->kind = scn_ctors[i].kind;
            if (scn_ctors[i].nargs == 1) {
                sh->init = scn_const(p);
                if (sh->init == NULL) {
                    return false;
                }
            } else if (scn_ctors[i].nargs < 0 && scn_peek(p)->kind == T_NAME) {
                const Tok *l = scn_next(p);
                char *ln = scn_strndup(p, l->text, l->len);
                int li = ln != NULL ? scn_find_shared(p->prog, ln) : -1;
                if (ln == NULL) {
                    return false;
                }
                if (li < 0 || p->prog->shared[li].kind != SCN_LOCK) {
                    scn_fail(p, l->line, l->col, "expected a Lock declared above, got '%s'", ln);
                    return false;
                }
                sh->lock = li;
            }
            if (!scn_expect_op(p, ")", "')'")) {
                return false;
            }
            return scn_expect_newline(p);
        }
        scn_fail(p, t->line, t->col,
                 "unknown kind '%.*s' (Lock, RLock, Condition, Semaphore, Barrier, "
                 "CountDownLatch, Event, RWLock)",
                 (int)t->len, t->text);
        return false;
    }
    sh->kind = SCN_VAR;
    sh->init = scn_const(p);
    return sh->init != NULL && scn_expect_newline(p);
}

static bool scn_lane(Parser *p, const Tok *t)
{
    ScnLane *l;
    const Tok *n = scn_next(p);

    if (n->kind != T_NAME || scn_is_keyword(n->text, n->len)) {
        scn_fail(p, n->line, n->col, "expected the lane's name after 'lane'");
        return false;
    }
    l = vec_grow(p->prog->lanes, &p->prog->lanes_cap, p->prog->nlanes + 1, sizeof(*p->prog->lanes));
    if (l == NULL) {
        scn_oom(p);
        return false;
    }
    p->prog->lanes = l;
    l = &p->prog->lanes[p->prog->nlanes++];
    memset(l, 0, sizeof(*l));
    l->index_local = -1;
    l->line = t->line;
    l->name = scn_strndup(p, n->text, n->len);
    if (l->name == NULL) {
        return false;
    }
    for (size_t i = 0; i + 1 < p->prog->nlanes; i++) {
        if (strcmp(p->prog->lanes[i].name, l->name) == 0) {
            scn_fail(p, n->line, n->col, "a second lane called '%s'", l->name);
            return false;
        }
    }
    if (p->prog->nlanes > SCN_MAX_LANES) {
        scn_fail(p, t->line, t->col, "too many lanes (at most %d)", SCN_MAX_LANES);
        return false;
    }
    if (scn_is_op(scn_peek(p), "[")) {
        scn_next(p);
        l->count = scn_const(p);
        if (l->count == NULL || !scn_expect_op(p, "]", "']'")) {
            return false;
        }
        if (scn_is_word(scn_peek(p), "as")) {
            const Tok *v;
            char *vn;
            scn_next(p);
            v = scn_next(p);
            if (v->kind != T_NAME || scn_is_keyword(v->text, v->len)) {
                scn_fail(p, v->line, v->col, "expected the index's name after 'as'");
                return false;
            }
            vn = scn_strndup(p, v->text, v->len);
            if (vn == NULL) {
                return false;
            }
            if (scn_find_shared(p->prog, vn) >= 0 || scn_find_param(p->prog, vn) >= 0) {
                scn_fail(p, v->line, v->col, "the index '%s' must be a new name", vn);
                return false;
            }
            l->index_local = scn_local_add(p, l, vn);
        }
    }
    p->lane = l;
    if (!scn_colon_block(p, &l->body)) {
        return false;
    }
    p->lane = NULL;
    scn_collect_locals(p, l, &l->body);
    scn_resolve_block(p, l, &l->body);
    return !p->failed;
}

static bool scn_top(Parser *p)
{
    const Tok *t = scn_peek(p);

    if (t->kind == T_INDENT) {
        scn_fail(p, t->line, t->col, "unexpected indentation (a statement outside a lane?)");
        return false;
    }
    if (t->kind != T_NAME) {
        scn_expected(p, "a declaration, 'lane', 'param', 'memory' or 'expect'");
        return false;
    }
    if (scn_is_word(t, "param")) {
        scn_next(p);
        if (p->prog->nlanes > 0 || p->prog->nshared > 0) {
            scn_fail(p, t->line, t->col, "params come first, before shared names and lanes");
            return false;
        }
        return scn_param(p, t);
    }
    if (scn_is_word(t, "memory")) {
        const Tok *m;
        scn_next(p);
        m = scn_next(p);
        if (scn_is_word(m, "plain")) {
            p->prog->memory = SCN_MEMORY_PLAIN;
        } else if (scn_is_word(m, "fenced")) {
            p->prog->memory = SCN_MEMORY_FENCED;
        } else {
            p->at--;
            scn_expected(p, "'plain' or 'fenced'");
            return false;
        }
        return scn_expect_newline(p);
    }
    if (scn_is_word(t, "lane")) {
        scn_next(p);
        return scn_lane(p, t);
    }
    if (scn_is_word(t, "expect")) {
        ScnExpect *x;
        size_t from;
        scn_next(p);
        x = vec_grow(p->prog->expects, &p->prog->expects_cap, p->prog->nexpects + 1,
                     sizeof(*p->prog->expects));
        if (x == NULL) {
            scn_oom(p);
            return false;
        }
        p->prog->expects = x;
        x = &p->prog->expects[p->prog->nexpects++];
        memset(x, 0, sizeof(*x));
        x->line = t->line;
        from = p->at;
        x->e = scn_expr(p);
        if (x->e == NULL) {
            return false;
        }
        x->text = scn_text(p, from);
        scn_resolve(p, x->e, NULL, true);
        return !p->failed && scn_expect_newline(p);
    }
    if (scn_is_keyword(t->text, t->len)) {
        scn_fail(p, t->line, t->col, "'%.*s' belongs inside a lane", (int)t->len, t->text);
        return false;
    }
    if (scn_is_op(scn_peek2(p), "=")) {
        if (p->prog->nlanes > 0) {
            scn_fail(p, t->line, t->col, "shared names are declared before the lanes");
            return false;
        }
        scn_next(p);
        return scn_shared(p, t);
    }
    scn_next(p);
    scn_expected(p, "'=' (a shared declaration: name = 0, name = Lock())");
    return false;
}

/* Split the source into lines for the code panel and messages. */
static bool scn_split_lines(Parser *p)
{
    ScnProgram *prog = p->prog;
    size_t n = 1;
    char *s = prog->src;

    for (char *c = s; *c != '\0'; c++) {
        n += *c == '\n';
    }
    prog->lines = scn_new(p, sizeof(*prog->lines) * n);
    if (prog->lines == NULL) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        if (len > 0 && s[len - 1] == '\r') {
            len--;
        }
        prog->lines[i] = scn_strndup(p, s, len);
        if (prog->lines[i] == NULL) {
            return false;
        }
        s = nl != NULL ? nl + 1 : s + len;
    }
    prog->nlines = n;
    if (n > 1 && prog->lines[n - 1][0] == '\0') {
        prog->nlines--; /* the text ends with a newline */
    }
    return true;
}

/* The title: the first comment line's text. */
static void scn_title(Parser *p)
{
    const char *t = "";
    for (size_t i = 0; i < p->prog->nlines; i++) {
        const char *l = p->prog->lines[i];
        while (*l == ' ') {
            l++;
        }
        if (*l == '#') {
            t = l + 1;
            while (*t == ' ' || *t == '#') {
                t++;
            }
            break;
        }
        if (*l != '\0') {
            break;
        }
    }
    p->prog->title = scn_strndup(p, t, strlen(t) > 200 ? 200 : strlen(t));
}

static void scn_name(Parser *p, const char *path)
{
    const char *b = strrchr(path, '/');
    size_t len;
    b = b != NULL ? b + 1 : path;
    len = strlen(b);
    if (len > 4 && strcmp(b + len - 4, ".scn") == 0) {
        len -= 4;
    }
    if (len > 40) {
        len = 40;
    }
    p->prog->name = scn_strndup(p, b, len);
}

ScnProgram *scn_parse(const char *text, size_t len, const char *path, IlError *err)
{
    return scn_parse_at(text, len, path, 1, err);
}

ScnProgram *scn_parse_at(const char *text, size_t len, const char *path, int first_line,
                         IlError *err)
{
    Parser p;
    ScnProgram *prog;

    il_error_clear(err);
    if (len > SCN_MAX_SOURCE) {
        il_error_set(err, -IL_EPARSE, "%.80s: too large (%zu bytes, at most %d)", path, len,
                     SCN_MAX_SOURCE);
        return NULL;
    }
    if (memchr(text, '\0', len) != NULL) {
        il_error_set(err, -IL_EPARSE, "%.80s: a NUL byte: not a text file", path);
        return NULL;
    }
    prog = calloc(1, sizeof(*prog));
    if (prog == NULL) {
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    memset(&p, 0, sizeof(p));
    p.prog = prog;
    p.err = err;
    prog->line_base = first_line - 1;
    prog->path = scn_own(prog, strdup(path));
    prog->src = scn_own(prog, strndup(text, len));
    if (prog->path == NULL || prog->src == NULL) {
        scn_free(prog);
        il_error_set(err, -ENOMEM, "out of memory");
        return NULL;
    }
    if (scn_split_lines(&p)) {
        scn_name(&p, path);
        scn_title(&p);
    }
    if (!p.failed) {
        scn_lex(&p, text, len);
    }
    while (!p.failed && scn_peek(&p)->kind != T_EOF) {
        scn_top(&p);
    }
    if (!p.failed && prog->nlanes == 0) {
        /* at the file's last line (an empty file: its line 1) */
        scn_fail(&p, prog->nlines > 0 ? (int)prog->nlines : 1, 1,
                 "expected at least one lane (lane A: ...)");
    }
    free(p.toks);
    if (p.failed) {
        scn_free(prog);
        return NULL;
    }
    return prog;
}

ScnProgram *scn_load(const char *path, IlError *err)
{
    char *text = NULL;
    size_t len = 0;
    char why[UTIL_WHY_MAX];
    ScnProgram *prog;
    int rc = file_read(path, "scenario file", SCN_MAX_SOURCE, &text, &len, why, sizeof(why));

    if (rc < 0) {
        il_error_set(err, rc, "%s", why);
        return NULL;
    }
    prog = scn_parse(text, len, path, err);
    free(text);
    return prog;
}

void scn_free(ScnProgram *prog)
{
    if (prog == NULL) {
        return;
    }
    for (size_t i = 0; i < prog->nnodes; i++) {
        free(prog->nodes[i]);
    }
    free(prog->nodes);
    free(prog->shared);
    free(prog->lanes);
    free(prog->expects);
    free(prog);
}

bool scn_is_path(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".scn") == 0;
}

int64_t scn_const_eval(const ScnExpr *e, const int64_t *params)
{
    int64_t a, b;
    if (e == NULL) {
        return 0;
    }
    switch (e->kind) {
    case SCN_E_INT:
        return e->value;
    case SCN_E_PARAM:
        return params[e->index];
    case SCN_E_UNARY:
        a = scn_const_eval(e->a, params);
        return e->op == SCN_OP_NOT ? !a : (a == INT64_MIN ? a : -a);
    case SCN_E_BINARY:
        a = scn_const_eval(e->a, params);
        b = scn_const_eval(e->b, params);
        switch (e->op) {
        case SCN_OP_AND:
            return a && b;
        case SCN_OP_OR:
            return a || b;
        default:
            return scn_binop_value(e->op, a, b);
        }
    default:
        return 0;
    }
}

int64_t scn_binop_value(int op, int64_t a, int64_t b)
{
    switch (op) {
    case SCN_OP_ADD:
        return (int64_t)((uint64_t)a + (uint64_t)b);
    case SCN_OP_SUB:
        return (int64_t)((uint64_t)a - (uint64_t)b);
    case SCN_OP_MUL:
        return (int64_t)((uint64_t)a * (uint64_t)b);
    case SCN_OP_DIV:
    case SCN_OP_MOD:
        if (b == 0) {
            return 0;
        }
        if (a == INT64_MIN && b == -1) {
            return op == SCN_OP_DIV ? INT64_MIN : 0;
        }
        if (op == SCN_OP_DIV) {
            return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
        }
        return a % b + ((a % b != 0 && (a < 0) != (b < 0)) ? b : 0);
    case SCN_OP_EQ:
        return a == b;
    case SCN_OP_NE:
        return a != b;
    case SCN_OP_LT:
        return a < b;
    case SCN_OP_LE:
        return a <= b;
    case SCN_OP_GT:
        return a > b;
    case SCN_OP_GE:
        return a >= b;
    default:
        return 0;
    }
}

int scn_check_params(const ScnProgram *prog, const int64_t *params, char *why, size_t len)
{
    int64_t total = 0;

    for (size_t i = 0; i < prog->nshared; i++) {
        const ScnShared *sh = &prog->shared[i];
        int line = sh->line + prog->line_base;
        int64_t v;
        switch (sh->kind) {
        case SCN_ARRAY:
            v = sh->size != NULL ? scn_const_eval(sh->size, params) : (int64_t)sh->nelems;
            if (v < 1 || v > SCN_MAX_ARRAY) {
                snprintf(why, len, "%.80s:%d: %s has %lld elements with these params (1..%d)",
                         prog->path, line, sh->name, (long long)v, SCN_MAX_ARRAY);
                return -1;
            }
            break;
        case SCN_SEM:
        case SCN_LATCH:
            /* Python's Semaphore(-1) is a ValueError; a count past
             * INT32_MAX is no lesson's and does not fit the primitives */
            v = scn_const_eval(sh->init, params);
            if (v < 0 || v > INT32_MAX) {
                snprintf(why, len, "%.80s:%d: %s %s starts at %lld: a count is at least 0%s",
                         prog->path, line, sh->kind == SCN_SEM ? "Semaphore" : "CountDownLatch",
                         sh->name, (long long)v, v < 0 ? "" : " and at most 2147483647");
                return -1;
            }
            break;
        case SCN_BARRIER:
            /* Python's Barrier(0) is a ValueError */
            v = scn_const_eval(sh->init, params);
            if (v < 1 || v > UINT16_MAX) {
                snprintf(why, len,
                         "%.80s:%d: Barrier %s has %lld parties with these params (1..%d)",
                         prog->path, line, sh->name, (long long)v, UINT16_MAX);
                return -1;
            }
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < prog->nlanes; i++) {
        const ScnLane *l = &prog->lanes[i];
        int64_t c = l->count != NULL ? scn_const_eval(l->count, params) : 1;
        if (c < 1 || c > SCN_MAX_LANES) {
            snprintf(why, len, "%.80s:%d: lane %s: %lld copies with these params (1..%d)",
                     prog->path, l->line + prog->line_base, l->name, (long long)c, SCN_MAX_LANES);
            return -1;
        }
        total += c;
        if (total > SCN_MAX_LANES) {
            snprintf(
                why, len, "%.80s:%d: lane %s: %lld lanes in all with these params (at most %d)",
                prog->path, l->line + prog->line_base, l->name, (long long)total, SCN_MAX_LANES);
            return -1;
        }
    }
    return 0;
}

unsigned scn_lane_count(const ScnProgram *prog, const int64_t *params)
{
    int64_t total = 0;
    for (size_t i = 0; i < prog->nlanes; i++) {
        int64_t c = prog->lanes[i].count != NULL ? scn_const_eval(prog->lanes[i].count, params) : 1;
        if (c < 1 || c > SCN_MAX_LANES) {
            return 0;
        }
        total += c;
    }
    return total >= 1 && total <= SCN_MAX_LANES ? (unsigned)total : 0;
}

size_t scn_lane_decl(const ScnProgram *prog, const int64_t *params, unsigned lane, int64_t *copy)
{
    int64_t at = 0;
    for (size_t i = 0; i < prog->nlanes; i++) {
        int64_t c = prog->lanes[i].count != NULL ? scn_const_eval(prog->lanes[i].count, params) : 1;
        if ((int64_t)lane < at + c) {
            *copy = (int64_t)lane - at;
            return i;
        }
        at += c;
    }
    *copy = 0;
    return 0;
}
