/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kube generate: one cpod container as a Kubernetes v1 Container, with
 * podman 4.3.1's field choices.  Only what differs from the image is
 * written (command, env, workingDir, user); capabilities are written as
 * add/drop against the OCI default set podman compares with, so a
 * default container drops CAP_MKNOD, CAP_NET_RAW and CAP_AUDIT_WRITE as in
 * podman's output.  Reads the container through include/cpod/ only.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cpod/container.h>
#include <cpod/image.h>

#include "kube/gen.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* runtime-tools' default capability set, what podman's generator compares a container's set with. */
static const char *const oci_default_caps[] = {
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_FSETID",
        "CAP_FOWNER",
        "CAP_MKNOD",
        "CAP_NET_RAW",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETFCAP",
        "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT",
        "CAP_KILL",
        "CAP_AUDIT_WRITE",
        NULL,
};

/* podman's removeUnderscores: container and pod names become Kubernetes names. */
char *kube_gen_name(const char *s)
{
        struct strbuf sb = STRBUF_INIT;

        for (; *s; s++)
                if (*s != '_')
                        strbuf_addch(&sb, *s);
        return strbuf_detach(&sb, NULL);
}

/* "net_admin" -> "CAP_NET_ADMIN", "all" -> "ALL". */
static char *cap_name(const char *s)
{
        struct strbuf sb = STRBUF_INIT;

        if (strcasecmp(s, "all") != 0 && strncasecmp(s, "cap_", 4) != 0)
                strbuf_addstr(&sb, "CAP_");
        for (; *s; s++)
                strbuf_addch(&sb, toupper((unsigned char)*s));
        return strbuf_detach(&sb, NULL);
}

static bool has_str(const json_t *a, const char *s)
{
        const json_t *v;
        size_t i;

        json_array_foreach(a, i, v)
                if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
                        return true;
        return false;
}

static void add_unique(json_t *a, const char *s)
{
        if (!has_str(a, s))
                json_array_append_new(a, json_string(s));
}

static json_t *cap_list(const json_t *v)
{
        json_t *a = json_array();
        const json_t *x;
        size_t i;

        json_array_foreach(v, i, x)
                if (json_is_string(x)) {
                        _cleanup_free_ char *n = cap_name(json_string_value(x));
                        add_unique(a, n);
                }
        return a;
}

/*
 * The container's set (containers.conf defaults + CapAdd - CapDrop) against the OCI defaults.  ALL
 * on either side is kept as ALL: Kubernetes takes it, and kube play turns it back into the same set.
 */
static json_t *capabilities(struct cpod_runtime *rt, const json_t *cfg)
{
        _cleanup_json_ json_t *add = cap_list(json_object_get(cfg, "CapAdd"));
        _cleanup_json_ json_t *drop = cap_list(json_object_get(cfg, "CapDrop"));
        _cleanup_json_ json_t *have = json_array(), *defaults = json_array();
        json_t *out_add = json_array(), *out_drop = json_array(), *v;
        const struct cpod_config *conf = cpod_runtime_config(rt);
        size_t i;

        for (size_t k = 0; oci_default_caps[k]; k++)
                json_array_append_new(defaults, json_string(oci_default_caps[k]));
        if (has_str(add, "ALL") || has_str(drop, "ALL")) {
                json_array_extend(out_add, add);
                json_array_extend(out_drop, drop);
                return json_pack("{s:o, s:o}", "add", out_add, "drop", out_drop);
        }
        for (char **c = conf ? conf->default_capabilities : NULL; c && *c; c++) {
                _cleanup_free_ char *n = cap_name(*c);
                if (!has_str(drop, n))
                        add_unique(have, n);
        }
        json_array_foreach(add, i, v)
                add_unique(have, json_string_value(v));
        json_array_foreach(defaults, i, v)
                if (!has_str(have, json_string_value(v)))
                        json_array_append(out_drop, v);
        json_array_foreach(have, i, v)
                if (!has_str(defaults, json_string_value(v)))
                        json_array_append(out_add, v);
        return json_pack("{s:o, s:o}", "add", out_add, "drop", out_drop);
}

