/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mounts of the runtime config: the standard /proc, /dev, /sys set; the
 * files cpod writes into the bundle (spec-etc.c); and the user's -v,
 * --mount and --tmpfs, parsed here because they are untrusted text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cpod/config.h>
#include <cpod/image.h>

#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "ctr/sdnotify.h"
#include "ctr/spec.h"
#include "ctr/userns.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

static json_t *mnt(const char *dst, const char *type, const char *src, const char *opts)
{
        _cleanup_strv_ char **o = strv_split(opts, ",");

        return json_pack("{s:s, s:s, s:s, s:o}", "destination", dst, "type", type, "source", src, "options",
                         json_strv(o, -1));
}

bool spec_host_net(const struct ctr *c)
{
        const char *n = c->cfg.network_mode;
        return n && strcmp(n, "host") == 0;
}

/*
 * /dev/shm: the host's with --ipc host; the shareable tmpfs (shm.c) of this
 * container, or of the one named by --ipc container:NAME (a pod's infra when
 * the pod shares IPC); else a private tmpfs.
 */
static json_t *shm_mount(struct cpod_runtime *rt, const struct ctr *c, const char *opts)
{
        const char *ipc = c->cfg.ipc_mode;
        _cleanup_free_ char *src = NULL;

        if (ipc && strcmp(ipc, "host") == 0)
                return mnt("/dev/shm", "bind", "/dev/shm", "rbind,rprivate,nosuid,noexec,nodev");
        if (ipc && strcmp(ipc, "none") == 0)
                return NULL;
        if (ctr_shm_owner(c))
                src = ctr_shm_dir(rt, c->id);
        else if (ipc && strncmp(ipc, "container:", 10) == 0)
                src = ctr_shm_dir(rt, ipc + 10);
        if (src && access(src, F_OK) == 0)
                return mnt("/dev/shm", "bind", src, "bind,rprivate,nosuid,noexec,nodev");
        return mnt("/dev/shm", "tmpfs", "shm", opts);
}

static void standard_mounts(struct cpod_runtime *rt, const struct ctr *c, json_t *m)
{
        _cleanup_free_ char *shm = ctr_shm_size(rt, c);
        _cleanup_free_ char *shmopts = xasprintf("nosuid,noexec,nodev,mode=1777,size=%s", shm);
        json_t *shm_m;

        json_array_append_new(m, mnt("/proc", "proc", "proc", "nosuid,noexec,nodev"));
        json_array_append_new(m, mnt("/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k"));
        /* sysfs can only be mounted in a network namespace the container's user namespace owns */
        if (spec_host_net(c) || userns_net_foreign(&c->cfg))
                json_array_append_new(m, mnt("/sys", "bind", "/sys", "rprivate,nosuid,noexec,nodev,ro,rbind"));
        else
                json_array_append_new(m, mnt("/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro"));
        json_array_append_new(
                m, mnt("/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5"));
        json_array_append_new(m, mnt("/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev"));
        shm_m = shm_mount(rt, c, shmopts);
        if (shm_m)
                json_array_append_new(m, shm_m);
        json_array_append_new(m, mnt("/sys/fs/cgroup", "cgroup", "cgroup", "rprivate,nosuid,noexec,nodev,relatime,ro"));
}

static bool has_dest(json_t *m, const char *dst)
{
        size_t i;
        json_t *e;

        json_array_foreach(m, i, e)
                if (strcmp(json_get_str(e, "destination"), dst) == 0)
                        return true;
        return false;
}

/* Later mounts over the same destination replace earlier defaults (user -v /etc/hosts wins). */
static void drop_dest(json_t *m, const char *dst)
{
        for (size_t i = 0; i < json_array_size(m); i++)
                if (strcmp(json_get_str(json_array_get(m, i), "destination"), dst) == 0)
                        json_array_remove(m, i--);
}

/* The bundle's /etc files, unless the user mounts something there. */
static void etc_mounts(json_t *binds, json_t *m, json_t *user)
{
        size_t i;
        json_t *e;

        json_array_foreach(binds, i, e)
                if (!has_dest(user, json_get_str(e, "destination")))
                        json_array_append_new(m, mnt(json_get_str(e, "destination"), "bind", json_get_str(e, "source"),
                                                     "bind,rprivate"));
}

