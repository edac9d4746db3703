/*
 * arena.c - mapping the shared arena and its small registries.
 *
 * The mapping is MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE: only pages a
 * run touches use memory, so generous rings cost nothing until filled.
 * Rings start on page boundaries after the header.
 */
#include "config.h"

#include "core/arena.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static uint32_t arena_round_cap(uint32_t cap)
{
    uint32_t c = 64;
    while (c < cap && c < (1u << 26)) {
        c <<= 1;
    }
    return c;
}

Arena *arena_new(unsigned nlanes, uint32_t ring_cap, IlError *err)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t head, ringsz, total;
    Arena *arena;
    void *p;

    if (nlanes == 0 || nlanes > ARENA_MAX_LANES) {
        il_error_set(err, -EINVAL, "lanes: must be 1..%d, got %u", ARENA_MAX_LANES, nlanes);
        return NULL;
    }
    ring_cap = arena_round_cap(ring_cap);
    head = (sizeof(Arena) + page - 1) / page * page;
    ringsz = (ring_bytes(ring_cap) + page - 1) / page * page;
    total = head + ringsz * nlanes;

    p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1,
             0);
    if (p == MAP_FAILED) {
        il_error_set(err, -errno, "cannot map %zu bytes of shared memory: %s", total,
                     strerror(errno));
        return NULL;
    }
    arena = p; /* anonymous mappings start zeroed */
    arena->magic = ARENA_MAGIC;
    arena->version = ARENA_VERSION;
    arena->size = total;
    arena->nlanes = nlanes;
    arena->ring_cap = ring_cap;
    arena->tracing = 1;
    atomic_init(&arena->nobjs, 1);       /* object 0 = none */
    atomic_init(&arena->strtab_used, 1); /* string 0 = "" */
    for (unsigned i = 0; i < nlanes; i++) {
        ArenaLane *l = &arena->lanes[i];
        l->ring_off = head + ringsz * i;
        atomic_init(&l->blocked_by, -1);
        (void)ring_init(arena_ring(arena, i), ring_cap);
    }
    clock_calibrate(&arena->clock, false);
    return arena;
}

void arena_reset(Arena *arena)
{
    uint32_t nobjs = atomic_load(&arena->nobjs);
    uint32_t used = atomic_load(&arena->strtab_used);

    memset(arena->objs, 0, sizeof(ArenaObj) * (nobjs < ARENA_MAX_OBJS ? nobjs : ARENA_MAX_OBJS));
    memset(arena->strtab, 0, used < ARENA_STRTAB_SIZE ? used : ARENA_STRTAB_SIZE);
    atomic_store(&arena->nobjs, 1);
    atomic_store(&arena->strtab_used, 1);
    memset(&arena->result, 0, sizeof(arena->result));
    memset(&arena->violation, 0, sizeof(arena->violation));
    memset(&arena->fatal, 0, sizeof(arena->fatal));
    atomic_store(&arena->step, 0);
    atomic_store(&arena->started, 0);
    for (unsigned i = 0; i < arena->nlanes; i++) {
        ArenaLane *l = &arena->lanes[i];
        uint64_t off = l->ring_off;
        uint32_t kind = l->kind;
        memset(l, 0, sizeof(*l));
        l->ring_off = off;
        l->kind = kind;
        atomic_init(&l->blocked_by, -1);
        (void)ring_init(arena_ring(arena, i), arena->ring_cap);
    }
}

void arena_free(Arena *arena)
{
    if (arena != NULL) {
        munmap(arena, arena->size);
    }
}

int arena_intern(Arena *arena, const char *str)
{
    uint32_t used = atomic_load(&arena->strtab_used);
    size_t len = strlen(str);

    /* reuse an equal string: the table is small and setup-only */
    for (uint32_t at = 1; at < used; at += (uint32_t)strlen(&arena->strtab[at]) + 1) {
        if (strcmp(&arena->strtab[at], str) == 0) {
            return (int)at;
        }
    }
    if (used + len + 1 > ARENA_STRTAB_SIZE) {
        return -ENOSPC;
    }
    memcpy(&arena->strtab[used], str, len + 1);
    atomic_store(&arena->strtab_used, used + (uint32_t)len + 1);
    return (int)used;
}