/* runAsUser/runAsGroup from a numeric "UID[:GID]"; a user name is left to the image (a warning). */
static void run_as(struct cpod_runtime *rt, const char *name, const char *user, json_t *sc)
{
        char *end;
        long uid = strtol(user, &end, 10), gid;

        if (end == user || (*end && *end != ':')) {
                rt_warn(rt, "kube generate: container %s: user \"%s\" is not numeric, not written", name, user);
                return;
        }
        json_object_set_new(sc, "runAsUser", json_integer(uid));
        if (*end == ':') {
                const char *g = end + 1;
                gid = strtol(g, &end, 10);
                if (end == g || *end) {
                        rt_warn(rt, "kube generate: container %s: group of \"%s\" is not numeric, not written", name,
                                user);
                        return;
                }
                json_object_set_new(sc, "runAsGroup", json_integer(gid));
        }
}

static json_t *security_context(struct cpod_runtime *rt, const char *name, const json_t *cfg, const json_t *img)
{
        json_t *sc = json_object();
        const char *user = json_get_str(cfg, "User");

        if (json_is_true(json_object_get(cfg, "Privileged"))) {
                json_object_set_new(sc, "privileged", json_true());
        } else {
                json_t *caps = capabilities(rt, cfg);
                if (!json_array_size(json_object_get(caps, "add")))
                        json_object_del(caps, "add");
                if (!json_array_size(json_object_get(caps, "drop")))
                        json_object_del(caps, "drop");
                json_object_set_new(sc, "capabilities", caps);
        }
        if (json_is_true(json_object_get(cfg, "NoNewPrivileges")))
                json_object_set_new(sc, "allowPrivilegeEscalation", json_false());
        if (json_is_true(json_object_get(cfg, "ReadOnly")))
                json_object_set_new(sc, "readOnlyRootFilesystem", json_true());
        if (user && *user && strcmp(user, json_get_str(img, "User") ? json_get_str(img, "User") : "") != 0)
                run_as(rt, name, user, sc);
        return sc;
}

/* The command line: podman's Entrypoint as command and Cmd as args, less what is the image's own. */
static void command(const json_t *cfg, const json_t *img, json_t *k)
{
        const json_t *ep = json_object_get(cfg, "Entrypoint"), *cmd = json_object_get(cfg, "Command");

        if (!ep)
                ep = json_object_get(img, "Entrypoint");
        if (!json_array_size(cmd))
                cmd = json_object_get(cfg, "Entrypoint") ? NULL : json_object_get(img, "Cmd");
        if (json_array_size(ep)) {
                json_object_set_new(k, "command", json_deep_copy(ep));
                if (json_array_size(cmd))
                        json_object_set_new(k, "args", json_deep_copy(cmd));
        } else if (json_array_size(cmd)) {
                json_object_set_new(k, "command", json_deep_copy(cmd));
        }
        if (json_equal(json_object_get(k, "command"), json_object_get(img, "Cmd")) ||
            json_equal(json_object_get(k, "command"), json_object_get(img, "Entrypoint")))
                json_object_del(k, "command");
}

/* A variable the image sets to the same value, or one of podman's defaults, is not written. */
static bool env_default(const char *kv, const json_t *img)
{
        static const char *const defaults[] = {
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "container=podman",
                "TERM=xterm",
                NULL,
        };

        for (size_t i = 0; defaults[i]; i++)
                if (strcmp(kv, defaults[i]) == 0)
                        return true;
        return has_str(json_object_get(img, "Env"), kv);
}

static void env(const json_t *cfg, const json_t *img, json_t *k)
{
        json_t *out = json_array();
        const json_t *v;
        size_t i;

        json_array_foreach(json_object_get(cfg, "Env"), i, v) {
                const char *kv = json_string_value(v), *eq = kv ? strchr(kv, '=') : NULL;
                if (!eq || env_default(kv, img))
                        continue;
                json_array_append_new(out, json_pack("{s:s%, s:s}", "name", kv, (size_t)(eq - kv), "value", eq + 1));
        }
        if (json_array_size(out))
                json_object_set_new(k, "env", out);
        else
                json_decref(out);
}

