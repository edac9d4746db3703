/*
 * crt.c - the terminal owner (see crt.h).
 *
 * DESIGN
 * This is the only file that calls newterm()/endwin(), sets terminal
 * modes, creates colour pairs and installs signal handlers.  Styles are a
 * semantic enum (CellStyle plus UiStyle); each theme is one table from
 * style to curses attributes, and the monochrome theme uses only bold,
 * dim, underline and reverse, so every state stays readable without
 * colour.  Glyphs are chosen per cell at copy time: the grid holds ASCII
 * and symbolic bytes, and crt_blit() turns them into Unicode block and
 * line characters when the locale is UTF-8.
 *
 * Signals become flags (rule 16): SIGWINCH marks a pending resize, which
 * crt_getkey() applies and reports as CRT_KEY_RESIZE; SIGINT, SIGTERM and
 * SIGHUP record the signal for the loop, which then shuts down in order.
 * Every other signal whose default action ends the process (the crashes,
 * SEGV, BUS, FPE, ILL, ABRT, and also QUIT from Ctrl-\, USR1, USR2, ALRM,
 * PIPE, XCPU, XFSZ, VTALRM, PROF, IO, SYS, TRAP and the real-time
 * signals) restores the terminal from the handler (endwin is not
 * async-signal-safe, but the process is ending and a usable terminal is
 * worth the risk, as htop does) and re-raises it: the default action
 * follows, with its exit status and core dump.  A signal the list forgot
 * would leave the terminal with no echo, no line mode, the cursor hidden,
 * on the alternate screen; tests/e2e/tui_signals.sh sends them.
 *
 * While curses owns the terminal, fd 2 points at an unlinked temporary
 * file, so a stray message from us or from a run cannot garble the
 * screen; crt_done() prints the file to the real stderr.
 */
#include "config.h"

#include "ui/crt.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui/curses_compat.h"
#include "view/draw.h"

typedef struct CrtTheme {
    short fg, bg; /* -1 = terminal default */
    attr_t attr;
} CrtTheme;

static const CrtTheme crt_theme_color[UI_STYLE_COUNT] = {
    [STYLE_TEXT] = {-1, -1, 0},
    [STYLE_NEW] = {-1, -1, A_DIM},
    [STYLE_RUNNING] = {COLOR_GREEN, -1, A_BOLD},
    [STYLE_READY] = {-1, -1, 0},
    [STYLE_BLOCKED] = {COLOR_RED, -1, A_BOLD},
    [STYLE_FINISHED] = {-1, -1, 0},
    [STYLE_MARK] = {COLOR_YELLOW, -1, A_BOLD},
    [STYLE_AXIS] = {COLOR_CYAN, -1, 0},
    [STYLE_DIM] = {-1, -1, A_DIM},
    [UI_TITLE] = {COLOR_BLACK, COLOR_CYAN, 0},
    [UI_HEADING] = {COLOR_CYAN, -1, A_BOLD},
    [UI_KEY] = {COLOR_BLACK, COLOR_CYAN, 0},
    [UI_KEYBAR] = {-1, -1, 0},
    [UI_SELECTED] = {COLOR_BLACK, COLOR_CYAN, 0},
    [UI_ERROR] = {COLOR_RED, -1, A_BOLD},
    [UI_GOOD] = {COLOR_GREEN, -1, A_BOLD},
    [UI_MARKER] = {COLOR_BLACK, COLOR_YELLOW, 0},
    [UI_CODE] = {COLOR_YELLOW, -1, 0},
    [UI_BANNER] = {COLOR_WHITE, COLOR_RED, A_BOLD},
    [UI_WARN_BANNER] = {COLOR_BLACK, COLOR_YELLOW, 0},
    [UI_CYCLE] = {COLOR_RED, -1, A_BOLD | A_UNDERLINE},
    [UI_ACCENT_0] = {COLOR_MAGENTA, -1, A_BOLD},
    [UI_ACCENT_1] = {COLOR_BLUE, -1, A_BOLD},
    [UI_ACCENT_2] = {COLOR_CYAN, -1, 0},
    [UI_ACCENT_3] = {COLOR_YELLOW, -1, 0},
};

