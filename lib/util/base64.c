/* SPDX-License-Identifier: Apache-2.0 */
#include "util/base64.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *b64_encode(const void *in, size_t len)
{
        const unsigned char *p = in;
        char *out = xmalloc((len + 2) / 3 * 4 + 1), *o = out;

        for (size_t i = 0; i < len; i += 3) {
                unsigned v = (unsigned)p[i] << 16;
                if (i + 1 < len)
                        v |= (unsigned)p[i + 1] << 8;
                if (i + 2 < len)
                        v |= p[i + 2];
                *o++ = tab[(v >> 18) & 63];
                *o++ = tab[(v >> 12) & 63];
                *o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
                *o++ = i + 2 < len ? tab[v & 63] : '=';
        }
        *o = '\0';
        return out;
}

static int value(char c, bool url_safe)
{
        const char *p = c ? strchr(tab, c) : NULL;

        if (p)
                return (int)(p - tab);
        if (!url_safe)
                return -1;
        return c == '-' ? 62 : c == '_' ? 63 : -1;
}

char *b64_decode(const char *in, bool url_safe, size_t *ret_len)
{
        size_t n = strlen(in), len = 0;
        unsigned acc = 0;
        int bits = 0;
        char *out;

        while (n > 0 && in[n - 1] == '=')
                n--;
        out = xmalloc(n / 4 * 3 + 4);
        for (size_t i = 0; i < n; i++) {
                int v = value(in[i], url_safe);
                if (v < 0) {
                        free(out);
                        return NULL;
                }
                acc = (acc << 6) | (unsigned)v;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out[len++] = (char)((acc >> bits) & 0xff);
                }
        }
        if (bits >= 6) {
                free(out);
                return NULL;
        }
        out[len] = '\0';
        *ret_len = len;
        return out;
}
