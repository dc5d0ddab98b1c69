/* SPDX-License-Identifier: Apache-2.0 */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
        static const char msg[] = "cpod: out of memory\n";
        (void)!fwrite(msg, 1, sizeof(msg) - 1, stderr);
        abort();
}

void *xmalloc(size_t n)
{
        void *p = malloc(n ? n : 1);
        if (!p)
                oom();
        return p;
}

void *xzalloc(size_t n)
{
        return xcalloc(1, n);
}

void *xcalloc(size_t nmemb, size_t size)
{
        void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
        if (!p)
                oom();
        return p;
}

void *xrealloc(void *p, size_t n)
{
        p = realloc(p, n ? n : 1);
        if (!p)
                oom();
        return p;
}

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
        if (size && nmemb > SIZE_MAX / size)
                oom();
        return xrealloc(p, nmemb * size);
}

char *xstrdup(const char *s)
{
        char *r;
        if (!s)
                return NULL;
        r = strdup(s);
        if (!r)
                oom();
        return r;
}

char *xstrndup(const char *s, size_t n)
{
        char *r = strndup(s, n);
        if (!r)
                oom();
        return r;
}

void *xmemdup(const void *p, size_t n)
{
        void *r = xmalloc(n);
        memcpy(r, p, n);
        return r;
}

char *xvasprintf(const char *fmt, va_list ap)
{
        char *r;
        if (vasprintf(&r, fmt, ap) < 0)
                oom();
        return r;
}

char *xasprintf(const char *fmt, ...)
{
        va_list ap;
        char *r;
        va_start(ap, fmt);
        r = xvasprintf(fmt, ap);
        va_end(ap);
        return r;
}