static const CrtTheme crt_theme_mono[UI_STYLE_COUNT] = {
    [STYLE_TEXT] = {-1, -1, 0},
    [STYLE_NEW] = {-1, -1, A_DIM},
    [STYLE_RUNNING] = {-1, -1, A_BOLD},
    [STYLE_READY] = {-1, -1, 0},
    [STYLE_BLOCKED] = {-1, -1, A_BOLD},
    [STYLE_FINISHED] = {-1, -1, 0},
    [STYLE_MARK] = {-1, -1, A_BOLD | A_UNDERLINE},
    [STYLE_AXIS] = {-1, -1, 0},
    [STYLE_DIM] = {-1, -1, A_DIM},
    [UI_TITLE] = {-1, -1, A_REVERSE},
    [UI_HEADING] = {-1, -1, A_BOLD},
    [UI_KEY] = {-1, -1, A_REVERSE},
    [UI_KEYBAR] = {-1, -1, 0},
    [UI_SELECTED] = {-1, -1, A_REVERSE},
    [UI_ERROR] = {-1, -1, A_BOLD},
    [UI_GOOD] = {-1, -1, A_BOLD},
    [UI_MARKER] = {-1, -1, A_REVERSE | A_BOLD},
    [UI_CODE] = {-1, -1, 0},
    [UI_BANNER] = {-1, -1, A_REVERSE | A_BOLD},
    [UI_WARN_BANNER] = {-1, -1, A_REVERSE},
    [UI_CYCLE] = {-1, -1, A_BOLD | A_UNDERLINE},
    [UI_ACCENT_0] = {-1, -1, A_BOLD},
    [UI_ACCENT_1] = {-1, -1, A_BOLD},
    [UI_ACCENT_2] = {-1, -1, A_DIM},
    [UI_ACCENT_3] = {-1, -1, A_UNDERLINE},
};

static SCREEN *crt_screen;
static bool crt_is_active;
static bool crt_has_color;
static bool crt_has_utf8;
static attr_t crt_attrs[UI_STYLE_COUNT];
static int crt_saved_stderr = -1;
static int crt_err_fd = -1;
static int crt_cols, crt_rows;

/* What the last crt_blit() put on stdscr (a copy of its grid's cells), so
 * a frame hands curses only the cells that changed; NULL = unknown (the
 * next blit writes every cell). */
static Cell *crt_shown;
static int crt_shown_w, crt_shown_h;

static volatile sig_atomic_t crt_winch;
static volatile sig_atomic_t crt_quit_sig;

/* The screen no longer shows what crt_shown says (a resize, a new
 * screen): the next blit writes every cell. */
static void crt_forget_shown(void)
{
    free(crt_shown);
    crt_shown = NULL;
    crt_shown_w = crt_shown_h = 0;
}

/* Signals whose default action ends the process, other than the three the
 * loop handles in order (signal(7)); the real-time ones are added at run
 * time (SIGRTMIN is not a constant). */
static const int crt_fatal_signals[] = {
    SIGSEGV,   SIGBUS,  SIGFPE,  SIGILL,  SIGABRT,   SIGQUIT, SIGTRAP, SIGUSR1, SIGUSR2,
    SIGPIPE,   SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO,   SIGSYS,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGLOST
    SIGLOST,
#endif
};

static void crt_on_winch(int sig)
{
    (void)sig;
    crt_winch = 1;
}

static void crt_on_quit(int sig)
{
    crt_quit_sig = sig;
}

static void crt_on_fatal(int sig)
{
    int saved = errno;
    if (crt_is_active) {
        curs_set(1);
        endwin();
        if (crt_saved_stderr >= 0) {
            dup2(crt_saved_stderr, 2);
        }
        crt_is_active = false;
    }
    errno = saved;
    raise(sig); /* SA_RESETHAND: the default action now, with a core dump */
}

static void crt_set_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = crt_on_winch;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);

    sa.sa_handler = crt_on_quit;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    sa.sa_handler = crt_on_fatal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (size_t i = 0; i < sizeof(crt_fatal_signals) / sizeof(crt_fatal_signals[0]); i++) {
        sigaction(crt_fatal_signals[i], &sa, NULL);
    }
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
        sigaction(sig, &sa, NULL);
    }
}

static void crt_reset_signals(void)
{
    signal(SIGWINCH, SIG_DFL);
    for (size_t i = 0; i < sizeof(crt_fatal_signals) / sizeof(crt_fatal_signals[0]); i++) {
        signal(crt_fatal_signals[i], SIG_DFL);
    }
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
        signal(sig, SIG_DFL);
    }
    /* SIGINT/SIGTERM/SIGHUP keep the flag handler: the loop is ending and
     * will exit normally; a second signal must not kill it mid-cleanup */
}

/* Send fd 2 to an unlinked temporary file. */
static void crt_redirect_stderr(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int fd;

    snprintf(path, sizeof(path), "%s/interleave-stderr-XXXXXX",
             dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        return; /* keep stderr as it is: better than nothing */
    }
    unlink(path);
    fflush(stderr);
    crt_saved_stderr = fcntl(2, F_DUPFD_CLOEXEC, 3);
    if (crt_saved_stderr < 0) {
        close(fd);
        return;
    }
    dup2(fd, 2);
    crt_err_fd = fd;
    fcntl(crt_err_fd, F_SETFD, FD_CLOEXEC);
}