static int bad_mount(cpod_error_t *err, const char *what, const char *spec)
{
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: \"%s\"", what, spec);
}

/* Options a -v entry may carry: cpod's own (z/Z: no SELinux here; U; O; copy/nocopy) and mount(8)'s. */
static const char *const vol_opts[] = { "z",       "Z",      "U",        "O",           "copy",       "nocopy",
                                        "ro",      "rw",     "bind",     "rbind",       "shared",     "rshared",
                                        "slave",   "rslave", "private",  "rprivate",    "unbindable", "runbindable",
                                        "nodev",   "dev",    "noexec",   "exec",        "nosuid",     "suid",
                                        "noatime", "atime",  "relatime", "strictatime", NULL };

int spec_mount_opts_check(const char *spec, const char *opts, bool bind, cpod_error_t *err)
{
        _cleanup_strv_ char **o = strv_split(opts, ",");
        int rw = 0, prop = 0;

        for (char **p = o; *p; p++) {
                if (strcmp(*p, "idmap") == 0 || strncmp(*p, "idmap=", 6) == 0)
                        return bad_mount(err,
                                         "invalid option \"idmap\": idmapped bind mounts need an OCI runtime that "
                                         "supports them (runc 1.2 or later)",
                                         spec);
                if (!strv_contains((char **)vol_opts, *p))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "invalid option type \"%s\": invalid mount option: \"%s\"", *p, spec);
                if (strcmp(*p, "O") == 0 && !bind)
                        return bad_mount(err, "invalid option \"O\": overlay mounts take a host directory", spec);
                rw += strcmp(*p, "ro") == 0 || strcmp(*p, "rw") == 0;
                prop += strstr(*p, "shared") || strstr(*p, "slave") || strstr(*p, "private") || strstr(*p, "bindable");
        }
        if (rw > 1)
                return bad_mount(err, "cannot pass 'ro' and 'rw' options more than once", spec);
        if (prop > 1)
                return bad_mount(err, "cannot pass multiple propagation options", spec);
        return 0;
}

/* -v SRC:DST[:OPTS] with a host path SRC; named and anonymous volumes are ctr-volumes.c's. */
static int parse_volume(const char *spec, json_t *user, cpod_error_t *err)
{
        _cleanup_strv_ char **parts = NULL;
        size_t n;
        struct strbuf opts = STRBUF_INIT;
        bool bindset = false, propset = false, chown = false, overlay = false;
        struct stat st;
        json_t *m;

        if (ctr_volume_spec_named(spec))
                return 0;
        parts = strv_split(spec, ":");
        n = strv_length(parts);
        if (n < 2 || n > 3)
                return bad_mount(err, "incorrect volume format, should be [host-dir:]ctr-dir[:option]", spec);
        if (parts[1][0] != '/')
                return bad_mount(err, "invalid container path, must be an absolute path", spec);
        if (n == 3 && spec_mount_opts_check(spec, parts[2], true, err) < 0)
                return -EINVAL;
        if (stat(parts[0], &st) < 0)
                return cpod_error_sys(err, errno, "statfs %s", parts[0]);
        if (n == 3) {
                _cleanup_strv_ char **o = strv_split(parts[2], ",");
                for (char **p = o; *p; p++) {
                        chown |= strcmp(*p, "U") == 0;
                        overlay |= strcmp(*p, "O") == 0;
                        if (strv_contains((char *[]){ "z", "Z", "U", "O", "copy", "nocopy", NULL }, *p))
                                continue;
                        bindset |= strcmp(*p, "bind") == 0 || strcmp(*p, "rbind") == 0;
                        propset |= strstr(*p, "shared") || strstr(*p, "slave") || strstr(*p, "private") ||
                                   strstr(*p, "bindable");
                        strbuf_addf(&opts, "%s,", *p);
                }
        }
        if (overlay && !S_ISDIR(st.st_mode))
                return bad_mount(err, "overlay mounts (O) need a directory", spec);
        if (!bindset)
                strbuf_addstr(&opts, "rbind,");
        if (!propset)
                strbuf_addstr(&opts, "rprivate,");
        strbuf_setlen(&opts, opts.len - 1);
        m = mnt(parts[1], "bind", parts[0], opts.buf);
        strbuf_release(&opts);
        if (chown)
                json_object_set_new(m, "chown", json_true());
        if (overlay)
                json_object_set_new(m, "overlay", json_true());
        json_array_append_new(user, m);
        return 0;
}

