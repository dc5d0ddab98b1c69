/* SPDX-License-Identifier: Apache-2.0 */
/* Content digests ("sha256:<64 hex>") through OpenSSL's EVP interface. */
#ifndef CPOD_UTIL_DIGEST_H
#define CPOD_UTIL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpod/error.h>

#define DIGEST_SHA256_PREFIX "sha256:"
/* "sha256:" + 64 hex digits + NUL */
#define DIGEST_STR_MAX 72

struct digester; /* opaque */

struct digester *digester_new(void); /* sha256 */
void digester_update(struct digester *d, const void *data, size_t len);
/* Write "sha256:<hex>" into out (DIGEST_STR_MAX bytes).  The digester can't be updated after. */
void digester_final(struct digester *d, char out[DIGEST_STR_MAX]);
void digester_free(struct digester *d);
uint64_t digester_bytes(const struct digester *d);

/* One-shot sha256 of a buffer, as "sha256:<hex>". */
void digest_buf(const void *data, size_t len, char out[DIGEST_STR_MAX]);
/* sha512 of a buffer as 128 lowercase hex digits ("" when libcrypto is missing). */
void digest_sha512_hex(const void *data, size_t len, char out[129]);
/* "sha256:<64 lowercase hex>"?  Other algorithms (sha512) are accepted by digest_valid_any. */
bool digest_valid(const char *d);
bool digest_valid_any(const char *d);
/* The hex part of a digest ("sha256:abc" -> "abc"); the input itself if there is no ':'. */
const char *digest_hex(const char *d);
/* Is s a 64-character lowercase hex string (an image or layer ID)? */
bool is_hex_id(const char *s);

#endif