static void crt_restore_stderr(void)
{
    char buf[4096];
    ssize_t got;

    if (crt_saved_stderr < 0) {
        return;
    }
    fflush(stderr);
    dup2(crt_saved_stderr, 2);
    close(crt_saved_stderr);
    crt_saved_stderr = -1;
    if (lseek(crt_err_fd, 0, SEEK_SET) == 0) {
        while ((got = read(crt_err_fd, buf, sizeof(buf))) > 0) {
            if (write(2, buf, (size_t)got) != got) {
                break;
            }
        }
    }
    close(crt_err_fd);
    crt_err_fd = -1;
}

static bool crt_want_ascii(void)
{
    const char *term = getenv("TERM");
    const char *force = getenv("INTERLEAVE_ASCII");
    const char *cs = nl_langinfo(CODESET);

    if (force != NULL && force[0] != '\0' && strcmp(force, "0") != 0) {
        return true;
    }
    if (term != NULL && strncmp(term, "vt", 2) == 0) {
        return true;
    }
    return cs == NULL || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0);
}

static void crt_setup_colors(void)
{
    const char *nc = getenv("NO_COLOR");
    const CrtTheme *theme = crt_theme_mono;

    crt_has_color = has_colors() && !(nc != NULL && nc[0] != '\0');
    if (crt_has_color && start_color() == OK) {
        use_default_colors();
        theme = crt_theme_color;
    } else {
        crt_has_color = false;
    }
    for (int s = 0; s < UI_STYLE_COUNT; s++) {
        crt_attrs[s] = theme[s].attr;
        if (crt_has_color && (theme[s].fg >= 0 || theme[s].bg >= 0) && s + 1 < COLOR_PAIRS) {
            init_pair((short)(s + 1), theme[s].fg, theme[s].bg);
            crt_attrs[s] |= COLOR_PAIR(s + 1);
        }
    }
}

int crt_init(IlError *err)
{
    if (crt_is_active) {
        return 0;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        return il_error_set(err, -ENOTTY,
                            "the lessons need a terminal (for scripts, use 'interleave run')");
    }
    setlocale(LC_ALL, "");
    crt_has_utf8 = !crt_want_ascii();
    crt_set_signals();
    crt_redirect_stderr();
    crt_screen = newterm(NULL, stdout, stdin);
    if (crt_screen == NULL) {
        crt_restore_stderr();
        crt_reset_signals();
        return il_error_set(err, -ENOTTY, "cannot use terminal type '%s'",
                            getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
    }
    set_term(crt_screen);
    {
        /* a terminal that cannot address the cursor (TERM=dumb, or one
         * whose entry lacks cup) would get an unusable full-screen UI:
         * refuse it like an unknown terminal type */
        const char *cup = tigetstr("cup");
        if (cup == NULL || cup == (const char *)-1) {
            endwin();
            delscreen(crt_screen);
            crt_screen = NULL;
            crt_restore_stderr();
            crt_reset_signals();
            return il_error_set(err, -ENOTTY,
                                "terminal type '%s' cannot move the cursor: the lessons need a "
                                "full-screen terminal (for scripts, use 'interleave run')",
                                getenv("TERM") != NULL ? getenv("TERM") : "(unset)");
        }
    }
    crt_is_active = true;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    crt_setup_colors();
    getmaxyx(stdscr, crt_rows, crt_cols);
    crt_forget_shown();
    return 0;
}

void crt_done(void)
{
    crt_forget_shown();
    if (!crt_is_active) {
        return;
    }
    curs_set(1);
    endwin();
    crt_is_active = false;
    delscreen(crt_screen);
    crt_screen = NULL;
    crt_reset_signals();
    crt_restore_stderr();
}

bool crt_active(void)
{
    return crt_is_active;
}

void crt_size(int *cols, int *rows)
{
    *cols = crt_cols;
    *rows = crt_rows;
}

int crt_quit_signal(void)
{
    return crt_quit_sig;
}

bool crt_color(void)
{
    return crt_has_color;
}

bool crt_utf8(void)
{
    return crt_has_utf8;
}

static void crt_apply_resize(void)
{
    struct winsize ws;

    crt_winch = 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        resizeterm(ws.ws_row, ws.ws_col);
    }
    getmaxyx(stdscr, crt_rows, crt_cols);
    clearok(curscr, TRUE);
    crt_forget_shown();
}