static int parse_tmpfs(const char *spec, json_t *user, cpod_error_t *err)
{
        const char *colon = strchr(spec, ':');
        _cleanup_free_ char *dst = colon ? xstrndup(spec, (size_t)(colon - spec)) : xstrdup(spec);
        _cleanup_free_ char *opts = xasprintf("rw,noexec,nosuid,nodev%s%s", colon ? "," : "", colon ? colon + 1 : "");

        if (dst[0] != '/')
                return bad_mount(err, "invalid tmpfs destination, must be an absolute path", spec);
        json_array_append_new(user, mnt(dst, "tmpfs", "tmpfs", opts));
        return 0;
}

/* --mount type=devpts: a new instance of devpts, with uid=, gid=, mode=, max= given as NAME=NUMBER. */
static int devpts_mount(const char *dst, const char *given, json_t *user, cpod_error_t *err)
{
        _cleanup_strv_ char **kv = strv_split(given ? given : "", ",");
        struct strbuf o = STRBUF_INIT;
        json_t *m;

        for (char **p = kv; *p; p++) {
                const char *v = strchr(*p, '=') + 1;
                if (!*v || strspn(v, "0123456789") != strlen(v)) {
                        strbuf_release(&o);
                        return bad_mount(err, "devpts options take numbers", *p);
                }
        }
        strbuf_addstr(&o, "nosuid,noexec,newinstance,ptmxmode=0666");
        if (!given || !strstr(given, "mode="))
                strbuf_addstr(&o, ",mode=0620");
        if (!given || !strstr(given, "gid="))
                strbuf_addstr(&o, ",gid=5");
        if (given && *given)
                strbuf_addf(&o, ",%.*s", (int)strlen(given) - 1, given);
        m = mnt(dst, "devpts", "devpts", o.buf);
        strbuf_release(&o);
        json_array_append_new(user, m);
        return 0;
}

