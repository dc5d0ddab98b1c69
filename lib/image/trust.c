/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image trust show / set: containers-policy.json(5) as a table, and edited
 * one scope at a time, as podman does.  show lists one row per requirement
 * (default first, then the docker scopes by name, then the other
 * transports), with the e-mail addresses of signedBy keys (read with gpgme,
 * where podman runs gpg2) and the scope's signature storage from
 * registries.d.  set writes the policy atomically.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/image.h>

#include "image/policy.h"
#include "image/registries-d.h"
#include "image/sig.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

static const char *short_type(const char *t)
{
        return strcmp(t, "insecureAcceptAnything") == 0 ? "accept" : strcmp(t, "signedBy") == 0 ? "signed" : t;
}

static void add_rows(struct cpod_runtime *rt, json_t *rows, const char *transport, const char *name, const char *repo,
                     const json_t *reqs, const json_t *regd)
{
        json_t *r;
        size_t i;

        json_array_foreach(reqs, i, r) {
                const char *type = json_get_str(r, "type");
                json_t *row = json_pack("{s:s}", "transport", transport);
                if (name)
                        json_object_set_new(row, "name", json_string(name));
                if (repo)
                        json_object_set_new(row, "repo_name", json_string(repo));
                json_object_set_new(row, "type", json_string(short_type(type ? type : "")));
                if (type && strcmp(type, "signedBy") == 0) {
                        cpod_error_t err = CPOD_ERROR_INIT;
                        char *ids = NULL;
                        if (sig_key_identities(r, &ids, &err) < 0)
                                rt_warn(rt, "Getting key identity: %s", cpod_error_msg(&err));
                        else if (*ids)
                                json_object_set_new(row, "gpg_id", json_string(ids));
                        free(ids);
                        cpod_error_clear(&err);
                } else if (type && strcmp(type, "sigstoreSigned") == 0) {
                        json_object_set_new(row, "gpg_id", json_string("N/A"));
                }
                if (repo && regd) {
                        const json_t *e = registries_d_for(regd, repo);
                        const char *store = json_get_str((json_t *)e, "lookaside");
                        if (!store)
                                store = json_get_str((json_t *)e, "sigstore");
                        if (store)
                                json_object_set_new(row, "sigstore", json_string(store));
                }
                json_array_append_new(rows, row);
        }
}

