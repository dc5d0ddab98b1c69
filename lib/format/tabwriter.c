/* SPDX-License-Identifier: Apache-2.0 */
#include "format/tabwriter.h"

#include <stdbool.h>
#include <stdlib.h>

#include "format/utf8.h"
#include "util/xalloc.h"

struct cell {
        size_t start, len; /* bytes of the text */
        size_t width;      /* display width of the text */
        size_t colw;       /* width of its column block, for cells that are in a column */
};

struct line {
        size_t first, ncells; /* into the cell array */
        bool formfeed;        /* ended by '\f': no column block continues past it */
};

struct table {
        struct cell *cells;
        size_t ncells, acells;
        struct line *lines;
        size_t nlines, alines;
};

static void add_cell(struct table *t, const char *text, size_t start, size_t end)
{
        struct cell *c;
        size_t w = 0;

        if (t->ncells == t->acells) {
                t->acells = t->acells ? 2 * t->acells : 64;
                t->cells = xreallocarray(t->cells, t->acells, sizeof(*t->cells));
        }
        for (size_t i = start; i < end;) {
                uint32_t cp;
                size_t n = utf8_decode(text + i, end - i, &cp);
                if (!(n == 1 && (unsigned char)text[i] == 0xFF))
                        w += (size_t)utf8_cp_width(cp);
                i += n;
        }
        c = &t->cells[t->ncells++];
        *c = (struct cell){ start, end - start, w, 0 };
        t->lines[t->nlines - 1].ncells++;
}

static void add_line(struct table *t)
{
        if (t->nlines == t->alines) {
                t->alines = t->alines ? 2 * t->alines : 16;
                t->lines = xreallocarray(t->lines, t->alines, sizeof(*t->lines));
        }
        t->lines[t->nlines++] = (struct line){ t->ncells, 0, false };
}

/* Split text into lines of cells; the last line keeps its final cell only when it is not empty. */
static void split(struct table *t, const char *text, size_t len)
{
        size_t start = 0;
        bool escaped = false;

        add_line(t);
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char)text[i];

                if (c == 0xFF) {
                        escaped = !escaped;
                        continue;
                }
                if (escaped || (c != '\t' && c != '\v' && c != '\n' && c != '\f'))
                        continue;
                add_cell(t, text, start, i);
                start = i + 1;
                if (c == '\n' || c == '\f') {
                        t->lines[t->nlines - 1].formfeed = c == '\f';
                        add_line(t);
                }
        }
        if (start < len)
                add_cell(t, text, start, len);
}

/* Give the cells of column col on lines [from, to) the block width. */
static void close_block(struct table *t, size_t col, size_t from, size_t to, size_t minwidth, size_t padding)
{
        size_t w = minwidth;

        for (size_t l = from; l < to; l++)
                if (t->cells[t->lines[l].first + col].width + padding > w)
                        w = t->cells[t->lines[l].first + col].width + padding;
        for (size_t l = from; l < to; l++)
                t->cells[t->lines[l].first + col].colw = w;
}

/*
 * One sweep over the lines: open[c] is the first line of the block column c
 * is in.  A line with k columns closes the blocks of columns k and up.
 */
static void measure(struct table *t, size_t minwidth, size_t padding)
{
        size_t *open = NULL, nopen = 0, aopen = 0;

        for (size_t l = 0; l <= t->nlines; l++) {
                bool last = l == t->nlines;
                size_t k = last ? 0 : (t->lines[l].ncells ? t->lines[l].ncells - 1 : 0);

                while (nopen > k) {
                        nopen--;
                        close_block(t, nopen, open[nopen], l, minwidth, padding);
                }
                if (last)
                        break;
                if (k > aopen) {
                        aopen = k;
                        open = xreallocarray(open, aopen, sizeof(*open));
                }
                while (nopen < k)
                        open[nopen++] = l;
                if (t->lines[l].formfeed) {
                        while (nopen > 0) {
                                nopen--;
                                close_block(t, nopen, open[nopen], l + 1, minwidth, padding);
                        }
                }
        }
        free(open);
}

void cpod_tabwrite_ex(const char *text, size_t len, size_t minwidth, size_t padding, char padchar, struct strbuf *out)
{
        struct table t = { 0 };

        split(&t, text, len);
        measure(&t, minwidth, padding);
        strbuf_grow(out, len + len / 2);
        for (size_t l = 0; l < t.nlines; l++) {
                const struct line *ln = &t.lines[l];

                for (size_t j = 0; j < ln->ncells; j++) {
                        const struct cell *c = &t.cells[ln->first + j];
                        strbuf_add(out, text + c->start, c->len);
                        if (j + 1 < ln->ncells && c->colw > c->width)
                                strbuf_addchars(out, padchar, c->colw - c->width);
                }
                if (l + 1 < t.nlines)
                        strbuf_addch(out, '\n');
        }
        free(t.cells);
        free(t.lines);
}

void cpod_tabwrite(const char *text, size_t len, struct strbuf *out)
{
        cpod_tabwrite_ex(text, len, 12, 2, ' ', out);
}