/* --mount type=bind|tmpfs|image|volume|devpts,... */
static int parse_mount(const char *spec, json_t *user, cpod_error_t *err)
{
        _cleanup_strv_ char **kv = strv_split(spec, ",");
        const char *type = NULL, *src = NULL, *dst = NULL;
        struct strbuf opts = STRBUF_INIT, dev = STRBUF_INIT;
        bool rw = false;
        int r = 0;

        for (char **p = kv; *p; p++) {
                char *eq = strchr(*p, '=');
                const char *v = eq ? eq + 1 : "";
                if (eq)
                        *eq = '\0';
                if (strcmp(*p, "type") == 0)
                        type = v;
                else if (strcmp(*p, "source") == 0 || strcmp(*p, "src") == 0)
                        src = v;
                else if (strcmp(*p, "target") == 0 || strcmp(*p, "destination") == 0 || strcmp(*p, "dst") == 0)
                        dst = v;
                else if ((strcmp(*p, "readonly") == 0 || strcmp(*p, "ro") == 0) && (!eq || strcmp(v, "true") == 0))
                        strbuf_addstr(&opts, "ro,");
                else if ((strcmp(*p, "readonly") == 0 || strcmp(*p, "ro") == 0) && strcmp(v, "false") == 0)
                        rw = true;
                else if ((strcmp(*p, "rw") == 0 || strcmp(*p, "readwrite") == 0) &&
                         (!eq || strcmp(v, "true") == 0 || strcmp(v, "false") == 0))
                        rw = !eq || strcmp(v, "true") == 0;
                else if (strcmp(*p, "bind-propagation") == 0)
                        strbuf_addf(&opts, "%s,", v);
                else if (strcmp(*p, "tmpfs-size") == 0)
                        strbuf_addf(&opts, "size=%s,", v);
                else if (strcmp(*p, "tmpfs-mode") == 0)
                        strbuf_addf(&opts, "mode=%s,", v);
                else if (strcmp(*p, "U") == 0 || strcmp(*p, "chown") == 0)
                        strbuf_addstr(&opts, "U,");
                else if (eq && strv_contains((char *[]){ "uid", "gid", "mode", "max", NULL }, *p))
                        strbuf_addf(&dev, "%s=%s,", *p, v);
                else if (strcmp(*p, "relabel") != 0 && strcmp(*p, "consistency") != 0 &&
                         strcmp(*p, "volume-nocopy") != 0)
                        r = bad_mount(err, "unsupported --mount option", *p);
        }
        if (r == 0 && (!type || !dst || dst[0] != '/'))
                r = bad_mount(err, "--mount needs type= and an absolute target=", spec);
        if (r == 0 && dev.len && strcmp(type, "devpts") != 0)
                r = bad_mount(err, "uid=, gid=, mode= and max= are options of type=devpts", spec);
        if (r == 0 && strcmp(type, "devpts") == 0)
                r = devpts_mount(dst, dev.buf, user, err);
        if (r == 0 && strcmp(type, "bind") == 0) {
                _cleanup_free_ char *v = src ? xasprintf("%s:%s:%s", src, dst, opts.len ? opts.buf : "rw") : NULL;
                if (v && v[strlen(v) - 1] == ',')
                        v[strlen(v) - 1] = '\0';
                r = v ? parse_volume(v, user, err) : bad_mount(err, "bind mounts need source=", spec);
        } else if (r == 0 && strcmp(type, "tmpfs") == 0) {
                _cleanup_free_ char *v =
                        xasprintf("%s%s%.*s", dst, opts.len ? ":" : "", (int)(opts.len ? opts.len - 1 : 0), opts.buf);
                r = parse_tmpfs(v, user, err);
        } else if (r == 0 && strcmp(type, "image") == 0) {
                /* resolved at each start (image-mounts.c) */
                if (!src || !*src)
                        r = bad_mount(err, "image mounts need source=", spec);
                else
                        json_array_append_new(user, json_pack("{s:s, s:s, s:s, s:b}", "destination", dst, "type",
                                                              "image", "source", src, "rw", rw));
        } else if (r == 0 && (strcmp(type, "volume") == 0 || strcmp(type, "devpts") == 0)) {
                /* a named or anonymous volume: ctr-volumes.c; devpts: above */
        } else if (r == 0) {
                r = bad_mount(err, "unsupported mount type (bind, volume, tmpfs, image and devpts are supported)",
                              type);
        }
        strbuf_release(&opts);
        strbuf_release(&dev);
        return r;
}

/* Parse every user mount into `user`; fails on bad syntax or duplicate destinations. */
static int user_mounts(const struct ctr_config *cfg, json_t *user, cpod_error_t *err)
{
        char **const lists[] = { cfg->volumes, cfg->mounts, cfg->tmpfs };
        int (*const parsers[])(const char *, json_t *, cpod_error_t *) = { parse_volume, parse_mount, parse_tmpfs };
        size_t i, k;

        for (k = 0; k < 3; k++)
                for (char **m = lists[k]; m && *m; m++)
                        if (parsers[k](*m, user, err) < 0)
                                return cpod_error_rc(err, -EINVAL);
        for (i = 0; i < json_array_size(user); i++)
                for (k = i + 1; k < json_array_size(user); k++) {
                        json_t *a = json_array_get(user, i), *b = json_array_get(user, k);
                        if (strcmp(json_get_str(a, "destination"), json_get_str(b, "destination")) != 0)
                                continue;
                        /* The same mount given twice is one mount, as podman has it; a different one is an error. */
                        if (!json_equal(a, b))
                                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: duplicate mount destination",
                                                      json_get_str(a, "destination"));
                        json_array_remove(user, k--);
                }
        return 0;
}

