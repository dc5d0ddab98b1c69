/* SPDX-License-Identifier: Apache-2.0 */
#include "image/manifest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/info.h>

#include "util/cleanup.h"
#include "util/digest.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_ENTRIES 4096

void descriptor_clear(struct descriptor *d)
{
        free(d->media_type);
        free(d->digest);
        free(d->os);
        free(d->arch);
        free(d->variant);
        free(d->ref_name);
        memset(d, 0, sizeof(*d));
}

void manifest_clear(struct manifest *m)
{
        descriptor_clear(&m->config);
        for (size_t i = 0; i < m->n_layers; i++)
                descriptor_clear(&m->layers[i]);
        for (size_t i = 0; i < m->n_manifests; i++)
                descriptor_clear(&m->manifests[i]);
        free(m->layers);
        free(m->manifests);
        free(m->media_type);
        memset(m, 0, sizeof(*m));
}

static int parse_descriptor(json_t *j, struct descriptor *d, const char *what, cpod_error_t *err)
{
        json_t *plat = json_object_get(j, "platform");
        const char *digest = json_get_str(j, "digest");
        json_t *size = json_object_get(j, "size");

        if (!json_is_object(j) || !digest || !digest_valid_any(digest))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid %s descriptor: missing or bad digest",
                                      what);
        if (size && (!json_is_integer(size) || json_integer_value(size) < 0))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "invalid %s descriptor: bad size", what);
        d->digest = xstrdup(digest);
        d->size = size ? json_integer_value(size) : -1;
        d->media_type = xstrdup(json_get_str(j, "mediaType"));
        if (json_is_object(plat)) {
                d->os = xstrdup(json_get_str(plat, "os"));
                d->arch = xstrdup(json_get_str(plat, "architecture"));
                d->variant = xstrdup(json_get_str(plat, "variant"));
        }
        d->ref_name = xstrdup(json_get_str(json_object_get(j, "annotations"), "org.opencontainers.image.ref.name"));
        return 0;
}

static int parse_list(json_t *arr, struct descriptor **ret, size_t *ret_n, const char *what, cpod_error_t *err)
{
        size_t n = json_array_size(arr), i;
        json_t *e;

        if (!json_is_array(arr))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "manifest: \"%s\" must be an array", what);
        if (n > MAX_ENTRIES)
                return cpod_error_set(err, E2BIG, CPOD_E_CORRUPT, "manifest: too many %s (%zu)", what, n);
        *ret = xnew0(struct descriptor, n ? n : 1);
        *ret_n = 0;
        json_array_foreach(arr, i, e) {
                if (parse_descriptor(e, &(*ret)[i], what, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                (*ret_n)++;
        }
        return 0;
}

static const char *detect_type(json_t *j, const char *hint)
{
        const char *mt = json_get_str(j, "mediaType");

        if (mt && *mt)
                return mt;
        if (hint && *hint)
                return hint;
        if (json_get_int(j, "schemaVersion", 0) == 1)
                return MT_DOCKER_V1;
        if (json_object_get(j, "manifests"))
                return MT_OCI_INDEX;
        return MT_OCI_MANIFEST;
}

int manifest_parse(const char *buf, size_t len, const char *hint, struct manifest *ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *j = NULL;
        struct manifest m = { 0 };
        const char *mt;
        int r;

        if (len > MANIFEST_MAX_SIZE)
                return cpod_error_set(err, E2BIG, CPOD_E_CORRUPT, "manifest too large (%zu bytes)", len);
        if (!(j = json_parse_buf(buf, len, "manifest", err)))
                return cpod_error_rc(err, -EINVAL);
        if (!json_is_object(j))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "manifest is not a JSON object");
        mt = detect_type(j, hint);
        if (strcmp(mt, MT_DOCKER_V1) == 0 || strcmp(mt, MT_DOCKER_V1_SIGNED) == 0)
                return cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED,
                                      "unsupported manifest type %s (Docker schema 1 is deprecated; push the image "
                                      "again with a current client)",
                                      mt);
        m.media_type = xstrdup(mt);
        if (strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0) {
                m.kind = MANIFEST_INDEX;
                r = parse_list(json_object_get(j, "manifests"), &m.manifests, &m.n_manifests, "manifests", err);
        } else if (strcmp(mt, MT_OCI_MANIFEST) == 0 || strcmp(mt, MT_DOCKER_MANIFEST) == 0) {
                m.kind = MANIFEST_IMAGE;
                r = parse_descriptor(json_object_get(j, "config"), &m.config, "config", err);
                if (r == 0)
                        r = parse_list(json_object_get(j, "layers"), &m.layers, &m.n_layers, "layers", err);
        } else {
                r = cpod_error_set(err, ENOTSUP, CPOD_E_NOT_SUPPORTED, "unsupported manifest media type \"%s\"", mt);
        }
        if (r < 0) {
                manifest_clear(&m);
                return r;
        }
        *ret = m;
        return 0;
}

const char *normalize_arch(const char *arch)
{
        static const char *const map[][2] = { { "x86_64", "amd64" }, { "x86-64", "amd64" }, { "aarch64", "arm64" },
                                              { "armhf", "arm" },    { "armel", "arm" },    { "i386", "386" },
                                              { "i686", "386" } };

        for (size_t i = 0; arch && i < sizeof(map) / sizeof(map[0]); i++)
                if (strcmp(arch, map[i][0]) == 0)
                        return map[i][1];
        return arch;
}

static bool variant_matches(const char *arch, const char *want, const char *have)
{
        if (!want || !*want)
                return true;
        if ((!have || !*have) && strcmp(arch, "arm64") == 0 && strcmp(want, "v8") == 0)
                return true;
        return have && strcmp(want, have) == 0;
}

int manifest_choose(const struct manifest *m, const char *os, const char *arch, const char *variant, cpod_error_t *err)
{
        struct strbuf offered = STRBUF_INIT;
        const char *want_os = os && *os ? os : "linux";
        const char *want_arch = normalize_arch(arch && *arch ? arch : cpod_goarch());

        for (size_t i = 0; i < m->n_manifests; i++) {
                const struct descriptor *d = &m->manifests[i];
                if (d->os && d->arch && strcmp(d->os, want_os) == 0 &&
                    strcmp(normalize_arch(d->arch), want_arch) == 0 &&
                    variant_matches(want_arch, variant, d->variant)) {
                        strbuf_release(&offered);
                        return (int)i;
                }
        }
        for (size_t i = 0; i < m->n_manifests; i++) {
                const struct descriptor *d = &m->manifests[i];
                strbuf_addf(&offered, "%s%s/%s%s%s", i ? ", " : "", d->os ? d->os : "?", d->arch ? d->arch : "?",
                            d->variant ? "/" : "", d->variant ? d->variant : "");
        }
        cpod_error_set(err, ENOENT, CPOD_E_NO_SUCH_IMAGE,
                       "no image found in manifest list for architecture %s, variant \"%s\", OS %s (available: %s)",
                       want_arch, variant ? variant : "", want_os, offered.len ? offered.buf : "none");
        strbuf_release(&offered);
        return cpod_error_rc(err, -ENOENT);
}