static int cmp_key(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of an object, sorted. */
static const char **sorted_keys(const json_t *o, size_t *n)
{
        const char **v = xnew0(const char *, json_object_size(o) + 1), *k;
        json_t *x;

        *n = 0;
        json_object_foreach((json_t *)o, k, x)
                v[(*n)++] = k;
        qsort(v, *n, sizeof(*v), cmp_key);
        return v;
}

int cpod_trust_show(struct cpod_runtime *rt, const char *policy, const char *registries_d, json_t **ret,
                    cpod_error_t *err)
{
        _cleanup_free_ char *path = policy ? xstrdup(policy) : policy_default_path(rt);
        _cleanup_json_ json_t *doc = policy_load(path, err), *regd = NULL;
        json_t *tr, *rows;
        size_t n, m;

        if (!doc)
                return cpod_error_wrap(err, "could not show trust policies");
        if (registries_d_load(registries_d, &regd, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        rows = json_array();
        add_rows(rt, rows, "all", "* (default)", "default", json_object_get(doc, "default"), NULL);
        tr = json_object_get(doc, "transports");
        {
                json_t *docker = json_object_get(tr, "docker");
                _cleanup_free_ const char **ks = sorted_keys(docker, &n);
                for (size_t i = 0; i < n; i++)
                        add_rows(rt, rows, "repository", ks[i], ks[i], json_object_get(docker, ks[i]), regd);
        }
        {
                _cleanup_free_ const char **ts = sorted_keys(tr, &m);
                for (size_t t = 0; t < m; t++) {
                        json_t *scopes = json_object_get(tr, ts[t]);
                        _cleanup_free_ const char **ks = NULL;
                        if (strcmp(ts[t], "docker") == 0)
                                continue;
                        ks = sorted_keys(scopes, &n);
                        for (size_t i = 0; i < n; i++)
                                add_rows(rt, rows, ts[t], *ks[i] ? ks[i] : NULL, *ks[i] ? ks[i] : NULL,
                                         json_object_get(scopes, ks[i]), NULL);
                }
        }
        *ret = rows;
        return 0;
}

/* The requirements a `trust set` asks for: one per key for signedBy and sigstoreSigned, as podman writes them. */
static int requirements_for(const char *type, char *const *keys, json_t **ret, cpod_error_t *err)
{
        bool signed_by = strcmp(type, "signedBy") == 0, sigstore = strcmp(type, "sigstoreSigned") == 0;
        json_t *reqs;

        if (!signed_by && !sigstore && strcmp(type, "accept") && strcmp(type, "reject"))
                return cpod_error_set(
                        err, EINVAL, CPOD_E_INVALID,
                        "invalid choice: %s (choose from 'accept', 'reject', 'signedBy', 'sigstoreSigned')", type);
        if ((signed_by || sigstore) && !(keys && keys[0]))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "at least one public key must be defined for type '%s'", type);
        if (!signed_by && !sigstore && keys && keys[0])
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "public keys are only used with signedBy and sigstoreSigned");
        reqs = json_array();
        if (!signed_by && !sigstore)
                json_array_append_new(
                        reqs,
                        json_pack("{s:s}", "type", strcmp(type, "accept") == 0 ? "insecureAcceptAnything" : "reject"));
        for (char *const *k = keys; k && *k; k++) {
                _cleanup_free_ char *abs = realpath(*k, NULL);
                if (!abs) {
                        json_decref(reqs);
                        return cpod_error_sys(err, errno, "validating public key file %s", *k);
                }
                json_array_append_new(reqs,
                                      signed_by ? json_pack("{s:s, s:s, s:s}", "type", "signedBy", "keyType", "GPGKeys",
                                                            "keyPath", abs)
                                                : json_pack("{s:s, s:s}", "type", "sigstoreSigned", "keyPath", abs));
        }
        *ret = reqs;
        return 0;
}

static bool scope_ok(const char *s)
{
        return s && *s && !strpbrk(s, " \t\n\"\\") && s[0] != '/' && !strstr(s, "://");
}

int cpod_trust_set(struct cpod_runtime *rt, const char *policy, const char *scope, const char *type, char *const *keys,
                   cpod_error_t *err)
{
        _cleanup_free_ char *path = policy ? xstrdup(policy) : policy_default_path(rt);
        _cleanup_json_ json_t *doc = NULL, *reqs = NULL;
        bool is_default = scope && strcmp(scope, "default") == 0;
        json_t *tr, *docker;
        int r;

        if (!scope_ok(scope))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid image uri: %s", scope ? scope : "");
        if ((r = requirements_for(type, keys, &reqs, err)) < 0)
                return r;
        if (!path_exists(path)) {
                if (!is_default)
                        return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "default trust policy must be set");
                doc = json_object();
        } else if (!(doc = policy_load(path, err))) {
                return cpod_error_rc(err, -EINVAL);
        }
        if (is_default) {
                json_object_set(doc, "default", reqs);
        } else {
                if (!(tr = json_object_get(doc, "transports")))
                        json_object_set_new(doc, "transports", tr = json_object());
                if (!(docker = json_object_get(tr, "docker")))
                        json_object_set_new(tr, "docker", docker = json_object());
                json_object_set(docker, scope, reqs);
        }
        return json_write_file_atomic(path, doc, JSON_INDENT(4), err);
}

char *cpod_trust_policy_path(struct cpod_runtime *rt)
{
        return policy_default_path(rt);
}
