/* SPDX-License-Identifier: Apache-2.0 */
#include "ctr/conmon.h"
#include "ctr/conmon-msg.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/log.h>

#include "ctr/ctr.h"
#include "ctr/oci.h"
#include "ctr/sdnotify.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* This cpod with the same store flags: what conmon's exit command and the healthcheck timer run. */
void ctr_self_argv(struct cpod_runtime *rt, char ***argv)
{
        strv_add(argv, rt->exe ? rt->exe : "/usr/bin/cpod");
        strv_add(argv, "--root");
        strv_add(argv, rt->root);
        strv_add(argv, "--runroot");
        strv_add(argv, rt->runroot);
        strv_add(argv, "--storage-driver");
        strv_add(argv, rt->storage_driver);
        strv_add(argv, "--cgroup-manager");
        strv_add(argv, rt->cgroup_manager);
        strv_add(argv, "--runtime");
        strv_add(argv, rt->oci.path);
        if (rt->config->files && getenv("CONTAINERS_CONF")) {
                strv_add(argv, "--config");
                strv_add(argv, getenv("CONTAINERS_CONF"));
        }
}

/* The exit command conmon runs: `cpod container cleanup ID`. */
static void add_exit_command(struct cpod_runtime *rt, const char *id, char ***argv)
{
        _cleanup_strv_ char **self = NULL;

        ctr_self_argv(rt, &self);
        strv_add(&self, "container");
        strv_add(&self, "cleanup");
        strv_add(&self, id);
        strv_add(argv, "--exit-command");
        strv_add(argv, self[0]);
        for (size_t i = 1; self[i]; i++) {
                strv_add(argv, "--exit-command-arg");
                strv_add(argv, self[i]);
        }
}

static char **conmon_argv(struct cpod_runtime *rt, const char *conmon, const struct ctr *c, bool attached)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *logf = ctr_log_file(rt, c);
        _cleanup_free_ char *exits = path_join(rt->runroot, "exits");
        char **v = NULL;
        int nfds;

        strv_add(&v, conmon);
        strv_take(&v, xstrdup("--api-version"));
        strv_add(&v, "1");
        strv_add(&v, "-c");
        strv_add(&v, c->id);
        strv_add(&v, "-u");
        strv_add(&v, c->id);
        strv_add(&v, "-r");
        strv_add(&v, rt->oci.path);
        strv_add(&v, "-b");
        strv_add(&v, bundle);
        strv_take(&v, xstrdup("-p"));
        strv_take(&v, xasprintf("%s/pidfile", bundle));
        strv_add(&v, "-n");
        strv_add(&v, c->name);
        strv_add(&v, "--exit-dir");
        strv_add(&v, exits);
        strv_add(&v, "--full-attach");
        strv_add(&v, "-l");
        if (strcmp(ctr_log_driver(rt, c), "none") == 0)
                strv_add(&v, "none:");
        else
                strv_take(&v, xasprintf("k8s-file:%s", logf));
        if (ctr_log_size_max(rt, c) > 0) {
                strv_add(&v, "--log-size-max");
                strv_take(&v, xasprintf("%lld", (long long)ctr_log_size_max(rt, c)));
        }
        if (c->cfg.log_tag) {
                strv_add(&v, "--log-tag");
                strv_add(&v, c->cfg.log_tag);
        }
        strv_add(&v, "--log-level");
        strv_add(&v, cpod_log_enabled(CPOD_LOG_DEBUG) ? "debug" : "warning");
        /* conmon writes an "oom" file here when the OOM killer ends the container. */
        strv_add(&v, "--persist-dir");
        strv_add(&v, bundle);
        strv_add(&v, "--conmon-pidfile");
        strv_take(&v, xasprintf("%s/conmon.pid", bundle));
        for (char **f = rt->runtime_flags; f && *f; f++)
                strv_take(&v, xasprintf("--runtime-arg=%s", *f));
        strv_add(&v, "--runtime-arg");
        strv_add(&v, "--log-format=json");
        strv_add(&v, "--runtime-arg");
        strv_add(&v, "--log");
        strv_take(&v, xasprintf("--runtime-arg=%s/oci-log", bundle));
        strv_add(&v, "--runtime-arg");
        strv_add(&v, "--root");
        strv_add(&v, "--runtime-arg");
        strv_add(&v, rt->oci_root);
        if (strcmp(rt->cgroup_manager, "systemd") == 0)
                strv_add(&v, "-s");
        if (ctr_sdnotify_proxied(c)) {
                strv_add(&v, "--sdnotify-socket");
                strv_add(&v, c->cfg.sdnotify_socket);
        }
        if (c->cfg.timeout > 0) {
                strv_add(&v, "--timeout");
                strv_take(&v, xasprintf("%lld", (long long)c->cfg.timeout));
        }
        if ((nfds = oci_preserve_fds(rt, c)) > 0) {
                /* passed on to `runtime create`; the fds themselves are inherited, without close-on-exec */
                strv_add(&v, "--runtime-opt");
                strv_take(&v, xasprintf("--preserve-fds=%d", nfds));
        }
        if (c->cfg.tty)
                strv_add(&v, "-t");
        if (c->cfg.stdin_open) {
                strv_add(&v, "-i");
                /* With a terminal, detaching (ctrl-p ctrl-q) must not close the container's stdin. */
                if (c->cfg.tty)
                        strv_add(&v, "--leave-stdin-open");
        }
        /*
         * A foreground --rm run cleans up after itself; an exit command would only race it.  If the
         * foreground process dies, the next command reconciles the container and removes it.
         */
        if (!(attached && c->cfg.rm))
                add_exit_command(rt, c->id, &v);
        return v;
}

