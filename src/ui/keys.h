/*
 * keys.h - the key table: every binding of the TUI in one const array.
 *
 * Lookup, the key bar and the help overlay are all generated from
 * keys_table[], so they cannot drift apart (style rule 3).  A binding
 * belongs to one or more scopes (the browser, the lesson screen, a mode
 * of it); `bar` puts it in the key bar of that scope.
 *
 * Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_KEYS_H
#define INTERLEAVE_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/grid.h"

typedef enum KeyAction {
    ACT_NONE = 0,
    ACT_QUIT,
    ACT_HELP,
    ACT_BACK,
    ACT_UP,
    ACT_DOWN,
    ACT_OPEN,
    ACT_NEXT_PAGE,
    ACT_PREV_PAGE,
    ACT_RUN_PAUSE,
    ACT_RESET,
    ACT_SLOW,
    ACT_STEP_MODE,
    ACT_LANE,
    ACT_UNDO,
    ACT_CONTINUE,
    ACT_SAVE,
    ACT_LOAD,
    ACT_PARAMS,
    ACT_PAGE_RUN,
    ACT_ZOOM_IN,
    ACT_ZOOM_OUT,
    ACT_SCROLL_LEFT,
    ACT_SCROLL_RIGHT,
    ACT_FOLLOW,
    ACT_QUIZ,               /* open / close the questions and challenges */
    ACT_CHOICE,             /* quiz: answer with choice N */
    ACT_ANSWER,             /* quiz: type an answer, or start a challenge */
    ACT_CHALLENGE_SCHEDULE, /* quiz: type a schedule for a challenge */
    ACT_EXPORT,             /* write the run as a Chrome trace */
    ACT_RELOAD,
    ACT_LANES_UP,
    ACT_LANES_DOWN,
    ACT_STEP_NAMED,
    ACT_PRESENT,
    ACT_EXPLORE, /* open / close the explorer's outcomes */
    ACT_EXPAND,  /* the code panel: show the steps of the lanes' lines */
    ACT_PYTHON,  /* the code panel: the Python of the course instead of the pseudo-code */
    ACT_COUNT
} KeyAction;

/*
 * Scopes: where a binding applies.  KEYS_QUIZ is a mode of the lesson
 * screen with a key table of its own (tmux's mode key tables): while the
 * questions and challenges have the focus, digits are choices and letters
 * mean what the quiz says, and no lesson key (a lane, run, reset) fires by
 * mistake.  Only help and quit are shared with every scope.
 */
enum {
    KEYS_BROWSER = 1u << 0,
    KEYS_FREE = 1u << 1,    /* lesson screen, free-run mode */
    KEYS_STEP = 1u << 2,    /* lesson screen, step mode */
    KEYS_QUIZ = 1u << 3,    /* lesson screen, the questions and challenges */
    KEYS_EXPLORE = 1u << 4, /* lesson screen, the explorer's outcomes */
    KEYS_LESSON = KEYS_FREE | KEYS_STEP,
    KEYS_ALL = KEYS_BROWSER | KEYS_LESSON,
    KEYS_EVERYWHERE = KEYS_ALL | KEYS_QUIZ | KEYS_EXPLORE
};

typedef struct KeyBinding {
    int key;          /* a character or CRT_KEY_* */
    int key_last;     /* last key of a range ('A'..'Z'), 0 = single key */
    const char *name; /* as shown: "space", "A-Z" */
    const char *bar;  /* short label for the key bar, NULL = not in the bar */
    const char *help; /* one line for the help overlay */
    KeyAction action;
    unsigned scope;
} KeyBinding;

extern const KeyBinding keys_table[];

/* The binding of key in scope, or NULL. */
const KeyBinding *keys_find(int key, unsigned scope);

/* Draw the key bar of scope on row y of grid (full width). */
void keys_draw_bar(Grid *grid, int y, unsigned scope);

/* Draw a key bar of only the bindings of scope whose action is one of
 * actions[0..n): the few keys a presenter uses. */
void keys_draw_bar_only(Grid *grid, int y, unsigned scope, const KeyAction *actions, size_t n);

/*
 * Draw the help overlay for scope, centred in a box that fits grid: every
 * key with its help (in two columns when each still gives a help 30
 * columns, else one; a long help wraps), then the notes of extra (may be
 * NULL; each entry a paragraph, wrapped).  When that is taller than the
 * box, the box shows its rows from *scroll on (clamped to what there is
 * and written back) and says there is more above or below.  Returns 0 when
 * it all shows, else the rows shown (a page, for PgUp/PgDn).
 */
int keys_draw_help(Grid *grid, unsigned scope, const char *const *extra, int *scroll);

#endif /* INTERLEAVE_UI_KEYS_H */
