/*
 * verdict.c - how a run ended, as data, and its renderings (see
 * verdict.h).
 *
 * The English text is the one the reports have always printed, so that a
 * message read by a person or matched by a script keeps its wording; it is
 * now written from the fields instead of being the only record.
 */
#include "config.h"

#include "core/verdict.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "core/event.h"
#include "core/schedule.h"

void verdict_init(VerdictInfo *vi, int kind, bool stepping)
{
    memset(vi, 0, sizeof(*vi));
    vi->kind = kind;
    vi->base_kind = kind;
    vi->stepping = stepping;
    vi->inv_lane = -1;
    vi->died_lane = -1;
}

void verdict_set_waits(VerdictInfo *vi, const WaitFor *wf, const Arena *arena)
{
    vi->nlanes = 0;
    vi->cycle = wf->ncycle > 0;
    if (vi->cycle) {
        for (unsigned k = 0; k < wf->ncycle && k < ARENA_MAX_LANES; k++) {
            unsigned l = wf->cycle[k];
            unsigned prev = wf->cycle[(k + wf->ncycle - 1) % wf->ncycle];
            VerdictLane *vl = &vi->lanes[vi->nlanes++];
            memset(vl, 0, sizeof(*vl));
            vl->lane = (uint16_t)l;
            vl->op = wf->wait_cond[l] != 0 ? EV_COND_WAKE : wf->wait_op[l];
            vl->obj = wf->wait_obj[l];
            vl->cond = wf->wait_cond[l];
            vl->holder = wf->wait_on[l];
            vl->held = wf->wait_obj[prev];
        }
        return;
    }
    for (unsigned i = 0; i < wf->nlanes; i++) {
        VerdictLane *vl;
        if (wf->state[i] == LANE_FINISHED || wf->state[i] == LANE_DIED || wf->wait_on[i] == -1) {
            continue;
        }
        vl = &vi->lanes[vi->nlanes++];
        memset(vl, 0, sizeof(*vl));
        vl->lane = (uint16_t)i;
        vl->op = wf->wait_cond[i] != 0 ? EV_COND_WAKE : wf->wait_op[i];
        vl->obj = wf->wait_obj[i];
        vl->cond = wf->wait_cond[i];
        vl->holder = wf->wait_on[i] >= 0 ? wf->wait_on[i] : VERDICT_NO_HOLDER;
        if (vl->obj > 0 && vl->obj < ARENA_MAX_OBJS) {
            vl->count = arena_obj_value(arena, vl->obj);
        }
    }
}

const char *verdict_wait_name(uint32_t op)
{
    switch (op) {
    case EV_SEM_ACQUIRE:
        return "semaphore";
    case EV_COND_SLEEP:
        return "cond";
    case EV_COND_WAKE:
        return "woken";
    case EV_PIPE_READ:
    case EV_PIPE_WRITE:
        return "pipe";
    default:
        return "mutex";
    }
}

