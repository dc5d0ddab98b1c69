/* SPDX-License-Identifier: Apache-2.0 */
/* Base64 (RFC 4648) without libcrypto: Docker's API headers, Kubernetes Secret data. */
#ifndef CPOD_UTIL_BASE64_H
#define CPOD_UTIL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/* The standard alphabet with padding; caller frees. */
char *b64_encode(const void *in, size_t len);
/*
 * Decode the standard alphabet (and the URL-safe one when url_safe), padding optional; NULL when
 * malformed (a character outside the alphabet, a dangling 6-bit group).  NUL-terminated; caller frees.
 */
char *b64_decode(const char *in, bool url_safe, size_t *ret_len);

#endif
