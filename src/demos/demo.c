/*
 * demo.c - the demo registry.
 *
 * demo_table[] is the one list of demos: `interleave list`, `--help`, name
 * lookup and the TUI's lesson browser all read it.
 */
#include "config.h"

#include "demos/demo.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demos/asyncio.h"
#include "demos/breakfast.h"
#include "demos/crawl.h"
#include "demos/deadlock.h"
#include "demos/futures.h"
#include "demos/gil.h"
#include "demos/models.h"
#include "demos/philosophers.h"
#include "demos/pool.h"
#include "demos/prodcons.h"
#include "demos/race.h"
#include "demos/share.h"
#include "util/vec.h"

/* one demo a line, so that adding one touches one line */
/* clang-format off */
static const DemoClass *const demo_table[] = {
    &race_demo,
    &deadlock_demo,
    &philosophers_demo,
    &prodcons_demo,
    &gil_demo,
    &share_demo,
    &pool_demo,
    &asyncio_demo,
    &futures_demo,
    &crawl_demo,
    &breakfast_demo,
    &models_demo,
};
/* clang-format on */

size_t demo_count(void)
{
    return ARRAY_SIZE(demo_table);
}

const DemoClass *demo_at(size_t i)
{
    return i < ARRAY_SIZE(demo_table) ? demo_table[i] : NULL;
}

static void demo_names(char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(demo_table) && at < len; i++) {
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i > 0 ? ", " : "", demo_table[i]->name);
    }
}

/* Classes built at run time (demo_register), newest last. */
static const DemoClass **demo_runtime;
static size_t demo_nruntime, demo_runtime_cap;

int demo_register(const DemoClass *cls)
{
    const DemoClass **n;

    if (strchr(cls->name, '/') == NULL) {
        return -EINVAL;
    }
    n = vec_grow(demo_runtime, &demo_runtime_cap, demo_nruntime + 1, sizeof(*demo_runtime));
    if (n == NULL) {
        return -ENOMEM;
    }
    demo_runtime = n;
    demo_runtime[demo_nruntime++] = cls;
    return 0;
}

static const DemoClass *demo_find_runtime(const char *name)
{
    for (size_t i = demo_nruntime; i-- > 0;) {
        if (strcmp(demo_runtime[i]->name, name) == 0) {
            return demo_runtime[i];
        }
    }
    return NULL;
}

const DemoClass *demo_find_scoped(const char *scope, const char *name, IlError *err)
{
    if (scope != NULL && strchr(name, '/') == NULL) {
        char full[256];
        const DemoClass *d;
        snprintf(full, sizeof(full), "%s/%s", scope, name);
        d = demo_find_runtime(full);
        if (d != NULL) {
            return d;
        }
    }
    return demo_find(name, err);
}

const DemoClass *demo_find(const char *name, IlError *err)
{
    const DemoClass *found = NULL;
    size_t len = strlen(name);
    int matches = 0;
    char names[256];

    if (strchr(name, '/') != NULL) {
        found = demo_find_runtime(name);
        if (found != NULL) {
            return found;
        }
        il_error_set(err, -IL_EUSAGE, "unknown scenario '%s'", name);
        return NULL;
    }

    for (size_t i = 0; i < ARRAY_SIZE(demo_table); i++) {
        if (strcmp(demo_table[i]->name, name) == 0) {
            return demo_table[i];
        }
        if (len > 0 && strncmp(demo_table[i]->name, name, len) == 0) {
            found = demo_table[i];
            matches++;
        }
    }
    if (matches == 1) {
        return found;
    }
    demo_names(names, sizeof(names));
    il_error_set(err, -IL_EUSAGE, "%s demo '%s' (demos: %s)", matches > 1 ? "ambiguous" : "unknown",
                 name, names);
    return NULL;
}
