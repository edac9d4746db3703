/*
 * demo_class.c - parameter helpers that work on any DemoClass (see
 * demo_class.h): defaults, parsing "key=value", formatting and ranges.
 */
#include "config.h"

#include "core/demo_class.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "util/num.h"

void demo_params_default(const DemoClass *demo, int64_t values[DEMO_MAX_PARAMS])
{
    for (unsigned i = 0; i < DEMO_MAX_PARAMS; i++) {
        values[i] = i < demo->nparams ? demo->params[i].def : 0;
    }
}

LaneKind demo_lane_kind(const DemoClass *demo, const int64_t *params, unsigned lane)
{
    if (demo->lane_kind == NULL) {
        return LANE_KIND_THREAD;
    }
    LaneKind k = demo->lane_kind(params, lane);
    return (unsigned)k < LANE_KIND_COUNT ? k : LANE_KIND_THREAD;
}

int demo_param_index(const DemoClass *demo, const char *name)
{
    for (unsigned i = 0; i < demo->nparams; i++) {
        if (strcmp(demo->params[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

bool demo_param_named(const DemoParam *param)
{
    return param->choices != NULL || param->variants != NULL;
}

const char *demo_param_choice(const DemoParam *param, int64_t value)
{
    if (value < param->min || value > param->max) {
        return NULL;
    }
    if (param->variants != NULL) {
        return param->variants[value].name;
    }
    return param->choices != NULL ? param->choices[value] : NULL;
}

void demo_param_range(const DemoParam *param, char *buf, size_t len)
{
    if (demo_param_named(param)) {
        size_t at = 0;
        buf[0] = '\0';
        for (int64_t i = param->min; i <= param->max && at < len; i++) {
            at += (size_t)snprintf(buf + at, len - at, "%s%s", i > param->min ? "|" : "",
                                   demo_param_choice(param, i));
        }
    } else {
        snprintf(buf, len, "%" PRId64 "..%" PRId64, param->min, param->max);
    }
}

void demo_param_format(const DemoParam *param, int64_t value, char *buf, size_t len)
{
    if (demo_param_choice(param, value) != NULL) {
        snprintf(buf, len, "%s", demo_param_choice(param, value));
    } else {
        snprintf(buf, len, "%" PRId64, value);
    }
}

int demo_param_set(const DemoClass *demo, const char *arg, int64_t values[DEMO_MAX_PARAMS],
                   IlError *err)
{
    const char *eq = strchr(arg, '=');
    char key[64], range[256];
    const DemoParam *p;
    int idx;

    if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(key)) {
        return il_error_set(err, -IL_EUSAGE, "'%s': parameters are key=value (e.g. threads=4)",
                            arg);
    }
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    idx = demo_param_index(demo, key);
    if (idx < 0) {
        size_t at = 0;
        range[0] = '\0';
        for (unsigned i = 0; i < demo->nparams && at < sizeof(range); i++) {
            at += (size_t)snprintf(range + at, sizeof(range) - at, "%s%s", i > 0 ? ", " : "",
                                   demo->params[i].name);
        }
        return il_error_set(err, -IL_EUSAGE, "%s: unknown parameter for %s (parameters: %s)", key,
                            demo->name, range);
    }
    p = &demo->params[idx];
    demo_param_range(p, range, sizeof(range));
    eq++;
    if (demo_param_named(p)) {
        for (int64_t i = p->min; i <= p->max; i++) {
            if (strcmp(demo_param_choice(p, i), eq) == 0) {
                values[idx] = i;
                return 0;
            }
        }
        return il_error_set(err, -IL_EUSAGE, "%s: must be one of %s, got '%s'", key, range, eq);
    }
    {
        int64_t v;
        /* strictly decimal: not " 4", "+4", "0x10" or "4k" (util/num.h) */
        if (!num_parse_i64(eq, p->min, p->max, &v)) {
            return il_error_set(err, -IL_EUSAGE, "%s: must be an integer in %s, got '%s'", key,
                                range, eq);
        }
        values[idx] = v;
    }
    return 0;
}

int demo_params_parse(const DemoClass *demo, const char *const *args, size_t n,
                      int64_t values[DEMO_MAX_PARAMS], IlError *err)
{
    int64_t v[DEMO_MAX_PARAMS];
    size_t given[DEMO_MAX_PARAMS]; /* 1-based index into args, 0 = not given */

    memcpy(v, values, sizeof(v));
    memset(given, 0, sizeof(given));
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(args[i], '=');
        int rc = demo_param_set(demo, args[i], v, err);
        int idx;
        char key[64];

        if (rc < 0) {
            return rc;
        }
        /* demo_param_set accepted it: a known key shorter than key[] */
        memcpy(key, args[i], (size_t)(eq - args[i]));
        key[eq - args[i]] = '\0';
        idx = demo_param_index(demo, key);
        if (given[idx] != 0) {
            return il_error_set(err, -IL_EUSAGE, "%s: given twice ('%s', then '%s')", key,
                                args[given[idx] - 1], args[i]);
        }
        given[idx] = i + 1;
    }
    memcpy(values, v, sizeof(v));
    return 0;
}

const DemoVariant *demo_variant(const DemoClass *demo, const int64_t *params)
{
    for (unsigned i = 0; i < demo->nparams; i++) {
        const DemoParam *p = &demo->params[i];
        if (p->variants != NULL && params[i] >= p->min && params[i] <= p->max) {
            return &p->variants[params[i]];
        }
    }
    return NULL;
}

void (*demo_lane_fn(const DemoClass *demo, const int64_t *params))(DemoCtx *, unsigned)
{
    const DemoVariant *v = demo_variant(demo, params);
    return v != NULL && v->lane_main != NULL ? v->lane_main : demo->lane_main;
}

int demo_check_params(const DemoClass *demo, const int64_t *params, char *why, size_t len)
{
    unsigned n;
    if (demo->data_check != NULL && demo->data_check(demo->data, params, why, len) < 0) {
        return -1;
    }
    n = demo_lanes(demo, params);
    if (n == 0 || n > ARENA_MAX_LANES) {
        snprintf(why, len, "%s: %u lanes with these params (1..%d)", demo->name, n,
                 ARENA_MAX_LANES);
        return -1;
    }
    return 0;
}

unsigned demo_lanes(const DemoClass *demo, const int64_t *params)
{
    if (demo->data_lanes != NULL) {
        return demo->data_lanes(demo->data, params);
    }
    return demo->lanes(params);
}

uint64_t demo_events_per_lane(const DemoClass *demo, const int64_t *params)
{
    if (demo->data_events_per_lane != NULL) {
        return demo->data_events_per_lane(demo->data, params);
    }
    return demo->events_per_lane(params);
}

uint64_t demo_steps_estimate(const DemoClass *demo, const int64_t *params)
{
    if (demo->steps_per_lane == NULL) {
        return 0;
    }
    return demo->steps_per_lane(params) * demo_lanes(demo, params);
}

const char *const *demo_python(const DemoClass *demo, const int64_t *params, size_t *n)
{
    size_t ncode = 0;
    const char *const *py;

    *n = 0;
    if (demo->python == NULL) {
        return NULL;
    }
    (void)demo_code(demo, params, &ncode);
    py = demo->python(params, n);
    if (py == NULL) {
        *n = 0;
    } else if (*n > ncode) {
        *n = ncode; /* never a line beside no code */
    }
    return py;
}

const DemoCodeLine *demo_code(const DemoClass *demo, const int64_t *params, size_t *n)
{
    const DemoVariant *v = demo_variant(demo, params);
    if (demo->data_code != NULL) {
        return demo->data_code(demo->data, params, n);
    }
    if (v != NULL && v->code != NULL) {
        *n = v->ncode;
        return v->code;
    }
    if (demo->code != NULL) {
        return demo->code(params, n);
    }
    *n = 0;
    return NULL;
}

const char *demo_code_steps(const DemoClass *demo, size_t line)
{
    return demo->data_code_steps != NULL ? demo->data_code_steps(demo->data, line) : NULL;
}

const DemoResultField *demo_result_field(const DemoClass *demo, const char *name)
{
    for (unsigned i = 0; i < demo->nresults; i++) {
        if (strcmp(demo->results[i].name, name) == 0) {
            return &demo->results[i];
        }
    }
    return NULL;
}

DemoUnit demo_result_unit(const DemoClass *demo, const char *name)
{
    const DemoResultField *f = demo_result_field(demo, name);
    return f != NULL ? f->unit : DEMO_UNIT_COUNT;
}

const char *demo_unit_name(DemoUnit unit, bool stepping)
{
    switch (unit) {
    case DEMO_UNIT_TIME:
        return stepping ? "steps" : "ns";
    case DEMO_UNIT_NS:
        return "ns";
    case DEMO_UNIT_RATE:
        return "per_s";
    case DEMO_UNIT_RATIO:
        return "permille";
    default:
        return "count";
    }
}

void demo_unit_format(DemoUnit unit, int64_t value, bool stepping, char *buf, size_t len)
{
    double v = (double)value;

    if (unit == DEMO_UNIT_TIME && stepping) {
        snprintf(buf, len, "%" PRId64 " step%s", value, value == 1 ? "" : "s");
    } else if (unit == DEMO_UNIT_TIME || unit == DEMO_UNIT_NS) {
        if (value < 1000 && value > -1000) {
            snprintf(buf, len, "%" PRId64 " ns", value);
        } else if (v < 1e6 && v > -1e6) {
            snprintf(buf, len, "%.3g us", v / 1e3);
        } else if (v < 1e9 && v > -1e9) {
            snprintf(buf, len, "%.3g ms", v / 1e6);
        } else {
            snprintf(buf, len, "%.3g s", v / 1e9);
        }
    } else if (unit == DEMO_UNIT_RATIO) {
        snprintf(buf, len, "%.2fx", v / 1e3);
    } else if (unit == DEMO_UNIT_RATE) {
        if (v < 1e3) {
            snprintf(buf, len, "%" PRId64 "/s", value);
        } else if (v < 1e6) {
            snprintf(buf, len, "%.3gk/s", v / 1e3);
        } else {
            snprintf(buf, len, "%.3gM/s", v / 1e6);
        }
    } else if (unit == DEMO_UNIT_RATIO) {
        snprintf(buf, len, "%.2fx", v / 1000.0);
    } else {
        snprintf(buf, len, "%" PRId64, value);
    }
}