void verdict_describe_lane(const VerdictInfo *vi, unsigned k, const Arena *arena, StrBuf *out)
{
    const VerdictLane *vl = &vi->lanes[k];
    char other[LANE_NAME_MAX] = "?";

    if (vl->holder >= 0) {
        lane_name((unsigned)vl->holder, other);
    }
    if (vi->cycle) {
        strbuf_addf(out, "holds %s, waits %s", arena_obj_name(arena, vl->held),
                    arena_obj_name(arena, vl->obj));
    } else if (vl->op == EV_COND_SLEEP) {
        strbuf_addf(out, "waits on cond %s", arena_obj_name(arena, vl->obj));
    } else if (vl->op == EV_PIPE_READ || vl->op == EV_PIPE_WRITE) {
        bool rd = vl->op == EV_PIPE_READ;
        strbuf_addf(out, "waits to %s pipe %s (%s", rd ? "read" : "write",
                    arena_obj_name(arena, vl->obj), rd ? "empty" : "full");
        if (vl->holder >= 0) {
            strbuf_addf(out, ", %s by %s", rd ? "written" : "read", other);
        }
        strbuf_add(out, ")");
    } else if (vl->op == EV_COND_WAKE) {
        strbuf_addf(out, "woken on cond %s, waits %s (held by %s)", arena_obj_name(arena, vl->cond),
                    arena_obj_name(arena, vl->obj), other);
    } else if (vl->holder >= 0) {
        strbuf_addf(out, "waits %s (held by %s)", arena_obj_name(arena, vl->obj), other);
    } else if (vl->obj < ARENA_MAX_OBJS && arena->objs[vl->obj].kind == OBJ_BARRIER) {
        strbuf_addf(out, "waits at barrier %s (%" PRId64 " of %u arrived)",
                    arena_obj_name(arena, vl->obj), vl->count, (unsigned)arena->objs[vl->obj].pad);
    } else if (vl->obj < ARENA_MAX_OBJS && arena->objs[vl->obj].kind == OBJ_EVENT) {
        strbuf_addf(out, "waits for event %s (not set)", arena_obj_name(arena, vl->obj));
    } else if (vl->obj < ARENA_MAX_OBJS && arena->objs[vl->obj].kind == OBJ_LATCH) {
        strbuf_addf(out, "waits for latch %s (count %" PRId64 ")", arena_obj_name(arena, vl->obj),
                    vl->count);
    } else if (vl->obj < ARENA_MAX_OBJS && arena->objs[vl->obj].kind == OBJ_RWLOCK) {
        strbuf_addf(out, "waits for rwlock %s (%" PRId64 " reading)",
                    arena_obj_name(arena, vl->obj), vl->count);
    } else {
        strbuf_addf(out, "waits %s (count %" PRId64 ")", arena_obj_name(arena, vl->obj), vl->count);
    }
}

void verdict_describe_waits(const VerdictInfo *vi, const Arena *arena, StrBuf *out)
{
    for (unsigned k = 0; k < vi->nlanes; k++) {
        char name[LANE_NAME_MAX];
        lane_name(vi->lanes[k].lane, name);
        strbuf_addf(out, "%s%s ", k > 0 ? "; " : "", name);
        verdict_describe_lane(vi, k, arena, out);
    }
}

/* " at step 12" / " after 3.2 ms" (the time a free-mode verdict was found) */
static void verdict_when(const VerdictInfo *vi, StrBuf *out)
{
    if (!vi->have_at) {
        return;
    }
    if (vi->stepping) {
        strbuf_addf(out, " at step %" PRIu64, vi->at);
    } else {
        strbuf_addf(out, " after %.1f ms", (double)vi->at / 1e6);
    }
}

/* The message of the run's own verdict (not the invariant); without its
 * leading kind word when tail. */
