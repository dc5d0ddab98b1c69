/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Column alignment like Go's text/tabwriter, which podman's tables go
 * through.  Cells end at '\t' (or '\v'), lines at '\n' (or '\f', which also
 * ends every column block).  A column block is a run of consecutive lines
 * that all have a cell in that column, the last cell of a line not counting:
 * each block gets the width of its widest cell plus padding, at least
 * minwidth, and its cells are padded to it.  The last cell of a line is never
 * padded.  Text between two 0xFF bytes is one literal run (tabs and newlines
 * in it do not split cells); the 0xFF bytes are kept but not counted.
 *
 * Widths are terminal columns (format/utf8.h: CJK and emoji count 2, combining
 * marks 0) where Go counts runes, so wide names line up on a terminal.
 */
#ifndef CPOD_UTIL_TABWRITER_H
#define CPOD_UTIL_TABWRITER_H

#include <stddef.h>

#include "util/strbuf.h"

/* As podman configures it: tabwriter.NewWriter(out, 12, 2, 2, ' ', 0). */
void cpod_tabwrite(const char *text, size_t len, struct strbuf *out);
/* Any minimal width, padding and pad character (a '\t' pad char is not supported: it pads like any other). */
void cpod_tabwrite_ex(const char *text, size_t len, size_t minwidth, size_t padding, char padchar, struct strbuf *out);

#endif
