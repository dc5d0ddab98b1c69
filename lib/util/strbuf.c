/* SPDX-License-Identifier: Apache-2.0 */
#include "util/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
        sb->alloc = sb->len = 0;
        sb->buf = strbuf_slopbuf;
        if (hint)
                strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
        if (sb->alloc)
                free(sb->buf);
        strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *ret_len)
{
        char *r;

        if (ret_len)
                *ret_len = sb->len;
        r = sb->alloc ? sb->buf : xstrdup("");
        strbuf_init(sb, 0);
        return r;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
        size_t want = sb->len + extra + 1;

        if (want < sb->len)
                abort();
        if (want <= sb->alloc)
                return;
        if (!sb->alloc)
                sb->buf = NULL;
        sb->alloc = sb->alloc * 3 / 2 > want ? sb->alloc * 3 / 2 : want + 16;
        sb->buf = xrealloc(sb->buf, sb->alloc);
        if (sb->len == 0)
                sb->buf[0] = '\0';
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
        if (!sb->alloc)
                return;
        if (len > sb->alloc - 1)
                abort();
        sb->len = len;
        sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
        strbuf_grow(sb, len);
        if (len)
                memcpy(sb->buf + sb->len, data, len);
        sb->len += len;
        sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
        strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
        strbuf_grow(sb, 1);
        sb->buf[sb->len++] = (char)c;
        sb->buf[sb->len] = '\0';
}

void strbuf_addchars(struct strbuf *sb, int c, size_t n)
{
        strbuf_grow(sb, n);
        memset(sb->buf + sb->len, c, n);
        sb->len += n;
        sb->buf[sb->len] = '\0';
}

void strbuf_addvf(struct strbuf *sb, const char *fmt, va_list ap)
{
        char probe[1];
        va_list cp;
        int n;

        va_copy(cp, ap);
        /* Measure into a 1-byte buffer: gcc 12 with ASan misreports vsnprintf(NULL, 0, ...). */
        n = vsnprintf(probe, sizeof(probe), fmt, cp);
        va_end(cp);
        if (n < 0)
                return;
        strbuf_grow(sb, (size_t)n);
        vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
        sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        strbuf_addvf(sb, fmt, ap);
        va_end(ap);
}

void strbuf_rtrim(struct strbuf *sb)
{
        while (sb->len > 0 && isspace((unsigned char)sb->buf[sb->len - 1]))
                sb->len--;
        if (sb->alloc)
                sb->buf[sb->len] = '\0';
}

void strbuf_trim(struct strbuf *sb)
{
        size_t i = 0;

        strbuf_rtrim(sb);
        while (i < sb->len && isspace((unsigned char)sb->buf[i]))
                i++;
        if (i) {
                memmove(sb->buf, sb->buf + i, sb->len - i);
                strbuf_setlen(sb, sb->len - i);
        }
}

bool strbuf_endswith(const struct strbuf *sb, const char *suffix)
{
        size_t n = strlen(suffix);

        return sb->len >= n && memcmp(sb->buf + sb->len - n, suffix, n) == 0;
}
