/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers.conf: each file of the chain is parsed with our TOML parser
 * and the keys cpod knows are applied over the previous values, one file
 * at a time, so a wrong type is reported against the file that has it.
 */
#include <cpod/config.h>

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/config-known.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/toml.h"
#include "util/xalloc.h"

enum key_type { K_STR, K_STRV, K_INT, K_BOOL };

struct key_desc {
        const char *section;
        const char *key;
        enum key_type type;
        size_t offset;
        bool not_yet; /* parsed (for info and later use) but not honoured yet: setting it draws a warning */
};

/* clang-format off */
#define K(sec, key, type, field) { sec, key, type, offsetof(struct cpod_config, field), false }
#define K_NOTYET(sec, key, type, field) { sec, key, type, offsetof(struct cpod_config, field), true }
/* clang-format on */

static const struct key_desc keys[] = {
        K("containers", "default_capabilities", K_STRV, default_capabilities),
        K("containers", "default_sysctls", K_STRV, default_sysctls),
        K("containers", "default_ulimits", K_STRV, default_ulimits),
        K("containers", "env", K_STRV, env),
        K("containers", "volumes", K_STRV, volumes),
        K("containers", "dns_servers", K_STRV, dns_servers),
        K("containers", "dns_searches", K_STRV, dns_searches),
        K("containers", "dns_options", K_STRV, dns_options),
        K_NOTYET("containers", "annotations", K_STRV, annotations),
        K("containers", "init_path", K_STR, init_path),
        K("containers", "log_driver", K_STR, log_driver),
        K("containers", "log_size_max", K_INT, log_size_max),
        K_NOTYET("containers", "log_tag", K_STR, log_tag),
        K("containers", "pids_limit", K_INT, pids_limit),
        K("containers", "shm_size", K_STR, shm_size),
        K("containers", "seccomp_profile", K_STR, seccomp_profile),
        K("containers", "tz", K_STR, tz),
        K_NOTYET("containers", "umask", K_STR, umask),
        K_NOTYET("containers", "cgroupns", K_STR, cgroupns),
        K("containers", "ipcns", K_STR, ipcns),
        K("containers", "pidns", K_STR, pidns),
        K("containers", "utsns", K_STR, utsns),
        K("containers", "netns", K_STR, netns),
        K("containers", "userns", K_STR, userns),
        K("containers", "no_hosts", K_BOOL, no_hosts),
        K("containers", "init", K_BOOL, init),
        K_NOTYET("containers", "env_host", K_BOOL, env_host),
        K_NOTYET("containers", "http_proxy", K_BOOL, http_proxy),
        K("engine", "cgroup_manager", K_STR, cgroup_manager),
        K("engine", "conmon_path", K_STRV, conmon_path),
        K("engine", "runtime", K_STR, runtime),
        K("engine", "hooks_dir", K_STRV, hooks_dir),
        K_NOTYET("engine", "infra_command", K_STR, infra_command),
        K_NOTYET("engine", "infra_image", K_STR, infra_image),
        K_NOTYET("engine", "tmp_dir", K_STR, tmp_dir),
        K_NOTYET("engine", "static_dir", K_STR, static_dir),
        K("engine", "volume_path", K_STR, volume_path),
        K("engine", "image_volume_mode", K_STR, image_volume_mode),
        K("engine", "events_logger", K_STR, events_logger),
        K("engine", "events_logfile_path", K_STR, events_logfile_path),
        K("engine", "events_logfile_max_size", K_STR, events_logfile_max_size),
        K_NOTYET("engine", "image_default_transport", K_STR, image_default_transport),
        K_NOTYET("engine", "pull_policy", K_STR, pull_policy),
        K("engine", "stop_timeout", K_INT, stop_timeout),
        K_NOTYET("engine", "network_cmd_path", K_STR, network_cmd_path),
        K("engine", "helper_binaries_dir", K_STRV, helper_binaries_dir),
        K("network", "network_backend", K_STR, network_backend),
        K("network", "cni_plugin_dirs", K_STRV, cni_plugin_dirs),
        K("network", "default_network", K_STR, default_network),
        K("network", "default_subnet", K_STR, default_subnet),
        K("network", "network_config_dir", K_STR, network_config_dir),
};

