/*
 * panel_text.h - the lesson page panel: a page's title, its text wrapped
 * to the panel (paragraphs joined, lists with a hanging indent, code lines
 * as they are), and a "more below" mark when the text goes on past the
 * panel.  A playground (no lesson) shows the demo's summary.  The text
 * marks each question and challenge where it stands ("[question 1] ...");
 * after it, one line each says how the student stands on them ("question
 * 1: answered: right"), with a pointer to Tab, where they are answered.
 *
 * Curses-free: it draws into a Grid.  Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_PANEL_TEXT_H
#define INTERLEAVE_UI_PANEL_TEXT_H

#include <stddef.h>

#include "core/demo_class.h"
#include "lesson/lesson.h"
#include "lesson/quiz.h"
#include "util/grid.h"
#include "view/view.h"

/*
 * Draw page (0-based) of lesson (NULL or no pages: a playground of demo)
 * into r of g, from line scroll of the laid-out text on.  quiz (the
 * lesson's, may be NULL) gives the student's standing on each question
 * and challenge.  Returns the number of laid-out lines (for scrolling).
 */
int panel_text_draw(Grid *g, Rect r, const Lesson *lesson, size_t page, int scroll,
                    const DemoClass *demo, const Quiz *quiz);

#endif /* INTERLEAVE_UI_PANEL_TEXT_H */
