/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for image references (lib/image/reference.c): names come
 * from users, from registries (manifest lists, search results) and from
 * archives.  Any input must parse or fail cleanly; a parsed reference must
 * print back as itself, parse again to the same parts, and survive the
 * normalisations (qualify, docker.io, localhost) without breaking.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/reference.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *a, const char *b)
{
        return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *s = xstrndup((const char *)data, size);
        cpod_error_t err = CPOD_ERROR_INIT;
        struct image_ref r, again;
        char *out, *norm;

        if (image_ref_parse(s, &r, &err) < 0) {
                if (err.kind != CPOD_E_INVALID || !err.msg)
                        abort();
                cpod_error_clear(&err);
                free(s);
                return 0;
        }
        out = image_ref_string(&r);
        if (strlen(s) == size && strcmp(out, s) != 0)
                abort();
        if (image_ref_parse(out, &again, NULL) < 0 || !same(r.domain, again.domain) || !same(r.path, again.path) ||
            !same(r.tag, again.tag) || !same(r.digest, again.digest))
                abort();
        image_ref_clear(&again);
        image_ref_qualify(&r, "docker.io");
        free(out);
        out = image_ref_string(&r);
        /* a qualified reference has a domain and a tag or digest, and parses unless it grew too long */
        if (!r.domain || (!r.tag && !r.digest))
                abort();
        if (image_ref_too_long(&r) != (image_ref_parse(out, &again, NULL) < 0))
                abort();
        image_ref_clear(&again);
        /* local names either qualify to a name that parses back, or are refused */
        norm = image_ref_normalize_local(s, NULL);
        if (norm && (!strchr(norm, '/') || image_ref_parse(norm, &again, NULL) < 0))
                abort();
        if (norm)
                image_ref_clear(&again);
        free(norm);
        free(out);
        image_ref_clear(&r);
        free(s);
        return 0;
}
