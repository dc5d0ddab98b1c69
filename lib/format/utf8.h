/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 helpers for output formatting: decoding like Go's utf8 package
 * (an invalid or truncated sequence is one U+FFFD of one byte), terminal
 * display width, and small case tables.  No locale is consulted, so results
 * are the same in every thread and environment.
 */
#ifndef CPOD_UTIL_UTF8_H
#define CPOD_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define UTF8_RUNE_ERROR 0xFFFDu

/* Decode the sequence at s (len >= 1 bytes).  Returns its length; invalid → *cp = U+FFFD, 1. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Append cp encoded; surrogates and values past U+10FFFF become U+FFFD. */
void utf8_encode(struct strbuf *sb, uint32_t cp);
/* Number of runes, as Go's utf8.RuneCount. */
size_t utf8_count(const char *s, size_t len);
/* Byte length of the first n runes of s (all of s when it has fewer). */
size_t utf8_prefix(const char *s, size_t len, size_t n);
/* Terminal columns of one code point: 0 for controls and combining marks, 2 for wide (CJK, emoji). */
int utf8_cp_width(uint32_t cp);
/* Terminal columns of a string. */
size_t utf8_width(const char *s, size_t len);
/* Simple case mapping for ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and fullwidth forms. */
uint32_t utf8_toupper(uint32_t cp);
uint32_t utf8_tolower(uint32_t cp);
/* An approximation of Go's unicode.IsPrint (no table of unassigned code points). */
bool utf8_is_print(uint32_t cp);
/* Letters, digits and '_' outside ASCII are approximated as every printable non-space rune. */
bool utf8_is_word(uint32_t cp);

#endif
