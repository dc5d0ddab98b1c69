/* SPDX-License-Identifier: Apache-2.0 */
/* --secret at create: podman's syntax and errors, the secrets looked up; what inspect shows of them. */
#include "ctr/ctr-secrets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctr/ctr-config.h"
#include "secret/secret.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define PARSE_ERR ": parsing secret"

void ctr_secret_clear(struct ctr_secret *s)
{
        free(s->source);
        free(s->target);
        memset(s, 0, sizeof(*s));
}

/* Go's strconv.ParseUint(s, base, 32): digits only, no sign, within 32 bits. */
static bool parse_u32(const char *s, int base, uint32_t *ret)
{
        char *end;
        unsigned long long v;

        if (!*s || strspn(s, base == 8 ? "01234567" : "0123456789") != strlen(s))
                return false;
        errno = 0;
        v = strtoull(s, &end, base);
        if (errno || *end || v > UINT32_MAX)
                return false;
        *ret = (uint32_t)v;
        return true;
}

static int bad(cpod_error_t *err, const char *fmt, const char *what)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, fmt, what);
}

/* One option=value of a --secret; *mount_only: it only makes sense for a mounted secret. */
static int parse_opt(const char *kv, struct ctr_secret *s, bool *typed, bool *mount_only, cpod_error_t *err)
{
        const char *eq = strchr(kv, '='), *v = eq ? eq + 1 : NULL;
        size_t kl = eq ? (size_t)(eq - kv) : 0;
        _cleanup_free_ char *k = eq ? xstrndup(kv, kl) : NULL;

        if (!eq)
                return bad(err, "option %s must be in form option=value" PARSE_ERR, kv);
        if (strcmp(k, "source") == 0) {
                free(s->source);
                s->source = xstrdup(v);
        } else if (strcmp(k, "type") == 0) {
                if (*typed)
                        return bad(err, "cannot set more than one secret type%s", PARSE_ERR);
                if (strcmp(v, "mount") != 0 && strcmp(v, "env") != 0)
                        return bad(err, "type %s is invalid" PARSE_ERR, v);
                *typed = true;
                s->env = strcmp(v, "env") == 0;
        } else if (strcmp(k, "target") == 0) {
                free(s->target);
                s->target = xstrdup(v);
        } else if (strcmp(k, "mode") == 0) {
                *mount_only = true;
                if (!parse_u32(v, 8, &s->mode))
                        return bad(err, "mode %s invalid" PARSE_ERR, v);
        } else if (strcmp(k, "uid") == 0 || strcmp(k, "UID") == 0) {
                *mount_only = true;
                if (!parse_u32(v, 10, &s->uid))
                        return bad(err, "UID %s invalid" PARSE_ERR, v);
        } else if (strcmp(k, "gid") == 0 || strcmp(k, "GID") == 0) {
                *mount_only = true;
                if (!parse_u32(v, 10, &s->gid))
                        return bad(err, "GID %s invalid" PARSE_ERR, v);
        } else {
                return bad(err, "option %s invalid" PARSE_ERR, kv);
        }
        return 0;
}

int ctr_secret_parse(const char *spec, struct ctr_secret *ret, cpod_error_t *err)
{
        _cleanup_strv_ char **parts = NULL;
        bool typed = false, mount_only = false;
        char **p;
        int r;

        memset(ret, 0, sizeof(*ret));
        ret->mode = 0444;
        if (!strchr(spec, ',')) { /* a lone value is the source, even with an '=' in it */
                ret->source = xstrdup(spec);
                return 0;
        }
        parts = strv_split_keep_empty(spec, ',');
        p = parts;
        if (*p && !strchr(*p, '='))
                ret->source = xstrdup(*p++);
        for (; *p; p++)
                if ((r = parse_opt(*p, ret, &typed, &mount_only, err)) < 0)
                        return r;
        if (!ret->source || !*ret->source)
                return bad(err, "no source found %s" PARSE_ERR, spec);
        if (ret->env && mount_only)
                return bad(err, "UID, GID, Mode options cannot be set with secret type env%s", PARSE_ERR);
        return 0;
}

static int resolve_one(struct cpod_runtime *rt, const char *spec, json_t *refs, cpod_error_t *err)
{
        struct ctr_secret s;
        _cleanup_free_ char *name = NULL;
        char id[CPOD_SECRET_ID_LEN + 1];
        const char *target;
        int r;

        if ((r = ctr_secret_parse(spec, &s, err)) == 0)
                r = secret_lookup(rt, s.source, id, &name, err);
        target = s.target && *s.target ? s.target : s.source;
        if (r == 0 && s.env && (!*target || strchr(target, '=')))
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid environment variable name \"%s\"" PARSE_ERR,
                                   target);
        if (r == 0)
                json_array_append_new(refs,
                                      json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "Name", name, "ID", id, "Type",
                                                s.env ? "env" : "mount", "Target",
                                                s.env ? target : (s.target ? s.target : ""), "UID", (json_int_t)s.uid,
                                                "GID", (json_int_t)s.gid, "Mode", (json_int_t)s.mode));
        ctr_secret_clear(&s);
        return r;
}

int ctr_secrets_resolve(struct cpod_runtime *rt, struct ctr_config *cfg, cpod_error_t *err)
{
        json_t *refs = json_array();
        int r = 0;

        for (char **s = cfg->secrets; s && *s && r == 0; s++)
                r = resolve_one(rt, *s, refs, err);
        if (r < 0) {
                json_decref(refs);
                return r;
        }
        json_decref(cfg->secret_refs);
        cfg->secret_refs = refs;
        return 0;
}

bool ctr_secret_ref_is(const json_t *ref, const char *type)
{
        const char *t = json_get_str(ref, "Type");

        return t && strcmp(t, type) == 0;
}

json_t *ctr_secrets_inspect(const struct ctr_config *cfg)
{
        json_t *out = json_array(), *ref;
        size_t i;

        json_array_foreach(cfg->secret_refs, i, ref) {
                if (!ctr_secret_ref_is(ref, "mount"))
                        continue;
                json_array_append_new(out,
                                      json_pack("{s:s?, s:s?, s:I, s:I, s:I}", "Name", json_get_str(ref, "Name"), "ID",
                                                json_get_str(ref, "ID"), "UID", json_get_int(ref, "UID", 0), "GID",
                                                json_get_int(ref, "GID", 0), "Mode", json_get_int(ref, "Mode", 0444)));
        }
        if (json_array_size(out))
                return out;
        json_decref(out);
        return NULL;
}

static bool is_env_secret(const struct ctr_config *cfg, const char *kv)
{
        size_t n = strcspn(kv, "="), i;
        json_t *ref;

        json_array_foreach(cfg->secret_refs, i, ref) {
                const char *t = json_get_str(ref, "Target");
                if (ctr_secret_ref_is(ref, "env") && t && strlen(t) == n && strncmp(t, kv, n) == 0)
                        return true;
        }
        return false;
}

json_t *ctr_secrets_env_filter(const struct ctr_config *cfg, const json_t *env)
{
        json_t *out = json_array(), *e;
        size_t i;

        json_array_foreach(env, i, e)
                if (!json_is_string(e) || !is_env_secret(cfg, json_string_value(e)))
                        json_array_append(out, e);
        return out;
}
