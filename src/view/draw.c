/*
 * draw.c - text into the screen model (see draw.h).
 *
 * The interned glyph table maps cell bytes 0x80..0xFF to UTF-8 strings.
 * It only grows; when it is full, further new characters show as '?'
 * (lesson text uses a handful of them, so 128 is plenty).  Interning is
 * a linear search over at most 128 short strings, done only for
 * non-ASCII characters.
 */
#include "config.h"

#include "view/draw.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define DRAW_EXT_MAX 128

static char draw_ext[DRAW_EXT_MAX][5];
static int draw_next;

const char *draw_ext_glyph(unsigned char b)
{
    if (b < 0x80 || (int)(b - 0x80) >= draw_next) {
        return "?";
    }
    return draw_ext[b - 0x80];
}

/* Decode one UTF-8 sequence at s (n bytes available).  Returns its length
 * (1 for a bad byte) and the code point in *cp (0xFFFD when bad). */
static size_t draw_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        c = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        c = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* ASCII stand-ins for characters lesson text is likely to use. */
static char draw_translit(uint32_t cp)
{
    switch (cp) {
    case 0x2014: /* em dash */
    case 0x2013: /* en dash */
    case 0x2500: /* box horizontal */
    case 0x2212: /* minus */
        return '-';
    case 0x2192: /* right arrow */
    case 0x25B8:
    case 0x25B6:
        return '>';
    case 0x2190:
        return '<';
    case 0x2018:
    case 0x2019:
        return '\'';
    case 0x201C:
    case 0x201D:
        return '"';
    case 0x2026:
        return '.';
    case 0x2022: /* bullet */
    case 0x00B7:
        return '*';
    case 0x00D7:
        return 'x';
    case 0x2502:
        return '|';
    case 0x00A0:
        return ' ';
    default:
        return '?';
    }
}

/* The cell byte for a non-ASCII code point whose UTF-8 text is s[0..len),
 * in a grid that takes UTF-8 glyphs (utf8) or not. */
static char draw_intern(bool utf8, uint32_t cp, const unsigned char *s, size_t len)
{
    if (!utf8 || cp == 0xFFFD || len > 4) {
        return draw_translit(cp);
    }
    /* combining marks and wide (CJK, emoji) characters would break the
     * one-cell-per-character layout */
    if ((cp >= 0x0300 && cp < 0x0370) || cp >= 0x1100) {
        if (!(cp >= 0x2000 && cp < 0x2E80)) {
            return draw_translit(cp);
        }
    }
    for (int i = 0; i < draw_next; i++) {
        if (strlen(draw_ext[i]) == len && memcmp(draw_ext[i], s, len) == 0) {
            return (char)(0x80 + i);
        }
    }
    if (draw_next == DRAW_EXT_MAX) {
        return draw_translit(cp);
    }
    memcpy(draw_ext[draw_next], s, len);
    draw_ext[draw_next][len] = '\0';
    return (char)(0x80 + draw_next++);
}

int draw_text(Grid *g, int x, int y, int maxw, const char *s, size_t nbytes, int style)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = nbytes == (size_t)-1 ? strlen(s) : nbytes;
    int col = 0;

    if (y < 0 || y >= g->h) {
        return 0;
    }
    while (n > 0 && *p != '\0' && col < maxw && x + col < g->w) {
        uint32_t cp;
        size_t len = draw_utf8(p, n, &cp);
        char ch;

        if (cp < 0x80) {
            ch = cp < 0x20 || cp == 0x7F ? ' ' : (char)cp;
        } else {
            ch = draw_intern(g->utf8, cp, p, len);
        }
        if (x + col >= 0) {
            grid_put(g, x + col, y, ch, (CellStyle)style);
        }
        col++;
        p += len;
        n -= len;
    }
    return col;
}

void draw_glyph(Grid *g, int x, int y, const char *utf8, char ascii, int style)
{
    char ch = ascii;
    if (g->utf8 && utf8 != NULL && utf8[0] != '\0') {
        const unsigned char *p = (const unsigned char *)utf8;
        size_t n = strlen(utf8);
        uint32_t cp;
        size_t len = draw_utf8(p, n, &cp);
        if (len == n) {
            ch = cp < 0x80 ? (char)cp : draw_intern(true, cp, p, len);
            if (ch == '?' && cp >= 0x80) {
                ch = ascii; /* not internable: the ASCII stand-in */
            }
        }
    }
    grid_put(g, x, y, ch, (CellStyle)style);
}

int draw_text_fit(Grid *g, int x, int y, int maxw, const char *s, int style)
{
    int w = draw_width(s, (size_t)-1);
    int ew = g->utf8 ? 1 : 3; /* the ellipsis */
    size_t cut = 0, last_space = 0, i = 0;
    int col = 0, n;

    if (w <= maxw) {
        return draw_text(g, x, y, maxw, s, (size_t)-1, style);
    }
    if (maxw <= ew) {
        return draw_text(g, x, y, maxw, s, (size_t)-1, style);
    }
    /* the longest prefix of whole words that leaves room for the ellipsis */
    while (s[i] != '\0' && col < maxw - ew) {
        uint32_t cp;
        size_t len = draw_utf8((const unsigned char *)s + i, strlen(s + i), &cp);
        if (cp == ' ') {
            last_space = i;
        }
        i += len;
        col++;
    }
    cut = s[i] == ' ' ? i : last_space > 0 ? last_space : i;
    while (cut > 0 && s[cut - 1] == ' ') {
        cut--;
    }
    n = draw_text(g, x, y, maxw - ew, s, cut, style);
    if (g->utf8) {
        draw_glyph(g, x + n, y, "\u2026", '.', style);
        return n + 1;
    }
    return n + draw_text(g, x + n, y, ew, "...", (size_t)-1, style);
}

