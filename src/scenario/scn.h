/*
 * scn.h - scenario files: a small language for concurrent programs.
 *
 * DESIGN
 * A scenario (man/interleave-scenario.5) reads like the Python a course
 * teaches: shared variables and objects declared at the top
 * (`counter = 0`, `m = Lock()`), lanes with their bodies (`lane A:`, or
 * `lane worker[3] as i:` for three copies that know their index), one
 * statement a line, blocks by indentation, and checks (`assert`,
 * `critical_section:`, `expect` at the end).
 *
 * scn_parse() turns the text into a ScnProgram: a tree of statements and
 * expressions whose names are resolved (params, shared objects, each
 * lane's locals) and checked (a method the object has, a break inside a
 * loop), so that running it can no longer fail for a reason the text
 * shows.  Every error is one line, "file:line:column: what was expected,
 * what was found".  scn_demo.h builds a DemoClass around a program, which
 * the core runs like any compiled demo.
 *
 * OWNERSHIP: a ScnProgram owns every node, name and the source text;
 * scn_free() releases it all.  It is immutable after scn_parse(), so the
 * lanes of a run read it without locks.
 *
 * Thread: any thread (no global state).
 */
#ifndef INTERLEAVE_SCENARIO_SCN_H
#define INTERLEAVE_SCENARIO_SCN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/error.h"

#define SCN_MAX_SOURCE (256 * 1024) /* bytes of a scenario file */
#define SCN_MAX_LANES 26            /* lanes A..Z */
#define SCN_MAX_PARAMS 15           /* DEMO_MAX_PARAMS, less one */
#define SCN_MAX_ARRAY 64            /* elements of a shared array */
#define SCN_MAX_DEPTH 48            /* nesting of blocks and of expressions */
#define SCN_MAX_SHARED 256          /* shared names */
#define SCN_MAX_LOCALS 64           /* locals of one lane */

/* The kinds of shared things a scenario declares. */
typedef enum ScnKind {
    SCN_VAR = 0,     /* counter = 0 */
    SCN_ARRAY = 1,   /* flags = [0, 0]  or  slots = [0] * n */
    SCN_LOCK = 2,    /* Lock() */
    SCN_RLOCK = 3,   /* RLock(): re-entrant */
    SCN_COND = 4,    /* Condition(m) */
    SCN_SEM = 5,     /* Semaphore(n) */
    SCN_BARRIER = 6, /* Barrier(parties) */
    SCN_LATCH = 7,   /* CountDownLatch(count) */
    SCN_EVENT = 8,   /* Event() */
    SCN_RWLOCK = 9,  /* RWLock() */
    SCN_KIND_COUNT
} ScnKind;

/* Methods and built-in functions (a call is one or more steps). */
typedef enum ScnMethod {
    SCN_M_ACQUIRE = 0,   /* lock, rlock, semaphore; timeout= / blocking=False */
    SCN_M_RELEASE,       /* lock, rlock, semaphore */
    SCN_M_TRY_ACQUIRE,   /* lock, rlock, semaphore: never waits, True/False */
    SCN_M_WAIT,          /* condition, barrier, latch, event */
    SCN_M_NOTIFY,        /* condition */
    SCN_M_NOTIFY_ALL,    /* condition */
    SCN_M_COUNT_DOWN,    /* latch */
    SCN_M_SET,           /* event */
    SCN_M_CLEAR,         /* event */
    SCN_M_IS_SET,        /* event: a read of its flag */
    SCN_M_ACQUIRE_READ,  /* rwlock */
    SCN_M_RELEASE_READ,  /* rwlock */
    SCN_M_ACQUIRE_WRITE, /* rwlock */
    SCN_M_RELEASE_WRITE, /* rwlock */
    SCN_F_ATOMIC_ADD,    /* atomic_add(place, delta): the value before */
    SCN_F_CAS,           /* cas(place, expected, new): True when it swapped */
    SCN_M_COUNT
} ScnMethod;

typedef enum ScnExprKind {
    SCN_E_INT = 0, /* a literal; True and False are 1 and 0 */
    SCN_E_PARAM,   /* a param's value: no step */
    SCN_E_LOCAL,   /* a lane's local: no step */
    SCN_E_SHARED,  /* a shared variable: a load (one step) */
    SCN_E_ELEM,    /* a shared array's element: a load */
    SCN_E_UNARY,   /* - not */
    SCN_E_BINARY,  /* + - * // % == != < <= > >= and or */
    SCN_E_CALL     /* a method or built-in: its steps */
} ScnExprKind;

