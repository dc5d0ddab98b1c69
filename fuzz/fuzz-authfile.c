/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for auth.json (lib/image/docker/authfile.c) and the
 * base64 it holds: the file is the user's or another tool's (podman,
 * docker, skopeo write it).  Input: first byte flags, then host NUL repo
 * NUL auth.json.  A lookup finds credentials, finds none, or fails with a
 * message; found credentials have a user or an identity token.
 */
#include "fuzz/fuzz-helpers.h"
#include "image/docker/authfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cred cr = { 0 };
        char *host, *repo, *doc, *path, *dec = NULL;
        size_t declen;
        int r;

        if (size < 1)
                return 0;
        host = fuzz_part(data + 1, size - 1, 0);
        repo = fuzz_part(data + 1, size - 1, 1);
        doc = fuzz_part(data + 1, size - 1, 2);
        path = fuzz_write("auth.json", doc, strlen(doc));
        r = authfile_lookup_in(path, data[0] & 1, *host ? host : "r.io", *repo ? repo : NULL, &cr, &err);
        if (r < 0 && !err.msg)
                abort();
        if (r > 0 && !cr.user && !cr.identity_token)
                abort();
        cred_clear(&cr);
        cpod_error_clear(&err);
        if (base64_decode(doc, &dec, &declen) == 0) {
                char *again = base64_encode(dec, declen);
                free(again);
                free(dec);
        }
        free(path);
        free(host);
        free(repo);
        free(doc);
        return 0;
}
