/* SPDX-License-Identifier: Apache-2.0 */
#include "util/digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "util/xalloc.h"

struct digester {
        EVP_MD_CTX *ctx;
        uint64_t bytes;
};

struct digester *digester_new(void)
{
        struct digester *d = xzalloc(sizeof(*d));

        /* Without libcrypto (callers load it first: crypto_shim_open) the digest comes out as a bare
         * "sha256:", which matches no expected digest: verification fails closed. */
        d->ctx = EVP_MD_CTX_new();
        if (d->ctx && EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1) {
                EVP_MD_CTX_free(d->ctx);
                d->ctx = NULL;
        }
        return d;
}

void digester_update(struct digester *d, const void *data, size_t len)
{
        if (len && d->ctx)
                EVP_DigestUpdate(d->ctx, data, len);
        d->bytes += len;
}

static void hexify(const unsigned char *md, unsigned n, char out[DIGEST_STR_MAX])
{
        static const char hex[] = "0123456789abcdef";
        char *p = out + strlen(DIGEST_SHA256_PREFIX);

        memcpy(out, DIGEST_SHA256_PREFIX, strlen(DIGEST_SHA256_PREFIX));
        for (unsigned i = 0; i < n && i < 32; i++) {
                *p++ = hex[md[i] >> 4];
                *p++ = hex[md[i] & 15];
        }
        *p = '\0';
}

void digester_final(struct digester *d, char out[DIGEST_STR_MAX])
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned n = 0;

        if (!d->ctx || EVP_DigestFinal_ex(d->ctx, md, &n) != 1)
                n = 0;
        hexify(md, n, out);
}

void digester_free(struct digester *d)
{
        if (!d)
                return;
        EVP_MD_CTX_free(d->ctx);
        free(d);
}

uint64_t digester_bytes(const struct digester *d)
{
        return d->bytes;
}

void digest_buf(const void *data, size_t len, char out[DIGEST_STR_MAX])
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned n = 0;

        EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
        hexify(md, n, out);
}

void digest_sha512_hex(const void *data, size_t len, char out[129])
{
        static const char hex[] = "0123456789abcdef";
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned n = 0;

        if (EVP_Digest(data, len, md, &n, EVP_sha512(), NULL) != 1)
                n = 0;
        for (unsigned i = 0; i < n && i < 64; i++) {
                out[2 * i] = hex[md[i] >> 4];
                out[2 * i + 1] = hex[md[i] & 15];
        }
        out[2 * (n < 64 ? n : 64)] = '\0';
}

static bool all_hex(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return s[n] == '\0';
}

bool is_hex_id(const char *s)
{
        return s && strlen(s) == 64 && all_hex(s, 64);
}

bool digest_valid(const char *d)
{
        return d && strncmp(d, DIGEST_SHA256_PREFIX, 7) == 0 && is_hex_id(d + 7);
}

bool digest_valid_any(const char *d)
{
        if (digest_valid(d))
                return true;
        return d && strncmp(d, "sha512:", 7) == 0 && strlen(d + 7) == 128 && all_hex(d + 7, 128);
}

const char *digest_hex(const char *d)
{
        const char *c = strchr(d, ':');
        return c ? c + 1 : d;
}