int crt_getkey(int timeout_ms)
{
    int ch;

    if (crt_winch) {
        crt_apply_resize();
        return CRT_KEY_RESIZE;
    }
    timeout(timeout_ms);
    ch = getch();
    if (crt_winch) {
        crt_apply_resize();
        if (ch == ERR || ch == KEY_RESIZE) {
            return CRT_KEY_RESIZE;
        }
    }
    switch (ch) {
    case ERR:
        return CRT_KEY_NONE;
    case KEY_RESIZE:
        getmaxyx(stdscr, crt_rows, crt_cols);
        crt_forget_shown();
        return CRT_KEY_RESIZE;
    case KEY_UP:
        return CRT_KEY_UP;
    case KEY_DOWN:
        return CRT_KEY_DOWN;
    case KEY_LEFT:
        return CRT_KEY_LEFT;
    case KEY_RIGHT:
        return CRT_KEY_RIGHT;
    case KEY_PPAGE:
        return CRT_KEY_PGUP;
    case KEY_NPAGE:
        return CRT_KEY_PGDN;
    case KEY_HOME:
        return CRT_KEY_HOME;
    case KEY_END:
        return CRT_KEY_END;
    case KEY_ENTER:
    case '\n':
    case '\r':
        return CRT_KEY_ENTER;
    case KEY_BACKSPACE:
    case 127:
    case 8:
        return CRT_KEY_BACKSPACE;
    case 27:
        return CRT_KEY_ESC;
    case KEY_F(1):
        return CRT_KEY_F1;
    case KEY_F(5):
        return CRT_KEY_F5;
    default:
        if (ch >= 0 && ch < 0x100) {
            return ch;
        }
        return CRT_KEY_NONE;
    }
}

/* The text to show for cell c: NULL means "the byte itself". */
static const char *crt_glyph(const Cell *c)
{
    unsigned char b = (unsigned char)c->ch;

    if (b >= 0x80) {
        return draw_ext_glyph(b);
    }
    if (b < 0x20) {
        switch (b) {
        case DRAW_ARROW:
            return crt_has_utf8 ? "\u2192" : ">";
        case DRAW_HLINE:
            return crt_has_utf8 ? "\u2500" : "-";
        case DRAW_VLINE:
            return crt_has_utf8 ? "\u2502" : "|";
        case DRAW_BULLET:
            return crt_has_utf8 ? "\u25b8" : "*";
        default:
            return " ";
        }
    }
    if (crt_has_utf8) {
        if (b == '=' && c->style == STYLE_RUNNING) {
            return "\u2588"; /* full block */
        }
        if (b == '.' && c->style == STYLE_READY) {
            return "\u00b7"; /* middle dot */
        }
        if (b == '#' && c->style == STYLE_BLOCKED) {
            return "\u2592"; /* medium shade */
        }
    }
    return NULL;
}

void crt_blit(const Grid *grid)
{
    int style = -1;
    size_t n = (size_t)grid->w * (size_t)grid->h;
    bool diff = crt_shown != NULL && crt_shown_w == grid->w && crt_shown_h == grid->h;

    if (!crt_is_active) {
        return;
    }
    for (int y = 0; y < grid->h && y < crt_rows; y++) {
        const Cell *row = &grid->cells[y * grid->w];
        const Cell *was = diff ? &crt_shown[y * grid->w] : NULL;
        int w = grid->w < crt_cols ? grid->w : crt_cols;
        int x = 0;
        while (x < w) {
            int end = x;
            if (was != NULL && row[x].ch == was[x].ch && row[x].style == was[x].style) {
                x++; /* stdscr shows it already */
                continue;
            }
            while (end < w && (was == NULL || row[end].ch != was[end].ch ||
                               row[end].style != was[end].style)) {
                end++;
            }
            move(y, x);
            for (; x < end; x++) {
                const Cell *c = &row[x];
                const char *g;
                if (c->style != style) {
                    style = c->style;
                    attrset(style < UI_STYLE_COUNT ? crt_attrs[style] : 0);
                }
                g = crt_glyph(c);
                if (y == crt_rows - 1 && x == crt_cols - 1) {
                    /* the last cell: writing it would scroll; insert instead */
                    char one[2] = {c->ch, '\0'};
                    mvinsstr(y, x, g != NULL ? g : one);
                } else if (g != NULL) {
                    addstr(g);
                } else {
                    addch((chtype)(unsigned char)c->ch);
                }
            }
        }
    }
    attrset(0);
    wnoutrefresh(stdscr);
    doupdate();
    /* what stdscr shows now; without the copy the next blit writes all */
    if (!diff) {
        free(crt_shown);
        crt_shown = n > 0 ? malloc(n * sizeof(*crt_shown)) : NULL;
        crt_shown_w = crt_shown != NULL ? grid->w : 0;
        crt_shown_h = crt_shown != NULL ? grid->h : 0;
    }
    if (crt_shown != NULL) {
        memcpy(crt_shown, grid->cells, n * sizeof(*crt_shown));
    }
}
