/* SPDX-License-Identifier: Apache-2.0 */
#include "ctr/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr/conmon-msg.h"
#include "ctr/ctr.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

int oci_argv(struct cpod_runtime *rt, char ***ret, cpod_error_t *err)
{
        const struct cpod_oci_runtime *oci;
        char **v;

        if (cpod_runtime_oci(rt, &oci, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        v = xnew0(char *, 1);
        strv_add(&v, oci->path);
        for (char **f = rt->runtime_flags; f && *f; f++)
                strv_add(&v, *f);
        strv_add(&v, "--root");
        strv_add(&v, rt->oci_root);
        if (strcmp(rt->cgroup_manager, "systemd") == 0)
                strv_add(&v, "--systemd-cgroup");
        *ret = v;
        return 0;
}

/* runc logs errors as `time="..." level=error msg="..."`: keep the message. */
static void clean_runtime_error(struct strbuf *e)
{
        const char *m = strstr(e->buf, "msg=\"");
        size_t n;

        strbuf_trim(e);
        if (!m)
                return;
        m += 5;
        n = strlen(m);
        if (n && m[n - 1] == '"')
                n--;
        {
                char *copy = xstrndup(m, n);
                strbuf_reset(e);
                strbuf_addstr(e, copy);
                free(copy);
        }
}

int oci_run(struct cpod_runtime *rt, const char *verb, const char *const *args, cpod_error_t *err)
{
        /* without NOTIFY_SOCKET: runc would proxy it into the container itself, and wait for READY (sdnotify.h) */
        _cleanup_strv_ char **env = environ_without("NOTIFY_SOCKET");
        _cleanup_strv_ char **argv = NULL;
        struct strbuf out = STRBUF_INIT, errout = STRBUF_INIT;
        int r;

        if ((r = oci_argv(rt, &argv, err)) < 0)
                return r;
        strv_add(&argv, verb);
        for (size_t i = 0; args && args[i]; i++)
                strv_add(&argv, args[i]);
        r = run_capture((const char *const *)argv, (const char *const *)env, &out, &errout, err);
        if (r > 0) {
                clean_runtime_error(&errout);
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "%s %s: %s", rt->oci.name, verb,
                                   errout.len ? errout.buf : "failed");
        }
        strbuf_release(&out);
        strbuf_release(&errout);
        return r;
}

int oci_kill(struct cpod_runtime *rt, const char *id, int sig, bool all, cpod_error_t *err)
{
        char s[16];
        const char *a[] = { all ? "--all" : id, all ? id : s, all ? s : NULL, NULL };

        snprintf(s, sizeof(s), "%d", sig);
        return oci_run(rt, "kill", a, err);
}

int oci_preserve_fds(struct cpod_runtime *rt, const struct ctr *c)
{
        int n = c->cfg.preserve_fds > 0 && c->cfg.preserve_fds < 1024 ? (int)c->cfg.preserve_fds : 0;

        for (int fd = 3; fd < 3 + n; fd++) {
                int flags = fcntl(fd, F_GETFD);
                if (flags < 0 || (flags & FD_CLOEXEC)) {
                        rt_warn(rt, "preserve-fds: file descriptor %d was not passed to this command: passing none",
                                fd);
                        return 0;
                }
        }
        return n;
}

char *oci_log_error(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id), *path = xasprintf("%s/oci-log", bundle);
        _cleanup_free_ char *buf = NULL;
        size_t len;

        if (read_file(path, &buf, &len, 1 << 20, NULL) < 0)
                return NULL;
        return runtime_log_last_error(buf, len);
}

int oci_create_failed(struct cpod_runtime *rt, const char *msg, cpod_error_t *err)
{
        const char *m = msg && *msg ? msg : "OCI runtime create failed";

        if (strstr(m, "executable file not found") || strstr(m, "no such file or directory"))
                return cpod_error_set(err, EIO, CPOD_E_CMD_NOT_FOUND, "%s", m);
        if (strstr(m, "permission denied"))
                return cpod_error_set(err, EIO, CPOD_E_CMD_PERM, "%s", m);
        return cpod_error_set(err, EIO, CPOD_E_OCI, "OCI runtime error: %s: %s",
                              rt->oci.name ? rt->oci.name : "runtime", m);
}

bool oci_known(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *p = path_join(rt->oci_root, id);

        return path_exists(p);
}

int oci_delete(struct cpod_runtime *rt, const char *id, bool force, cpod_error_t *err)
{
        /* runc and crun keep their state in <root>/<id>: without it there is nothing to delete. */
        if (!oci_known(rt, id))
                return 0;
        const char *a[] = { force ? "--force" : id, force ? id : NULL, NULL };
        return oci_run(rt, "delete", a, err);
}

int oci_pause(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        const char *a[] = { id, NULL };
        return oci_run(rt, "pause", a, err);
}

int oci_resume(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        const char *a[] = { id, NULL };
        return oci_run(rt, "resume", a, err);
}

char *oci_state(struct cpod_runtime *rt, const char *id, int *ret_pid)
{
        _cleanup_strv_ char **argv = NULL;
        struct strbuf out = STRBUF_INIT;
        _cleanup_json_ json_t *j = NULL;
        char *status = NULL;

        if (oci_argv(rt, &argv, NULL) < 0)
                return NULL;
        strv_add(&argv, "state");
        strv_add(&argv, id);
        if (run_capture((const char *const *)argv, NULL, &out, NULL, NULL) == 0 && (j = json_loads(out.buf, 0, NULL))) {
                status = xstrdup(json_get_str(j, "status"));
                if (ret_pid)
                        *ret_pid = (int)json_get_int(j, "pid", 0);
        }
        strbuf_release(&out);
        return status;
}
