/* SPDX-License-Identifier: Apache-2.0 */
/*
 * push --sign-by: a "simple signing" signature (an OpenPGP message wrapping
 * the JSON payload that sig-gpg.c verifies) made with a secret key of the
 * user's keyring (GNUPGHOME, through gpg-agent), written to the lookaside
 * storage registries.d names for the repository: lookaside-staging (or
 * sigstore-staging), else lookaside (or sigstore); only file:// URLs can be
 * written.  The signature is <base>/<path>@sha256=<hex>/signature-N, N the
 * first free number, written to a temporary name and linked into place, so
 * a reader never sees half of one and two signers never take the same N.
 */
#include "image/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <gpgme.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cpod/runtime.h>

#include "image/registries-d.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/shims.h"
#include "util/xalloc.h"

#define MAX_SIGNATURES 16

/* The directory signatures of repo are written below (file:// only). */
static int staging_dir(const char *repo, char **ret, cpod_error_t *err)
{
        static const char *const keys[] = { "lookaside-staging", "sigstore-staging", "lookaside", "sigstore" };
        _cleanup_json_ json_t *conf = NULL;
        const json_t *e;
        const char *url = NULL;

        if (registries_d_load(NULL, &conf, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        e = registries_d_for(conf, repo);
        for (size_t i = 0; !url && i < ARRAY_SIZE(keys); i++)
                url = json_get_str((json_t *)e, keys[i]);
        if (!url)
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "no signature storage configured for %s in registries.d: cannot store the "
                                      "signature",
                                      repo);
        if (strncmp(url, "file://", 7) != 0)
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "writing signatures to \"%s\" is not supported (only file:// URLs)", url);
        *ret = xstrdup(url + 7);
        return 0;
}

static char *payload(const char *reference, const char *digest)
{
        json_t *p =
                json_pack("{s:{s:{s:s}, s:{s:s}, s:s}, s:{s:s, s:I}}", "critical", "identity", "docker-reference",
                          reference, "image", "docker-manifest-digest", digest, "type", "atomic container signature",
                          "optional", "creator", "cpod", "timestamp", (json_int_t)time(NULL));
        char *s = json_dump_compact(p);

        json_decref(p);
        return s;
}

static int gpg_sign(const char *key, const char *text, char **ret, size_t *ret_len, cpod_error_t *err)
{
        gpgme_ctx_t ctx = NULL;
        gpgme_key_t k = NULL;
        gpgme_data_t plain = NULL, sig = NULL;
        gpgme_error_t e;
        int r = 0;

        if (gpgme_shim_open(err) < 0)
                return cpod_error_rc(err, -ELIBACC);
        (void)gpgme_check_version(NULL);
        if ((e = gpgme_new(&ctx)) || (e = gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP)))
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "cannot set up GnuPG: %s", gpgme_strerror(e));
        else if ((e = gpgme_get_key(ctx, key, &k, 1)) || !k)
                r = cpod_error_set(err, ENOENT, CPOD_E_INVALID, "signing key \"%s\" not found: %s", key,
                                   e ? gpgme_strerror(e) : "no such key");
        else if ((e = gpgme_signers_add(ctx, k)) || (e = gpgme_data_new_from_mem(&plain, text, strlen(text), 0)) ||
                 (e = gpgme_data_new(&sig)) || (e = gpgme_op_sign(ctx, plain, sig, GPGME_SIG_MODE_NORMAL)))
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "signing with key \"%s\": %s", key, gpgme_strerror(e));
        if (r == 0) {
                char *buf = gpgme_data_release_and_get_mem(sig, ret_len);
                sig = NULL;
                *ret = xmemdup(buf, *ret_len);
                gpgme_free(buf);
        }
        if (sig)
                gpgme_data_release(sig);
        if (plain)
                gpgme_data_release(plain);
        if (k)
                gpgme_key_unref(k);
        if (ctx)
                gpgme_release(ctx);
        return r;
}

/* Link tmp (a complete file) as the first free signature-N of dir. */
static int store_next(const char *dir, const char *tmp, cpod_error_t *err)
{
        for (int n = 1; n <= MAX_SIGNATURES; n++) {
                _cleanup_free_ char *p = xasprintf("%s/signature-%d", dir, n);
                if (link(tmp, p) == 0)
                        return 0;
                if (errno != EEXIST)
                        return cpod_error_sys(err, errno, "storing signature '%s'", p);
        }
        return cpod_error_set(err, ENOSPC, CPOD_E_INTERNAL, "%s already holds %d signatures", dir, MAX_SIGNATURES);
}

int sig_sign_push(const char *reference, const char *manifest_digest, const char *key, cpod_error_t *err)
{
        _cleanup_free_ char *repo = sig_repo_of(reference), *base = NULL, *text = NULL, *sig = NULL, *dir = NULL;
        _cleanup_free_ char *tmp = NULL;
        const char *path;
        size_t len = 0;
        int r;

        if (!repo)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "cannot sign \"%s\": not a repository", reference);
        if (staging_dir(repo, &base, err) < 0)
                return cpod_error_rc(err, -ENOTSUP);
        text = payload(reference, manifest_digest);
        if (gpg_sign(key, text, &sig, &len, err) < 0)
                return cpod_error_rc(err, -EIO);
        path = strchr(repo, '/') ? strchr(repo, '/') + 1 : repo;
        dir = xasprintf("%s/%s@sha256=%s", base, path, manifest_digest + 7);
        tmp = xasprintf("%s/.signature-tmp-%d", dir, (int)getpid());
        if (mkdir_p(dir, 0755, err) < 0 || write_file(tmp, sig, len, 0644, err) < 0)
                return cpod_error_rc(err, -EIO);
        r = store_next(dir, tmp, err);
        (void)unlink(tmp);
        return r;
}
