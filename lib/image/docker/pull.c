/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod pull: name resolution (registries.conf), then for each candidate
 * its pull sources (mirrors, then the primary location) until one serves
 * the manifest, then plan and copy into storage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/registry.h>

#include "image/copy.h"
#include "image/transports.h"
#include "image/docker/docker.h"
#include "image/docker/resolve.h"
#include "image/policy.h"
#include "image/sig.h"
#include "image/reference.h"
#include "image/registries.h"
#include "runtime/events.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Registry clients of one pull, by (host, insecure). */
struct clients {
        struct reg_client **v;
        bool *insecure;
        size_t n;
        struct reg_opts ro;
        struct cpod_runtime *rt; /* whose signature policy applies */
};

void reg_opts_from(const struct cpod_registry_opts *in, struct reg_opts *out)
{
        static const struct cpod_registry_opts none = CPOD_REGISTRY_OPTS_INIT;

        if (!in)
                in = &none;
        out->authfile = in->authfile;
        out->creds = in->creds;
        out->cert_dir = in->cert_dir;
        out->tls_verify = in->tls_verify;
        out->retries = in->retry;
        out->retry_delay_ms = in->retry_delay_ms;
}

static void clients_free(struct clients *cs)
{
        for (size_t i = 0; i < cs->n; i++)
                reg_client_free(cs->v[i]);
        free(cs->v);
        free(cs->insecure);
        memset(cs, 0, sizeof(*cs));
}

