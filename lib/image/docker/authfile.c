/* SPDX-License-Identifier: Apache-2.0 */
/* containers-auth.json(5) lookup and editing (see authfile.h). */
#include "image/docker/authfile.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define AUTHFILE_MAX_SIZE (4u << 20)

void cred_clear(struct cred *c)
{
        if (!c)
                return;
        if (c->pass)
                explicit_bzero(c->pass, strlen(c->pass));
        free(c->user);
        free(c->pass);
        free(c->identity_token);
        memset(c, 0, sizeof(*c));
}

char *base64_encode(const void *data, size_t len)
{
        char *out = xmalloc(4 * ((len + 2) / 3) + 1);

        EVP_EncodeBlock((unsigned char *)out, data, (int)len);
        return out;
}

int base64_decode(const char *s, char **ret, size_t *ret_len)
{
        size_t n = strlen(s), pad = 0;
        unsigned char *out;
        int r;

        if (n % 4 != 0 || n > (64u << 10))
                return -EINVAL;
        out = xmalloc(n / 4 * 3 + 1);
        r = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
        if (r < 0) {
                free(out);
                return -EINVAL;
        }
        while (pad < 2 && n > pad && s[n - 1 - pad] == '=')
                pad++;
        out[r - pad] = '\0';
        *ret = (char *)out;
        *ret_len = (size_t)r - pad;
        return 0;
}

static const char *home(void)
{
        const char *h = getenv("HOME");
        return h && *h ? h : "/";
}

static char *runtime_path(void)
{
        const char *xdg = getenv("XDG_RUNTIME_DIR");

        if (xdg && *xdg)
                return xasprintf("%s/containers/auth.json", xdg);
        return xasprintf("/run/containers/%u/auth.json", (unsigned)getuid());
}

static const char *user_flag(const char *flag)
{
        const char *env = getenv("REGISTRY_AUTH_FILE");

        if (flag && *flag)
                return flag;
        return env && *env ? env : NULL;
}

char *authfile_write_path(const char *flag)
{
        const char *u = user_flag(flag);

        return u ? xstrdup(u) : runtime_path();
}

char **authfile_read_paths(const char *flag)
{
        const char *u = user_flag(flag), *xdg = getenv("XDG_CONFIG_HOME"), *dc = getenv("DOCKER_CONFIG");
        char **v = xnew0(char *, 1);

        if (u) {
                strv_add(&v, u);
                return v;
        }
        strv_take(&v, runtime_path());
        if (xdg && *xdg)
                strv_take(&v, xasprintf("%s/containers/auth.json", xdg));
        else
                strv_take(&v, xasprintf("%s/.config/containers/auth.json", home()));
        if (dc && *dc)
                strv_take(&v, xasprintf("%s/config.json", dc));
        else
                strv_take(&v, xasprintf("%s/.docker/config.json", home()));
        strv_take(&v, xasprintf("%s/.dockercfg", home()));
        return v;
}

static char *norm_registry(char *s)
{
        if (strcmp(s, "index.docker.io") == 0 || strcmp(s, "registry-1.docker.io") == 0) {
                free(s);
                return xstrdup("docker.io");
        }
        return s;
}

/* A key as found in a file: strip a scheme (and then the path), map docker.io's hosts. */
static char *norm_file_key(const char *key, bool legacy)
{
        const char *s = key;
        bool had_scheme = false;

        if (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0) {
                s = strstr(s, "://") + 3;
                had_scheme = true;
        }
        if (legacy || had_scheme)
                return norm_registry(xstrndup(s, strcspn(s, "/")));
        {
                size_t h = strcspn(s, "/");
                _cleanup_free_ char *host = norm_registry(xstrndup(s, h));
                return xasprintf("%s%s", host, s + h);
        }
}

char *authfile_normalize_key(const char *key)
{
        return norm_file_key(key, false);
}

static int decode_entry(json_t *e, struct cred *ret, cpod_error_t *err, const char *path, const char *key)
{
        const char *auth = json_get_str(e, "auth"), *tok = json_get_str(e, "identitytoken");
        _cleanup_free_ char *dec = NULL;
        size_t len;
        char *colon;

        memset(ret, 0, sizeof(*ret));
        if (tok && *tok)
                ret->identity_token = xstrdup(tok);
        if (!auth || !*auth) {
                if (ret->identity_token)
                        return 1;
                return 0;
        }
        if (base64_decode(auth, &dec, &len) < 0 || memchr(dec, '\0', len) || !(colon = strchr(dec, ':'))) {
                cred_clear(ret);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: invalid auth entry for \"%s\"", path, key);
        }
        *colon = '\0';
        ret->user = xstrdup(dec);
        ret->pass = xstrdup(colon + 1);
        explicit_bzero(dec, len);
        return 1;
}