/* Read one JSON line {"data": N[, "message": "..."]} from the sync pipe. */
static int read_sync(int fd, int *ret_data, char **ret_msg, cpod_error_t *err)
{
        struct strbuf sb = STRBUF_INIT;
        char buf[4096];
        int r;

        for (;;) {
                ssize_t n = read(fd, buf, sizeof(buf));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                strbuf_add(&sb, buf, (size_t)n);
                if (memchr(buf, '\n', (size_t)n))
                        break;
        }
        r = conmon_parse_sync(sb.buf, sb.len, ret_data, ret_msg, err);
        strbuf_release(&sb);
        return r;
}

/*
 * conmon runs in the bundle directory: besides its --persist-dir it writes an "oom" file into its
 * working directory when the OOM killer ends the container, which must not land in the caller's.
 */
static int spawn(char **argv, const char *dir, int sync_w, int start_r, int start_w, cpod_error_t *err)
{
        struct child_process cp = CHILD_PROCESS_INIT;
        _cleanup_strv_ char **env = NULL;
        extern char **environ;
        int keep[2] = { sync_w, start_r };

        for (char **e = environ; *e; e++)
                if (strncmp(*e, "_OCI_", 5) != 0 && strncmp(*e, "NOTIFY_SOCKET=", 14) != 0)
                        strv_add(&env, *e);
        strv_take(&env, xasprintf("_OCI_SYNCPIPE=%d", sync_w));
        strv_take(&env, xasprintf("_OCI_STARTPIPE=%d", start_r));
        cp.argv = (const char *const *)argv;
        cp.env = (const char *const *)env;
        cp.keep_fds = keep;
        cp.n_keep_fds = 2;
        cp.new_session = true;
        cp.dir = dir;
        if (child_start(&cp, err) < 0)
                return cpod_error_rc(err, -EIO);
        /* conmon waits for the start pipe before it daemonizes; its first process then exits. */
        if (write(start_w, "0", 1) != 1) {
                int r = cpod_error_sys(err, errno, "start conmon");
                kill(cp.pid, SIGKILL);
                (void)child_finish(&cp, NULL);
                return r;
        }
        return child_finish(&cp, err) < 0 ? -EIO : 0;
}

int conmon_create(struct cpod_runtime *rt, const struct ctr *c, bool attached, int *ret_pid, int *ret_conmon_pid,
                  cpod_error_t *err)
{
        const char *conmon;
        const struct cpod_oci_runtime *oci;
        _cleanup_strv_ char **argv = NULL;
        _cleanup_free_ char *msg = NULL, *bundle = ctr_bundle_dir(rt, c->id), *pidf = NULL, *cpid = NULL;
        int syncp[2] = { -1, -1 }, startp[2] = { -1, -1 }, data = -1, r;

        if (cpod_runtime_conmon(rt, &conmon, err) < 0 || cpod_runtime_oci(rt, &oci, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        argv = conmon_argv(rt, conmon, c, attached);
        if (pipe2(syncp, O_CLOEXEC) < 0 || pipe2(startp, O_CLOEXEC) < 0) {
                r = cpod_error_sys(err, errno, "pipe");
                goto out;
        }
        r = spawn(argv, bundle, syncp[1], startp[0], startp[1], err);
        close(syncp[1]);
        close(startp[0]);
        syncp[1] = startp[0] = -1;
        if (r == 0)
                r = read_sync(syncp[0], &data, &msg, err);
        if (r == 0 && data < 0) {
                _cleanup_free_ char *rt_msg = oci_log_error(rt, c->id);
                r = oci_create_failed(rt, rt_msg ? rt_msg : msg, err);
        }
        if (r == 0) {
                pidf = xasprintf("%s/conmon.pid", bundle);
                cpid = read_line_file(pidf);
                *ret_pid = data;
                *ret_conmon_pid = conmon_parse_pid(cpid);
        }
out:
        for (int i = 0; i < 2; i++) {
                if (syncp[i] >= 0)
                        close(syncp[i]);
                if (startp[i] >= 0)
                        close(startp[i]);
        }
        return r;
}