typedef enum ScnOp {
    SCN_OP_NEG = 0,
    SCN_OP_NOT,
    SCN_OP_ADD,
    SCN_OP_SUB,
    SCN_OP_MUL,
    SCN_OP_DIV, /* // : floor division, as Python's */
    SCN_OP_MOD, /* %  : Python's (the sign of the divisor) */
    SCN_OP_EQ,
    SCN_OP_NE,
    SCN_OP_LT,
    SCN_OP_LE,
    SCN_OP_GT,
    SCN_OP_GE,
    SCN_OP_AND, /* short-circuit */
    SCN_OP_OR,  /* short-circuit */
    SCN_OP_COUNT
} ScnOp;

typedef struct ScnExpr ScnExpr;

struct ScnExpr {
    ScnExprKind kind;
    int line, col;
    int64_t value; /* INT */
    int index;     /* PARAM, LOCAL, SHARED, ELEM: the table index; CALL: object (-1 = none) */
    ScnOp op;      /* UNARY, BINARY */
    ScnMethod method;
    ScnExpr *a, *b, *c; /* operands; ELEM: a = index; CALL: the arguments */
    int64_t timeout_ms; /* CALL acquire(timeout=S): -1 = none */
    bool nonblocking;   /* CALL acquire(blocking=False) */
    bool has_op;        /* an operator somewhere below: a compute step */
    bool has_step;      /* a shared read or a call somewhere below */
    char *name;         /* while parsing: the name to resolve */
};

typedef enum ScnStmtKind {
    SCN_S_ASSIGN = 0, /* place = expr */
    SCN_S_CALL,       /* a call on its own */
    SCN_S_PASS,       /* one step that does nothing */
    SCN_S_BREAK,
    SCN_S_CONTINUE,
    SCN_S_ASSERT,
    SCN_S_IF,    /* body, orelse (an elif is an if alone in orelse) */
    SCN_S_WHILE, /* cond, body */
    SCN_S_FOR,   /* for local in range(expr): body */
    SCN_S_WITH,  /* with lock: body (acquire, body, release) */
    SCN_S_CS     /* critical_section: body */
} ScnStmtKind;

typedef struct ScnStmt ScnStmt;

typedef struct ScnBlock {
    ScnStmt **s;
    size_t n, cap;
} ScnBlock;

struct ScnStmt {
    ScnStmtKind kind;
    int line, col;
    unsigned id;     /* 0, 1, ... in the order parsed (ScnProgram.nstmts) */
    ScnExpr *target; /* ASSIGN: a LOCAL, SHARED or ELEM expression */
    ScnExpr *e;      /* ASSIGN value, CALL, ASSERT/IF/WHILE condition, FOR count */
    ScnBlock body;   /* IF, WHILE, FOR, WITH, CS */
    ScnBlock orelse; /* IF */
    int index;       /* FOR: the loop's local; WITH: the object */
    char *text;      /* ASSERT: the condition's source; ASSIGN: the value's source */
    char *msg;       /* ASSERT: its message, NULL = none */
    char *name;      /* while parsing: FOR's loop variable, WITH's object */
};

typedef struct ScnParam {
    char *name;
    int64_t def, min, max;
    int line;
} ScnParam;

typedef struct ScnShared {
    char *name;
    ScnKind kind;
    int line, col;
    ScnExpr *init; /* VAR: value; ARRAY: element of [x] * n; SEM, LATCH: count; BARRIER: parties */
    ScnExpr *size; /* ARRAY of [x] * n: n */
    ScnExpr **elems; /* ARRAY literal [a, b, ...] */
    size_t nelems;
    int lock; /* COND: the shared index of its lock, -1 = its own */
} ScnShared;

typedef struct ScnLane {
    char *name;
    int line;
    ScnExpr *count;  /* lane NAME[count]: copies; NULL = one */
    int index_local; /* `as i`: the local that holds the copy's index, -1 = none */
    ScnBlock body;
    char **locals;
    size_t nlocals, cap;
} ScnLane;

typedef struct ScnExpect {
    ScnExpr *e;
    char *text;
    int line;
} ScnExpect;