static const char *const type_names[] = { "a string", "an array of strings", "an integer", "a boolean" };

static int apply_key(struct cpod_config *c, const struct key_desc *k, json_t *v, const char *file, cpod_error_t *err)
{
        void *field = (char *)c + k->offset;
        size_t i;
        json_t *e;

        switch (k->type) {
        case K_STR:
                if (!json_is_string(v))
                        break;
                free(*(char **)field);
                *(char **)field = xstrdup(json_string_value(v));
                return 0;
        case K_STRV:
                if (!json_is_array(v))
                        break;
                json_array_foreach(v, i, e)
                        if (!json_is_string(e))
                                goto bad;
                strv_free(*(char ***)field);
                *(char ***)field = json_to_strv(v);
                return 0;
        case K_INT:
                if (!json_is_integer(v))
                        break;
                *(int64_t *)field = json_integer_value(v);
                return 0;
        case K_BOOL:
                if (!json_is_boolean(v))
                        break;
                *(bool *)field = json_is_true(v);
                return 0;
        }
bad:
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "%s: [%s] %s must be %s", file, k->section, k->key,
                              type_names[k->type]);
}

static int apply_runtimes(struct cpod_config *c, json_t *tbl, const char *file, cpod_error_t *err)
{
        const char *name;
        json_t *paths;

        json_object_foreach(tbl, name, paths) {
                size_t n = strv_length(c->runtime_names), i;

                if (!json_is_array(paths))
                        return cpod_error_set(err, EINVAL, CPOD_E_INVALID,
                                              "%s: [engine.runtimes] %s must be an array of strings", file, name);
                for (i = 0; i < n; i++)
                        if (strcmp(c->runtime_names[i], name) == 0)
                                break;
                if (i == n) {
                        strv_add(&c->runtime_names, name);
                        c->runtime_paths = xreallocarray(c->runtime_paths, n + 2, sizeof(char **));
                        c->runtime_paths[n] = NULL;
                        c->runtime_paths[n + 1] = NULL;
                }
                strv_free(c->runtime_paths[i]);
                c->runtime_paths[i] = json_to_strv(paths);
        }
        return 0;
}

static bool applied(const char *section, const char *key)
{
        if (strcmp(section, "engine") == 0 && strcmp(key, "runtimes") == 0)
                return true;
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
                        return true; /* not_yet keys have a warning of their own */
        return false;
}

/* podman's keys this file sets that cpod does not apply (empty tables set nothing). */
static void warn_unapplied(struct cpod_config *c, json_t *doc, const char *path)
{
        const char *sec, *key;
        json_t *v;

        for (size_t i = 0; (sec = config_known_section(i)); i++)
                json_object_foreach(json_object_get(doc, sec), key, v) {
                        if (applied(sec, key) || !config_podman_knows(sec, key) ||
                            (json_is_object(v) && json_object_size(v) == 0))
                                continue;
                        strv_take(&c->warnings, xasprintf("%s: [%s] %s is not supported by cpod yet and has no effect",
                                                          path, sec, key));
                }
}

