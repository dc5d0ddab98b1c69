/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's named and anonymous volumes.  At create, -v NAME:/DST,
 * -v /DST, --mount type=volume, --volumes-from and the image's VOLUMEs
 * become the resolved NamedVolumes member (the volumes made as needed, in
 * the same lock as the record that names them).  rm -v and --rm remove the
 * anonymous ones.  What a start does with them is in spec-volumes.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpod/config.h>
#include <cpod/container.h>

#include "ctr/ctr.h"
#include "ctr/spec.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"
#include "volume/volume.h"

bool ctr_volume_spec_named(const char *spec)
{
        return spec[0] != '/' || !strchr(spec, ':');
}

/* -v NAME:/DST[:OPTS] or /DST: {Name ("" when anonymous), Dest, Options}. */
static int volume_entry(const char *spec, json_t **ret, cpod_error_t *err)
{
        _cleanup_strv_ char **p = strv_split(spec, ":");
        size_t n = strv_length(p);
        const char *name = n == 1 ? "" : p[0], *dst = n == 1 ? p[0] : p[1], *opts = n == 3 ? p[2] : "";

        if (n < 1 || n > 3 || !*dst)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "incorrect volume format, should be [host-dir:]ctr-dir[:option]: \"%s\"", spec);
        if (dst[0] != '/')
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "invalid container path \"%s\", must be an absolute path", dst);
        if (*name && !vol_name_ok(name))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "volume name \"%s\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: "
                                      "invalid argument",
                                      name);
        if (spec_mount_opts_check(spec, opts, false, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        {
                _cleanup_strv_ char **o = strv_split(opts, ",");
                *ret = json_pack("{s:s, s:s, s:o}", "Name", name, "Dest", dst, "Options", json_strv(o, -1));
        }
        return 0;
}

/* --mount type=volume,src=NAME,dst=/DST[,ro][,volume-nocopy]: NULL when another type. */
static int mount_entry(const char *spec, json_t **ret, cpod_error_t *err)
{
        _cleanup_strv_ char **kv = strv_split(spec, ",");
        _cleanup_strv_ char **opts = xnew0(char *, 1);
        const char *src = "", *dst = NULL;
        bool volume = false;

        *ret = NULL;
        for (char **p = kv; *p; p++) {
                char *eq = strchr(*p, '=');
                const char *v = eq ? eq + 1 : "";
                if (eq)
                        *eq = '\0';
                if (strcmp(*p, "type") == 0)
                        volume = strcmp(v, "volume") == 0;
                else if (strcmp(*p, "source") == 0 || strcmp(*p, "src") == 0)
                        src = v;
                else if (strcmp(*p, "target") == 0 || strcmp(*p, "destination") == 0 || strcmp(*p, "dst") == 0)
                        dst = v;
                else if ((strcmp(*p, "readonly") == 0 || strcmp(*p, "ro") == 0) && (!eq || strcmp(v, "true") == 0))
                        strv_add(&opts, "ro");
                else if (strcmp(*p, "volume-nocopy") == 0 && (!eq || strcmp(v, "true") == 0))
                        strv_add(&opts, "nocopy");
                else if (strcmp(*p, "U") == 0 || strcmp(*p, "chown") == 0)
                        strv_add(&opts, "U");
        }
        if (!volume)
                return 0;
        if (!dst || dst[0] != '/')
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "--mount needs type= and an absolute target=: \"%s\"", spec);
        if (*src && !vol_name_ok(src))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                      "volume name \"%s\" is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: "
                                      "invalid argument",
                                      src);
        *ret = json_pack("{s:s, s:s, s:o}", "Name", src, "Dest", dst, "Options", json_strv(opts, -1));
        return 0;
}

/* The destinations the user mounts something at (binds, tmpfs, volumes): the image's VOLUMEs there are not made. */
static bool dest_taken(const struct ctr_config *cfg, json_t *named, const char *dst)
{
        size_t i;
        json_t *e;

        json_array_foreach(named, i, e)
                if (strcmp(json_get_str(e, "Dest"), dst) == 0)
                        return true;
        return spec_user_dest_taken(cfg, dst);
}

/* "rw"/"ro" of --volumes-from replaces the source's own. */
static char **with_mode(char **opts, const char *mode)
{
        char **v = xnew0(char *, 1);

        for (char **o = opts; o && *o; o++)
                if (!mode || (strcmp(*o, "ro") != 0 && strcmp(*o, "rw") != 0))
                        strv_add(&v, *o);
        if (mode)
                strv_add(&v, mode);
        return v;
}

