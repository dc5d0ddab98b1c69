/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Choosing the OCI runtime and conmon.
 *
 * An explicit --runtime is used as given.  Otherwise the configured
 * runtime, then crun, then runc are tried, and each found binary must pass
 * a probe: run /usr/bin/true in a minimal container (host /usr bound
 * read-only, a pid/mount/ipc/uts namespace, a cgroup).  crun 1.8, for
 * example, refuses hosts with hybrid cgroups at that point.  The probe costs
 * one container start per runtime per boot: its result is cached in the
 * runroot keyed by boot ID and the binary's mtime, so the hot path never
 * probes twice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

static const char *const default_runtime_dirs[] = {
        "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/sbin", "/bin", NULL
};

/* Path of runtime `name`: [engine.runtimes] entries first, then the usual directories. */
static char *resolve_runtime(const struct cpod_config *c, const char *name)
{
        if (strchr(name, '/'))
                return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
        for (size_t i = 0; c->runtime_names && c->runtime_names[i]; i++) {
                if (strcmp(c->runtime_names[i], name) != 0)
                        continue;
                for (char **p = c->runtime_paths[i]; p && *p; p++)
                        if (access(*p, X_OK) == 0)
                                return xstrdup(*p);
        }
        for (size_t i = 0; default_runtime_dirs[i]; i++) {
                _cleanup_free_ char *p = path_join(default_runtime_dirs[i], name);
                if (access(p, X_OK) == 0)
                        return TAKE_PTR(p);
        }
        return find_executable(name, NULL);
}

static const char probe_config[] =
        "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/usr/bin/true\"],\"cwd\":\"/\","
        "\"env\":[\"PATH=/usr/bin\"],\"user\":{\"uid\":0,\"gid\":0}},"
        "\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
        "\"mounts\":[{\"destination\":\"/usr\",\"type\":\"bind\",\"source\":\"/usr\",\"options\":[\"rbind\",\"ro\"]},"
        "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}],"
        "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"ipc\"},{\"type\":\"uts\"}],"
        "\"cgroupsPath\":\"%s\"}}";

static int make_probe_bundle(const char *dir, bool systemd, cpod_error_t *err)
{
        static const char *const links[][2] = {
                { "usr/bin", "bin" }, { "usr/lib", "lib" }, { "usr/lib64", "lib64" }, { "usr/sbin", "sbin" }
        };
        _cleanup_free_ char *rootfs = path_join(dir, "rootfs"), *cfg = path_join(dir, "config.json");
        _cleanup_free_ char *cgpath = systemd ? xasprintf("system.slice:cpod:probe-%d", (int)getpid())
                                              : xasprintf("/cpod-probe-%d", (int)getpid());
        _cleanup_free_ char *json = xasprintf(probe_config, cgpath);
        const char *sub[] = { "usr", "proc" };

        if (mkdir_p(rootfs, 0755, err) < 0)
                return -errno;
        for (size_t i = 0; i < 2; i++) {
                _cleanup_free_ char *p = path_join(rootfs, sub[i]);
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return cpod_error_sys(err, errno, "mkdir '%s'", p);
        }
        for (size_t i = 0; i < 4; i++) {
                _cleanup_free_ char *p = path_join(rootfs, links[i][1]);
                (void)symlink(links[i][0], p);
        }
        return write_file(cfg, json, strlen(json), 0644, err);
}

