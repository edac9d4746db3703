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

void demo_param_range(const DemoParam *param, char *buf, size_t len)
{
    if (param->choices != NULL) {
        size_t at = 0;
        buf[0] = '\0';
        for (size_t i = 0; param->choices[i] != NULL && at < len; i++) {
            at += (size_t)snprintf(buf + at, len - at, "%s%s", i > 0 ? "|" : "", param->choices[i]);
        }
    } else {
        snprintf(buf, len, "%" PRId64 "..%" PRId64, param->min, param->max);
    }
}

void demo_param_format(const DemoParam *param, int64_t value, char *buf, size_t len)
{
    if (param->choices != NULL && value >= param->min && value <= param->max) {
        snprintf(buf, len, "%s", param->choices[value]);
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
    if (p->choices != NULL) {
        for (int64_t i = 0; p->choices[i] != NULL; i++) {
            if (strcmp(p->choices[i], eq) == 0) {
                values[idx] = i;
                return 0;
            }
        }
        return il_error_set(err, -IL_EUSAGE, "%s: must be one of %s, got '%s'", key, range, eq);
    }
    {
        char *end = NULL;
        long long v;
        errno = 0;
        v = strtoll(eq, &end, 10);
        if (*eq == '\0' || end == NULL || *end != '\0' || errno != 0 || v < p->min || v > p->max) {
            return il_error_set(err, -IL_EUSAGE, "%s: must be an integer in %s, got '%s'", key,
                                range, eq);
        }
        values[idx] = v;
    }
    return 0;
}