/* --volumes-from CTR[:ro|rw]: its volumes and bind mounts, at the same destinations. */
static int volumes_from(struct cpod_runtime *rt, struct ctr_config *cfg, json_t *named, cpod_error_t *err)
{
        for (char **f = cfg->volumes_from; f && *f; f++) {
                _cleanup_free_ char *name = xstrdup(*f);
                char *colon = strchr(name, ':'), id[65];
                const char *mode = colon ? colon + 1 : NULL;
                struct ctr src = { 0 };
                size_t i;
                json_t *e;
                if (colon)
                        *colon = '\0';
                if (mode && strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid options %s, can only specify 'ro', 'rw', and 'z", mode);
                if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, &src, err) < 0)
                        return cpod_error_rc(err, -ENOENT);
                json_array_foreach(src.cfg.named_volumes, i, e) {
                        _cleanup_strv_ char **o = json_to_strv(json_object_get(e, "Options"));
                        _cleanup_strv_ char **m = with_mode(o, mode);
                        json_array_append_new(named,
                                              json_pack("{s:s, s:s, s:o}", "Name", json_get_str(e, "Name"), "Dest",
                                                        json_get_str(e, "Dest"), "Options", json_strv(m, -1)));
                }
                for (char **v = src.cfg.volumes; v && *v; v++) {
                        _cleanup_strv_ char **p = ctr_volume_spec_named(*v) ? NULL : strv_split(*v, ":");
                        _cleanup_strv_ char **o = p && p[2] ? strv_split(p[2], ",") : NULL;
                        _cleanup_strv_ char **m = p ? with_mode(o, mode) : NULL;
                        _cleanup_free_ char *opts = m ? strv_join(m, ",") : NULL;
                        if (p)
                                strv_take(&cfg->volumes, xasprintf("%s:%s%s%s", p[0], p[1], *opts ? ":" : "", opts));
                }
                ctr_clear(&src);
        }
        return 0;
}

/* What -v, --mount and the image ask for, before any volume is made (at create; errors are the user's). */
int ctr_volumes_plan(struct cpod_runtime *rt, struct ctr_config *cfg, const json_t *imgcfg, cpod_error_t *err)
{
        json_t *named = json_array(), *e = NULL;
        const char *mode = cfg->image_volume_mode && *cfg->image_volume_mode ? cfg->image_volume_mode
                                                                             : rt->config->image_volume_mode;
        const char *dst;
        int r = 0;

        r = volumes_from(rt, cfg, named, err);
        for (char **v = cfg->volumes; r == 0 && v && *v; v++)
                if (ctr_volume_spec_named(*v) && (r = volume_entry(*v, &e, err)) == 0)
                        json_array_append_new(named, e);
        for (char **m = cfg->mounts; r == 0 && m && *m; m++)
                if ((r = mount_entry(*m, &e, err)) == 0 && e)
                        json_array_append_new(named, e);
        if (r == 0 && mode && *mode && strcmp(mode, "bind") != 0 && strcmp(mode, "tmpfs") != 0 &&
            strcmp(mode, "ignore") != 0)
                r = cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                   "invalid image volume mode \"%s\": must be bind, tmpfs or ignore", mode);
        json_object_foreach((json_t *)json_object_get(imgcfg, "Volumes"), dst, e) {
                if (r < 0 || dst[0] != '/' || dest_taken(cfg, named, dst) || (mode && strcmp(mode, "ignore") == 0))
                        continue;
                if (mode && strcmp(mode, "tmpfs") == 0)
                        strv_add(&cfg->tmpfs, dst);
                else
                        json_array_append_new(named, json_pack("{s:s, s:s, s:[]}", "Name", "", "Dest", dst, "Options"));
        }
        if (r < 0) {
                json_decref(named);
                return r;
        }
        json_decref(cfg->named_volumes);
        cfg->named_volumes = named;
        return 0;
}

/* Make the volumes the plan names (existing named ones are used as they are); *made: the new ones. */
int ctr_volumes_make(struct cpod_runtime *rt, struct ctr_config *cfg, char ***made, cpod_error_t *err)
{
        size_t i;
        json_t *e;

        *made = xnew0(char *, 1);
        json_array_foreach(cfg->named_volumes, i, e) {
                const char *name = json_get_str(e, "Name");
                bool anon = !*name;
                struct vol_create_opts o = { .name = name, .anonymous = anon, .ignore_existing = true };
                struct vol v;
                bool isnew;
                if (vol_create_locked(rt, &o, &v, &isnew, err) < 0) {
                        ctr_volumes_unmake(rt, *made);
                        *made = strv_free(*made);
                        return cpod_error_rc(err, -EIO);
                }
                if (isnew)
                        strv_add(made, v.name);
                json_object_set_new(e, "IsAnonymous", json_boolean(v.anonymous && anon));
                json_object_set_new(e, "Name", json_string(v.name)); /* name is gone from here on */
                vol_clear(&v);
        }
        return 0;
}

void ctr_volumes_unmake(struct cpod_runtime *rt, char **made)
{
        for (char **n = made; n && *n; n++)
                (void)vol_remove(rt, *n, NULL);
}

/* After the container's record is gone: its anonymous volumes no other container uses. */
void ctr_volumes_remove_anonymous(struct cpod_runtime *rt, const struct ctr *c)
{
        size_t i;
        json_t *e;
        int lock;

        if (!json_array_size(c->cfg.named_volumes) || (lock = vol_lock(rt, NULL)) < 0)
                return;
        json_array_foreach(c->cfg.named_volumes, i, e) {
                _cleanup_strv_ char **users = NULL;
                const char *name = json_get_str(e, "Name");
                if (!json_is_true(json_object_get(e, "IsAnonymous")) || vol_users(rt, name, &users, NULL) < 0 ||
                    users[0])
                        continue;
                (void)vol_remove(rt, name, NULL);
        }
        obj_unlock(lock);
}