/* Run the probe container.  Returns 0 when it worked, else < 0 with the runtime's complaint in err. */
static int probe(struct cpod_runtime *rt, const char *path, cpod_error_t *err)
{
        _cleanup_free_ char *dir = xasprintf("%s/probe-%d", rt->runroot, (int)getpid());
        _cleanup_free_ char *state = path_join(dir, "state"), *id = xasprintf("cpod-probe-%d", (int)getpid());
        bool systemd = strcmp(rt->cgroup_manager, "systemd") == 0;
        struct strbuf out = STRBUF_INIT, errout = STRBUF_INIT;
        _cleanup_strv_ char **argv = xnew0(char *, 1);
        /* runc run with NOTIFY_SOCKET waits for a READY=1 the probe never sends */
        _cleanup_strv_ char **env = environ_without("NOTIFY_SOCKET");
        int r;

        strv_add(&argv, path);
        strv_add(&argv, "--root");
        strv_add(&argv, state);
        if (systemd)
                strv_add(&argv, "--systemd-cgroup");
        strv_add(&argv, "run");
        strv_add(&argv, "--bundle");
        strv_add(&argv, dir);
        strv_add(&argv, id);
        r = make_probe_bundle(dir, systemd, err);
        if (r == 0)
                r = run_capture((const char *const *)argv, (const char *const *)env, &out, &errout, err);
        if (r > 0) {
                strbuf_trim(&errout);
                r = cpod_error_set(err, EIO, CPOD_E_NOT_SUPPORTED, "%s", errout.len ? errout.buf : "probe failed");
        }
        (void)rm_rf(dir, NULL);
        strbuf_release(&out);
        strbuf_release(&errout);
        return r;
}

static char *cache_path(struct cpod_runtime *rt)
{
        return path_join(rt->runroot, "oci-runtime-probe.json");
}

/* The per-boot cache (NULL when missing or from another boot): read once per detection. */
static json_t *cache_load(struct cpod_runtime *rt)
{
        _cleanup_free_ char *file = cache_path(rt), *boot = host_boot_id();
        json_t *j = json_parse_file(file, NULL);

        if (j && boot && strcmp(json_get_str(j, "boot_id") ? json_get_str(j, "boot_id") : "", boot) == 0)
                return j;
        json_decref(j);
        return NULL;
}

/* Cached verdict for key: 1 works, 0 fails (why in *ret_why), -1 unknown. */
static int cache_lookup(json_t *cache, const char *key, char **ret_why)
{
        json_t *e = json_object_get(json_object_get(cache, "results"), key);

        if (!e)
                return -1;
        if (!json_get_bool(e, "ok", false))
                *ret_why = xstrdup(json_get_str(e, "error"));
        return json_get_bool(e, "ok", false) ? 1 : 0;
}

static void cache_store(struct cpod_runtime *rt, const char *key, bool ok, const char *why)
{
        _cleanup_free_ char *file = cache_path(rt), *boot = host_boot_id();
        _cleanup_json_ json_t *j = json_parse_file(file, NULL);
        json_t *results;

        if (!j || strcmp(json_get_str(j, "boot_id") ? json_get_str(j, "boot_id") : "", boot ? boot : "") != 0) {
                json_decref(j);
                j = json_pack("{s:s, s:{}}", "boot_id", boot ? boot : "", "results");
        }
        results = json_object_get(j, "results");
        json_object_set_new(results, key, json_pack("{s:b, s:s}", "ok", ok, "error", why ? why : ""));
        if (mkdir_p(rt->runroot, 0711, NULL) == 0)
                (void)json_write_file_replace(file, j, 0, NULL);
}

/* Does the runtime at path work here?  Uses and fills the per-boot cache. */
static bool runtime_works(struct cpod_runtime *rt, json_t *cache, const char *path, char **ret_why)
{
        struct stat st;
        _cleanup_free_ char *key = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        int r;

        if (stat(path, &st) < 0)
                return false;
        key = xasprintf("%s@%lld:%s", path, (long long)st.st_mtime, rt->cgroup_manager);
        r = cache_lookup(cache, key, ret_why);
        if (r >= 0)
                return r == 1;
        r = probe(rt, path, &err);
        log_debug("OCI runtime probe of %s: %s", path, r == 0 ? "ok" : cpod_error_msg(&err));
        cache_store(rt, key, r == 0, r == 0 ? NULL : cpod_error_msg(&err));
        if (r < 0)
                *ret_why = xstrdup(cpod_error_msg(&err));
        cpod_error_clear(&err);
        return r == 0;
}