typedef enum ScnMemory {
    SCN_MEMORY_PLAIN = 0, /* relaxed loads and stores: free mode shows the hardware's reordering */
    SCN_MEMORY_FENCED = 1 /* sequentially consistent loads and stores */
} ScnMemory;

typedef struct ScnProgram {
    char *path;    /* as given, for messages */
    int line_base; /* added to line numbers in messages (a block inside a file) */
    char *name;    /* the file's base name without .scn */
    char *title;   /* the first comment line, "" = none */
    char *src;     /* the whole text */
    char **lines;  /* the source lines, without their newline */
    size_t nlines;
    ScnMemory memory;
    ScnParam params[SCN_MAX_PARAMS];
    size_t nparams;
    ScnShared *shared;
    size_t nshared, shared_cap;
    ScnLane *lanes;
    size_t nlanes, lanes_cap;
    ScnExpect *expects;
    size_t nexpects, expects_cap;
    unsigned nstmts; /* statements in every lane */
    /* every node, for scn_free */
    void **nodes;
    size_t nnodes, nodes_cap;
} ScnProgram;

/*
 * Parse the scenario text (len bytes) read from path (used in messages).
 * Returns the program (caller owns it; free with scn_free()), or NULL
 * with err set: -IL_EPARSE and "path:line:column: expected ..., got ...",
 * or -ENOMEM.  Text with a NUL byte, or more than SCN_MAX_SOURCE bytes, is
 * refused.  Thread: any thread.
 */
ScnProgram *scn_parse(const char *text, size_t len, const char *path,
                      IlError *err) ATTR_WARN_UNUSED_RESULT;

/* scn_parse() of a text that starts at line first_line of path (a block
 * in a lesson file): messages count lines from there.  Thread: any. */
ScnProgram *scn_parse_at(const char *text, size_t len, const char *path, int first_line,
                         IlError *err) ATTR_WARN_UNUSED_RESULT;

/*
 * Read the file at path and parse it (scn_parse).  Returns the program or
 * NULL with err: "path: No such file or directory" (-errno) or a parse
 * error.  Thread: any thread.
 */
ScnProgram *scn_load(const char *path, IlError *err) ATTR_WARN_UNUSED_RESULT;

/* Free prog and everything it owns; NULL does nothing. */
void scn_free(ScnProgram *prog);

/* True when path names a scenario file (it ends in ".scn").  Thread: any. */
bool scn_is_path(const char *path);

/*
 * Check what prog's params size or start, with these param values: each
 * lane declaration's copies (1..SCN_MAX_LANES, and as many lanes in all),
 * each array's elements (1..SCN_MAX_ARRAY), a Semaphore's and a
 * CountDownLatch's count (0..INT32_MAX) and a Barrier's parties
 * (1..65535; Python's threading refuses Semaphore(-1) and Barrier(0)
 * with ValueError).  Returns 0, or -1 with why set to one line
 * "path:line: what is wrong" (the declaration's line).  Thread: any.
 */
int scn_check_params(const ScnProgram *prog, const int64_t *params, char *why, size_t len);

/* The lanes prog runs with params (values of its params, in order), or 0
 * when a count is out of range.  Thread: any. */
unsigned scn_lane_count(const ScnProgram *prog, const int64_t *params);

/* Which declared lane (index into prog->lanes) lane number `lane` runs,
 * and its copy index (0 for a single lane).  Thread: any. */
size_t scn_lane_decl(const ScnProgram *prog, const int64_t *params, unsigned lane, int64_t *copy);

/* Evaluate a constant expression (literals and params only).  Thread: any. */
int64_t scn_const_eval(const ScnExpr *e, const int64_t *params);

/*
 * The value of a op b for a binary operator other than and/or, as both the
 * lanes and the constant folding compute it: + - * wrap around in 64 bits,
 * / and % are Python's floor division and modulo (the remainder takes the
 * divisor's sign), INT64_MIN // -1 wraps to INT64_MIN and INT64_MIN % -1 is
 * 0, comparisons give 0 or 1.  b must not be 0 for / and % (the caller
 * says "division by zero"; 0 is returned).  Thread: any.
 */
int64_t scn_binop_value(int op, int64_t a, int64_t b);

/* Name of a method ("acquire").  Thread: any. */
const char *scn_method_name(ScnMethod m);

/* Name of a kind of shared thing ("Lock").  Thread: any. */
const char *scn_kind_name(ScnKind k);

#endif /* INTERLEAVE_SCENARIO_SCN_H */
