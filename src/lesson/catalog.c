/*
 * catalog.c - what the lesson browser lists (see catalog.h).
 */
#include "config.h"

#include "lesson/catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demos/demo.h"

/* Fill entries and lessons of cat from the loaded list. */
static int catalog_fill(Catalog *cat, Lesson **lessons, size_t nlessons)
{
    size_t ndemos = demo_count();
    IlError err;

    cat->entries = calloc(nlessons + ndemos + 1, sizeof(*cat->entries));
    if (cat->entries == NULL) {
        return -ENOMEM;
    }
    cat->lessons = lessons;
    cat->nlessons = nlessons;
    cat->n = 0;
    for (size_t i = 0; i < nlessons; i++) {
        const Lesson *l = lessons[i];
        const DemoClass *demo = NULL;
        const char *name = l->demo;
        for (size_t p = 0; name == NULL && p < l->npages; p++) {
            if (l->pages[p].nruns > 0) {
                name = l->pages[p].runs[0].demo;
            }
        }
        if (name != NULL) {
            demo = demo_find(name, &err);
        }
        cat->entries[cat->n++] = (CatalogEntry){l, demo};
    }
    for (size_t i = 0; i < ndemos; i++) {
        cat->entries[cat->n++] = (CatalogEntry){NULL, demo_at(i)};
    }
    return 0;
}

int catalog_load(Catalog *cat, const char *const *dirs, size_t ndirs)
{
    Lesson **lessons = NULL;
    size_t n = 0;
    IlError err;

    memset(cat, 0, sizeof(*cat));
    strbuf_init(&cat->path_text);
    strbuf_init(&cat->problems);
    if (lessonpath_init(&cat->path, dirs, ndirs) < 0) {
        return -ENOMEM;
    }
    lessonpath_describe(&cat->path, &cat->path_text);
    if (lessonpath_load(&cat->path, &lessons, &n, &cat->problems, &err) < 0) {
        return err.code;
    }
    if (catalog_fill(cat, lessons, n) < 0) {
        lesson_list_free(lessons, n);
        return -ENOMEM;
    }
    return 0;
}

static bool catalog_has(Lesson **lessons, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(lessons[i]->id, id) == 0) {
            return true;
        }
    }
    return false;
}

int catalog_reload(Catalog *cat, const char *keep_id, StrBuf *why)
{
    Lesson **lessons = NULL;
    size_t n = 0;
    StrBuf problems;
    IlError err;
    Catalog old;

    strbuf_init(&problems);
    if (lessonpath_load(&cat->path, &lessons, &n, &problems, &err) < 0) {
        strbuf_fini(&problems);
        return err.code;
    }
    if (keep_id != NULL && catalog_has(cat->lessons, cat->nlessons, keep_id) &&
        !catalog_has(lessons, n, keep_id)) {
        /* the lesson on screen broke: say where, keep what was there */
        const char *line = strbuf_str(&problems);
        char want[256];
        bool said = false;
        snprintf(want, sizeof(want), "/%s.md:", keep_id);
        while (*line != '\0' && !said) {
            size_t len = strcspn(line, "\n");
            const char *hit = strstr(line, want);
            if (hit != NULL && hit < line + len) {
                strbuf_addf(why, "%.*s", (int)len, line);
                said = true;
            }
            line += len;
            line += *line == '\n';
        }
        if (!said) {
            strbuf_addf(why, "lesson %s is gone from the lesson path", keep_id);
        }
        lesson_list_free(lessons, n);
        strbuf_fini(&problems);
        return -1;
    }
    old = *cat;
    cat->entries = NULL;
    if (catalog_fill(cat, lessons, n) < 0) {
        *cat = old;
        lesson_list_free(lessons, n);
        strbuf_fini(&problems);
        return -ENOMEM;
    }
    free(old.entries);
    lesson_list_free(old.lessons, old.nlessons);
    strbuf_fini(&cat->problems);
    cat->problems = problems;
    return 0;
}

void catalog_fini(Catalog *cat)
{
    free(cat->entries);
    lesson_list_free(cat->lessons, cat->nlessons);
    lessonpath_fini(&cat->path);
    strbuf_fini(&cat->path_text);
    strbuf_fini(&cat->problems);
    memset(cat, 0, sizeof(*cat));
}

long catalog_find(const Catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n; i++) {
        if (cat->entries[i].lesson != NULL && strcmp(cat->entries[i].lesson->id, name) == 0) {
            return (long)i;
        }
    }
    for (size_t i = 0; i < cat->n; i++) {
        if (cat->entries[i].lesson == NULL && strcmp(cat->entries[i].demo->name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}
