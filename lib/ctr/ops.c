/* SPDX-License-Identifier: Apache-2.0 */
/* The public container operations: each takes the container's lock around one state change. */
#include <errno.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/attach.h"
#include "ctr/ctr.h"
#include "ctr/health.h"
#include "ctr/lifecycle.h"
#include "ctr/ns-modes.h"
#include "ctr/oci.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

const char *cpod_ctr_state_name(enum cpod_ctr_state s)
{
        static const char *const names[] = { "created", "created",  "running",  "stopped", "paused",
                                             "exited",  "removing", "stopping", "unknown" };

        return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

static int state_error(const struct ctr *c, const char *what, cpod_error_t *err)
{
        return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE, "%s: container state improper", what);
        (void)c;
}

/* Lock + load by name or ID.  Returns the lock fd. */
static int open_ctr(struct cpod_runtime *rt, const char *name, struct ctr *c, cpod_error_t *err)
{
        char id[65];

        if (cpod_ctr_lookup(rt, name, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        return ctr_lock_load(rt, id, c, err);
}

#define WITH_CTR(rt, name, c, err, body)                                                                               \
        do {                                                                                                           \
                struct ctr c = { 0 };                                                                                  \
                int _fd = open_ctr(rt, name, &c, err), r;                                                              \
                if (_fd < 0)                                                                                           \
                        return _fd;                                                                                    \
                r = (body);                                                                                            \
                ctr_clear(&c);                                                                                         \
                obj_unlock(_fd);                                                                                       \
                return r;                                                                                              \
        } while (0)

static bool startable(const struct ctr *c)
{
        return c->state == CPOD_CTR_CONFIGURED || c->state == CPOD_CTR_CREATED || c->state == CPOD_CTR_EXITED ||
               c->state == CPOD_CTR_STOPPED;
}

static int start_locked(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        if (c->state == CPOD_CTR_RUNNING)
                return 1;
        if (!startable(c))
                return state_error(c, "container is not in a startable state", err);
        if (c->state != CPOD_CTR_CREATED && ctr_runtime_create(rt, c, false, err) < 0)
                return cpod_error_rc(err, -EIO);
        return ctr_runtime_start(rt, c, err);
}

int cpod_ctr_start(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, start_locked(rt, &c, err));
}

int cpod_ctr_init(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err,
                 c.state == CPOD_CTR_CREATED ? 0
                 : startable(&c)             ? ctr_runtime_create(rt, &c, false, err)
                                             : state_error(&c, "container has already been created in runtime", err));
}

/*
 * Attach and start: the attach socket is connected between `runtime create`
 * and `runtime start`, so no output is lost.  The lock is dropped while
 * relaying so others (stop, the exit command) can act.
 */
/*
 * The container was removed (rm -f from another shell) while we waited for it: there is no record
 * to read the exit from.  As podman, the caller gets the exit code seen (137 for the kill) and
 * nothing else is done with it.
 */
int ctr_gone_while_waiting(struct ctr *c, const char *id, int code, cpod_error_t *err)
{
        cpod_error_clear(err);
        ctr_clear(c);
        memcpy(c->id, id, 65);
        c->state = CPOD_CTR_EXITED;
        c->exit_code = code;
        return 0;
}

