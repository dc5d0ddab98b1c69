/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One healthcheck run (podman's `healthcheck run`): the command runs as an exec session, its result
 * goes into <run dir>/healthcheck.log (podman's HealthCheckResults: Status, FailingStreak and the last
 * five runs), and an unhealthy container gets its on-failure action.
 */
#include "ctr/health.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/lifecycle.h"
#include "runtime/events.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define MAX_LOGS 5
#define MAX_OUTPUT 500

static char *log_path(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *run = ctr_run_dir(rt, id);
        return path_join(run, "healthcheck.log");
}

/* The log is rewritten whole (write and rename) under its own lock, never the container's. */
static int lock_log(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *run = ctr_run_dir(rt, id), *p = path_join(run, "healthcheck.lock");
        int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

        if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
                close(fd);
                return -1;
        }
        return fd;
}

static json_t *read_log(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *p = log_path(rt, id), *text = NULL;
        json_t *j;

        if (read_file(p, &text, NULL, 1 << 20, NULL) < 0 || !(j = json_loads(text, 0, NULL)) || !json_is_object(j))
                return json_pack("{s:s, s:i, s:n}", "Status", "", "FailingStreak", 0, "Log");
        return j;
}

static void write_log(struct cpod_runtime *rt, const char *id, json_t *j)
{
        _cleanup_free_ char *p = log_path(rt, id), *text = json_dumps(j, JSON_COMPACT);

        (void)write_file_replace(p, text, strlen(text), 0600, NULL);
}

json_t *ctr_health_state_json(struct cpod_runtime *rt, const char *id)
{
        return read_log(rt, id);
}

char *ctr_health_status(struct cpod_runtime *rt, const char *id)
{
        _cleanup_json_ json_t *j = read_log(rt, id);
        const char *s = json_get_str(j, "Status");

        return s && *s ? xstrdup(s) : NULL;
}

static void set_status(struct cpod_runtime *rt, const char *id, const char *status)
{
        int fd = lock_log(rt, id);
        _cleanup_json_ json_t *j = read_log(rt, id);

        json_object_set_new(j, "Status", json_string(status));
        json_object_set_new(j, "FailingStreak", json_integer(0));
        write_log(rt, id, j);
        if (fd >= 0)
                close(fd);
}

/* podman's rules: success is healthy; failures count, outside the start period, up to Retries. */
static char *record(struct cpod_runtime *rt, const struct ctr *c, json_t *entry, bool in_start_period)
{
        int fd = lock_log(rt, c->id);
        _cleanup_json_ json_t *j = read_log(rt, c->id);
        json_t *log = json_object_get(j, "Log");
        int64_t streak = json_get_int(j, "FailingStreak", 0);
        char *status;

        if (json_get_int(entry, "ExitCode", 0) == 0) {
                json_object_set_new(j, "Status", json_string("healthy"));
                streak = 0;
        } else {
                if (!json_get_str(j, "Status") || !*json_get_str(j, "Status"))
                        json_object_set_new(j, "Status", json_string("healthy"));
                if (!in_start_period && ++streak >= c->cfg.health_retries)
                        json_object_set_new(j, "Status", json_string("unhealthy"));
        }
        json_object_set_new(j, "FailingStreak", json_integer(streak));
        if (!json_is_array(log)) {
                log = json_array();
                json_object_set_new(j, "Log", log);
        }
        json_array_append(log, entry);
        while (json_array_size(log) > MAX_LOGS)
                json_array_remove(log, 0);
        write_log(rt, c->id, j);
        status = xstrdup(json_get_str(j, "Status"));
        if (fd >= 0)
                close(fd);
        return status;
}

/* The process that runs: CMD's arguments, CMD-SHELL's string through /bin/sh -c, else the whole list. */
static char **check_argv(char *const *test)
{
        char **argv = xnew0(char *, 1);

        if (strcmp(test[0], "CMD") == 0) {
                for (char *const *a = test + 1; *a; a++)
                        strv_add(&argv, *a);
        } else if (strcmp(test[0], "CMD-SHELL") == 0) {
                strv_add(&argv, "/bin/sh");
                strv_add(&argv, "-c");
                strv_take(&argv, strv_join((char **)test + 1, " "));
        } else {
                for (char *const *a = test; *a; a++)
                        strv_add(&argv, *a);
        }
        return argv;
}

/*
 * stdout, then stderr, lines joined by "\n" (no final newline), at most 500 bytes: podman's Output.
 * Two files rather than one pipe: the runtime reopens the check's stdio (a shared file would lose
 * writes), and a file never blocks a check that writes more than a pipe holds.
 */