/* podman's portMappingToContainerPort: TCP is the default and not written, a range is one port each. */
json_t *kube_gen_ports(const json_t *mappings)
{
        json_t *out = json_array();
        const json_t *m;
        size_t i;

        json_array_foreach(mappings, i, m) {
                const char *proto = json_get_str(m, "protocol"), *hip = json_get_str(m, "host_ip");
                json_int_t cp = json_get_int(m, "container_port", 0), hp = json_get_int(m, "host_port", 0);
                json_int_t range = json_get_int(m, "range", 1);
                _cleanup_strv_ char **protos = strv_split(proto && *proto ? proto : "tcp", ",");

                for (char **p = protos; p && *p; p++)
                        for (json_int_t r = 0; r < (range < 1 ? 1 : range); r++) {
                                json_t *o = json_pack("{s:I}", "containerPort", cp + r);
                                if (hp)
                                        json_object_set_new(o, "hostPort", json_integer(hp + r));
                                if (hip && *hip)
                                        json_object_set_new(o, "hostIP", json_string(hip));
                                if (strcasecmp(*p, "tcp") != 0) {
                                        _cleanup_free_ char *up = xstrdup(*p);
                                        for (char *c = up; *c; c++)
                                                *c = (char)toupper((unsigned char)*c);
                                        json_object_set_new(o, "protocol", json_string(up));
                                }
                                json_array_append_new(out, o);
                        }
        }
        return out;
}