int authfile_lookup_in(const char *path, bool legacy, const char *host, const char *repo, struct cred *ret,
                       cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL, *want_host = norm_registry(xstrdup(host));
        _cleanup_json_ json_t *doc = NULL;
        _cleanup_strv_ char **want = NULL;
        json_t *auths;
        size_t len;

        if (!path_exists(path))
                return 0;
        if (read_file(path, &buf, &len, AUTHFILE_MAX_SIZE, err) < 0)
                return cpod_error_wrap(err, "reading auth file");
        if (len == 0)
                return 0;
        doc = json_parse_buf(buf, len, path, err);
        if (!doc)
                return cpod_error_rc(err, -EINVAL);
        auths = legacy ? doc : json_object_get(doc, "auths");
        if (!auths)
                return 0;
        if (!json_is_object(auths))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: \"auths\" must be an object", path);
        /* candidate keys, most specific first */
        if (repo && *repo) {
                _cleanup_strv_ char **parts = strv_split(repo, "/");
                for (size_t n = strv_length(parts); n > 0; n--) {
                        _cleanup_free_ char *p = NULL;
                        char *save = parts[n];
                        parts[n] = NULL;
                        p = strv_join(parts, "/");
                        parts[n] = save;
                        strv_take(&want, xasprintf("%s/%s", want_host, p));
                }
        }
        strv_add(&want, want_host);
        for (char **w = want; *w; w++) {
                const char *k;
                json_t *e;
                json_object_foreach(auths, k, e) {
                        _cleanup_free_ char *nk = norm_file_key(k, legacy);
                        if (strcmp(nk, *w) == 0 && json_is_object(e)) {
                                int r = decode_entry(e, ret, err, path, k);
                                if (r != 0)
                                        return r;
                        }
                }
        }
        return 0;
}

int authfile_lookup(const char *flag, const char *host, const char *repo, struct cred *ret, char **ret_origin,
                    cpod_error_t *err)
{
        _cleanup_strv_ char **paths = authfile_read_paths(flag);
        size_t n = strv_length(paths);

        for (size_t i = 0; i < n; i++) {
                bool legacy = !user_flag(flag) && i == n - 1; /* ~/.dockercfg */
                int r = authfile_lookup_in(paths[i], legacy, host, repo, ret, err);
                if (r != 0) {
                        if (r > 0 && ret_origin)
                                *ret_origin = xstrdup(paths[i]);
                        return r;
                }
        }
        return 0;
}

static json_t *load_doc(const char *path, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;
        json_t *doc;

        if (!path_exists(path))
                return json_object();
        if (read_file(path, &buf, &len, AUTHFILE_MAX_SIZE, err) < 0)
                return NULL;
        if (len == 0)
                return json_object();
        doc = json_parse_buf(buf, len, path, err);
        if (doc && !json_is_object(doc)) {
                json_decref(doc);
                cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: not a JSON object", path);
                return NULL;
        }
        return doc;
}

static int save_doc(const char *path, json_t *doc, cpod_error_t *err)
{
        _cleanup_free_ char *dir = xstrdup(path), *s = NULL;
        char *slash = strrchr(dir, '/');

        if (slash && slash != dir) {
                *slash = '\0';
                if (mkdir_p(dir, 0700, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        s = json_dumps(doc, JSON_INDENT(8) | JSON_PRESERVE_ORDER);
        if (!s)
                return cpod_error_set(err, ENOMEM, CPOD_E_INTERNAL, "serialise '%s'", path);
        return write_file_atomic(path, s, strlen(s), 0600, err);
}

static json_t *auths_of(json_t *doc)
{
        json_t *a = json_object_get(doc, "auths");

        if (!json_is_object(a)) {
                a = json_object();
                json_object_set_new(doc, "auths", a);
        }
        return a;
}

int authfile_store(const char *path, const char *key, const char *user, const char *pass, cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = load_doc(path, err);
        _cleanup_free_ char *raw = NULL, *b64 = NULL;

        if (!doc)
                return cpod_error_rc(err, -EINVAL);
        raw = xasprintf("%s:%s", user, pass);
        b64 = base64_encode(raw, strlen(raw));
        explicit_bzero(raw, strlen(raw));
        json_object_set_new(auths_of(doc), key, json_pack("{s:s}", "auth", b64));
        return save_doc(path, doc, err);
}

int authfile_remove(const char *path, const char *key, cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = load_doc(path, err);
        _cleanup_free_ char *want = NULL;
        json_t *auths, *e;
        const char *k;
        void *tmp;
        bool found = false;

        if (!doc)
                return cpod_error_rc(err, -EINVAL);
        want = norm_file_key(key, false);
        auths = auths_of(doc);
        json_object_foreach_safe(auths, tmp, k, e)
        {
                _cleanup_free_ char *nk = norm_file_key(k, false);
                if (strcmp(nk, want) == 0) {
                        json_object_del(auths, k);
                        found = true;
                }
        }
        if (!found)
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_OBJECT, "not logged into %s", key);
        return save_doc(path, doc, err);
}

int authfile_remove_all(const char *path, cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = load_doc(path, err);

        if (!doc)
                return cpod_error_rc(err, -EINVAL);
        json_object_set_new(doc, "auths", json_object());
        return save_doc(path, doc, err);
}
