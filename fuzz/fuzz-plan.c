/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for planning an image from its manifest
 * (lib/image/plan.c): index resolution to this platform's manifest, the
 * config fetched by digest and checked against the layers.  A fuzzer cannot
 * forge sha256 digests, so the harness builds the documents that point at
 * the fuzzed one with its real digest.  First byte: what the input is --
 * 0 a manifest as a registry sends it, 1 an image config under a manifest
 * with N layers, 2 the same under an index, 3 a manifest under an index.
 */
#include <jansson.h>

#include "fuzz/fuzz-helpers.h"
#include "image/manifest.h"
#include "image/source.h"
#include "util/digest.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct store_blobs {
        struct image_source base;
        char *docs[2];
        size_t lens[2];
};

/* A NUL-terminated copy of len bytes. */
static char *dup0(const char *b, size_t len)
{
        char *p = xmalloc(len + 1);

        memcpy(p, b, len);
        p[len] = '\0';
        return p;
}

/* Serve a blob by its digest, from what the harness made. */
static int fetch(struct image_source *src, const char *digest, size_t max, char **ret, size_t *ret_len,
                 cpod_error_t *err)
{
        struct store_blobs *s = (struct store_blobs *)src;

        for (int i = 0; i < 2; i++) {
                char d[DIGEST_STR_MAX];
                if (!s->docs[i])
                        continue;
                digest_buf(s->docs[i], s->lens[i], d);
                if (strcmp(d, digest) == 0 && s->lens[i] <= max) {
                        *ret = dup0(s->docs[i], s->lens[i]);
                        *ret_len = s->lens[i];
                        return 0;
                }
        }
        return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "blob %s not known", digest);
}

static char *manifest_for(const char *config, size_t len, unsigned layers)
{
        struct strbuf sb = STRBUF_INIT;
        char d[DIGEST_STR_MAX];

        digest_buf(config, len, d);
        strbuf_addf(&sb,
                    "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_MANIFEST
                    "\",\"config\":{\"mediaType\":\"" MT_OCI_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},\"layers\":[",
                    d, len);
        for (unsigned i = 0; i < layers; i++)
                strbuf_addf(&sb, "%s{\"mediaType\":\"" MT_OCI_LAYER_GZIP "\",\"digest\":\"sha256:%064x\",\"size\":1}",
                            i ? "," : "", i);
        strbuf_addstr(&sb, "]}");
        return strbuf_detach(&sb, NULL);
}

static char *index_for(const char *manifest, size_t len)
{
        char d[DIGEST_STR_MAX];

        digest_buf(manifest, len, d);
        return xasprintf(
                "{\"schemaVersion\":2,\"mediaType\":\"" MT_OCI_INDEX
                "\",\"manifests\":[{\"mediaType\":\"" MT_OCI_MANIFEST
                "\",\"digest\":\"%s\",\"size\":%zu,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}",
                d, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct store_blobs s = { .base = { .arch = "amd64", .os = "linux" } };
        struct image_plan plan = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;
        const char *in;
        char *top = NULL;
        size_t inlen;
        unsigned layers;

        if (size < 2)
                return 0;
        layers = data[1] % 8;
        in = (const char *)data + 2;
        inlen = size - 2;
        switch (data[0] % 4) {
        case 0:
                top = dup0(in, inlen);
                break;
        case 1:
        case 2:
                s.docs[0] = dup0(in, inlen);
                s.lens[0] = inlen;
                top = manifest_for(in, inlen, layers);
                if (data[0] % 4 == 2) {
                        s.docs[1] = top;
                        s.lens[1] = strlen(top);
                        top = index_for(s.docs[1], s.lens[1]);
                }
                break;
        default:
                s.docs[0] = dup0(in, inlen);
                s.lens[0] = inlen;
                top = index_for(in, inlen);
                break;
        }
        if (plan_from_manifest(&s.base, fetch, top, data[0] % 4 == 0 ? inlen : strlen(top), NULL, &plan, &err) == 0) {
                if (!plan.config || !plan.manifest || !plan.digests || !plan.digests[0])
                        abort();
        } else if (!err.msg) {
                abort();
        }
        image_plan_clear(&plan);
        cpod_error_clear(&err);
        free(top);
        free(s.docs[0]);
        free(s.docs[1]);
        return 0;
}