static void choose(struct cpod_runtime *rt, const char *name, char *path, char *why)
{
        const char *base = strrchr(name, '/');

        rt->oci_name = xstrdup(base ? base + 1 : name);
        rt->oci_path = path;
        rt->oci_why = why;
        rt->oci.name = rt->oci_name;
        rt->oci.path = rt->oci_path;
        rt->oci.why = rt->oci_why;
}

static int detect_auto(struct cpod_runtime *rt, cpod_error_t *err)
{
        _cleanup_strv_ char **cands = NULL;
        _cleanup_json_ json_t *cache = cache_load(rt);
        struct strbuf fails = STRBUF_INIT;

        if (rt->config->runtime && *rt->config->runtime)
                strv_add(&cands, rt->config->runtime);
        if (!strv_contains(cands, "crun"))
                strv_add(&cands, "crun");
        if (!strv_contains(cands, "runc"))
                strv_add(&cands, "runc");
        for (size_t i = 0; cands[i]; i++) {
                char *path = resolve_runtime(rt->config, cands[i]), *why = NULL;
                if (!path)
                        continue;
                if (runtime_works(rt, cache, path, &why)) {
                        char *how = fails.len ? xasprintf("first working runtime (%s)", fails.buf)
                                              : xstrdup(i == 0 ? "configured default" : "first working runtime");
                        choose(rt, cands[i], path, how);
                        strbuf_release(&fails);
                        return 0;
                }
                strbuf_addf(&fails, "%s%s: %s", fails.len ? "; " : "", cands[i], why ? why : "probe failed");
                free(why);
                free(path);
        }
        if (fails.len)
                cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED, "no working OCI runtime found: %s", fails.buf);
        else
                cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED,
                               "no OCI runtime found: install runc or crun, or set --runtime");
        strbuf_release(&fails);
        return cpod_error_rc(err, -ENOENT);
}

int cpod_runtime_oci(struct cpod_runtime *rt, const struct cpod_oci_runtime **ret, cpod_error_t *err)
{
        if (!rt->oci_path) {
                if (rt->requested_runtime) {
                        char *path = resolve_runtime(rt->config, rt->requested_runtime);
                        if (!path)
                                return cpod_error_set(err, ENOENT, CPOD_E_INVALID,
                                                      "default OCI runtime \"%s\" not found: invalid argument",
                                                      rt->requested_runtime);
                        choose(rt, rt->requested_runtime, path, xstrdup("requested with --runtime"));
                } else if (detect_auto(rt, err) < 0) {
                        return cpod_error_rc(err, -ENOENT);
                }
        }
        *ret = &rt->oci;
        return 0;
}

int cpod_runtime_conmon(struct cpod_runtime *rt, const char **ret, cpod_error_t *err)
{
        static const char *const defaults[] = { "/usr/libexec/podman/conmon",
                                                "/usr/local/libexec/podman/conmon",
                                                "/usr/local/lib/podman/conmon",
                                                "/usr/bin/conmon",
                                                "/usr/sbin/conmon",
                                                "/usr/local/bin/conmon",
                                                NULL };

        if (rt->conmon_path)
                goto out;
        if (rt->requested_conmon) {
                if (access(rt->requested_conmon, X_OK) < 0)
                        return cpod_error_sys(err, errno, "conmon '%s'", rt->requested_conmon);
                rt->conmon_path = xstrdup(rt->requested_conmon);
                goto out;
        }
        for (char **p = rt->config->conmon_path; p && *p && !rt->conmon_path; p++)
                if (access(*p, X_OK) == 0)
                        rt->conmon_path = xstrdup(*p);
        for (size_t i = 0; defaults[i] && !rt->conmon_path; i++)
                if (access(defaults[i], X_OK) == 0)
                        rt->conmon_path = xstrdup(defaults[i]);
        if (!rt->conmon_path && !(rt->conmon_path = find_executable("conmon", NULL)))
                return cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED,
                                      "could not find a working conmon binary (install the conmon package)");
out:
        *ret = rt->conmon_path;
        return 0;
}
