/* SPDX-License-Identifier: Apache-2.0 */
/* Base64 for Docker's headers: X-Docker-Container-Path-Stat out, X-Registry-Auth in. */
#ifndef CPOD_API_BASE64_H
#define CPOD_API_BASE64_H

#include <stddef.h>

/* RFC 4648 with padding; caller frees. */
char *api_base64_encode(const char *in, size_t len);
/* The standard or URL-safe alphabet, padding optional; NULL when malformed.  NUL-terminated. */
char *api_base64_decode(const char *in, size_t *ret_len);

#endif
