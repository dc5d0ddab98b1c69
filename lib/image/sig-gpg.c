/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signedBy (keyType GPGKeys): "simple signing" signatures, each an OpenPGP
 * message wrapping a JSON payload that names a manifest digest and a
 * docker reference, read from the lookaside storage registries.d names for
 * the repository (<base>/<path>@sha256=<hex>/signature-N, N = 1, 2, ...).
 *
 * Verification runs in a throwaway GNUPGHOME holding only the policy's keys
 * (gpg.conf: no-autostart, so nothing like a gpg-agent outlives the
 * command); it is removed afterwards.  A signature counts when gpgme calls
 * it good, it was made by one of those keys, and its payload is a
 * container signature for this manifest digest whose identity the
 * requirement's signedIdentity accepts.  One such signature is enough.
 */
#include "image/sig.h"

#include <errno.h>
#include <gpgme.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "image/docker/authfile.h"
#include "image/reference.h"
#include "image/registries-d.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/shims.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define MAX_SIGNATURES 16
#define MAX_SIG_SIZE (4 << 20)

/* ---- fetching ---- */

static size_t on_data(char *buf, size_t size, size_t n, void *ud)
{
        struct strbuf *b = ud;

        if (b->len + size * n > MAX_SIG_SIZE)
                return 0;
        strbuf_add(b, buf, size * n);
        return size * n;
}

/* 1 with the body, 0 when there is no such signature (404 or no file), < 0 on error. */
static int fetch(const char *url, struct strbuf *out, cpod_error_t *err)
{
        CURL *c;
        CURLcode rc;
        long status = 0;

        if (strncmp(url, "file://", 7) == 0) {
                _cleanup_free_ char *buf = NULL;
                size_t len;
                if (access(url + 7, F_OK) < 0)
                        return 0;
                if (read_file(url + 7, &buf, &len, MAX_SIG_SIZE, err) < 0)
                        return cpod_error_rc(err, -EIO);
                strbuf_add(out, buf, len);
                return 1;
        }
        if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unsupported signature storage URL \"%s\"", url);
        if (curl_shim_open(err) < 0 || !(c = curl_easy_init()))
                return cpod_error_rc(err, -ELIBACC);
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(c);
        if (rc == CURLE_OK && status == 404)
                return 0;
        if (rc != CURLE_OK || status >= 400)
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "reading signature from %s: %s", url,
                                      rc != CURLE_OK ? curl_easy_strerror(rc) : "HTTP error");
        return 1;
}

