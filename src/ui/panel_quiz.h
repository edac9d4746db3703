/*
 * panel_quiz.h - the questions and challenges of a lesson on screen: the
 * quiz dialog, and the goal block of the challenge being solved.
 *
 * DESIGN
 * The dialog is a mode of the lesson screen (key scope KEYS_QUIZ, opened
 * and closed with Tab).  It lists every question and challenge of the
 * lesson (lesson/quiz.h) with how the student stands on each, and shows
 * the selected one whole: a question's prompt and numbered choices, the
 * last answer given, right or wrong, and the explain: text; a challenge's
 * goal, its hint and how it was solved.  Choices are answered with their
 * digit, other questions by typing a line (the prompt takes the message
 * row), and a challenge is started in step mode (Enter) or with a typed
 * schedule (l): the dialog hands that back to the screen, which owns the
 * session.
 *
 * Nothing here reads a terminal: keys come in as calls, and drawing goes
 * into a Grid, so Check tests read the cells.  Status is always a word
 * ("right", "wrong", "solved"), never only a colour, so it reads on a
 * monochrome vt100 too.
 *
 * Thread: UI thread only.
 */
#ifndef INTERLEAVE_UI_PANEL_QUIZ_H
#define INTERLEAVE_UI_PANEL_QUIZ_H

#include <stdbool.h>
#include <stddef.h>

#include "lesson/quiz.h"
#include "ui/prompt.h"
#include "util/grid.h"
#include "view/view.h"

/* What a call asks of the screen. */
typedef enum PanelQuizAction {
    PANEL_QUIZ_NONE = 0, /* nothing beyond a redraw */
    PANEL_QUIZ_SAY,      /* say pq->msg (pq->verdict tells the tone) */
    PANEL_QUIZ_START,    /* close; start challenge pq->sel, the student steps */
    PANEL_QUIZ_SCHEDULE, /* close; start challenge pq->sel replaying panel_quiz_text() */
} PanelQuizAction;

/* What the prompt is open for. */
enum { PANEL_QUIZ_TYPING_NONE = 0, PANEL_QUIZ_TYPING_ANSWER, PANEL_QUIZ_TYPING_SCHEDULE };

typedef struct PanelQuiz {
    Quiz *quiz;      /* borrowed */
    size_t sel;      /* selected item */
    size_t top;      /* first item the list shows */
    int typing;      /* PANEL_QUIZ_TYPING_* */
    Prompt prompt;   /* the answer or schedule being typed */
    char label[160]; /* the prompt's label */
    char msg[512];   /* the last thing said: a verdict, a refusal */
    size_t msg_item; /* the item msg is about */
    int verdict;     /* QuizVerdict of msg, -1 = not a verdict */
} PanelQuiz;

/* Open pq (zeroed, or closed) on quiz (borrowed), selecting the first
 * item to show for page (quiz_first). */
void panel_quiz_open(PanelQuiz *pq, Quiz *quiz, size_t page);

/* Close the prompt and free what pq holds; it may be opened again. */
void panel_quiz_close(PanelQuiz *pq);

/* Select the next (dir > 0) or previous item; the prompt closes. */
void panel_quiz_move(PanelQuiz *pq, int dir);

/* Answer the selected question with choice n (1-based).  A question
 * without that choice, or a challenge, is refused in pq->msg. */
PanelQuizAction panel_quiz_choose(PanelQuiz *pq, int n);

/* Enter: open the prompt for an answer, or start a challenge. */
PanelQuizAction panel_quiz_enter(PanelQuiz *pq);

/* l: open the prompt for a challenge's schedule (refused on a question). */
PanelQuizAction panel_quiz_schedule(PanelQuiz *pq);

/* A key while the prompt is open (panel_quiz_typing): Enter judges the
 * answer or hands the schedule over, Esc closes the prompt only. */
PanelQuizAction panel_quiz_key(PanelQuiz *pq, int key);

/* Whether the prompt is open. */
bool panel_quiz_typing(const PanelQuiz *pq);

/* What was typed (borrowed until the next key). */
const char *panel_quiz_text(const PanelQuiz *pq);

/* The selected item (NULL when the lesson has none). */
const QuizItem *panel_quiz_item(const PanelQuiz *pq);

/* Draw the dialog into r of g (a frame over the lesson screen). */
void panel_quiz_draw(PanelQuiz *pq, Grid *g, Rect r);

/* Draw the prompt on row y of g. */
void panel_quiz_draw_prompt(const PanelQuiz *pq, Grid *g, int y);

/*
 * The goal block of challenge ch over the page text: its id, the goal, and
 * how the current run stands (status: a ChallengeStatus, or -1 = no run
 * yet; msg: the judge's line); once reached, the explain: text, after a
 * miss the hint.  Draws at most r.h rows and returns the rows used (a
 * rule under it included).
 */
int panel_quiz_goal_draw(Grid *g, Rect r, const LessonChallenge *ch, int status, const char *msg);

#endif /* INTERLEAVE_UI_PANEL_QUIZ_H */
