/*
 * grid.c - the cell grid (see grid.h).
 */
#include "config.h"

#include "util/grid.h"

#include <stdlib.h>
#include <string.h>

Grid *grid_new(int w, int h)
{
    Grid *g;
    if (w <= 0 || h <= 0 || w > 100000 || h > 100000) {
        return NULL;
    }
    g = malloc(sizeof(*g));
    if (g == NULL) {
        return NULL;
    }
    g->w = w;
    g->h = h;
    g->utf8 = false;
    g->cells = malloc((size_t)w * (size_t)h * sizeof(Cell));
    if (g->cells == NULL) {
        free(g);
        return NULL;
    }
    grid_clear(g);
    return g;
}

void grid_free(Grid *grid)
{
    if (grid != NULL) {
        free(grid->cells);
        free(grid);
    }
}

void grid_clear(Grid *grid)
{
    for (int i = 0; i < grid->w * grid->h; i++) {
        grid->cells[i].ch = ' ';
        grid->cells[i].style = STYLE_TEXT;
    }
}

Cell *grid_at(Grid *grid, int x, int y)
{
    if (x < 0 || y < 0 || x >= grid->w || y >= grid->h) {
        return NULL;
    }
    return &grid->cells[y * grid->w + x];
}

void grid_put(Grid *grid, int x, int y, char ch, CellStyle style)
{
    Cell *c = grid_at(grid, x, y);
    if (c != NULL) {
        c->ch = ch;
        c->style = (uint8_t)style;
    }
}

int grid_puts(Grid *grid, int x, int y, const char *s, CellStyle style)
{
    int n = 0;
    for (; *s != '\0' && x + n < grid->w; s++, n++) {
        grid_put(grid, x + n, y, *s, style);
    }
    return n;
}

size_t grid_row_text(const Grid *grid, int y, char *buf, size_t len)
{
    size_t n = 0;
    if (len == 0) {
        return 0;
    }
    if (y >= 0 && y < grid->h) {
        for (int x = 0; x < grid->w && n + 1 < len; x++) {
            buf[n++] = grid->cells[y * grid->w + x].ch;
        }
    }
    while (n > 0 && buf[n - 1] == ' ') {
        n--;
    }
    buf[n] = '\0';
    return n;
}
