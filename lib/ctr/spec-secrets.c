/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secrets at start.  A mounted secret is copied into <run dir>/secrets/NAME
 * (the runroot is a tmpfs: the copy never reaches a disk cpod did not put
 * the secret on already), owned by its uid/gid with its mode, and bound at
 * /run/secrets/NAME or its target (read-only with --read-only, as podman
 * binds it).  An env secret becomes a variable of the process, so it is in
 * the bundle's config.json (0700 directory) and nowhere else.  The data is
 * read from the secret store at each start: a secret removed since create
 * fails the start with "no such secret".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr/ctr-secrets.h"
#include "ctr/ctr.h"
#include "secret/secret.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/xalloc.h"

/* Write the copy: a fresh file, never through a link that was put there. */
static int write_copy(const char *path, const char *data, size_t len, const json_t *ref, cpod_error_t *err)
{
        _cleanup_close_ int fd = -1;

        if (unlink(path) < 0 && errno != ENOENT)
                return cpod_error_sys(err, errno, "remove '%s'", path);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return cpod_error_sys(err, errno, "create '%s'", path);
        if (write_all(fd, data, len) < 0)
                return cpod_error_sys(err, errno, "write '%s'", path);
        if (fchown(fd, (uid_t)json_get_int(ref, "UID", 0), (gid_t)json_get_int(ref, "GID", 0)) < 0)
                return cpod_error_sys(err, errno, "chown '%s'", path);
        if (fchmod(fd, (mode_t)json_get_int(ref, "Mode", 0444) & 07777) < 0)
                return cpod_error_sys(err, errno, "chmod '%s'", path);
        return 0;
}

/* Where a mounted secret goes: its target (relative: under /run/secrets), else /run/secrets/NAME. */
static char *destination(const json_t *ref)
{
        const char *t = json_get_str(ref, "Target");

        if (t && t[0] == '/')
                return xstrdup(t);
        return xasprintf("/run/secrets/%s", t && *t ? t : json_get_str(ref, "Name"));
}

static int read_data(struct cpod_runtime *rt, const json_t *ref, char **ret, size_t *ret_len, cpod_error_t *err)
{
        int r = secret_read_data(rt, json_get_str(ref, "ID"), json_get_str(ref, "Name"), ret, ret_len, err);

        return r < 0 ? cpod_error_wrap(err, "secret %s", json_get_str(ref, "Name")) : 0;
}

static int add_mount(struct cpod_runtime *rt, const struct ctr *c, const char *dir, const json_t *ref, json_t *mounts,
                     cpod_error_t *err)
{
        const char *name = json_get_str(ref, "Name");
        _cleanup_free_ char *path = NULL, *dst = NULL, *data = NULL;
        size_t len = 0, i;
        int r;

        if (!secret_name_ok(name))
                return cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "container %s: bad secret name \"%s\"", c->id,
                                      name ? name : "");
        path = xasprintf("%s/%s", dir, name);
        dst = destination(ref);
        if ((r = read_data(rt, ref, &data, &len, err)) < 0)
                return r;
        r = write_copy(path, data, len, ref, err);
        explicit_bzero(data, len);
        if (r < 0)
                return r;
        for (i = 0; i < json_array_size(mounts); i++)
                if (strcmp(json_get_str(json_array_get(mounts, i), "destination"), dst) == 0)
                        json_array_remove(mounts, i--);
        json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[ss]}", "destination", dst, "type", "bind", "source",
                                                path, "options", "bind", "rprivate"));
        if (c->cfg.read_only)
                json_array_append_new(json_object_get(json_array_get(mounts, json_array_size(mounts) - 1), "options"),
                                      json_string("ro"));
        return 0;
}

/* NAME=data in process.env, replacing a variable of that name. */
static int add_env(struct cpod_runtime *rt, const json_t *ref, json_t *env, cpod_error_t *err)
{
        const char *name = json_get_str(ref, "Target");
        _cleanup_free_ char *data = NULL, *kv = NULL;
        size_t len = 0, n = strlen(name ? name : ""), i;
        int r;

        if (!n || (r = read_data(rt, ref, &data, &len, err)) < 0)
                return n ? r : cpod_error_set(err, EINVAL, CPOD_E_CORRUPT, "env secret without a variable name");
        kv = xasprintf("%s=%s", name, data);
        explicit_bzero(data, len);
        for (i = 0; i < json_array_size(env); i++) {
                const char *e = json_string_value(json_array_get(env, i));
                if (e && strncmp(e, name, n) == 0 && (e[n] == '=' || !e[n]))
                        json_array_remove(env, i--);
        }
        json_array_append_new(env, json_string(kv));
        explicit_bzero(kv, strlen(kv));
        return 0;
}

int spec_add_secrets(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, cpod_error_t *err)
{
        _cleanup_free_ char *run = ctr_run_dir(rt, c->id), *dir = path_join(run, "secrets");
        json_t *ref, *env = json_path(spec, "process.env"), *mounts = json_object_get(spec, "mounts");
        size_t i;
        int r = 0;

        if (!json_array_size(c->cfg.secret_refs))
                return 0;
        if (!json_is_array(env) || !json_is_array(mounts))
                return cpod_error_set(err, EINVAL, CPOD_E_INTERNAL, "secrets: the spec has no process.env or mounts");
        if ((r = mkdir_p(dir, 0700, err)) < 0)
                return r;
        json_array_foreach(c->cfg.secret_refs, i, ref) {
                if (ctr_secret_ref_is(ref, "env"))
                        r = add_env(rt, ref, env, err);
                else
                        r = add_mount(rt, c, dir, ref, mounts, err);
                if (r < 0)
                        return r;
        }
        return 0;
}
