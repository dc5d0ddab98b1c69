/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libgpgme, loaded on first use (dlshim.h): only pulls under a signedBy
 * policy verify GPG signatures, and no other command should pay for mapping
 * gpgme and its libraries at startup.
 */
#include <gpgme.h>

#include "util/dlshim.h"
#include "util/shims.h"

static struct dlshim libgpgme_shim = DLSHIM_INIT("libgpgme.so.11", "needed to verify GPG image signatures");

int gpgme_shim_open(cpod_error_t *err)
{
        return dlshim_open(&libgpgme_shim, err);
}

DLSHIM_FWD(libgpgme_shim, const char *, gpgme_check_version_internal, (const char *req, size_t offset), (req, offset),
           NULL)
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_new, (gpgme_ctx_t * ctx), (ctx), GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD_VOID(libgpgme_shim, gpgme_release, (gpgme_ctx_t ctx), (ctx))
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_set_protocol, (gpgme_ctx_t ctx, gpgme_protocol_t proto), (ctx, proto),
           GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_ctx_set_engine_info,
           (gpgme_ctx_t ctx, gpgme_protocol_t proto, const char *file_name, const char *home_dir),
           (ctx, proto, file_name, home_dir), GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_data_new, (gpgme_data_t * d), (d), GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_data_new_from_mem,
           (gpgme_data_t * d, const char *buffer, size_t size, int copy), (d, buffer, size, copy),
           GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD_VOID(libgpgme_shim, gpgme_data_release, (gpgme_data_t d), (d))
DLSHIM_FWD(libgpgme_shim, char *, gpgme_data_release_and_get_mem, (gpgme_data_t d, size_t *len), (d, len), NULL)
DLSHIM_FWD_VOID(libgpgme_shim, gpgme_free, (void *p), (p))
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_op_import, (gpgme_ctx_t ctx, gpgme_data_t keys), (ctx, keys),
           GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD(libgpgme_shim, gpgme_import_result_t, gpgme_op_import_result, (gpgme_ctx_t ctx), (ctx), NULL)
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_op_verify,
           (gpgme_ctx_t ctx, gpgme_data_t sig, gpgme_data_t signed_text, gpgme_data_t plaintext),
           (ctx, sig, signed_text, plaintext), GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD(libgpgme_shim, gpgme_verify_result_t, gpgme_op_verify_result, (gpgme_ctx_t ctx), (ctx), NULL)
DLSHIM_FWD(libgpgme_shim, const char *, gpgme_strerror, (gpgme_error_t e), (e), "libgpgme could not be loaded")
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_get_key,
           (gpgme_ctx_t ctx, const char *fpr, gpgme_key_t *r_key, int secret), (ctx, fpr, r_key, secret),
           GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD_VOID(libgpgme_shim, gpgme_key_unref, (gpgme_key_t key), (key))
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_signers_add, (gpgme_ctx_t ctx, const gpgme_key_t key), (ctx, key),
           GPG_ERR_NOT_IMPLEMENTED)
DLSHIM_FWD(libgpgme_shim, gpgme_error_t, gpgme_op_sign,
           (gpgme_ctx_t ctx, gpgme_data_t plain, gpgme_data_t sig, gpgme_sig_mode_t mode), (ctx, plain, sig, mode),
           GPG_ERR_NOT_IMPLEMENTED)
