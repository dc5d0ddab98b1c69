/* SPDX-License-Identifier: Apache-2.0 */
/* --pull policies for run and create: always, missing, never, newer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpod/image.h>
#include <cpod/registry.h>

#include "image/docker/docker.h"
#include "image/docker/resolve.h"
#include "image/transports.h"
#include "image/image-internal.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "image/registries.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

int cpod_pull_policy_parse(const char *s, enum cpod_pull_policy *ret, cpod_error_t *err)
{
        if (!s || !*s || strcasecmp(s, "missing") == 0 || strcasecmp(s, "ifmissing") == 0 ||
            strcasecmp(s, "ifnotpresent") == 0 || strcmp(s, "false") == 0)
                *ret = CPOD_PULL_MISSING;
        else if (strcasecmp(s, "always") == 0 || strcmp(s, "true") == 0)
                *ret = CPOD_PULL_ALWAYS;
        else if (strcasecmp(s, "never") == 0)
                *ret = CPOD_PULL_NEVER;
        else if (strcasecmp(s, "newer") == 0 || strcasecmp(s, "ifnewer") == 0)
                *ret = CPOD_PULL_NEWER;
        else
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "unsupported pull policy \"%s\"", s);
        return 0;
}

static int pull_one(struct cpod_runtime *rt, const char *name, const struct cpod_pull_opts *o, char ret_id[65],
                    cpod_error_t *err)
{
        _cleanup_json_ json_t *ids = NULL;
        struct cpod_pull_opts one = *o;

        one.all_tags = false;
        if (cpod_image_pull(rt, name, &one, &ids, err) < 0)
                return cpod_error_rc(err, -EIO);
        snprintf(ret_id, 65, "%s", json_string_value(json_array_get(ids, 0)));
        return 0;
}

/* The registry's current manifest digest for the first candidate that answers. */
static int remote_digest(const char *name, const struct cpod_pull_opts *o, char ret[72], cpod_error_t *err)
{
        struct registries_conf *conf = NULL;
        struct resolved res = { 0 };
        struct reg_opts ro;
        int r = -ENOENT;

        reg_opts_from(&o->reg, &ro);
        if (registries_conf_load(&conf, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (shortname_resolve(conf, strncmp(name, "docker://", 9) == 0 ? name + 9 : name, NULL, NULL, &res, err) < 0) {
                registries_conf_free(conf);
                return cpod_error_rc(err, -EINVAL);
        }
        for (char **c = res.candidates; *c && r < 0; c++) {
                struct pull_source *srcs = NULL;
                size_t n = 0;
                if (registries_pull_sources(conf, *c, &srcs, &n, err) < 0)
                        break;
                for (size_t i = 0; i < n && r < 0; i++) {
                        struct image_ref ref;
                        struct reg_client *cl = NULL;
                        cpod_error_clear(err);
                        if (image_ref_parse(srcs[i].ref, &ref, err) < 0)
                                continue;
                        image_ref_normalize_docker(&ref);
                        if (ref.domain && reg_client_new(ref.domain, srcs[i].insecure, &ro, &cl, err) == 0)
                                r = reg_head_manifest(cl, ref.path,
                                                      ref.digest ? ref.digest
                                                      : ref.tag  ? ref.tag
                                                                 : "latest",
                                                      ret, err);
                        reg_client_free(cl);
                        image_ref_clear(&ref);
                }
                pull_sources_free(srcs, n);
        }
        resolved_clear(&res);
        registries_conf_free(conf);
        return r;
}

static bool has_digest(struct cpod_runtime *rt, const char *id, const char *digest)
{
        struct store *s;
        struct image_rec rec;
        bool found = false;

        if (rt_store(rt, &s, NULL) < 0 || store_image_get(s, id, &rec, NULL) < 0)
                return false;
        found = (rec.digest && strcmp(rec.digest, digest) == 0) || strv_contains(rec.digests, digest);
        image_rec_clear(&rec);
        return found;
}

/* With --platform/--arch/--os/--variant, a local image only counts when its config says that platform. */
static bool platform_matches(struct cpod_runtime *rt, const char *id, const struct cpod_pull_opts *o)
{
        struct store *s;
        _cleanup_json_ json_t *cfg = NULL;
        const char *os, *arch, *variant;

        if (!(o->os && *o->os) && !(o->arch && *o->arch) && !(o->variant && *o->variant))
                return true;
        if (rt_store(rt, &s, NULL) < 0 || !(cfg = image_load_config(s, id, NULL)))
                return false;
        os = json_get_str(cfg, "os");
        arch = json_get_str(cfg, "architecture");
        variant = json_get_str(cfg, "variant");
        if (o->os && *o->os && (!os || strcmp(os, o->os) != 0))
                return false;
        if (o->arch && *o->arch && (!arch || strcmp(normalize_arch(arch), normalize_arch(o->arch)) != 0))
                return false;
        return !(o->variant && *o->variant) || (variant && strcmp(variant, o->variant) == 0);
}

int cpod_image_ensure(struct cpod_runtime *rt, const char *name, enum cpod_pull_policy policy,
                      const struct cpod_pull_opts *o, char ret_id[65], cpod_error_t *err)
{
        static const struct cpod_pull_opts defaults = { .reg = CPOD_REGISTRY_OPTS_INIT };
        cpod_error_t lerr = CPOD_ERROR_INIT;
        char digest[72];
        bool local;

        if (!o)
                o = &defaults;
        /* An archive or layout named as the image is read each time, as podman does. */
        if (image_local_transport(name))
                return pull_one(rt, name, o, ret_id, err);
        if (strncmp(name, "docker://", 9) == 0)
                name += 9;
        else if (strncmp(name, "containers-storage:", 19) == 0) {
                name += 19;
                policy = CPOD_PULL_NEVER;
        }
        if (policy == CPOD_PULL_ALWAYS)
                return pull_one(rt, name, o, ret_id, err);
        local = cpod_image_lookup(rt, name, ret_id, &lerr) == 0;
        if (!local && lerr.kind != CPOD_E_NO_SUCH_IMAGE) {
                cpod_error_move(err, &lerr);
                return cpod_error_rc(err, -EIO);
        }
        /* As podman: a local image of another platform is as good as missing. */
        if (local && !platform_matches(rt, ret_id, o)) {
                log_debug("local image %s is not for the requested platform", ret_id);
                local = false;
        }
        if (policy == CPOD_PULL_NEVER) {
                if (local)
                        return 0;
                cpod_error_clear(&lerr);
                return cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE, "%s: image not known", name);
        }
        cpod_error_clear(&lerr);
        if (!local)
                return pull_one(rt, name, o, ret_id, err);
        if (policy == CPOD_PULL_MISSING)
                return 0;
        /* newer: pull when the registry has a different manifest; keep the local image if it can't tell. */
        if (remote_digest(name, o, digest, &lerr) < 0) {
                log_debug("--pull=newer: %s, using the local image", cpod_error_msg(&lerr));
                cpod_error_clear(&lerr);
                return 0;
        }
        if (has_digest(rt, ret_id, digest))
                return 0;
        return pull_one(rt, name, o, ret_id, err);
}
