/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A pod's volumes, by name, as the containers mount them:
 *   hostPath              a bind mount of Source (checked or created by type, as podman)
 *   emptyDir              an anonymous volume, removed with its container
 *   persistentVolumeClaim the named volume Source (the claim's name)
 *   configMap, secret     a named volume of the map's (secret's) name holding one file per key
 *                         (a secret of the YAML or of cpod's secret store)
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "kube/kube-internal.h"

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/xalloc.h"

static int check_host_path(const char *vol, const char *path, const char *type, cpod_error_t *err)
{
        static const struct {
                const char *type;
                mode_t fmt;
        } kinds[] = { { "Directory", S_IFDIR },  { "File", S_IFREG },        { "Socket", S_IFSOCK },
                      { "CharDevice", S_IFCHR }, { "BlockDevice", S_IFBLK }, { NULL, 0 } };
        struct stat st;

        if (path[0] != '/')
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: volume %s: hostPath %s is not absolute", vol,
                                      path);
        if (!*type || strcmp(type, "DirectoryOrCreate") == 0 || strcmp(type, "FileOrCreate") == 0)
                return 0;
        for (size_t i = 0; kinds[i].type; i++) {
                if (strcmp(kinds[i].type, type) != 0)
                        continue;
                if (stat(path, &st) < 0 || (st.st_mode & S_IFMT) != kinds[i].fmt)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "kube: volume %s: hostPath %s is not a %s on the host", vol, path, type);
                return 0;
        }
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: volume %s: invalid hostPath type %s", vol, type);
}

static int host_path(const char *vol, const json_t *hp, json_t *plan, json_t **ret, cpod_error_t *err)
{
        const char *path = json_get_str(hp, "path"), *type = json_get_str(hp, "type");
        int r;

        if (!path)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: volume %s: hostPath has no path", vol);
        if ((r = check_host_path(vol, path, type ? type : "", err)) < 0)
                return r;
        if (type && strstr(type, "OrCreate"))
                json_array_append_new(json_object_get(plan, "HostPaths"),
                                      json_pack("{s:s, s:s}", "Path", path, "Type", type));
        *ret = json_pack("{s:s, s:s}", "Kind", "hostPath", "Source", path);
        return 0;
}

/* The files of a configMap or secret volume: every key, or the items asked for. */
static int data_files(const char *vol, const json_t *data, const json_t *src, json_t **ret, cpod_error_t *err)
{
        const json_t *items = json_object_get(src, "items"), *it;
        json_t *files = json_object();
        size_t i;

        if (!items) {
                json_object_update(files, (json_t *)data);
                *ret = files;
                return 0;
        }
        json_array_foreach(items, i, it) {
                const char *key = json_get_str(it, "key"), *path = json_get_str(it, "path");
                const json_t *v = key ? json_object_get(data, key) : NULL;

                if (!v || !path || !*path || strchr(path, '/') || strcmp(path, "..") == 0 || strcmp(path, ".") == 0) {
                        json_decref(files);
                        return cpod_error_set(
                                err, EINVAL, CPOD_E_INVALID,
                                "kube: volume %s: item %s: no such key, or a path that is not a file name", vol,
                                key ? key : "?");
                }
                json_object_set(files, path, (json_t *)v);
        }
        *ret = files;
        return 0;
}

static int data_volume(struct kube_ctx *ctx, const char *vol, const json_t *src, bool secret, json_t *plan,
                       json_t **ret, cpod_error_t *err)
{
        const char *name = json_get_str(src, secret ? "secretName" : "name");
        const json_t *data = NULL;
        _cleanup_json_ json_t *empty = json_object();
        json_t *files = NULL;
        int r;

        if (!name)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: volume %s has no %s", vol,
                                      secret ? "secretName" : "name");
        if (secret && (r = kube_secret(ctx, name, &data, err)) < 0)
                return r;
        if (!secret)
                data = json_object_get(ctx->configmaps, name);
        if (!data && !json_is_true(json_object_get(src, "optional")))
                return cpod_error_set(err, ENOENT, CPOD_E_INVALID, "kube: volume %s: %s %s not found", vol,
                                      secret ? "secret" : "configmap", name);
        if (json_object_get(src, "defaultMode"))
                rt_warn(ctx->rt, "kube: volume %s: defaultMode is not supported, ignoring", vol);
        if ((r = data_files(vol, data ? data : empty, src, &files, err)) < 0)
                return r;
        json_array_append_new(json_object_get(plan, "DataVolumes"),
                              json_pack("{s:s, s:o}", "Name", name, "Files", files));
        *ret = json_pack("{s:s, s:s}", "Kind", "data", "Source", name);
        return 0;
}

static int one_volume(struct kube_ctx *ctx, const json_t *v, json_t *plan, json_t **ret, cpod_error_t *err)
{
        const char *name = json_get_str(v, "name");
        const json_t *x;

        if ((x = json_object_get(v, "hostPath")))
                return host_path(name, x, plan, ret, err);
        if ((x = json_object_get(v, "emptyDir"))) {
                if (json_get_str(x, "medium") && *json_get_str(x, "medium"))
                        rt_warn(ctx->rt, "kube: volume %s: emptyDir.medium is not supported, ignoring", name);
                *ret = json_pack("{s:s, s:s}", "Kind", "emptyDir", "Source", "");
                return 0;
        }
        if ((x = json_object_get(v, "persistentVolumeClaim"))) {
                if (!json_get_str(x, "claimName"))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: volume %s has no claimName", name);
                *ret = json_pack("{s:s, s:s}", "Kind", "claim", "Source", json_get_str(x, "claimName"));
                return 0;
        }
        if ((x = json_object_get(v, "configMap")) || (x = json_object_get(v, "secret")))
                return data_volume(ctx, name, x, x == json_object_get(v, "secret"), plan, ret, err);
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "kube: volume %s: its type is not supported by cpod", name);
}

int kube_pod_volumes(struct kube_ctx *ctx, const json_t *spec, json_t *plan, json_t **ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *vols = json_object();
        const json_t *v;
        size_t i;
        int r;

        json_array_foreach(json_object_get(spec, "volumes"), i, v) {
                const char *name = json_get_str(v, "name");
                json_t *k = NULL;

                if (!name || !*name || json_object_get(vols, name))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "kube: spec.volumes[%zu]: a volume needs a unique name", i);
                if ((r = one_volume(ctx, v, plan, &k, err)) < 0)
                        return r;
                json_object_set_new(vols, name, k);
        }
        *ret = TAKE_PTR(vols);
        return 0;
}
