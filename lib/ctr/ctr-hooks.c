/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A container's OCI hooks: matched at each start against its final spec
 * (hooks.c), the runtime's stages written into config.json, the poststop
 * ones saved in the bundle and run by cpod when it records the container's
 * end (ctr_finish_exit: after an exit, a crash, rm -f), once, each with the
 * container's state on stdin as the runtime spec has it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "ctr/hooks.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

static void warn_cb(void *ud, const char *msg)
{
        rt_warn(ud, "%s", msg);
}

/* podman's hasBindMounts: the user gave volumes (-v) or bind mounts. */
static bool user_binds(const struct ctr_config *cfg)
{
        if (cfg->volumes && cfg->volumes[0])
                return true;
        for (char **m = cfg->mounts; m && *m; m++)
                if (strstr(*m, "type=bind"))
                        return true;
        return false;
}

static char *poststop_file(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id);

        return path_join(bundle, "poststop-hooks.json");
}

int ctr_hooks_inject(struct cpod_runtime *rt, const struct ctr *c, json_t *spec, cpod_error_t *err)
{
        struct hook_set *set = hooks_load(rt->hooks_dirs, warn_cb, rt);
        _cleanup_free_ char *path = poststop_file(rt, c->id);
        _cleanup_json_ json_t *post = NULL;

        hooks_apply(set, spec, user_binds(&c->cfg), &post);
        hooks_free(set);
        if (json_array_size(post) == 0) {
                (void)unlink(path);
                return 0;
        }
        return json_write_file_replace(path, post, JSON_COMPACT, err);
}

/* Run one hook: its path with its args and env, the state on stdin, its output kept for errors. */
static int run_hook(json_t *hook, const char *state, struct strbuf *out)
{
        _cleanup_strv_ char **args = json_to_strv(json_object_get(hook, "args"));
        _cleanup_strv_ char **env = json_to_strv(json_object_get(hook, "env"));
        const char *path = json_get_str(hook, "path");
        long timeout = (long)json_integer_value(json_object_get(hook, "timeout"));
        int in[2], o[2], status;
        struct timespec start, now;
        pid_t pid;

        if (!args || !args[0])
                strv_add(&args, path);
        if (pipe2(in, O_CLOEXEC) < 0)
                return -errno;
        if (pipe2(o, O_CLOEXEC) < 0) {
                close(in[0]);
                close(in[1]);
                return -errno;
        }
        pid = fork();
        if (pid == 0) {
                dup2(in[0], 0);
                dup2(o[1], 1);
                dup2(o[1], 2);
                execve(path, args, env ? env : (char *[]){ NULL });
                _exit(127);
        }
        close(in[0]);
        close(o[1]);
        if (pid > 0)
                (void)write_all(in[1], state, strlen(state));
        close(in[1]);
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                struct pollfd p = { o[0], POLLIN, 0 };
                char buf[4096];
                long waited;
                ssize_t n;
                clock_gettime(CLOCK_MONOTONIC, &now);
                waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
                if (timeout > 0 && waited >= timeout * 1000) {
                        kill(pid, SIGKILL);
                        strbuf_addf(out, "timed out after %ld seconds", timeout);
                        break;
                }
                if (poll(&p, 1, timeout > 0 ? (int)(timeout * 1000 - waited) : -1) < 0 && errno != EINTR)
                        break;
                if ((n = read(o[0], buf, sizeof(buf))) <= 0) {
                        if (n < 0 && errno == EINTR)
                                continue;
                        break;
                }
                if (out->len < 65536)
                        strbuf_add(out, buf, (size_t)n);
        }
        close(o[0]);
        if (pid < 0)
                return -EAGAIN;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void ctr_hooks_poststop(struct cpod_runtime *rt, const struct ctr *c)
{
        _cleanup_free_ char *path = poststop_file(rt, c->id), *bundle = ctr_bundle_dir(rt, c->id);
        _cleanup_free_ char *cfg = path_join(bundle, "config.json"), *state = NULL;
        _cleanup_json_ json_t *hooks = json_parse_file(path, NULL), *spec = NULL, *st = NULL;
        size_t i;
        json_t *h, *ann;

        if (!hooks)
                return;
        (void)unlink(path); /* once, whatever happens next */
        spec = json_parse_file(cfg, NULL);
        ann = json_object_get(spec, "annotations");
        st = json_pack("{s:s, s:s, s:s, s:s, s:o}", "ociVersion", "1.0.2-dev", "id", c->id, "status", "stopped",
                       "bundle", bundle, "annotations", ann ? json_incref(ann) : json_object());
        state = json_dumps(st, JSON_COMPACT);
        json_array_foreach(hooks, i, h) {
                struct strbuf out = STRBUF_INIT;
                int r = run_hook(h, state ? state : "{}", &out);
                if (r != 0) {
                        strbuf_trim(&out);
                        rt_warn(rt, "container %.12s: poststop hook %s failed (%s %d)%s%s", c->id,
                                json_get_str(h, "path"), r < 0 ? "error" : "exit status", r < 0 ? -r : r,
                                out.len ? ": " : "", out.len ? out.buf : "");
                }
                strbuf_release(&out);
        }
}