/* The lookaside base for the repository, or NULL when registries.d names none. */
static int lookaside_base(const char *repo, char **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *conf = NULL;
        const json_t *e;
        const char *url;

        *ret = NULL;
        if (registries_d_load(NULL, &conf, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        e = registries_d_for(conf, repo);
        url = json_get_str((json_t *)e, "lookaside");
        if (!url)
                url = json_get_str((json_t *)e, "sigstore");
        if (url)
                *ret = xstrdup(url);
        return 0;
}

/* ---- GPG ---- */

struct keyring {
        char home[64];
        gpgme_ctx_t ctx;
        char **fingerprints;
};

static void keyring_close(struct keyring *k)
{
        if (k->ctx)
                gpgme_release(k->ctx);
        if (k->home[0])
                (void)rm_rf(k->home, NULL);
        strv_free(k->fingerprints);
        memset(k, 0, sizeof(*k));
}

static int gpgme_fail(gpgme_error_t e, const char *what, cpod_error_t *err)
{
        return cpod_error_set(err, EIO, CPOD_E_DENIED, "%s: %s", what, gpgme_strerror(e));
}

static int import_key(struct keyring *k, const char *data, size_t len, const char *what, cpod_error_t *err)
{
        gpgme_data_t d;
        gpgme_import_result_t res;
        gpgme_error_t e = gpgme_data_new_from_mem(&d, data, len, 0);

        if (e || (e = gpgme_op_import(k->ctx, d))) {
                if (!e)
                        gpgme_data_release(d);
                return gpgme_fail(e, what, err);
        }
        gpgme_data_release(d);
        res = gpgme_op_import_result(k->ctx);
        for (gpgme_import_status_t s = res ? res->imports : NULL; s; s = s->next)
                if (s->result == 0 && s->fpr && !strv_contains(k->fingerprints, s->fpr))
                        strv_add(&k->fingerprints, s->fpr);
        return 0;
}

/* keyPath, keyPaths, keyData: the public keys a signature may be made with. */
static int keyring_open(struct keyring *k, const json_t *req, cpod_error_t *err)
{
        const char *path = json_get_str((json_t *)req, "keyPath"), *data = json_get_str((json_t *)req, "keyData");
        struct sig_key *keys = NULL;
        _cleanup_free_ char *conf = NULL;

        memset(k, 0, sizeof(*k));
        k->fingerprints = xnew0(char *, 1);
        if (gpgme_shim_open(err) < 0)
                return cpod_error_rc(err, -ELIBACC);
        (void)gpgme_check_version(NULL);
        snprintf(k->home, sizeof(k->home), "/tmp/cpod-gpg-XXXXXX");
        if (!mkdtemp(k->home)) {
                k->home[0] = '\0';
                return cpod_error_sys(err, errno, "creating a temporary GnuPG home");
        }
        conf = path_join(k->home, "gpg.conf");
        if (write_file(conf, "no-autostart\n", 13, 0600, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (gpgme_new(&k->ctx) || gpgme_set_protocol(k->ctx, GPGME_PROTOCOL_OpenPGP) ||
            gpgme_ctx_set_engine_info(k->ctx, GPGME_PROTOCOL_OpenPGP, NULL, k->home))
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "cannot set up GnuPG (is gnupg installed?)");
        if (sig_keys_read(req, "signedBy", &keys, err) < 0)
                return -EINVAL;
        for (struct sig_key *key = keys; key->data; key++)
                if (import_key(k, key->data, key->len, key->what, err) < 0) {
                        sig_keys_free(keys);
                        return -EIO;
                }
        sig_keys_free(keys);
        if (!k->fingerprints[0])
                return cpod_error_set(err, EINVAL, CPOD_E_DENIED, "no public key could be read from the policy's %s",
                                      path   ? path
                                      : data ? "keyData"
                                             : "keyPaths");
        return 0;
}

/* A good signature by one of the keyring's keys: its payload, parsed. */
static json_t *verify(struct keyring *k, const struct strbuf *sig, char **why)
{
        gpgme_data_t sd = NULL, plain = NULL;
        gpgme_verify_result_t vr;
        gpgme_signature_t s;
        gpgme_error_t e;
        char *text;
        size_t len;
        json_t *payload = NULL;

        if ((e = gpgme_data_new_from_mem(&sd, sig->buf, sig->len, 0)) || (e = gpgme_data_new(&plain))) {
                *why = xasprintf("%s", gpgme_strerror(e));
                goto out;
        }
        if ((e = gpgme_op_verify(k->ctx, sd, NULL, plain))) {
                *why = xasprintf("invalid GPG signature: %s", gpgme_strerror(e));
                goto out;
        }
        vr = gpgme_op_verify_result(k->ctx);
        s = vr ? vr->signatures : NULL;
        if (!s || s->next) {
                *why = xstrdup("not exactly one GPG signature");
                goto out;
        }
        if (s->status || s->validity == GPGME_VALIDITY_NEVER || s->wrong_key_usage) {
                *why = xasprintf("invalid GPG signature: %s", s->status ? gpgme_strerror(s->status) : "not valid");
                goto out;
        }
        if (!s->fpr || !strv_contains(k->fingerprints, s->fpr)) {
                *why = xasprintf("signed by key %s, which the policy does not accept", s->fpr ? s->fpr : "?");
                goto out;
        }
        text = gpgme_data_release_and_get_mem(plain, &len);
        plain = NULL;
        payload = text ? json_loadb(text, len, 0, NULL) : NULL;
        if (text)
                gpgme_free(text);
        if (!payload)
                *why = xstrdup("the signed payload is not JSON");
out:
        if (sd)
                gpgme_data_release(sd);
        if (plain)
                gpgme_data_release(plain);
        return payload;
}

int sig_check_signed_by(const json_t *req, const struct sig_context *ctx, cpod_error_t *err)
{
        _cleanup_free_ char *base = NULL, *repo = sig_repo_of(ctx->reference), *why = NULL;
        const char *key_type = json_get_str((json_t *)req, "keyType");
        struct keyring k;
        int found = 0, r;

        if (key_type && strcmp(key_type, "GPGKeys") != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_DENIED, "unsupported signedBy keyType \"%s\"", key_type);
        if (!repo || !ctx->manifest_digest)
                return cpod_error_set(err, EACCES, CPOD_E_DENIED, "A signature was required, but no signature exists");
        if (lookaside_base(repo, &base, err) < 0)
                return -EINVAL;
        if (!base)
                return cpod_error_set(err, EACCES, CPOD_E_DENIED,
                                      "A signature was required, but no signature exists (registries.d names no "
                                      "signature storage for %s)",
                                      repo);
        if ((r = keyring_open(&k, req, err)) < 0) {
                keyring_close(&k);
                return r;
        }
        for (int n = 1; n <= MAX_SIGNATURES; n++) {
                const char *path = strchr(repo, '/') ? strchr(repo, '/') + 1 : repo;
                _cleanup_free_ char *url =
                        xasprintf("%s/%s@sha256=%s/signature-%d", base, path, ctx->manifest_digest + 7, n);
                struct strbuf sig = STRBUF_INIT;
                json_t *payload;
                char *w = NULL;
                r = fetch(url, &sig, err);
                if (r <= 0) {
                        strbuf_release(&sig);
                        if (r < 0) {
                                keyring_close(&k);
                                return r;
                        }
                        break;
                }
                found++;
                payload = verify(&k, &sig, &w);
                strbuf_release(&sig);
                if (payload && sig_claims_ok(req, payload, ctx, "atomic container signature", &w)) {
                        json_decref(payload);
                        keyring_close(&k);
                        return 0;
                }
                json_decref(payload);
                free(why);
                why = w;
        }
        keyring_close(&k);
        if (!found)
                return cpod_error_set(err, EACCES, CPOD_E_DENIED, "A signature was required, but no signature exists");
        return cpod_error_set(err, EACCES, CPOD_E_DENIED, "None of the signatures were accepted: %s",
                              why ? why : "no valid signature");
}

int sig_key_identities(const json_t *req, char **ret, cpod_error_t *err)
{
        struct keyring k;
        struct strbuf sb = STRBUF_INIT;
        int r = keyring_open(&k, req, err);

        for (char **f = r == 0 ? k.fingerprints : NULL; f && *f; f++) {
                gpgme_key_t key = NULL;
                if (gpgme_get_key(k.ctx, *f, &key, 0) || !key)
                        continue;
                for (gpgme_user_id_t u = key->uids; u; u = u->next)
                        if (u->email && *u->email)
                                strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", u->email);
                gpgme_key_unref(key);
        }
        keyring_close(&k);
        if (r < 0) {
                strbuf_release(&sb);
                return r;
        }
        *ret = strbuf_detach(&sb, NULL);
        return 0;
}