/* A Kubernetes quantity as apimachinery writes it: binary suffixes for memory, milli for CPU. */
static json_t *mem_quantity(json_int_t n)
{
        static const char *const sfx[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
        size_t i = 0;

        if (n < 1024)
                return json_sprintf("%" JSON_INTEGER_FORMAT, n);
        while (i + 1 < sizeof(sfx) / sizeof(sfx[0]) && n % 1024 == 0) {
                n /= 1024;
                i++;
        }
        return json_sprintf("%" JSON_INTEGER_FORMAT "%s", n, sfx[i]);
}

static void resources(const json_t *cfg, json_t *k)
{
        json_t *lim = json_object();
        json_int_t mem = json_get_int(cfg, "Memory", 0), milli = 0;
        json_int_t quota = json_get_int(cfg, "CpuQuota", 0), period = json_get_int(cfg, "CpuPeriod", 0);
        const json_t *cpus = json_object_get(cfg, "Cpus");

        if (mem > 0)
                json_object_set_new(lim, "memory", mem_quantity(mem));
        if (json_is_number(cpus))
                milli = (json_int_t)(json_number_value(cpus) * 1000 + 0.5);
        else if (quota > 0)
                milli = quota * 1000 / (period > 0 ? period : 100000);
        if (milli >= 1)
                json_object_set_new(lim, "cpu",
                                    milli % 1000 ? json_sprintf("%" JSON_INTEGER_FORMAT "m", milli)
                                                 : json_sprintf("%" JSON_INTEGER_FORMAT, milli / 1000));
        if (json_object_size(lim))
                json_object_set_new(k, "resources", json_pack("{s:o}", "limits", lim));
        else
                json_decref(lim);
}

/* podman's convertVolumePathToName: "/mnt/data/" -> "mnt-data", "/" -> "root". */
static char *host_volume_name(const char *src, size_t index)
{
        struct strbuf sb = STRBUF_INIT;
        size_t n = strlen(src);

        while (*src == '/')
                src++, n--;
        while (n && src[n - 1] == '/')
                n--;
        if (!n)
                strbuf_addstr(&sb, "root");
        for (size_t i = 0; i < n; i++)
                strbuf_addch(&sb, src[i] == '/' ? '-' : src[i]);
        strbuf_addf(&sb, "-host-%zu", index);
        return strbuf_detach(&sb, NULL);
}

static const char *host_path_type(const char *src)
{
        struct stat st;

        if (stat(src, &st) < 0)
                return "DirectoryOrCreate";
        return S_ISDIR(st.st_mode) ? "Directory" : "File";
}

/* Bind mounts become hostPath volumes (NAME-host-INDEX), named volumes claims (NAME-pvc), as podman. */
static void volumes(const json_t *insp, json_t *k, json_t *vols)
{
        json_t *vm = json_array(), *named = json_array();
        const json_t *m;
        size_t i, binds = 0;

        json_array_foreach(json_object_get(insp, "Mounts"), i, m) {
                const char *type = json_get_str(m, "Type"), *src = json_get_str(m, "Source");
                const char *dst = json_get_str(m, "Destination");
                bool ro = json_is_false(json_object_get(m, "RW"));
                _cleanup_free_ char *name = NULL;
                json_t *mount;

                if (!type || !src || !dst)
                        continue;
                if (strcmp(type, "volume") == 0 && json_get_str(m, "Name")) {
                        name = xasprintf("%s-pvc", json_get_str(m, "Name"));
                        json_object_set_new(vols, name,
                                            json_pack("{s:s, s:{s:s}}", "name", name, "persistentVolumeClaim",
                                                      "claimName", json_get_str(m, "Name")));
                        if (ro)
                                json_object_set_new(json_path(json_object_get(vols, name), "persistentVolumeClaim"),
                                                    "readOnly", json_true());
                } else if (strcmp(type, "bind") == 0) {
                        name = host_volume_name(src, binds++);
                        json_object_set_new(vols, name,
                                            json_pack("{s:s, s:{s:s, s:s}}", "name", name, "hostPath", "path", src,
                                                      "type", host_path_type(src)));
                } else {
                        continue;
                }
                mount = json_pack("{s:s, s:s}", "mountPath", dst, "name", name);
                if (ro)
                        json_object_set_new(mount, "readOnly", json_true());
                json_array_append_new(strcmp(type, "volume") == 0 ? named : vm, mount);
        }
        json_array_extend(vm, named);
        json_decref(named);
        if (json_array_size(vm))
                json_object_set_new(k, "volumeMounts", vm);
        else
                json_decref(vm);
}

int kube_gen_container(struct cpod_runtime *rt, const char *id, struct kube_gen_ctr *ret, cpod_error_t *err)
{
        _cleanup_json_ json_t *cfg = NULL, *insp = NULL, *imgfull = NULL;
        const json_t *img;
        _cleanup_free_ char *name = NULL;
        json_t *k;
        const char *wd;
        int r;

        if ((r = cpod_ctr_config(rt, id, &cfg, err)) < 0 || (r = cpod_ctr_inspect(rt, id, false, &insp, err)) < 0)
                return r;
        if ((r = cpod_image_config(rt, json_get_str(cfg, "ImageID"), &imgfull, err)) < 0)
                return cpod_error_wrap(err, "looking up image \"%s\" of container \"%s\"",
                                       json_get_str(cfg, "ImageName"), id);
        img = json_object_get(imgfull, "config");
        name = kube_gen_name(json_get_str(cfg, "Name"));
        k = json_pack("{s:s, s:s}", "name", name, "image", json_get_str(cfg, "ImageName"));
        command(cfg, img, k);
        wd = json_get_str(cfg, "WorkingDir");
        if (wd && *wd && strcmp(wd, "/") != 0 && strcmp(wd, json_get_str(img, "WorkingDir") ?: "") != 0)
                json_object_set_new(k, "workingDir", json_string(wd));
        env(cfg, img, k);
        if (json_array_size(json_object_get(cfg, "PortMappings")))
                json_object_set_new(k, "ports", kube_gen_ports(json_object_get(cfg, "PortMappings")));
        resources(cfg, k);
        json_object_set_new(k, "securityContext", security_context(rt, name, cfg, img));
        if (json_is_true(json_object_get(cfg, "Stdin")))
                json_object_set_new(k, "stdin", json_true());
        if (json_is_true(json_object_get(cfg, "Tty")))
                json_object_set_new(k, "tty", json_true());
        ret->volumes = json_object();
        volumes(insp, k, ret->volumes);
        ret->container = k;
        ret->config = TAKE_PTR(cfg);
        return 0;
}

void kube_gen_ctr_clear(struct kube_gen_ctr *c)
{
        json_decref(c->container);
        json_decref(c->volumes);
        json_decref(c->config);
        *c = (struct kube_gen_ctr){ 0 };
}