static int run_attached(struct cpod_runtime *rt, struct ctr *c, int *lockfd, bool start,
                        const struct cpod_attach_streams *s, int *ret_exit, bool *ret_detached, cpod_error_t *err)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *ctl = path_join(bundle, "ctl");
        _cleanup_close_ int sock = -1;
        int r;

        if (start && c->state != CPOD_CTR_CREATED && ctr_runtime_create(rt, c, true, err) < 0)
                return cpod_error_rc(err, -EIO);
        sock = attach_connect(bundle, err);
        if (sock < 0)
                return cpod_error_rc(err, -EIO);
        if (start && ctr_runtime_start(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_event(rt, c, "attach");
        obj_unlock(*lockfd);
        *lockfd = -1;
        r = attach_relay(sock, s, ctl, c->pid, err);
        if (r < 0)
                return r;
        *ret_detached = r == 1 || s->stdin_only;
        if (*ret_detached)
                return 0;
        {
                char id[65];
                int code = 137;
                memcpy(id, c->id, sizeof(id));
                (void)ctr_wait_exit(rt, c, -1);
                if (ctr_read_exit_file(rt, c))
                        code = c->exit_code;
                *lockfd = obj_lock(rt, id, err);
                if (*lockfd < 0)
                        return cpod_error_rc(err, -EIO);
                ctr_clear(c);
                if (ctr_db_get(rt, id, c, err) == 0)
                        return 0;
                return err && err->kind == CPOD_E_NO_SUCH_CTR ? ctr_gone_while_waiting(c, id, code, err) : -ENOENT;
        }
}

/*
 * Foreground runs without a tty or restart policy skip conmon (see direct.c).
 * CPOD_CONMON_ALWAYS=1 forces the conmon path (tests of both paths, debugging).
 */
/*
 * Without conmon, cpod itself writes the log: only while no size limit
 * applies.  And `runc run` removes the cgroup as the process exits, which
 * would hide an OOM kill: containers with a memory limit take conmon.  So do
 * --timeout (conmon enforces it), --conmon-pidfile and healthchecks.
 */
static bool direct_ok(struct cpod_runtime *rt, const struct ctr *c, const struct cpod_attach_streams *s)
{
        const char *p = c->cfg.restart_policy;
        const char *force = getenv("CPOD_CONMON_ALWAYS");

        if (force && *force && strcmp(force, "0") != 0)
                return false;
        return !s->tty && (c->state == CPOD_CTR_CONFIGURED || c->state == CPOD_CTR_EXITED) &&
               (!p || !*p || strcmp(p, "no") == 0) && ctr_log_size_max(rt, c) <= 0 && c->cfg.memory <= 0 &&
               c->cfg.timeout <= 0 && !(c->cfg.conmon_pid_file && *c->cfg.conmon_pid_file) &&
               !ctr_health_defined(&c->cfg); /* the healthcheck timer watches the container's PID from the start */
}

/* A racing reconcile may have recorded the exit before the exit file was written. */
static int correct_exit_code(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        int recorded = c->exit_code;

        if (!ctr_read_exit_file(rt, c) || c->exit_code == recorded)
                return 0;
        return ctr_db_save_state(rt, c, err);
}

static int attached(struct cpod_runtime *rt, const char *name, bool start, const struct cpod_attach_streams *s,
                    int *ret_exit, bool *ret_detached, cpod_error_t *err)
{
        struct ctr c = { 0 };
        char id[65];
        int fd, r;
        _cleanup_close_ int lease = -1;

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || (fd = ctr_lock_load(rt, id, &c, err)) < 0)
                return cpod_error_rc(err, -ENOENT);
        lease = ctr_take_lease(rt, id);
        *ret_detached = false;
        if (s->tty) {
                struct winsize ws;
                int tfd = s->in >= 0 ? s->in : s->out;
                if (tfd >= 0 && ioctl(tfd, TIOCGWINSZ, &ws) == 0) {
                        c.console_rows = ws.ws_row;
                        c.console_cols = ws.ws_col;
                }
        }
        if (start && !startable(&c) && c.state != CPOD_CTR_RUNNING)
                r = state_error(&c, "container is not in a startable state", err);
        else if (!start && c.state != CPOD_CTR_RUNNING)
                r = cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                   "you can only attach to running containers: container state improper");
        else if (start && direct_ok(rt, &c, s))
                r = ctr_run_direct(rt, &c, &fd, s, err);
        else
                r = run_attached(rt, &c, &fd, start && c.state != CPOD_CTR_RUNNING, s, ret_exit, ret_detached, err);
        if (r == 0 && !*ret_detached) {
                if (c.id[0] == '\0')
                        memcpy(c.id, id, 65);
                /* The exit file is there (we waited for it): record it now, the exit command may lag. */
                if (c.state == CPOD_CTR_RUNNING || c.state == CPOD_CTR_PAUSED || c.state == CPOD_CTR_STOPPING)
                        r = ctr_read_exit_file(rt, &c) ? ctr_finish_exit(rt, &c, err) : ctr_reconcile(rt, &c, err);
                else if (c.state == CPOD_CTR_EXITED)
                        r = correct_exit_code(rt, &c, err);
                *ret_exit = c.exit_code;
                if (r == 0 && c.cfg.rm && (c.state == CPOD_CTR_EXITED || c.state == CPOD_CTR_STOPPED))
                        r = ctr_auto_remove(rt, &c, err);
        }
        ctr_clear(&c);
        obj_unlock(fd);
        return r;
}

