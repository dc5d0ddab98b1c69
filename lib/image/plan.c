/* SPDX-License-Identifier: Apache-2.0 */
/* Planning an image copy from a manifest: platform choice, config fetch, digest checks. */
#include "image/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/manifest.h"
#include "util/cleanup.h"
#include "util/digest.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

void blob_close(struct blob *b)
{
        if (b->close)
                b->close(b->ud);
        memset(b, 0, sizeof(*b));
}

int blob_read_all(struct blob *b, size_t max, char **ret, size_t *ret_len, cpod_error_t *err)
{
        struct strbuf sb = STRBUF_INIT;

        for (;;) {
                ssize_t n;
                strbuf_grow(&sb, 65536);
                n = b->read(b->ud, sb.buf + sb.len, sb.alloc - sb.len - 1);
                if (n < 0) {
                        _cleanup_free_ char *why = b->error ? b->error(b->ud) : NULL;
                        strbuf_release(&sb);
                        if (why)
                                return cpod_error_set(err, (int)-n, CPOD_E_INTERNAL, "%s", why);
                        return cpod_error_sys(err, (int)-n, "read blob");
                }
                if (n == 0)
                        break;
                sb.len += (size_t)n;
                sb.buf[sb.len] = '\0';
                if (sb.len > max) {
                        strbuf_release(&sb);
                        return cpod_error_set(err, E2BIG, CPOD_E_CORRUPT, "blob larger than %zu bytes", max);
                }
        }
        *ret = strbuf_detach(&sb, ret_len);
        return 0;
}

void image_plan_clear(struct image_plan *p)
{
        free(p->config);
        free(p->manifest);
        free(p->manifest_type);
        strv_free(p->digests);
        for (size_t i = 0; i < p->n_layers; i++) {
                free(p->layers[i].digest);
                free(p->layers[i].media_type);
                free(p->layers[i].locator);
        }
        free(p->layers);
        strv_free(p->names);
        memset(p, 0, sizeof(*p));
}

void image_source_free(struct image_source *src)
{
        if (src && src->free)
                src->free(src);
}

static int verify(const char *what, const char *data, size_t len, const char *want, cpod_error_t *err)
{
        char got[DIGEST_STR_MAX];

        if (strncmp(want, "sha256:", 7) != 0)
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED, "%s: unsupported digest algorithm in %s",
                                      what, want);
        digest_buf(data, len, got);
        if (strcmp(got, want) != 0)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "%s digest mismatch: expected %s, got %s", what,
                                      want, got);
        return 0;
}

/* Check the config's rootfs against the manifest's layers. */
static int check_config(const char *config, size_t len, const struct manifest *m, cpod_error_t *err)
{
        _cleanup_json_ json_t *c = json_parse_buf(config, len, "image config", err);
        json_t *ids;
        size_t i;
        json_t *e;

        if (!c)
                return cpod_error_rc(err, -EINVAL);
        ids = json_path(c, "rootfs.diff_ids");
        if (!json_is_array(ids))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "image config has no rootfs.diff_ids");
        if (json_array_size(ids) != m->n_layers)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "image config lists %zu layers but the manifest %zu",
                                      json_array_size(ids), m->n_layers);
        json_array_foreach(ids, i, e)
                if (!json_is_string(e) || !digest_valid(json_string_value(e)))
                        return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "image config has an invalid diff ID");
        return 0;
}

static int resolve_index(struct image_source *src, fetch_fn fetch, struct manifest *m, char **buf, size_t *len,
                         char ***digests, cpod_error_t *err)
{
        int idx = manifest_choose(m, src->os, src->arch, src->variant, err);
        _cleanup_free_ char *want = NULL, *mt = NULL;

        if (idx < 0)
                return cpod_error_rc(err, -ENOENT);
        want = xstrdup(m->manifests[idx].digest);
        mt = xstrdup(m->manifests[idx].media_type);
        free(*buf);
        *buf = NULL;
        if (fetch(src, want, MANIFEST_MAX_SIZE, buf, len, err) < 0 || verify("manifest", *buf, *len, want, err) < 0)
                return cpod_error_rc(err, -EIO);
        strv_add(digests, want);
        manifest_clear(m);
        if (manifest_parse(*buf, *len, mt, m, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (m->kind != MANIFEST_IMAGE)
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "nested manifest lists are not supported");
        return 0;
}

static void fill_layers(struct image_plan *plan, const struct manifest *m)
{
        plan->layers = xnew0(struct plan_layer, m->n_layers ? m->n_layers : 1);
        plan->n_layers = m->n_layers;
        for (size_t i = 0; i < m->n_layers; i++) {
                plan->layers[i].digest = xstrdup(m->layers[i].digest);
                plan->layers[i].media_type = xstrdup(m->layers[i].media_type);
                plan->layers[i].size = m->layers[i].size;
        }
}

int plan_from_manifest(struct image_source *src, fetch_fn fetch, const char *manifest, size_t len,
                       const char *media_type, struct image_plan *plan, cpod_error_t *err)
{
        struct manifest m = { 0 };
        char *buf = xmemdup(manifest, len + 1), digest[DIGEST_STR_MAX];
        _cleanup_strv_ char **list_digests = xnew0(char *, 1);
        int r;

        buf[len] = '\0';
        digest_buf(manifest, len, digest);
        r = manifest_parse(buf, len, media_type, &m, err);
        if (r == 0 && m.kind == MANIFEST_INDEX) {
                strv_add(&list_digests, digest);
                r = resolve_index(src, fetch, &m, &buf, &len, &plan->digests, err);
        } else if (r == 0) {
                strv_add(&plan->digests, digest);
        }
        if (r == 0)
                r = fetch(src, m.config.digest, CONFIG_MAX_SIZE, &plan->config, &plan->config_len, err);
        if (r == 0)
                r = verify("config", plan->config, plan->config_len, m.config.digest, err);
        if (r == 0)
                r = check_config(plan->config, plan->config_len, &m, err);
        if (r == 0) {
                snprintf(plan->config_digest, sizeof(plan->config_digest), "%s", m.config.digest);
                plan->manifest = TAKE_PTR(buf);
                plan->manifest_len = len;
                plan->manifest_type = xstrdup(m.media_type);
                for (char **d = list_digests; *d; d++)
                        strv_add(&plan->digests, *d);
                fill_layers(plan, &m);
        }
        free(buf);
        manifest_clear(&m);
        return r;
}
