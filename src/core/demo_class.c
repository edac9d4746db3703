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

#include "util/num.h"

void demo_params_default(const DemoClass *demo, int64_t values[DEMO_MAX_PARAMS])
{
    for (unsigned i = 0; i < DEMO_MAX_PARAMS; i++) {
        values[i] = i < demo->nparams ? demo->params[i].def : 0;
    }
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
