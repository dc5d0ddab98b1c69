/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcrypto, loaded on first use (see dlshim.h).  Mapping and relocating it
 * cost every cpod command ~2 ms and ~130 page faults at startup, while most
 * commands (ps, run, inspect, ...) never hash anything: only digests
 * (sha256) and the auth file's base64 need it.
 */
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "util/dlshim.h"
#include "util/shims.h"

static struct dlshim libcrypto_shim = DLSHIM_INIT("libcrypto.so.3", "needed for digests");

int crypto_shim_open(cpod_error_t *err)
{
        return dlshim_open(&libcrypto_shim, err);
}

DLSHIM_FWD(libcrypto_shim, EVP_MD_CTX *, EVP_MD_CTX_new, (void), (), NULL)
DLSHIM_FWD_VOID(libcrypto_shim, EVP_MD_CTX_free, (EVP_MD_CTX * ctx), (ctx))
DLSHIM_FWD(libcrypto_shim, int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD *type, ENGINE *impl),
           (ctx, type, impl), 0)
DLSHIM_FWD(libcrypto_shim, int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void *d, size_t cnt), (ctx, d, cnt), 0)
DLSHIM_FWD(libcrypto_shim, int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char *md, unsigned int *s),
           (ctx, md, s), 0)
DLSHIM_FWD(libcrypto_shim, int, EVP_Digest,
           (const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, ENGINE *impl),
           (data, count, md, size, type, impl), 0)
DLSHIM_FWD(libcrypto_shim, const EVP_MD *, EVP_sha256, (void), (), NULL)
DLSHIM_FWD(libcrypto_shim, const EVP_MD *, EVP_sha512, (void), (), NULL)
DLSHIM_FWD(libcrypto_shim, int, EVP_EncodeBlock, (unsigned char *t, const unsigned char *f, int n), (t, f, n), 0)
DLSHIM_FWD(libcrypto_shim, int, EVP_DecodeBlock, (unsigned char *t, const unsigned char *f, int n), (t, f, n), 0)
/* Signature verification (sigstore attachments). */
DLSHIM_FWD(libcrypto_shim, BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len), NULL)
DLSHIM_FWD(libcrypto_shim, int, BIO_free, (BIO * a), (a), 0)
DLSHIM_FWD(libcrypto_shim, EVP_PKEY *, PEM_read_bio_PUBKEY, (BIO * bp, EVP_PKEY **x, pem_password_cb *cb, void *u),
           (bp, x, cb, u), NULL)
DLSHIM_FWD_VOID(libcrypto_shim, EVP_PKEY_free, (EVP_PKEY * pkey), (pkey))
DLSHIM_FWD(libcrypto_shim, int, EVP_PKEY_get_base_id, (const EVP_PKEY *pkey), (pkey), 0)
DLSHIM_FWD(libcrypto_shim, int, EVP_DigestVerifyInit,
           (EVP_MD_CTX * ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type, ENGINE *e, EVP_PKEY *pkey),
           (ctx, pctx, type, e, pkey), 0)
DLSHIM_FWD(libcrypto_shim, int, EVP_DigestVerify,
           (EVP_MD_CTX * ctx, const unsigned char *sig, size_t siglen, const unsigned char *tbs, size_t tbslen),
           (ctx, sig, siglen, tbs, tbslen), -1)