const char *arena_str(const Arena *arena, uint32_t id)
{
    if (id == 0 || id >= ARENA_STRTAB_SIZE) {
        return "";
    }
    return &arena->strtab[id];
}

int arena_obj_new(Arena *arena, ObjKind kind, const char *name, int64_t value)
{
    uint32_t n = atomic_load(&arena->nobjs);
    int id;

    if (n >= ARENA_MAX_OBJS) {
        return -ENOSPC;
    }
    id = arena_intern(arena, name);
    if (id < 0) {
        return id;
    }
    arena->objs[n].name = (uint32_t)id;
    arena->objs[n].kind = (uint16_t)kind;
    atomic_store(&arena->objs[n].value, value);
    atomic_store(&arena->nobjs, n + 1);
    return (int)n;
}

const char *arena_obj_name(const Arena *arena, uint32_t obj)
{
    if (obj == 0 || obj >= ARENA_MAX_OBJS) {
        return "";
    }
    return arena_str(arena, arena->objs[obj].name);
}

void arena_prefault(Arena *arena, unsigned lane, uint64_t events)
{
    Ring *ring = arena_ring(arena, lane);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from, to;

    if (events > ring->cap) {
        events = ring->cap;
    }
    /* the ring starts on a page, so whole pages stay inside its mapping */
    from = (uintptr_t)ring->events & ~(page - 1);
    to = ((uintptr_t)ring->events + (uintptr_t)events * sizeof(Event) + page - 1) & ~(page - 1);
#ifdef MADV_POPULATE_WRITE
    if (madvise((void *)from, to - from, MADV_POPULATE_WRITE) == 0) {
        return;
    }
#endif
    /* older kernels: write each page once (nothing is recorded there yet) */
    for (uintptr_t at = (uintptr_t)ring->events; at < to; at += page) {
        *(volatile char *)at = 0;
    }
}

int arena_lane_set_name(Arena *arena, unsigned lane, const char *name)
{
    int id;
    if (lane >= arena->nlanes) {
        return -EINVAL;
    }
    id = arena_intern(arena, name);
    if (id < 0) {
        return id;
    }
    arena->lanes[lane].name = (uint32_t)id;
    return 0;
}

const char *arena_lane_name(const Arena *arena, unsigned lane)
{
    return lane < arena->nlanes ? arena_str(arena, arena->lanes[lane].name) : "";
}

Ring *arena_ring(Arena *arena, unsigned lane)
{
    return (Ring *)((char *)arena + arena->lanes[lane].ring_off);
}

int arena_result_add(Arena *arena, const char *name, int64_t value)
{
    ArenaResult *r = &arena->result;
    if (r->nfields >= ARENA_MAX_FIELDS) {
        return -ENOSPC;
    }
    strncpy(r->fields[r->nfields].name, name, ARENA_FIELD_NAME - 1);
    r->fields[r->nfields].name[ARENA_FIELD_NAME - 1] = '\0';
    r->fields[r->nfields].value = value;
    r->nfields++;
    return 0;
}

bool arena_result_get(const Arena *arena, const char *name, int64_t *value)
{
    const ArenaResult *r = &arena->result;
    for (uint32_t i = 0; i < r->nfields; i++) {
        if (strcmp(r->fields[i].name, name) == 0) {
            *value = r->fields[i].value;
            return true;
        }
    }
    return false;
}

/* A text of full bytes written into buf (size bytes) that did not fit
 * ends with "..." on a whole UTF-8 character: a reader sees it was cut. */