/* --tz, else containers.conf's tz: the host's zone file for /etc/localtime; *ret NULL when none. */
static int tz_source(struct cpod_runtime *rt, const struct ctr_config *cfg, char **ret, cpod_error_t *err)
{
        const char *tz = cfg->timezone && *cfg->timezone ? cfg->timezone : rt->config->tz;
        _cleanup_free_ char *path = NULL;
        struct stat st;

        *ret = NULL;
        if (!tz || !*tz)
                return 0;
        if (strcmp(tz, "local") == 0)
                path = xstrdup("/etc/localtime");
        else if (tz[0] == '/' || strstr(tz, ".."))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid timezone \"%s\"", tz);
        else
                path = path_join("/usr/share/zoneinfo", tz);
        if (stat(path, &st) < 0)
                return cpod_error_sys(err, errno, "running container create option: stat %s", path);
        if (!S_ISREG(st.st_mode))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid timezone \"%s\": %s is not a file", tz,
                                      path);
        /* The file itself: /etc/localtime is usually a link the container could not follow. */
        *ret = realpath(path, NULL);
        return *ret ? 0 : cpod_error_sys(err, errno, "resolving %s", path);
}

bool spec_user_dest_taken(const struct ctr_config *cfg, const char *dst)
{
        _cleanup_json_ json_t *user = json_array();

        return user_mounts(cfg, user, NULL) == 0 && has_dest(user, dst);
}

/* A volume's destination is nobody else's (the same volume twice at one place is one mount). */
static int volume_dests_check(const struct ctr_config *cfg, json_t *user, cpod_error_t *err)
{
        size_t i, k;
        json_t *a, *b;

        json_array_foreach(cfg->named_volumes, i, a) {
                const char *d = json_get_str(a, "Dest");
                bool dup = has_dest(user, d);
                for (k = i + 1; !dup && k < json_array_size(cfg->named_volumes); k++) {
                        b = json_array_get(cfg->named_volumes, k);
                        dup = strcmp(d, json_get_str(b, "Dest")) == 0 && !json_equal(a, b);
                }
                if (dup)
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: duplicate mount destination", d);
        }
        return 0;
}