static int apply_file(struct cpod_config *c, const char *path, cpod_error_t *err)
{
        _cleanup_json_ json_t *doc = cpod_toml_parse_file(path, err);
        json_t *rt;

        if (!doc)
                return cpod_error_rc(err, -EINVAL);
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                json_t *v = json_object_get(json_object_get(doc, keys[i].section), keys[i].key);
                if (v && apply_key(c, &keys[i], v, path, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                if (v && keys[i].not_yet)
                        strv_take(&c->warnings, xasprintf("%s: [%s] %s is not supported by cpod yet and has no effect",
                                                          path, keys[i].section, keys[i].key));
        }
        warn_unapplied(c, doc, path);
        rt = json_object_get(json_object_get(doc, "engine"), "runtimes");
        if (json_is_object(rt) && apply_runtimes(c, rt, path, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        strv_add(&c->files, path);
        return 0;
}

static int cmpstr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Apply dir/<*.conf> in lexical order. */
static int apply_dir(struct cpod_config *c, const char *dir, cpod_error_t *err)
{
        _cleanup_strv_ char **names = NULL;
        DIR *d = opendir(dir);
        struct dirent *de;
        size_t n;
        int r = 0;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (de->d_name[0] != '.' && l > 5 && strcmp(de->d_name + l - 5, ".conf") == 0)
                        strv_take(&names, path_join(dir, de->d_name));
        }
        closedir(d);
        n = strv_length(names);
        if (n)
                qsort(names, n, sizeof(char *), cmpstr);
        for (size_t i = 0; i < n && r == 0; i++)
                r = apply_file(c, names[i], err);
        return r;
}

static int apply_if_exists(struct cpod_config *c, const char *path, cpod_error_t *err)
{
        return path_exists(path) ? apply_file(c, path, err) : 0;
}

/* podman's built-in defaults, for a containers.conf chain that does not set them. */
static const char *const default_caps[] = { "CHOWN",   "DAC_OVERRIDE",     "FOWNER",     "FSETID",
                                            "KILL",    "NET_BIND_SERVICE", "SETFCAP",    "SETGID",
                                            "SETPCAP", "SETUID",           "SYS_CHROOT", NULL };
static const char *const default_sysctls[] = { "net.ipv4.ping_group_range=0 0", NULL };

static void set_defaults(struct cpod_config *c)
{
        c->default_capabilities = strv_copy((char *const *)default_caps);
        c->default_sysctls = strv_copy((char *const *)default_sysctls);
        c->cgroup_manager = xstrdup("systemd");
        c->log_driver = xstrdup("k8s-file");
        c->log_size_max = -1;
        c->pids_limit = 2048;
        c->shm_size = xstrdup("65536k");
        c->events_logger = xstrdup("file");
        c->image_default_transport = xstrdup("docker://");
        c->pull_policy = xstrdup("missing");
        c->stop_timeout = 10;
        c->tmp_dir = xstrdup("/run/libpod");
        c->infra_image = NULL;
        c->umask = xstrdup("0022");
        c->seccomp_profile = xstrdup("/usr/share/containers/seccomp.json");
}

static int load_chain(struct cpod_config *c, cpod_error_t *err)
{
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        _cleanup_free_ char *user = NULL, *userd = NULL;
        int r;

        if ((r = apply_if_exists(c, "/usr/share/containers/containers.conf", err)) < 0 ||
            (r = apply_if_exists(c, "/etc/containers/containers.conf", err)) < 0 ||
            (r = apply_dir(c, "/etc/containers/containers.conf.d", err)) < 0)
                return r;
        if (xdg && *xdg)
                user = path_join(xdg, "containers/containers.conf");
        else if (home && *home)
                user = path_join(home, ".config/containers/containers.conf");
        if (!user)
                return 0;
        userd = xasprintf("%s.d", user);
        if ((r = apply_if_exists(c, user, err)) < 0)
                return r;
        return apply_dir(c, userd, err);
}

int cpod_config_load(const char *override_path, struct cpod_config **ret, cpod_error_t *err)
{
        struct cpod_config *c = xzalloc(sizeof(*c));
        const char *env = getenv("CONTAINERS_CONF");
        const char *one = override_path && *override_path ? override_path : env && *env ? env : NULL;
        int r;

        set_defaults(c);
        if (one) {
                r = path_exists(one) ? apply_file(c, one, err)
                                     : cpod_error_sys(err, ENOENT, "read configuration file '%s'", one);
        } else {
                r = load_chain(c, err);
        }
        if (r < 0) {
                cpod_config_free(c);
                return r;
        }
        *ret = c;
        return 0;
}

struct cpod_config *cpod_config_free(struct cpod_config *c)
{
        if (!c)
                return NULL;
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                void *field = (char *)c + keys[i].offset;
                if (keys[i].type == K_STR)
                        free(*(char **)field);
                else if (keys[i].type == K_STRV)
                        strv_free(*(char ***)field);
        }
        for (size_t i = 0; c->runtime_paths && c->runtime_paths[i]; i++)
                strv_free(c->runtime_paths[i]);
        free(c->runtime_paths);
        strv_free(c->runtime_names);
        strv_free(c->files);
        strv_free(c->warnings);
        free(c);
        return NULL;
}