int draw_textf(Grid *g, int x, int y, int maxw, int style, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return draw_text_fit(g, x, y, maxw, buf, style);
}

int draw_width(const char *s, size_t nbytes)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = nbytes == (size_t)-1 ? strlen(s) : nbytes;
    int w = 0;

    while (n > 0 && *p != '\0') {
        uint32_t cp;
        size_t len = draw_utf8(p, n, &cp);
        p += len;
        n -= len;
        w++;
    }
    return w;
}

void draw_fill(Grid *g, int x, int y, int w, int h, int style)
{
    for (int r = y; r < y + h; r++) {
        for (int c = x; c < x + w; c++) {
            grid_put(g, c, r, ' ', (CellStyle)style);
        }
    }
}

void draw_hline(Grid *g, int x, int y, int w, int style)
{
    for (int c = x; c < x + w; c++) {
        grid_put(g, c, y, DRAW_HLINE, (CellStyle)style);
    }
}

void draw_vline(Grid *g, int x, int y, int h, int style)
{
    for (int r = y; r < y + h; r++) {
        grid_put(g, x, r, DRAW_VLINE, (CellStyle)style);
    }
}

/* Byte length of the longest prefix of s[0..n) that fits in width columns,
 * broken after a space where possible.  *next is where the rest starts. */
static size_t draw_break(const char *s, size_t n, int width, size_t *next)
{
    size_t i = 0, last_space = 0;
    int col = 0;

    while (i < n && col < width) {
        uint32_t cp;
        size_t len = draw_utf8((const unsigned char *)s + i, n - i, &cp);
        if (cp == ' ') {
            last_space = i;
        }
        i += len;
        col++;
    }
    if (i >= n) {
        *next = n;
        return n;
    }
    if (s[i] == ' ') {
        last_space = i;
    }
    if (last_space > 0) {
        *next = last_space + 1;
        return last_space;
    }
    *next = i; /* a word longer than the line: cut it */
    return i;
}

static bool draw_is_list_item(const char *s, size_t n, int *indent)
{
    size_t i = 0;
    if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ') {
        *indent = 2;
        return true;
    }
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        i++;
    }
    if (i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ') {
        *indent = (int)i + 2;
        return true;
    }
    return false;
}

/* Wrap s[0..n) with the first line at full width and the rest indented. */
static int draw_wrap_one(const char *s, size_t n, int width, int hang, DrawLineFn line, void *arg)
{
    int lines = 0;
    bool first = true;

    while (n > 0 || first) {
        int w = first ? width : width - hang;
        size_t next, len;
        if (w < 8) {
            w = 8;
        }
        len = draw_break(s, n, w, &next);
        line(arg, s, len, first ? 0 : hang);
        lines++;
        s += next;
        n -= next;
        first = false;
    }
    return lines;
}

int draw_wrap(const char *text, int width, DrawLineFn line, void *arg)
{
    const char *p = text;
    int lines = 0;
    char para[4096];
    size_t plen = 0;

    if (width < 8) {
        width = 8;
    }
    for (;;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        int hang = 0;
        bool blank = true, plain;

        for (size_t i = 0; i < n; i++) {
            if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') {
                blank = false;
                break;
            }
        }
        plain = !blank && p[0] != ' ' && p[0] != '\t' && !draw_is_list_item(p, n, &hang) &&
                strncmp(p, "```", 3) != 0;
        if (plain) {
            /* join into the paragraph */
            if (plen > 0 && plen < sizeof(para) - 1) {
                para[plen++] = ' ';
            }
            while (n > 0 && p[n - 1] == '\r') {
                n--;
            }
            if (plen + n >= sizeof(para)) {
                n = sizeof(para) - 1 - plen;
            }
            memcpy(para + plen, p, n);
            plen += n;
        } else {
            if (plen > 0) {
                lines += draw_wrap_one(para, plen, width, 0, line, arg);
                plen = 0;
            }
            if (blank) {
                if (eol != NULL || n > 0) {
                    line(arg, "", 0, 0);
                    lines++;
                }
            } else if (hang > 0) {
                lines += draw_wrap_one(p, n, width, hang, line, arg);
            } else {
                /* code and indented lines: as they are, clipped */
                line(arg, p, n, 0);
                lines++;
            }
        }
        if (eol == NULL) {
            break;
        }
        p = eol + 1;
        if (*p == '\0') {
            break;
        }
    }
    if (plen > 0) {
        lines += draw_wrap_one(para, plen, width, 0, line, arg);
    }
    return lines;
}

