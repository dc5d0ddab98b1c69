/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The libraries loaded on first use (dlshim.h): load one now, with an error
 * that names it and says what needs it.  Entry points of the code that uses
 * a library call these first; without the library its functions return
 * their failure values instead of aborting.
 */
#ifndef CPOD_UTIL_SHIMS_H
#define CPOD_UTIL_SHIMS_H

#include <cpod/error.h>

int curl_shim_open(cpod_error_t *err);    /* registry access, import from a URL */
int crypto_shim_open(cpod_error_t *err);  /* sha256 digests, base64 */
int archive_shim_open(cpod_error_t *err); /* xz, bzip2, lz4 tarballs */
int isal_shim_open(cpod_error_t *err);    /* fast gzip (zlib is the fallback) */
int gpgme_shim_open(cpod_error_t *err);   /* GPG image signatures */
int yaml_shim_open(cpod_error_t *err);    /* Kubernetes YAML */

#endif