int cpod_ctr_start_attached(struct cpod_runtime *rt, const char *id, const struct cpod_attach_streams *s, int *ret_exit,
                            bool *ret_detached, cpod_error_t *err)
{
        return attached(rt, id, true, s, ret_exit, ret_detached, err);
}

int cpod_ctr_attach(struct cpod_runtime *rt, const char *id, const struct cpod_attach_streams *s, int *ret_exit,
                    bool *ret_detached, cpod_error_t *err)
{
        return attached(rt, id, false, s, ret_exit, ret_detached, err);
}

static int resize_locked(struct cpod_runtime *rt, const struct ctr *c, int rows, int cols, cpod_error_t *err)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *ctl = path_join(bundle, "ctl");
        _cleanup_close_ int fd = -1;
        char msg[64];
        int n;

        if (c->state != CPOD_CTR_RUNNING && c->state != CPOD_CTR_PAUSED)
                return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                      "can only resize the terminal of a running container: container state improper");
        if (!c->cfg.tty)
                return cpod_error_set(err, ENOTTY, CPOD_E_CTR_STATE, "container %s has no terminal", c->id);
        /* conmon's control FIFO: "1 ROWS COLS" resizes the pty it holds. */
        if ((fd = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
                return cpod_error_sys(err, errno, "open the control FIFO of container %s", c->id);
        n = snprintf(msg, sizeof(msg), "1 %d %d\n", rows, cols);
        if (write_all(fd, msg, (size_t)n) < 0)
                return cpod_error_sys(err, errno, "resize the terminal of container %s", c->id);
        return 0;
}

int cpod_ctr_resize(struct cpod_runtime *rt, const char *id, int rows, int cols, cpod_error_t *err)
{
        if (rows < 0 || cols < 0 || rows > 65535 || cols > 65535)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid terminal size %dx%d", rows, cols);
        WITH_CTR(rt, id, c, err, resize_locked(rt, &c, rows, cols, err));
}

int cpod_ctr_stop(struct cpod_runtime *rt, const char *name, int timeout, cpod_error_t *err)
{
        struct ctr c = { 0 };
        int fd = open_ctr(rt, name, &c, err), r;

        if (fd < 0)
                return fd;
        r = ctr_stop_releasing(rt, &c, &fd, timeout, err);
        return ctr_stop_done(rt, &c, fd, r);
}

static int kill_locked(struct cpod_runtime *rt, struct ctr *c, int sig, cpod_error_t *err)
{
        if (c->state != CPOD_CTR_RUNNING && c->state != CPOD_CTR_PAUSED && c->state != CPOD_CTR_STOPPING)
                return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                      "can only kill running containers. %s is in state %s: container state "
                                      "improper",
                                      c->id, cpod_ctr_state_name(c->state));
        if (sig == SIGKILL || sig == SIGTERM) {
                c->stopped_by_user = true;
                (void)ctr_db_save_state(rt, c, NULL);
        }
        if (oci_kill(rt, c->id, sig, false, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_event(rt, c, "kill");
        return 0;
}

int cpod_ctr_kill(struct cpod_runtime *rt, const char *id, int sig, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, kill_locked(rt, &c, sig, err));
}

static int restart_locked(struct cpod_runtime *rt, struct ctr *c, int timeout, cpod_error_t *err)
{
        if (ctr_stop_locked(rt, c, timeout, err) < 0 || start_locked(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_event(rt, c, "restart");
        return 0;
}

int cpod_ctr_restart(struct cpod_runtime *rt, const char *id, int timeout, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, restart_locked(rt, &c, timeout, err));
}

static int restart_unhealthy_locked(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        if (c->state != CPOD_CTR_RUNNING)
                return 0; /* stopped or restarted meanwhile */
        c->restart_count++;
        return restart_locked(rt, c, -1, err);
}

int ctr_restart_unhealthy(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, restart_unhealthy_locked(rt, &c, err));
}

static int pause_locked(struct cpod_runtime *rt, struct ctr *c, bool pause, cpod_error_t *err)
{
        if (c->state != (pause ? CPOD_CTR_RUNNING : CPOD_CTR_PAUSED))
                return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE, "%s is not %s, can't %s: container state improper",
                                      c->id, pause ? "running" : "paused", pause ? "pause" : "unpause");
        if ((pause ? oci_pause(rt, c->id, err) : oci_resume(rt, c->id, err)) < 0)
                return cpod_error_rc(err, -EIO);
        c->state = pause ? CPOD_CTR_PAUSED : CPOD_CTR_RUNNING;
        if (ctr_db_save_state(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_event(rt, c, pause ? "pause" : "unpause");
        return 0;
}

int cpod_ctr_pause(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, pause_locked(rt, &c, true, err));
}

int cpod_ctr_unpause(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, pause_locked(rt, &c, false, err));
}

