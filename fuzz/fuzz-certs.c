/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the certs.d lookup (lib/image/docker/certs.c): the
 * registry host comes from an image reference, the file names from the
 * administrator's directories.  Input: host NUL then file names, one per
 * line, made in <root>/<host>/.  The lookup uses a directory inside the
 * root named by the host, never one above it; a client certificate always
 * comes with its key.
 */
#include <limits.h>
#include <stdlib.h>

#include "fuzz/fuzz-helpers.h"
#include "image/docker/certs.h"
#include "util/strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is path (made absolute without following links) inside dir? */
static bool inside(const char *path, const char *dir)
{
        char rp[PATH_MAX], rd[PATH_MAX];

        if (!realpath(path, rp) || !realpath(dir, rd))
                return false;
        return strncmp(rp, rd, strlen(rd)) == 0 && (rp[strlen(rd)] == '/' || rp[strlen(rd)] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *host = fuzz_part(data, size, 0), *names = fuzz_part(data, size, 1);
        char *root = path_join(fuzz_scratch(), "certs.d"), *dir = NULL, **lines = strv_split(names, "\n");
        struct tls_files t = { 0 };
        cpod_error_t err = CPOD_ERROR_INIT;

        (void)rm_rf(root, NULL);
        (void)mkdir_p(root, 0700, NULL);
        setenv("CPOD_CERTS_D", root, 1);
        /* Only hosts that are one safe path component get files (the lookup must refuse the rest). */
        if (*host && !strchr(host, '/') && strcmp(host, ".") != 0 && strcmp(host, "..") != 0) {
                dir = path_join(root, host);
                (void)mkdir_p(dir, 0700, NULL);
                for (char **l = lines; l && *l; l++)
                        if (**l && !strchr(*l, '/') && strcmp(*l, ".") != 0 && strcmp(*l, "..") != 0) {
                                char *p = path_join(dir, *l);
                                (void)write_file(p, "x", 1, 0600, NULL);
                                free(p);
                        }
        }
        if (tls_files_for(host, NULL, &t, &err) == 0) {
                if (t.dir && !inside(t.dir, root))
                        abort();
                if (!t.client_cert != !t.client_key)
                        abort();
                for (char **c = t.ca_files; c && *c; c++)
                        if (!inside(*c, root))
                                abort();
        } else if (!err.msg) {
                abort();
        }
        tls_files_clear(&t);
        cpod_error_clear(&err);
        strv_free(lines);
        free(dir);
        free(root);
        free(host);
        free(names);
        return 0;
}
