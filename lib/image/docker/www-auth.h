/* SPDX-License-Identifier: Apache-2.0 */
/*
 * WWW-Authenticate challenges (RFC 7235 section 4.1, RFC 6750 section 3):
 *   Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"
 *   Basic realm="registry"
 * A header may hold several challenges separated by commas.  The header
 * comes from the registry, which we do not trust: parsing is bounded
 * (WWW_AUTH_MAX_LEN bytes, WWW_AUTH_MAX_PARAMS parameters) and rejects
 * anything outside the grammar rather than guessing.
 */
#ifndef CPOD_IMAGE_DOCKER_WWW_AUTH_H
#define CPOD_IMAGE_DOCKER_WWW_AUTH_H

#include <stddef.h>

#include <cpod/error.h>

#define WWW_AUTH_MAX_LEN 8192
#define WWW_AUTH_MAX_PARAMS 32

struct auth_param {
        char *key;   /* lower case */
        char *value; /* unquoted, unescaped */
};

struct auth_challenge {
        char *scheme;  /* lower case: "bearer", "basic", ... */
        char *token68; /* "Negotiate abc==" form, or NULL */
        struct auth_param *params;
        size_t n_params;
};

/* Parse one header value into *ret (n_ret challenges, at least one). */
int www_auth_parse(const char *header, struct auth_challenge **ret, size_t *ret_n, cpod_error_t *err);
void auth_challenges_free(struct auth_challenge *v, size_t n);
/* Parameter value (key compared case-insensitively), borrowed, or NULL. */
const char *auth_challenge_param(const struct auth_challenge *c, const char *key);
/* The first challenge with this scheme (case-insensitive), or NULL. */
const struct auth_challenge *auth_challenge_find(const struct auth_challenge *v, size_t n, const char *scheme);

#endif
