/*
 * catalog.h - what the lesson browser lists: every lesson of the lesson
 * search path (lesson/lessonpath.h), then a playground per demo, and the
 * files that did not load, every one of them.
 *
 * A catalog can be reloaded while the program runs (an instructor edits a
 * lesson between two classes): the new lessons replace the old ones in
 * place, unless the lesson on screen no longer loads, in which case the old
 * catalog stays and the reload says why.
 *
 * Thread: one thread (the front end's main thread).
 */
#ifndef INTERLEAVE_LESSON_CATALOG_H
#define INTERLEAVE_LESSON_CATALOG_H

#include <stddef.h>

#include "core/demo_class.h"
#include "lesson/lesson.h"
#include "lesson/lessonpath.h"
#include "lesson/progress.h"
#include "util/strbuf.h"

/* One entry of the browser: a lesson, or a demo's playground. */
typedef struct CatalogEntry {
    const Lesson *lesson;  /* owned by the catalog */
    const DemoClass *demo; /* the demo (lesson's or playground's), NULL = text only */
} CatalogEntry;

typedef struct Catalog {
    CatalogEntry *entries; /* owned */
    size_t n;
    Progress *progress; /* borrowed, may be NULL (progress could not be loaded) */
    LessonPath path;    /* where the lessons came from */
    Lesson **lessons;   /* owned */
    size_t nlessons;
    StrBuf path_text; /* the path for people: "~/course:/usr/share/..." */
    StrBuf problems;  /* one "path:line: what" line per file that did not load */
} Catalog;

/*
 * Load the catalog from the lesson search path with the ndirs directories
 * of --lessons first (dirs may be NULL when ndirs is 0).  Returns 0, or
 * -ENOMEM (cat is then empty; catalog_fini() is still fine).
 */
int catalog_load(Catalog *cat, const char *const *dirs, size_t ndirs);

/*
 * Load the lessons again from the same path.  When keep_id is a lesson
 * that loaded before and no longer does, nothing changes and why says
 * which file and line; else the catalog is replaced (entries move: look
 * them up again with catalog_find()).  Returns 0, -1 (kept, why filled)
 * or -ENOMEM.
 */
int catalog_reload(Catalog *cat, const char *keep_id, StrBuf *why);

/* Free what cat holds. */
void catalog_fini(Catalog *cat);

/* The entry for a lesson id, else a demo's playground by name; -1. */
long catalog_find(const Catalog *cat, const char *name);

#endif /* INTERLEAVE_LESSON_CATALOG_H */
