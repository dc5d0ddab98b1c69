/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "api/base64.h"
#include "util/xalloc.h"

static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *api_base64_encode(const char *in, size_t len)
{
        char *out = xmalloc((len + 2) / 3 * 4 + 1), *o = out;

        for (size_t i = 0; i < len; i += 3) {
                unsigned v = (unsigned)(unsigned char)in[i] << 16;
                if (i + 1 < len)
                        v |= (unsigned)(unsigned char)in[i + 1] << 8;
                if (i + 2 < len)
                        v |= (unsigned char)in[i + 2];
                *o++ = tab[(v >> 18) & 63];
                *o++ = tab[(v >> 12) & 63];
                *o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
                *o++ = i + 2 < len ? tab[v & 63] : '=';
        }
        *o = '\0';
        return out;
}

static int value(char c)
{
        const char *p = c ? strchr(tab, c) : NULL;

        if (p)
                return (int)(p - tab);
        return c == '-' ? 62 : c == '_' ? 63 : -1;
}

char *api_base64_decode(const char *in, size_t *ret_len)
{
        size_t n = strlen(in), len = 0;
        char *out;
        unsigned acc = 0;
        int bits = 0;

        while (n > 0 && in[n - 1] == '=')
                n--;
        out = xmalloc(n * 3 / 4 + 1);
        for (size_t i = 0; i < n; i++) {
                int v = value(in[i]);
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
        out[len] = '\0';
        *ret_len = len;
        return out;
}
