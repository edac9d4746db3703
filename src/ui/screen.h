/*
 * screen.h - the screens of the TUI and how the loop talks to them.
 *
 * A screen is an object behind a const ScreenClass (htop's Panel, tmux's
 * window modes): it handles keys and actions by returning reaction bits,
 * polls its run on every tick, and draws itself into a Grid.  Handlers
 * never draw or refresh; ui.c turns the reactions into one redraw per
 * tick.
 *
 * Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_SCREEN_H
#define INTERLEAVE_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "demos/demo.h"
#include "util/grid.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "lesson/catalog.h"
#include "lesson/session.h"
#include "ui/keys.h"

/* Reaction bits returned by handlers. */
enum {
    REACT_NONE = 0,
    REACT_HANDLED = 1u << 0, /* the key was consumed */
    REACT_REDRAW = 1u << 1,  /* the screen changed */
    REACT_LIVE = 1u << 2,    /* something is moving: redraw every tick */
    REACT_OPEN = 1u << 3,    /* browser: open the selected entry */
    REACT_BACK = 1u << 4,    /* lesson: back to the browser */
    REACT_QUIT = 1u << 5,    /* leave the program */
    REACT_RELOAD = 1u << 6   /* read the lesson files again */
};

/* Smallest usable screen. */
#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

typedef struct ScreenClass {
    const char *name;
    /* the key scope (KEYS_*) in effect now */
    unsigned (*scope)(void *self);
    /* raw key first, for dialogs and prompts; REACT_HANDLED if consumed */
    int (*on_key)(void *self, int key);
    /* a key-table action */
    int (*on_action)(void *self, const KeyBinding *binding, int key);
    /* called every loop tick: poll runs; reactions as above */
    int (*tick)(void *self);
    /* draw the whole screen into grid (grid is at least UI_MIN_COLS x UI_MIN_ROWS) */
    void (*draw)(void *self, Grid *grid);
    /* extra lines for the help overlay (NULL-terminated), may be NULL */
    const char *const *(*help_extra)(void *self);
} ScreenClass;

/* The browser (browser.c).  Caller owns it; free with browser_free(). */
typedef struct Browser Browser;
extern const ScreenClass browser_class;
Browser *browser_new(const Catalog *catalog);
void browser_free(Browser *browser);
/* The catalog was reloaded: keep the selection in range. */
void browser_reloaded(Browser *browser);
/* The selected entry index. */
size_t browser_selected(const Browser *browser);
/* An error for the student that stays on screen ("progress is not saved:
 * ..."), "" = none.  The text is copied. */
void browser_set_notice(Browser *browser, const char *text);

/* The lesson screen (lesson_screen.c). */
typedef struct LessonScreen LessonScreen;
extern const ScreenClass lesson_screen_class;
/* entry is borrowed and must outlive the screen; NULL on out of memory */
LessonScreen *lesson_screen_new(const CatalogEntry *entry, Progress *progress);
void lesson_screen_free(LessonScreen *screen);
/* Use the presenter layout (a projector) or the lesson layout. */
void lesson_screen_set_present(LessonScreen *screen, bool present);
/* The id of the screen's lesson, NULL for a playground.  Borrowed. */
const char *lesson_screen_lesson_id(const LessonScreen *screen);
/* The screen's lesson was reloaded: show entry's (the same id), at the same
 * page when it still has it. */
void lesson_screen_relesson(LessonScreen *screen, const CatalogEntry *entry);
/* Say msg on the screen's message line, as an error. */
void lesson_screen_say_error(LessonScreen *screen, const char *msg);
/* For a demo script (lesson/script.h): the screen's session, its lesson
 * (NULL for a playground) and page (0-based), going to a page (page must
 * be one of the lesson's), and a caption for the class (the script's
 * `say`; "" = none), shown until the next one. */
LessonSession *lesson_screen_session(LessonScreen *screen);
const Lesson *lesson_screen_lesson(const LessonScreen *screen);
size_t lesson_screen_page(const LessonScreen *screen);
void lesson_screen_goto_page(LessonScreen *screen, size_t page);
void lesson_screen_set_caption(LessonScreen *screen, const char *text);

/* Draw the "make the window larger" notice. */
void screen_draw_too_small(Grid *grid, int cols, int rows);

#endif /* INTERLEAVE_UI_SCREEN_H */