int draw_text_fit_tail(Grid *g, int x, int y, int maxw, const char *s, int style)
{
    int w = draw_width(s, (size_t)-1);
    int ew = g->utf8 ? 1 : 3; /* the ellipsis */
    int room = maxw - ew - 1; /* the tail, after the ellipsis and a space */
    size_t i = 0, at = (size_t)-1, cut = (size_t)-1;
    int col = 0, n;

    if (w <= maxw || room < 1) {
        return draw_text(g, x, y, maxw, s, (size_t)-1, style);
    }
    /* the first word start (else the first character) whose tail fits */
    while (s[i] != '\0') {
        uint32_t cp;
        size_t len = draw_utf8((const unsigned char *)s + i, strlen(s + i), &cp);
        if (w - col <= room) {
            if (cut == (size_t)-1) {
                cut = i;
            }
            if (s[i] != ' ' && i > 0 && s[i - 1] == ' ') {
                at = i;
                break;
            }
        }
        i += len;
        col++;
    }
    if (at == (size_t)-1) {
        at = cut == (size_t)-1 ? i : cut;
    }
    if (g->utf8) {
        draw_glyph(g, x, y, "\u2026", '.', style);
        n = 1;
    } else {
        n = draw_text(g, x, y, ew, "...", (size_t)-1, style);
    }
    n++; /* the space */
    return n + draw_text(g, x + n, y, maxw - n, s + at, (size_t)-1, style);
}

int draw_text_mark(Grid *g, int x, int y, int maxw, const char *s, size_t nbytes, int style)
{
    size_t n = nbytes == (size_t)-1 ? strlen(s) : nbytes;
    size_t used = n;
    int room = maxw < g->w - x ? maxw : g->w - x;

    /* blanks at the end do not count: nothing is lost when they are cut */
    while (used > 0 && (s[used - 1] == ' ' || s[used - 1] == '\t' || s[used - 1] == '\r')) {
        used--;
    }
    if (room < 2 || draw_width(s, used) <= room) {
        return draw_text(g, x, y, room, s, used, style);
    }
    draw_text(g, x, y, room - 1, s, used, style);
    draw_glyph(g, x + room - 1, y, "\u2026", '>', STYLE_DIM);
    return room;
}

int draw_text_lines(Grid *g, int x, int y, int w, int maxrows, const char *s, int style)
{
    size_t n = strlen(s);
    int lines = 0;

    if (w < 1 || maxrows < 1) {
        return 0;
    }
    for (;;) {
        size_t next, len;
        if (lines == maxrows - 1 && draw_width(s, n) > w) {
            /* the last line there is room for, and the rest is longer */
            if (g != NULL) {
                draw_text_fit(g, x, y + lines, w, s, style);
            }
            return lines + 1;
        }
        len = draw_break(s, n, w, &next);
        if (g != NULL) {
            draw_text(g, x, y + lines, w, s, len, style);
        }
        lines++;
        s += next;
        n -= next;
        if (n == 0 || lines == maxrows) {
            return lines;
        }
    }
}

#define DRAW_PARTS_MAX 16

int draw_parts(Grid *g, int x, int y, int w, const DrawPart *parts, size_t n)
{
    bool keep[DRAW_PARTS_MAX];
    int width[DRAW_PARTS_MAX];
    int total = 0, kept = 0, col = 0;

    if (n > DRAW_PARTS_MAX) {
        n = DRAW_PARTS_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        keep[i] = parts[i].text != NULL && parts[i].text[0] != '\0';
        width[i] = keep[i] ? draw_width(parts[i].text, (size_t)-1) : 0;
        if (keep[i]) {
            total += width[i] + (kept > 0 ? 2 : 0);
            kept++;
        }
    }
    while (total > w && kept > 0) {
        size_t low = n;
        for (size_t i = 0; i < n; i++) {
            if (keep[i] && (low == n || parts[i].prio <= parts[low].prio)) {
                low = i;
            }
        }
        keep[low] = false;
        kept--;
        total -= width[low] + (kept > 0 ? 2 : 0);
    }
    for (size_t i = 0; i < n; i++) {
        if (keep[i]) {
            if (col > 0) {
                col += 2;
            }
            col += draw_text(g, x + col, y, w - col, parts[i].text, (size_t)-1, parts[i].style);
        }
    }
    return col;
}

void draw_box(Grid *g, int x, int y, int w, int h, int style)
{
    if (w < 2 || h < 2) {
        return;
    }
    draw_fill(g, x, y, w, h, STYLE_TEXT);
    draw_hline(g, x + 1, y, w - 2, style);
    draw_hline(g, x + 1, y + h - 1, w - 2, style);
    draw_vline(g, x, y + 1, h - 2, style);
    draw_vline(g, x + w - 1, y + 1, h - 2, style);
    draw_glyph(g, x, y, "\u250c", '+', style);
    draw_glyph(g, x + w - 1, y, "\u2510", '+', style);
    draw_glyph(g, x, y + h - 1, "\u2514", '+', style);
    draw_glyph(g, x + w - 1, y + h - 1, "\u2518", '+', style);
}