static char *read_output(const int fds[2])
{
        struct strbuf sb = STRBUF_INIT;
        char buf[4096];
        ssize_t n;

        for (int i = 0; i < 2; i++) {
                size_t start = sb.len;
                (void)lseek(fds[i], 0, SEEK_SET);
                while (sb.len < 65536 && (n = read(fds[i], buf, sizeof(buf))) > 0)
                        strbuf_add(&sb, buf, (size_t)n);
                while (sb.len > start && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r'))
                        sb.buf[--sb.len] = '\0';
                if (i == 0 && sb.len)
                        strbuf_add(&sb, "\n", 1);
        }
        while (sb.len && sb.buf[sb.len - 1] == '\n')
                sb.buf[--sb.len] = '\0';
        if (sb.len > MAX_OUTPUT)
                strbuf_setlen(&sb, MAX_OUTPUT);
        return strbuf_detach(&sb, NULL);
}

static json_t *log_entry(int64_t start, int64_t end, int code, const char *output)
{
        _cleanup_free_ char *s = time_rfc3339nano(start / 1000000000LL, start % 1000000000LL, 0),
                            *e = time_rfc3339nano(end / 1000000000LL, end % 1000000000LL, 0);

        return json_pack("{s:s, s:s, s:i, s:s}", "Start", s, "End", e, "ExitCode", code, "Output", output);
}

/* Run the command; *ret_code: its exit code, 1 when it could not run (podman's runtime errors), -1 past Timeout. */
static json_t *exec_check(struct cpod_runtime *rt, const struct ctr *c, int *ret_code)
{
        _cleanup_strv_ char **argv = check_argv(c->cfg.health_cmd);
        _cleanup_close_ int fd = memfd_create("healthcheck", MFD_CLOEXEC);
        _cleanup_close_ int efd = memfd_create("healthcheck-err", MFD_CLOEXEC);
        _cleanup_free_ char *out = NULL;
        struct cpod_exec_opts o = { .argv = argv };
        struct cpod_attach_streams s = { .in = -1, .out = fd, .err = efd };
        cpod_error_t err = CPOD_ERROR_INIT;
        int64_t start = now_ns(), end;
        int code = 1;

        if (fd < 0 || efd < 0 || cpod_ctr_exec(rt, c->id, &o, &s, &code, NULL, &err) < 0)
                code = 1;
        end = now_ns();
        out = fd >= 0 && efd >= 0 ? read_output((int[]){ fd, efd }) : xstrdup("");
        if (!*out && err.msg) {
                free(out);
                out = xstrdup(err.msg);
        }
        cpod_error_clear(&err);
        if (end - start > c->cfg.health_timeout)
                code = -1;
        *ret_code = code;
        return log_entry(start, end, code, out);
}

static int on_failure(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err)
{
        const char *a = c->cfg.health_on_failure;

        if (!a || !*a || strcmp(a, "none") == 0)
                return 0;
        if (strcmp(a, "kill") == 0 && cpod_ctr_kill(rt, c->id, SIGKILL, err) < 0)
                return cpod_error_wrap(err, "killing container health-check turned unhealthy");
        if (strcmp(a, "restart") == 0 && ctr_restart_unhealthy(rt, c->id, err) < 0)
                return cpod_error_wrap(err, "restarting container after health-check turned unhealthy");
        if (strcmp(a, "stop") == 0 && cpod_ctr_stop(rt, c->id, -1, err) < 0)
                return cpod_error_wrap(err, "stopping container after health-check turned unhealthy");
        return 0;
}

static int load_running(struct cpod_runtime *rt, const char *name, struct ctr *c, cpod_error_t *err)
{
        char id[65];

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        ctr_reconcile_view(rt, c);
        if (c->state != CPOD_CTR_RUNNING)
                return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE, "container %s is not running", c->id);
        if (!ctr_health_defined(&c->cfg))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "container %s has no defined healthcheck", c->id);
        return 0;
}

int cpod_ctr_healthcheck_run(struct cpod_runtime *rt, const char *name, bool *ret_healthy, cpod_error_t *err)
{
        _cleanup_(ctr_clear) struct ctr c = { 0 };
        _cleanup_json_ json_t *entry = NULL;
        _cleanup_free_ char *status = NULL;
        int64_t start = now_ns();
        bool in_start_period;
        int code;

        if (load_running(rt, name, &c, err) < 0)
                return cpod_error_rc(err, -EIO);
        in_start_period = c.cfg.health_start_period > 0 && start < c.started_at + c.cfg.health_start_period;
        entry = exec_check(rt, &c, &code);
        status = record(rt, &c, entry, in_start_period);
        {
                struct rt_event ev = { .type = "container",
                                       .status = "health_status",
                                       .id = c.id,
                                       .name = c.name,
                                       .image = c.image_name,
                                       .pod_id = c.pod_id,
                                       .health_status = status,
                                       .attributes = json_is_object(c.labels) ? c.labels : NULL };
                rt_event(rt, &ev);
        }
        *ret_healthy = code == 0;
        if (strcmp(status, "unhealthy") == 0 && on_failure(rt, &c, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (code == -1)
                return cpod_error_set(err, ETIMEDOUT, CPOD_E_TIMEOUT, "healthcheck command exceeded timeout of %llds",
                                      (long long)(c.cfg.health_timeout / 1000000000LL));
        return 0;
}

void ctr_health_starting(struct cpod_runtime *rt, const struct ctr *c)
{
        if (ctr_health_defined(&c->cfg))
                set_status(rt, c->id, "starting");
}