static void verdict_describe_base(const VerdictInfo *vi, const Arena *arena, bool tail, StrBuf *out)
{
    switch (vi->base_kind) {
    case VERDICT_DEADLOCK:
        strbuf_add(out, tail ? "" : "deadlock");
        verdict_when(vi, out);
        strbuf_add(out, ": ");
        verdict_describe_waits(vi, arena, out);
        break;
    case VERDICT_HANG:
        strbuf_add(out, tail ? "" : "hang");
        verdict_when(vi, out);
        strbuf_add(out, ": every unfinished lane waits and none can wake another: ");
        verdict_describe_waits(vi, arena, out);
        break;
    case VERDICT_LIVELOCK:
        strbuf_add(out, tail ? "" : "livelock");
        if (vi->stepping) {
            strbuf_addf(out,
                        " at step %" PRIu64 ": no %s in the last %" PRIu64
                        " steps while the lanes kept running (",
                        vi->at, vi->progress_unit != NULL ? vi->progress_unit : "progress",
                        vi->span);
            for (unsigned i = 0; i < vi->nops; i++) {
                char name[LANE_NAME_MAX];
                lane_name(i, name);
                strbuf_addf(out, "%s%s %" PRIu64 " ops", i > 0 ? ", " : "", name, vi->lane_ops[i]);
            }
            strbuf_add(out, ")");
        } else {
            strbuf_addf(out, ": no %s in %.0f ms while the lanes performed %" PRIu64 " operations",
                        vi->progress_unit != NULL ? vi->progress_unit : "progress",
                        (double)vi->span / 1e6, vi->ops);
        }
        break;
    case VERDICT_BAD_SCHEDULE:
        strbuf_addf(out, "%stoken %d '%s': %s", tail ? ": " : "", vi->bad_token, vi->bad_text,
                    vi->reason);
        break;
    case VERDICT_CRASHED:
        if (vi->died_lane >= 0) {
            /* "lane B (process 4242) died of signal 6 (Aborted) at step 4" */
            char name[LANE_NAME_MAX], how[160];
            lane_name((unsigned)vi->died_lane, name);
            lane_exit_describe(vi->died_status, how, sizeof(how));
            strbuf_addf(out, "%slane %s (process %d) %s", tail ? ": " : "", name, (int)vi->died_pid,
                        how);
            if (vi->have_at && vi->stepping) {
                strbuf_addf(out, " at step %" PRIu64, vi->at);
            } else if (vi->have_at) {
                strbuf_addf(out, " at %.3f ms", (double)vi->at / 1e6);
            }
            strbuf_add(out, "; the run cannot go on without it");
            break;
        }
        strbuf_addf(out, "%s%s", tail && vi->detail[0] != '\0' ? ": " : "", vi->detail);
        break;
    default:
        strbuf_addf(out, "%s%s", tail && vi->detail[0] != '\0' ? ": " : "", vi->detail);
        break;
    }
}

/* The message, or its tail after the kind word (see verdict_banner). */
static void verdict_describe_any(const VerdictInfo *vi, const Arena *arena, bool tail, StrBuf *out)
{
    StrBuf base;

    if (vi->kind != VERDICT_INVARIANT) {
        verdict_describe_base(vi, arena, tail, out);
        return;
    }
    /* both already bounded, a cut one ending in "..." (arena_violation) */
    strbuf_addf(out, "%s '%s' broken ", tail ? "" : "invariant", vi->invariant);
    if (vi->inv_lane < 0) {
        strbuf_add(out, "at the end of the run");
    } else {
        char name[LANE_NAME_MAX];
        lane_name((unsigned)vi->inv_lane, name);
        if (vi->stepping) {
            strbuf_addf(out, "at step %" PRIu64, vi->inv_at);
        } else {
            strbuf_addf(out, "at %.3f ms", (double)vi->inv_at / 1e6);
        }
        strbuf_addf(out, " by lane %s", name);
    }
    strbuf_addf(out, ": %s", vi->what);
    if (vi->base_kind != VERDICT_COMPLETED) {
        strbuf_init(&base);
        verdict_describe_base(vi, arena, false, &base);
        strbuf_addf(out, "; then %s: %.400s", verdict_name(vi->base_kind), strbuf_str(&base));
        strbuf_fini(&base);
    }
}

void verdict_describe(const VerdictInfo *vi, const Arena *arena, StrBuf *out)
{
    verdict_describe_any(vi, arena, false, out);
}

