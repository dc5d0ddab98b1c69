/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Growable, always NUL-terminated byte buffer (after git's strbuf).
 * Use it instead of fixed char arrays and sprintf.
 */
#ifndef CPOD_UTIL_STRBUF_H
#define CPOD_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
        size_t alloc;
        size_t len;
        char *buf; /* never NULL after init: points to a static "" while alloc == 0 */
};

extern char strbuf_slopbuf[];
/* clang-format off */
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }
/* clang-format on */

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hand the buffer to the caller (free() it); sb is reset.  ret_len may be NULL. */
char *strbuf_detach(struct strbuf *sb, size_t *ret_len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
static inline void strbuf_reset(struct strbuf *sb)
{
        strbuf_setlen(sb, 0);
}
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_addvf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void strbuf_rtrim(struct strbuf *sb);
void strbuf_trim(struct strbuf *sb);
bool strbuf_endswith(const struct strbuf *sb, const char *suffix);

#define _cleanup_strbuf_ __attribute__((cleanup(strbuf_release)))

#endif