int spec_mounts_check(struct cpod_runtime *rt, const struct ctr_config *cfg, cpod_error_t *err)
{
        _cleanup_json_ json_t *user = json_array();
        _cleanup_free_ char *tz = NULL;
        size_t i;
        json_t *m;

        if (tz_source(rt, cfg, &tz, err) < 0 || user_mounts(cfg, user, err) < 0 ||
            volume_dests_check(cfg, user, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        json_array_foreach(user, i, m) {
                char id[65];
                if (strcmp(json_get_str(m, "type"), "image") == 0 &&
                    cpod_image_lookup(rt, json_get_str(m, "source"), id, err) < 0)
                        return cpod_error_wrap(err, "--mount type=image,source=%s", json_get_str(m, "source"));
        }
        return 0;
}

static int init_mount(struct cpod_runtime *rt, const struct ctr *c, json_t *m, cpod_error_t *err)
{
        const char *path = c->cfg.init_path;

        if (!c->cfg.init)
                return 0;
        if (!path || !*path)
                path = rt->config->init_path && *rt->config->init_path ? rt->config->init_path
                                                                       : "/usr/libexec/podman/catatonit";
        if (access(path, X_OK) < 0)
                return cpod_error_sys(err, errno, "container-init binary not found on the host at '%s'", path);
        json_array_append_new(m, mnt("/run/podman-init", "bind", path, "bind,ro,rprivate"));
        return 0;
}

/*
 * -v SRC:DST:O: an overlay with SRC as its lower layer and a fresh upper layer in the container's
 * run directory, so the host directory is never written and the changes go with each start.
 */
static int overlay_mount(struct cpod_runtime *rt, const struct ctr *c, json_t *m, unsigned idx, cpod_error_t *err)
{
        _cleanup_free_ char *run = ctr_run_dir(rt, c->id);
        _cleanup_free_ char *base = xasprintf("%s/overlay/%u", run, idx);
        _cleanup_free_ char *upper = path_join(base, "upper"), *work = path_join(base, "work");
        _cleanup_free_ char *lower = xstrdup(json_get_str(m, "source"));
        _cleanup_free_ char *opts = NULL;
        _cleanup_strv_ char **ov = NULL;

        if (strpbrk(lower, ",:"))
                return bad_mount(err, "overlay mounts (O) cannot take a directory with ',' or ':' in its path", lower);
        (void)rm_rf(base, NULL);
        if (mkdir_p(upper, 0755, err) < 0 || mkdir_p(work, 0755, err) < 0)
                return cpod_error_rc(err, -EIO);
        opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s,private", lower, upper, work);
        ov = strv_split(opts, ",");
        json_object_set_new(m, "type", json_string("overlay"));
        json_object_set_new(m, "source", json_string("overlay"));
        json_object_set_new(m, "options", json_strv(ov, -1));
        return 0;
}

/* Per start: U chowns a bind's source to the container's user; O lays a fresh overlay over it. */
static int bind_extras(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, json_t *user, cpod_error_t *err)
{
        json_t *procuser = json_object_get(json_object_get(spec, "process"), "user"), *e;
        unsigned n = 0;
        size_t i;

        json_array_foreach(user, i, e) {
                int r = 0;
                if (json_is_true(json_object_get(e, "chown")))
                        r = spec_chown_tree(json_get_str(e, "source"), procuser, &c->cfg, err);
                if (r == 0 && json_is_true(json_object_get(e, "overlay")))
                        r = overlay_mount(rt, c, e, n++, err);
                if (r < 0)
                        return r;
                json_object_del(e, "chown");
                json_object_del(e, "overlay");
        }
        return 0;
}

int spec_add_mounts(struct cpod_runtime *rt, const struct ctr *c, const char *bundle, json_t *spec, cpod_error_t *err)
{
        json_t *m = json_array(), *user = json_array(), *binds = json_array(), *e;
        const char *hostname = json_get_str(spec, "hostname");
        _cleanup_free_ char *tz = NULL;
        size_t i;
        int r;

        json_object_set_new(spec, "mounts", m);
        r = user_mounts(&c->cfg, user, err);
        if (r == 0)
                r = spec_volume_mounts(rt, c, spec, user, err);
        if (r == 0)
                r = bind_extras(rt, c, spec, user, err);
        if (r == 0)
                r = tz_source(rt, &c->cfg, &tz, err);
        {
                unsigned idx = 0;
                json_array_foreach(user, i, e)
                        if (r == 0 && strcmp(json_get_str(e, "type"), "image") == 0)
                                r = ctr_image_mount(rt, c, e, idx++, err);
        }
        if (r == 0)
                r = spec_etc_files(rt, c, bundle, hostname ? hostname : c->id, binds, err);
        if (r == 0)
                r = init_mount(rt, c, m, err);
        if (r == 0) {
                standard_mounts(rt, c, m);
                if (c->cfg.read_only && c->cfg.read_only_tmpfs != 0)
                        for (const char **d = (const char *[]){ "/tmp", "/var/tmp", "/run", NULL }; *d; d++)
                                json_array_append_new(m,
                                                      mnt(*d, "tmpfs", "tmpfs", "rw,rprivate,nosuid,nodev,tmpcopyup"));
                etc_mounts(binds, m, user);
                r = ctr_sdnotify_mount(rt, c, m, err);
                if (tz && !has_dest(user, "/etc/localtime"))
                        json_array_append_new(m, mnt("/etc/localtime", "bind", tz, "bind,rprivate,ro"));
                json_array_foreach(user, i, e) {
                        drop_dest(m, json_get_str(e, "destination"));
                        json_array_append(m, e);
                }
        }
        json_decref(user);
        json_decref(binds);
        return r;
}

int spec_user_mounts(const struct ctr_config *cfg, json_t *user, cpod_error_t *err)
{
        return user_mounts(cfg, user, err);
}
