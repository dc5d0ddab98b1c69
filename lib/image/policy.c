/* SPDX-License-Identifier: Apache-2.0 */
/* containers-policy.json(5): loading, scope matching and evaluation (see policy.h). */
#include "image/policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/sig.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static const char *const known_types[] = { "insecureAcceptAnything", "reject", "signedBy", "sigstoreSigned", NULL };
static const char *const known_transports[] = { "docker",        "atomic",  "docker-archive",
                                                "docker-daemon", "oci",     "oci-archive",
                                                "dir",           "tarball", NULL };

/* Every requirement list must be a non-empty array of objects of a known type. */
static int check_list(json_t *list, const char *where, const char *path, cpod_error_t *err)
{
        size_t i;
        json_t *r;

        if (!json_is_array(list) || json_array_size(list) == 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid policy in \"%s\": %s must be a non-empty list of requirements", path,
                                      where);
        json_array_foreach(list, i, r) {
                const char *type = json_get_str(r, "type");
                if (!type || !strv_contains((char *const *)known_types, type))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid policy in \"%s\": Unknown policy requirement type \"%s\"", path,
                                              type ? type : "");
        }
        return 0;
}

static int check_policy(json_t *doc, const char *path, cpod_error_t *err)
{
        json_t *transports = json_object_get(doc, "transports"), *scopes, *list;
        const char *t, *scope;

        if (!json_is_object(doc))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid policy in \"%s\": not a JSON object", path);
        if (!json_object_get(doc, "default"))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid policy in \"%s\": Missing \"default\" field", path);
        if (check_list(json_object_get(doc, "default"), "default", path, err) < 0)
                return -EINVAL;
        if (transports && !json_is_object(transports))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid policy in \"%s\": transports must be an object", path);
        json_object_foreach(transports, t, scopes) {
                if (!strv_contains((char *const *)known_transports, t))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid policy in \"%s\": Unknown transport \"%s\"", path, t);
                if (!json_is_object(scopes))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid policy in \"%s\": transports.%s must be an object", path, t);
                json_object_foreach(scopes, scope, list)
                        if (check_list(list, scope, path, err) < 0)
                                return -EINVAL;
        }
        return 0;
}

/* --signature-policy, else $HOME/.config/containers/policy.json when present, else /etc's. */
static char *policy_path(struct cpod_runtime *rt)
{
        const char *home = getenv("HOME");

        if (rt && rt->signature_policy)
                return xstrdup(rt->signature_policy);
        if (home && *home) {
                _cleanup_free_ char *user = path_join(home, ".config/containers/policy.json");
                if (access(user, F_OK) == 0)
                        return TAKE_PTR(user);
        }
        return xstrdup("/etc/containers/policy.json");
}

static json_t *load(const char *path, cpod_error_t *err)
{
        _cleanup_free_ char *text = NULL;
        json_error_t je;
        json_t *doc;
        size_t len;

        if (read_file(path, &text, &len, 1 << 20, err) < 0) {
                cpod_error_wrap(err, "reading the signature policy");
                return NULL;
        }
        doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
        if (!doc) {
                cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid policy in \"%s\": %s", path, je.text);
                return NULL;
        }
        if (check_policy(doc, path, err) < 0) {
                json_decref(doc);
                return NULL;
        }
        return doc;
}

char *policy_default_path(struct cpod_runtime *rt)
{
        return policy_path(rt);
}

json_t *policy_load(const char *path, cpod_error_t *err)
{
        return load(path, err);
}

/* A "*.example.com" scope matches hosts below example.com (not example.com itself). */
static json_t *wildcard(json_t *scopes, const char *host)
{
        for (const char *dot = strchr(host, '.'); dot; dot = strchr(dot + 1, '.')) {
                _cleanup_free_ char *w = xasprintf("*%s", dot);
                json_t *l = json_object_get(scopes, w);
                if (l)
                        return l;
        }
        return NULL;
}

/*
 * docker: the most specific scope wins: the whole reference (with tag or digest), the repository,
 * each shorter namespace, the host[:port], a wildcard domain.  Other transports: the path and then
 * each directory above it.  Then the transport's "" scope, then the default.
 */
static json_t *requirements(json_t *doc, const char *transport, const char *scope)
{
        json_t *scopes = json_object_get(json_object_get(doc, "transports"), transport), *l;
        _cleanup_free_ char *s = xstrdup(scope ? scope : "");
        char *cut;

        if ((l = json_object_get(scopes, s)))
                return l;
        if (strcmp(transport, "docker") == 0) {
                /* drop the tag or digest: host/ns/repo */
                char *at = strchr(s, '@'), *slash = strrchr(s, '/'), *colon = strrchr(slash ? slash : s, ':');
                if (at)
                        *at = '\0';
                else if (colon && slash)
                        *colon = '\0';
        }
        for (;;) {
                if (*s && (l = json_object_get(scopes, s)))
                        return l;
                if (!(cut = strrchr(s, '/')) || cut == s)
                        break;
                *cut = '\0';
        }
        if (strcmp(transport, "docker") == 0 && *s && (l = wildcard(scopes, s)))
                return l;
        if ((l = json_object_get(scopes, "")))
                return l;
        return json_object_get(doc, "default");
}

int policy_requirements(const char *path, const char *transport, const char *scope, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = load(path, err);

        if (!doc)
                return cpod_error_rc(err, -EINVAL);
        *ret = json_incref(requirements(doc, transport, scope));
        return 0;
}

int policy_check(struct cpod_runtime *rt, const char *transport, const char *scope, const char *name,
                 const char *manifest_digest, struct sig_context *regctx, cpod_error_t *err)
{
        _cleanup_free_ char *path = policy_path(rt);
        _cleanup_json_ json_t *doc = load(path, err);
        size_t i;
        json_t *r;

        if (!doc)
                return cpod_error_rc(err, -EINVAL);
        /* every requirement of the scope must hold */
        json_array_foreach(requirements(doc, transport, scope), i, r) {
                const char *type = json_get_str(r, "type");
                if (strcmp(type, "insecureAcceptAnything") == 0)
                        continue;
                if (strcmp(type, "reject") == 0)
                        return cpod_error_set(err, EACCES, CPOD_E_DENIED,
                                              "Source image rejected: Running image %s is rejected by policy.", name);
                if (strcmp(type, "signedBy") == 0 || strcmp(type, "sigstoreSigned") == 0) {
                        struct sig_context ctx = { 0 };
                        if (strcmp(transport, "docker") == 0 && regctx)
                                ctx = *regctx;
                        ctx.reference = strcmp(transport, "docker") == 0 ? scope : NULL;
                        ctx.manifest_digest = strcmp(transport, "docker") == 0 ? manifest_digest : NULL;
                        if ((strcmp(type, "signedBy") == 0 ? sig_check_signed_by(r, &ctx, err)
                                                           : sig_check_sigstore(r, &ctx, err)) < 0)
                                return cpod_error_wrap(err, "Source image rejected");
                        if (regctx)
                                regctx->verified++;
                        continue;
                }
                return cpod_error_set(err, EACCES, CPOD_E_DENIED,
                                      "Source image rejected: the policy in %s requires %s signatures for %s, and cpod "
                                      "cannot verify signatures yet",
                                      path, type, name);
        }
        return 0;
}