/*
 * An infra container goes with its pod (pod rm, which also finishes the removal of a pod whose
 * record is gone): removing it alone would leave the pod without its namespaces.
 */
static int check_not_infra(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err)
{
        if (!c->pod_id || !c->cfg.is_infra)
                return 0;
        return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                              "container %s is the infra container of pod %s and cannot be removed without removing "
                              "the pod",
                              c->id, c->pod_id);
}

/* Containers that join this one's namespaces go first (rm --depend removes them). */
static int check_no_dependents(struct cpod_runtime *rt, const struct ctr *c, cpod_error_t *err)
{
        _cleanup_strv_ char **deps = NULL;
        _cleanup_free_ char *list = NULL;

        if (ns_dependents(rt, c->id, &deps, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (!deps[0])
                return 0;
        list = strv_join(deps, ", ");
        return cpod_error_set(err, EBUSY, CPOD_E_IN_USE,
                              "container %s has dependent containers which must be removed before it: %s: container "
                              "already exists",
                              c->id, list);
}

static int remove_locked(struct cpod_runtime *rt, struct ctr *c, const struct cpod_rm_opts *o, bool with_pod,
                         cpod_error_t *err)
{
        bool active = c->state == CPOD_CTR_RUNNING || c->state == CPOD_CTR_PAUSED || c->state == CPOD_CTR_CREATED;

        if (!with_pod && check_not_infra(rt, c, err) < 0)
                return cpod_error_rc(err, -EBUSY);
        if (check_no_dependents(rt, c, err) < 0)
                return cpod_error_rc(err, -EBUSY);
        if (active && !(o && o->force))
                return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                      "cannot remove container %s as it is %s - running or paused containers cannot "
                                      "be removed without force: container state improper",
                                      c->id, cpod_ctr_state_name(c->state));
        if (active && ctr_stop_locked(rt, c, o ? o->timeout : -1, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (ctr_remove_locked(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (o && o->volumes)
                ctr_volumes_remove_anonymous(rt, c);
        return 0;
}

int ctr_remove(struct cpod_runtime *rt, const char *id, const struct cpod_rm_opts *o, bool with_pod, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, remove_locked(rt, &c, o, with_pod, err));
}

int cpod_ctr_remove(struct cpod_runtime *rt, const char *id, const struct cpod_rm_opts *o, cpod_error_t *err)
{
        return ctr_remove(rt, id, o, false, err);
}

/* Restart policy: "no", "always", "unless-stopped", "on-failure[:N]". */
static bool should_restart(const struct ctr *c)
{
        const char *p = c->cfg.restart_policy;

        if (!p || !*p || strcmp(p, "no") == 0 || c->stopped_by_user)
                return false;
        if (strcmp(p, "always") == 0 || strcmp(p, "unless-stopped") == 0)
                return true;
        if (strncmp(p, "on-failure", 10) == 0 && c->exit_code != 0)
                return p[10] != ':' || c->restart_count < atoi(p + 11);
        return false;
}

/*
 * After a pod member exited: with the pod's exit policy "stop" (recorded in the member at create),
 * stop the pod's infra when no other member runs.
 */
static void member_exited(struct cpod_runtime *rt, const struct ctr *c)
{
        struct ctr *v = NULL;
        size_t n = 0;
        bool others = false;

        if (!c->pod_id || c->cfg.is_infra || !c->cfg.pod_exit_stop || !c->cfg.pod_infra ||
            ctr_db_list(rt, &v, &n, NULL) < 0)
                return;
        for (size_t i = 0; i < n; i++) {
                if (!v[i].pod_id || strcmp(v[i].pod_id, c->pod_id) != 0 || strcmp(v[i].id, c->id) == 0 ||
                    strcmp(v[i].id, c->cfg.pod_infra) == 0)
                        continue;
                ctr_reconcile_view(rt, &v[i]);
                others |= v[i].state == CPOD_CTR_RUNNING || v[i].state == CPOD_CTR_PAUSED;
        }
        ctrs_free(v, n);
        if (!others) {
                log_debug("last member of pod %s exited, stopping the pod (exit policy stop)", c->pod_id);
                (void)cpod_ctr_stop(rt, c->cfg.pod_infra, -1, NULL);
        }
}

static int cleanup_locked(struct cpod_runtime *rt, struct ctr *c, bool from_exit, cpod_error_t *err)
{
        if (c->state == CPOD_CTR_RUNNING || c->state == CPOD_CTR_PAUSED || c->state == CPOD_CTR_STOPPING) {
                /* The exit command runs right after the exit file is written; without one, it still runs. */
                _cleanup_free_ char *exit_file = ctr_exit_file(rt, c->id);
                if (access(exit_file, F_OK) < 0 && process_alive(c->conmon_pid, c->conmon_start)) {
                        if (!from_exit)
                                return 0;
                        return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                              "container %s is running or paused, refusing to clean up: container "
                                              "state improper",
                                              c->id);
                }
                if (ctr_finish_exit(rt, c, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        if (from_exit)
                member_exited(rt, c);
        if (c->cfg.rm && !(from_exit && ctr_lease_held(rt, c->id)))
                return ctr_auto_remove(rt, c, err);
        if (from_exit && c->state == CPOD_CTR_EXITED && should_restart(c)) {
                c->restart_count++;
                log_debug("restarting container %s (policy %s, attempt %d)", c->id, c->cfg.restart_policy,
                          c->restart_count);
                return start_locked(rt, c, err);
        }
        return 0;
}

int cpod_ctr_cleanup(struct cpod_runtime *rt, const char *id, bool from_exit_command, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, cleanup_locked(rt, &c, from_exit_command, err));
}

static bool in_conditions(enum cpod_ctr_state s, const enum cpod_ctr_state *conds, size_t n)
{
        if (n == 0)
                return s == CPOD_CTR_EXITED || s == CPOD_CTR_STOPPED || s == CPOD_CTR_CONFIGURED;
        for (size_t i = 0; i < n; i++)
                if (conds[i] == s || (conds[i] == CPOD_CTR_CREATED && s == CPOD_CTR_CONFIGURED))
                        return true;
        return false;
}

int cpod_ctr_wait(struct cpod_runtime *rt, const char *name, const enum cpod_ctr_state *conds, size_t n,
                  int64_t interval_ms, int *ret_exit, cpod_error_t *err)
{
        char id[65];

        if (cpod_ctr_lookup(rt, name, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        for (;;) {
                struct ctr c = { 0 };
                bool done;
                if (ctr_db_get(rt, id, &c, err) < 0)
                        return cpod_error_rc(err, -ENOENT);
                ctr_reconcile_view(rt, &c);
                done = in_conditions(c.state, conds, n);
                *ret_exit = c.exit_code;
                if (!done && c.state == CPOD_CTR_RUNNING && (n == 0 || in_conditions(CPOD_CTR_EXITED, conds, n)))
                        (void)ctr_wait_exit(rt, &c, -1);
                ctr_clear(&c);
                if (done)
                        return 0;
                usleep((useconds_t)(interval_ms > 0 ? interval_ms : 250) * 1000);
        }
}

int cpod_ctr_hold(struct cpod_runtime *rt, const char *name, cpod_error_t *err)
{
        char id[65];
        int fd;

        if (cpod_ctr_lookup(rt, name, id, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        fd = ctr_take_lease(rt, id);
        if (fd < 0)
                return cpod_error_sys(err, errno, "hold container %s", id);
        return fd;
}

bool cpod_ctr_held(struct cpod_runtime *rt, const char *id)
{
        return ctr_lease_held(rt, id);
}

int cpod_ctr_log_path(struct cpod_runtime *rt, const char *name, char **ret_path, cpod_error_t *err)
{
        struct ctr c = { 0 };
        char id[65];

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        *ret_path = ctr_log_file(rt, &c);
        ctr_clear(&c);
        return 0;
}

bool cpod_ctr_is_running(struct cpod_runtime *rt, const char *id)
{
        struct ctr c = { 0 };
        bool running;

        if (ctr_db_get(rt, id, &c, NULL) < 0)
                return false;
        ctr_reconcile_view(rt, &c);
        running = c.state == CPOD_CTR_RUNNING || c.state == CPOD_CTR_PAUSED || c.state == CPOD_CTR_STOPPING;
        ctr_clear(&c);
        return running;
}

static int mount_locked(struct cpod_runtime *rt, struct ctr *c, char **ret_path, cpod_error_t *err)
{
        struct store *s;

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        return store_layer_mount(s, c->layer_id, NULL, ret_path, err);
}

int cpod_ctr_mount(struct cpod_runtime *rt, const char *id, char **ret_path, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, mount_locked(rt, &c, ret_path, err));
}

static int unmount_locked(struct cpod_runtime *rt, struct ctr *c, bool force, cpod_error_t *err)
{
        struct store *s;

        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (c->state == CPOD_CTR_RUNNING || c->state == CPOD_CTR_PAUSED) {
                if (force)
                        return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                              "cannot unmount running container %s: container state improper", c->id);
                /* The runtime's own mount stays: drop only the user's count. */
                return store_layer_mount_count(s, c->layer_id) > 1 ? store_layer_unmount(s, c->layer_id, false, err)
                                                                   : 0;
        }
        if (store_layer_mount_count(s, c->layer_id) == 0)
                return 0;
        return store_layer_unmount(s, c->layer_id, force, err);
}

int cpod_ctr_unmount(struct cpod_runtime *rt, const char *id, bool force, cpod_error_t *err)
{
        WITH_CTR(rt, id, c, err, unmount_locked(rt, &c, force, err));
}

int cpod_ctr_list_mounted(struct cpod_runtime *rt, json_t **ret, cpod_error_t *err)
{
        struct store *s;
        struct ctr *v = NULL;
        size_t n = 0;

        if (rt_store(rt, &s, err) < 0 || ctr_db_list(rt, &v, &n, err) < 0)
                return cpod_error_rc(err, -EIO);
        *ret = json_array();
        for (size_t i = 0; i < n; i++) {
                if (v[i].layer_id && store_layer_mount_count(s, v[i].layer_id) > 0)
                        json_array_append_new(
                                *ret, json_pack("{s:s, s:[s], s:o}", "Id", v[i].id, "Names", v[i].name, "Mountpoint",
                                                json_string_take(store_layer_mountpoint(s, v[i].layer_id))));
                ctr_clear(&v[i]);
        }
        free(v);
        return 0;
}