static int client_for(struct clients *cs, const char *host, bool insecure, struct reg_client **ret, cpod_error_t *err)
{
        struct reg_client *c;

        for (size_t i = 0; i < cs->n; i++)
                if (cs->insecure[i] == insecure && strcmp(reg_client_host(cs->v[i]), host) == 0) {
                        *ret = cs->v[i];
                        return 0;
                }
        if (reg_client_new(host, insecure, &cs->ro, &c, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        cs->v = xreallocarray(cs->v, cs->n + 1, sizeof(*cs->v));
        cs->insecure = xreallocarray(cs->insecure, cs->n + 1, sizeof(*cs->insecure));
        cs->v[cs->n] = c;
        cs->insecure[cs->n++] = insecure;
        *ret = c;
        return 0;
}

static void emit(const struct cpod_pull_opts *o, enum cpod_pull_event_kind kind, const char *text, int index,
                 int64_t total, bool skipped)
{
        struct cpod_pull_event ev = { .kind = kind, .text = text, .index = index, .total = total, .skipped = skipped };

        if (o->event)
                o->event(o->event_ud, &ev);
}

/* Split "host/path:tag" or "host/path@digest" into its parts. */
static int split_ref(const char *s, char **host, char **repo, char **ref, cpod_error_t *err)
{
        struct image_ref r;

        if (image_ref_parse(s, &r, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (!r.domain) {
                image_ref_clear(&r);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "\"%s\" is not a fully qualified reference", s);
        }
        image_ref_normalize_docker(&r);
        *host = xstrdup(r.domain);
        *repo = xstrdup(r.path);
        *ref = xstrdup(r.digest ? r.digest : r.tag ? r.tag : "latest");
        image_ref_clear(&r);
        return 0;
}

/* Open the first pull source (mirror or primary) that serves the manifest. */
static int open_source(struct clients *cs, const struct registries_conf *conf, const char *candidate,
                       char *const *names, const struct cpod_pull_opts *o, struct image_source **ret, cpod_error_t *err)
{
        struct pull_source *srcs = NULL;
        size_t n = 0;
        struct strbuf mirror_errs = STRBUF_INIT;
        struct docker_source_opts so = { o->os, o->arch, o->variant, o->event, o->event_ud };
        int r = -ENOENT;

        if (registries_pull_sources(conf, candidate, &srcs, &n, err) < 0)
                return cpod_error_rc(err, -EACCES);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *host = NULL, *repo = NULL, *ref = NULL;
                struct reg_client *c;
                cpod_error_t e = CPOD_ERROR_INIT;

                r = split_ref(srcs[i].ref, &host, &repo, &ref, &e);
                if (r == 0)
                        r = client_for(cs, host, srcs[i].insecure, &c, &e);
                if (r == 0)
                        r = docker_source_open(c, repo, ref, names, &so, ret, &e);
                if (r == 0) {
                        log_debug("pulling %s from %s", candidate, srcs[i].ref);
                        break;
                }
                if (srcs[i].mirror) {
                        log_debug("mirror %s: %s", srcs[i].ref, cpod_error_msg(&e));
                        strbuf_addf(&mirror_errs, "%s%s: %s", mirror_errs.len ? ", " : "", srcs[i].ref,
                                    cpod_error_msg(&e));
                        cpod_error_clear(&e);
                        continue;
                }
                cpod_error_move(err, &e);
                if (mirror_errs.len)
                        cpod_error_wrap(err, "(Mirrors also failed: [%s])", mirror_errs.buf);
        }
        strbuf_release(&mirror_errs);
        pull_sources_free(srcs, n);
        return r;
}

/* Announce the layers (podman's "Copying blob" lines), marking those already stored. */
static void announce(struct store *s, const struct image_plan *p, bool signed_, const struct cpod_pull_opts *o)
{
        _cleanup_json_ json_t *config = json_loadb(p->config, p->config_len, 0, NULL);
        json_t *ids = json_path(config, "rootfs.diff_ids");
        char parent[65] = "", chain[65];

        emit(o, CPOD_PULL_EV_SIGNATURES, NULL, -1, 0, false);
        /* containers/image says this when the source had signatures: here, the ones the policy verified */
        if (signed_)
                emit(o, CPOD_PULL_EV_SIGNATURES_CHECK, NULL, -1, 0, false);
        for (size_t i = 0; i < p->n_layers; i++) {
                const char *diff_id = json_string_value(json_array_get(ids, i));
                bool have = false;
                if (diff_id) {
                        layer_chain_id(i ? parent : NULL, diff_id, chain);
                        have = store_layer_exists(s, chain);
                        memcpy(parent, chain, sizeof(parent));
                }
                emit(o, CPOD_PULL_EV_BLOB, p->layers[i].digest, (int)i, p->layers[i].size, have);
        }
}

static int pull_candidate(struct store *s, struct clients *cs, const struct registries_conf *conf,
                          const char *candidate, const struct cpod_pull_opts *o, char ret_id[65], cpod_error_t *err)
{
        struct image_source *src = NULL;
        struct image_plan plan = { 0 };
        _cleanup_strv_ char **names = NULL;
        bool verified = false;
        int r;

        /* As podman: pulled by digest, the image is named REPO@DIGEST (a tag given with it is dropped). */
        if (strchr(candidate, '@')) {
                struct image_ref ref = { 0 };
                if (image_ref_parse(candidate, &ref, NULL) == 0 && ref.digest) {
                        _cleanup_free_ char *repo = image_ref_repo(&ref);
                        strv_take(&names, xasprintf("%s@%s", repo, ref.digest));
                }
                image_ref_clear(&ref);
        } else {
                strv_add(&names, candidate);
        }
        if (open_source(cs, conf, candidate, names, o, &src, err) < 0)
                return cpod_error_wrap(err, "initializing source docker://%s", candidate);
        /* the manifest is fetched, nothing else yet (not even the config): the policy decides now */
        {
                _cleanup_free_ char *name = xasprintf("docker://%s", candidate);
                struct sig_context reg;
                docker_source_sig_context(src, &reg);
                if (policy_check(cs->rt, "docker", candidate, name, docker_source_manifest_digest(src), &reg, err) <
                    0) {
                        /* podman's words as they are: "Source image rejected: ..." */
                        image_source_free(src);
                        return cpod_error_rc(err, -EACCES);
                }
                verified = reg.verified > 0;
        }
        r = src->next(src, &plan, err);
        if (r == 0)
                r = cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "no image");
        if (r > 0) {
                announce(s, &plan, verified, o);
                r = copy_to_store(s, src, &plan, ret_id, err);
        }
        if (r >= 0) {
                emit(o, CPOD_PULL_EV_CONFIG, plan.config_digest, -1, (int64_t)plan.config_len, false);
                emit(o, CPOD_PULL_EV_MANIFEST, NULL, -1, 0, false);
                emit(o, CPOD_PULL_EV_STORING, NULL, -1, 0, false);
        }
        image_plan_clear(&plan);
        image_source_free(src);
        if (r < 0)
                return cpod_error_wrap(err, "pulling image \"%s\"", candidate);
        return 0;
}

/* --all-tags: every tag of the candidate's repository. */
static int pull_all_tags(struct store *s, struct clients *cs, const struct registries_conf *conf, const char *candidate,
                         const struct cpod_pull_opts *o, json_t *ids, cpod_error_t *err)
{
        _cleanup_free_ char *host = NULL, *repo = NULL, *ref = NULL;
        _cleanup_strv_ char **tags = NULL;
        struct pull_source *srcs = NULL;
        size_t n = 0;
        struct reg_client *c = NULL;
        int r;

        if (split_ref(candidate, &host, &repo, &ref, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (registries_pull_sources(conf, candidate, &srcs, &n, err) < 0)
                return cpod_error_rc(err, -EACCES);
        r = client_for(cs, host, srcs[n - 1].insecure, &c, err);
        pull_sources_free(srcs, n);
        if (r < 0 || reg_list_tags(c, repo, &tags, err) < 0)
                return cpod_error_rc(err, -EIO);
        for (char **t = tags; *t; t++) {
                _cleanup_free_ char *one = xasprintf("%s/%s:%s", host, repo, *t);
                char id[65];
                emit(o, CPOD_PULL_EV_TRYING, one, -1, 0, false);
                if (pull_candidate(s, cs, conf, one, o, id, err) < 0)
                        return cpod_error_rc(err, -EIO);
                if (!json_array_size(ids) ||
                    strcmp(json_string_value(json_array_get(ids, json_array_size(ids) - 1)), id) != 0)
                        json_array_append_new(ids, json_string(id));
        }
        return 0;
}

/* "N errors occurred while pulling:\n * a\n * b" as podman, or the single error. */
static int report(cpod_error_t *errs, size_t n, cpod_error_t *err)
{
        struct strbuf sb = STRBUF_INIT;
        enum cpod_error_kind kind = errs[0].kind;
        int code = errs[0].code;

        if (n == 1) {
                cpod_error_move(err, &errs[0]);
                return -(code ? code : EIO);
        }
        strbuf_addf(&sb, "%zu errors occurred while pulling:", n);
        for (size_t i = 0; i < n; i++) {
                strbuf_addf(&sb, "\n * %s", cpod_error_msg(&errs[i]));
                if (errs[i].kind != kind)
                        kind = CPOD_E_INTERNAL;
        }
        cpod_error_set(err, code ? code : EIO, kind, "%s", sb.buf);
        strbuf_release(&sb);
        return -(code ? code : EIO);
}

/* docker:// is the registry; the local transports are handled before (image_pull_local). */
static const char *strip_transport(const char *name, cpod_error_t *err)
{
        static const char *const others[] = { "docker-daemon:", "containers-storage:" };

        if (strncmp(name, "docker://", 9) == 0)
                return name + 9;
        for (size_t i = 0; i < ARRAY_SIZE(others); i++)
                if (strncmp(name, others[i], strlen(others[i])) == 0) {
                        cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                       "pulling from the %.*s transport is not supported", (int)strlen(others[i]) - 1,
                                       others[i]);
                        return NULL;
                }
        return name;
}

int cpod_image_pull(struct cpod_runtime *rt, const char *name, const struct cpod_pull_opts *o, json_t **ret_ids,
                    cpod_error_t *err)
{
        static const struct cpod_pull_opts defaults = { .reg = CPOD_REGISTRY_OPTS_INIT };
        struct registries_conf *conf = NULL;
        struct resolved res = { 0 };
        struct clients cs = { 0 };
        struct store *s;
        cpod_error_t *errs = NULL;
        size_t n_errs = 0;
        json_t *ids = json_array();
        const char *ref;
        int r = -EIO;

        if (!o)
                o = &defaults;
        if (image_local_transport(name)) {
                json_decref(ids);
                if ((r = image_pull_local(rt, name, true, ret_ids, err)) == 0)
                        rt_event_simple(rt, "image", "pull", NULL, name); /* podman's: no ID, the name as given */
                return r;
        }
        reg_opts_from(&o->reg, &cs.ro);
        cs.rt = rt;
        if (!(ref = strip_transport(name, err)) || rt_store(rt, &s, err) < 0 || registries_conf_load(&conf, err) < 0)
                goto out;
        if (shortname_resolve(conf, ref, o->choose, o->event_ud, &res, err) < 0)
                goto out;
        if (o->all_tags && (strchr(ref, '@') || (strrchr(ref, ':') && !strchr(strrchr(ref, ':'), '/')))) {
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID, "tag can't be used with --all-tags/-a");
                goto out;
        }
        if (res.description)
                emit(o, CPOD_PULL_EV_RESOLVED, res.description, -1, 0, false);
        errs = xnew0(cpod_error_t, strv_length(res.candidates) + 1);
        for (char **c = res.candidates; *c; c++) {
                char id[65];
                if (o->all_tags) {
                        r = pull_all_tags(s, &cs, conf, *c, o, ids, &errs[n_errs]);
                } else {
                        emit(o, CPOD_PULL_EV_TRYING, *c, -1, 0, false);
                        r = pull_candidate(s, &cs, conf, *c, o, id, &errs[n_errs]);
                        if (r == 0)
                                json_array_append_new(ids, json_string(id));
                }
                if (r == 0)
                        break;
                n_errs++;
        }
        if (r < 0)
                r = report(errs, n_errs, err);
out:
        for (size_t i = 0; errs && i <= n_errs; i++)
                cpod_error_clear(&errs[i]);
        free(errs);
        resolved_clear(&res);
        registries_conf_free(conf);
        clients_free(&cs);
        if (r < 0) {
                json_decref(ids);
                return r;
        }
        *ret_ids = ids;
        rt_event_simple(rt, "image", "pull", NULL, name);
        return 0;
}
