/* SPDX-License-Identifier: Apache-2.0 */
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

size_t strv_length(char *const *v)
{
        size_t n = 0;

        while (v && v[n])
                n++;
        return n;
}

void strv_take(char ***v, char *s)
{
        size_t n = strv_length(*v);

        *v = xreallocarray(*v, n + 2, sizeof(char *));
        (*v)[n] = s;
        (*v)[n + 1] = NULL;
}

void strv_add(char ***v, const char *s)
{
        strv_take(v, xstrdup(s));
}

char **strv_copy(char *const *v)
{
        size_t n = strv_length(v);
        char **r = xnew0(char *, n + 1);

        for (size_t i = 0; i < n; i++)
                r[i] = xstrdup(v[i]);
        return r;
}

bool strv_contains(char *const *v, const char *s)
{
        for (size_t i = 0; v && v[i]; i++)
                if (strcmp(v[i], s) == 0)
                        return true;
        return false;
}

char **strv_free(char **v)
{
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
        return NULL;
}

char **strv_split(const char *s, const char *seps)
{
        char **r = xnew0(char *, 1);

        while (s && *s) {
                size_t n = strcspn(s, seps);
                if (n)
                        strv_take(&r, xstrndup(s, n));
                s += n;
                if (*s)
                        s++;
        }
        return r;
}

char *strv_join(char *const *v, const char *sep)
{
        struct strbuf sb = STRBUF_INIT;

        for (size_t i = 0; v && v[i]; i++) {
                if (i)
                        strbuf_addstr(&sb, sep);
                strbuf_addstr(&sb, v[i]);
        }
        return strbuf_detach(&sb, NULL);
}

char **strv_split_keep_empty(const char *s, char sep)
{
        char **r = xnew0(char *, 1);

        for (;;) {
                const char *e = strchr(s, sep);
                strv_take(&r, e ? xstrndup(s, (size_t)(e - s)) : xstrdup(s));
                if (!e)
                        break;
                s = e + 1;
        }
        return r;
}
