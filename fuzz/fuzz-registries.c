/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the registry-facing parsers: the WWW-Authenticate
 * header a registry sends (first byte 'W'), and registries.conf plus what
 * is computed from it (anything else): the longest-prefix match, pull
 * sources with mirror rewrites, and short-name resolution.  Any input must
 * be accepted or refused with an error, never crash, leak or trip the
 * sanitizers.  Seeds: fuzz/seeds/registries.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/docker/resolve.h"
#include "image/docker/www-auth.h"
#include "image/registries.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void www_auth(const uint8_t *data, size_t size)
{
        char *s = xstrndup((const char *)data, size);
        cpod_error_t err = CPOD_ERROR_INIT;
        struct auth_challenge *v = NULL;
        size_t n = 0;

        if (www_auth_parse(s, &v, &n, &err) == 0) {
                if (n == 0)
                        abort();
                for (size_t i = 0; i < n; i++)
                        (void)auth_challenge_param(&v[i], "realm");
                (void)auth_challenge_find(v, n, "bearer");
                auth_challenges_free(v, n);
        } else if (!err.msg) {
                abort();
        }
        cpod_error_clear(&err);
        free(s);
}

static void conf(const uint8_t *data, size_t size)
{
        static const char *const refs[] = { "docker.io/library/busybox:latest", "example.com/foo/img@sha256:00",
                                            "a.b.internal:5000/x/y:z", "localhost/x" };
        static const char *const names[] = { "busybox", "ns/img:tag", "quay.io/a/b",
                                             "bb@sha256:"
                                             "0000000000000000000000000000"
                                             "000000000000000000000000000"
                                             "000000000" };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct registries_conf *c = NULL;

        if (registries_conf_parse((const char *)data, size, "<fuzz>", &c, &err) < 0) {
                if (!err.msg)
                        abort();
                cpod_error_clear(&err);
                return;
        }
        for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
                struct pull_source *v = NULL;
                size_t n = 0;
                (void)registries_find(c, refs[i]);
                if (registries_pull_sources(c, refs[i], &v, &n, &err) == 0)
                        pull_sources_free(v, n);
                cpod_error_clear(&err);
        }
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                struct resolved r = { 0 };
                if (shortname_resolve(c, names[i], NULL, NULL, &r, &err) == 0)
                        resolved_clear(&r);
                cpod_error_clear(&err);
        }
        registries_conf_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size > 0 && data[0] == 'W')
                www_auth(data + 1, size - 1);
        else
                conf(data, size);
        return 0;
}
