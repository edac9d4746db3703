/*
 * curses_compat.h - the one place interleave includes curses.
 *
 * configure finds ncursesw (preferred, for UTF-8 output) or ncurses and
 * checks which header exists; this picks the right one.  Only files in
 * src/ui/ include this header, and of those only crt.c draws with it.
 */
#ifndef INTERLEAVE_UI_CURSES_COMPAT_H
#define INTERLEAVE_UI_CURSES_COMPAT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#if defined(HAVE_NCURSESW_CURSES_H)
#include <ncursesw/curses.h>
#elif defined(HAVE_NCURSES_H)
#include <ncurses.h>
#elif defined(HAVE_CURSES_H)
#include <curses.h>
#else
#error "no curses header found by configure"
#endif

#endif /* INTERLEAVE_UI_CURSES_COMPAT_H */