static void arena_mark_cut(char *buf, size_t size, size_t full)
{
    size_t end;
    if (full < size || size < 4) {
        return;
    }
    end = size - 4;
    while (end > 0 && ((unsigned char)buf[end] & 0xc0) == 0x80) {
        end--; /* not inside a character */
    }
    memcpy(buf + end, "...", 4);
}

int arena_violation(Arena *arena, int lane, const char *invariant, const char *fmt, ...)
{
    int n;
    ArenaViolation *v = &arena->violation;
    uint32_t expect = 0;
    va_list ap;

    /* the time first: the step or moment the lane saw it */
    uint64_t t = arena_time(arena);
    if (!atomic_compare_exchange_strong(&v->state, &expect, 1u)) {
        return 0;
    }
    v->lane = lane;
    v->t = t;
    snprintf(v->invariant, sizeof(v->invariant), "%s", invariant);
    arena_mark_cut(v->invariant, sizeof(v->invariant), strlen(invariant));
    va_start(ap, fmt);
    n = vsnprintf(v->what, sizeof(v->what), fmt, ap);
    va_end(ap);
    arena_mark_cut(v->what, sizeof(v->what), n > 0 ? (size_t)n : 0);
    atomic_store(&v->state, 2u);
    return 1;
}

bool arena_violated(const Arena *arena)
{
    return atomic_load(&arena->violation.state) == 2u;
}

void arena_fatal(Arena *arena, int lane, const char *call, int errnum)
{
    ArenaFatal *f = &arena->fatal;
    uint32_t expect = 0;

    if (atomic_compare_exchange_strong(&f->state, &expect, 1u)) {
        f->lane = lane;
        snprintf(f->what, sizeof(f->what), "%s: %s", call, strerror(errnum));
        atomic_store(&f->state, 2u);
    }
    _exit(IL_EXIT_FATAL);
}

const char *arena_fatal_text(const Arena *arena)
{
    return atomic_load(&((Arena *)arena)->fatal.state) == 2u ? arena->fatal.what : "";
}

static const char *const lane_state_names[LANE_STATE_COUNT] = {
    [LANE_NEW] = "new",         [LANE_RUNNING] = "running",   [LANE_READY] = "ready",
    [LANE_BLOCKED] = "blocked", [LANE_FINISHED] = "finished", [LANE_DIED] = "died",
};

const char *lane_state_name(unsigned state)
{
    return state < LANE_STATE_COUNT ? lane_state_names[state] : "?";
}

static const char *const lane_kind_names[LANE_KIND_COUNT] = {
    [LANE_KIND_THREAD] = "thread",
    [LANE_KIND_PROCESS] = "process",
    [LANE_KIND_COROUTINE] = "coroutine",
};

const char *lane_kind_name(unsigned kind)
{
    return kind < LANE_KIND_COUNT ? lane_kind_names[kind] : "?";
}

void lane_exit_describe(int status, char *buf, size_t len)
{
    if (WIFSIGNALED(status)) {
        snprintf(buf, len, "died of signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else if (WIFEXITED(status)) {
        snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
    } else {
        snprintf(buf, len, "ended (wait status %#x)", (unsigned)status);
    }
}

static const char *const verdict_names[VERDICT_COUNT] = {
    [VERDICT_RUNNING] = "running",   [VERDICT_COMPLETED] = "completed",
    [VERDICT_DEADLOCK] = "deadlock", [VERDICT_BAD_SCHEDULE] = "bad_schedule",
    [VERDICT_TIMEOUT] = "timeout",   [VERDICT_CRASHED] = "crashed",
    [VERDICT_KILLED] = "killed",     [VERDICT_LIVELOCK] = "livelock",
    [VERDICT_HANG] = "hang",         [VERDICT_INVARIANT] = "invariant",
};

const char *verdict_name(int verdict)
{
    return (verdict >= 0 && verdict < VERDICT_COUNT) ? verdict_names[verdict] : "?";
}