void verdict_banner(const VerdictInfo *vi, const Arena *arena, StrBuf *out)
{
    for (const char *p = verdict_name(vi->kind); *p != '\0'; p++) {
        char c = *p == '_' ? ' ' : (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
        strbuf_addf(out, "%c", c);
    }
    verdict_describe_any(vi, arena, true, out);
}

void verdict_json(const VerdictInfo *vi, const Arena *arena, StrBuf *out)
{
    strbuf_addf(out,
                "{\"kind\":\"%s\",\"base\":\"%s\",\"unit\":\"%s\",\"at\":", verdict_name(vi->kind),
                verdict_name(vi->base_kind), vi->stepping ? "steps" : "ns");
    if (vi->have_at) {
        strbuf_addf(out, "%" PRIu64, vi->at);
    } else {
        strbuf_add(out, "null");
    }
    strbuf_addf(out, ",\"cycle\":%s,\"lanes\":[", vi->cycle ? "true" : "false");
    for (unsigned k = 0; k < vi->nlanes; k++) {
        const VerdictLane *vl = &vi->lanes[k];
        char name[LANE_NAME_MAX];
        lane_name(vl->lane, name);
        strbuf_addf(out, "%s{\"lane\":\"%s\",\"waits\":", k > 0 ? "," : "", name);
        strbuf_add_json_string(out, arena_obj_name(arena, vl->obj));
        strbuf_addf(out, ",\"op\":\"%s\",\"holder\":", verdict_wait_name(vl->op));
        if (vl->holder >= 0) {
            lane_name((unsigned)vl->holder, name);
            strbuf_addf(out, "\"%s\"", name);
        } else {
            strbuf_add(out, "null");
        }
        strbuf_add(out, ",\"holds\":");
        if (vl->held != 0) {
            strbuf_add_json_string(out, arena_obj_name(arena, vl->held));
        } else {
            strbuf_add(out, "null");
        }
        if (vl->op == EV_SEM_ACQUIRE) {
            strbuf_addf(out, ",\"count\":%" PRId64, vl->count);
        }
        if (vl->cond != 0) {
            strbuf_add(out, ",\"woken_on\":");
            strbuf_add_json_string(out, arena_obj_name(arena, vl->cond));
        }
        strbuf_add(out, "}");
    }
    strbuf_add(out, "]");
    if (vi->base_kind == VERDICT_LIVELOCK) {
        strbuf_addf(out, ",\"progress_unit\":");
        strbuf_add_json_string(out, vi->progress_unit != NULL ? vi->progress_unit : "");
        strbuf_addf(out, ",\"span\":%" PRIu64, vi->span);
    }
    if (vi->base_kind == VERDICT_BAD_SCHEDULE) {
        strbuf_addf(out, ",\"token\":%d,\"token_text\":", vi->bad_token);
        strbuf_add_json_string(out, vi->bad_text);
        strbuf_add(out, ",\"reason\":");
        strbuf_add_json_string(out, vi->reason);
    }
    if (vi->kind == VERDICT_INVARIANT) {
        strbuf_add(out, ",\"invariant\":");
        strbuf_add_json_string(out, vi->invariant);
        strbuf_add(out, ",\"what\":");
        strbuf_add_json_string(out, vi->what);
        if (vi->inv_lane >= 0) {
            char name[LANE_NAME_MAX];
            lane_name((unsigned)vi->inv_lane, name);
            strbuf_addf(out, ",\"by\":\"%s\",\"broken_at\":%" PRIu64, name, vi->inv_at);
        } else {
            strbuf_add(out, ",\"by\":null,\"broken_at\":null");
        }
    }
    if (vi->died_lane >= 0) {
        char name[LANE_NAME_MAX], how[160];
        lane_name((unsigned)vi->died_lane, name);
        lane_exit_describe(vi->died_status, how, sizeof(how));
        strbuf_addf(out, ",\"died\":{\"lane\":\"%s\",\"pid\":%d,\"how\":", name, (int)vi->died_pid);
        strbuf_add_json_string(out, how);
        if (WIFSIGNALED(vi->died_status)) {
            strbuf_addf(out, ",\"signal\":%d,\"status\":null}", WTERMSIG(vi->died_status));
        } else {
            strbuf_addf(out, ",\"signal\":null,\"status\":%d}",
                        WIFEXITED(vi->died_status) ? WEXITSTATUS(vi->died_status) : -1);
        }
    }
    if (vi->detail[0] != '\0') {
        strbuf_add(out, ",\"detail\":");
        strbuf_add_json_string(out, vi->detail);
    }
    strbuf_add(out, "}");
}
