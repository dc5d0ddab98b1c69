/* SPDX-License-Identifier: Apache-2.0 */
/* The state machine's steps: runtime create/start, finishing an exit, stopping, removing. */
#include "ctr/userns.h"
#include "ctr/lifecycle.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cpod/image.h>

#include "ctr/conmon.h"
#include "ctr/sdnotify.h"
#include "ctr/ctr.h"
#include "ctr/health.h"
#include "ctr/ctr-net.h"
#include "ctr/hooks.h"
#include "ctr/ns-modes.h"
#include "ctr/oci.h"
#include "ctr/spec.h"
#include "image/image-internal.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/failpoint.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/xalloc.h"

static int write_bundle(struct cpod_runtime *rt, struct store *s, struct ctr *c, const struct spec_joins *joins,
                        const char *rootfs, cpod_error_t *err)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfg = NULL, *exits = NULL, *logdir = NULL;
        _cleanup_json_ json_t *imgcfg = c->image_id ? image_load_config(s, c->image_id, err) : json_object();
        _cleanup_json_ json_t *spec = NULL;
        _cleanup_free_ char *logf = ctr_log_file(rt, c);

        if (!imgcfg)
                return cpod_error_rc(err, -EIO);
        exits = path_join(rt->runroot, "exits");
        logdir = xstrdup(logf);
        *strrchr(logdir, '/') = '\0';
        if (mkdir_p(bundle, 0700, err) < 0 || mkdir_p(exits, 0700, err) < 0 || mkdir_p(logdir, 0700, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (spec_generate(rt, c, joins, imgcfg, rootfs, &spec, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        cfg = path_join(bundle, "config.json");
        return json_write_file_replace(cfg, spec, JSON_COMPACT, err);
}

int ctr_prepare_bundle(struct cpod_runtime *rt, struct ctr *c, char **ret_rootfs, cpod_error_t *err)
{
        struct store *s;
        struct spec_joins joins = { 0 };
        _cleanup_free_ char *rootfs = NULL, *exitf = ctr_exit_file(rt, c->id);
        int r;

        if ((r = rt_store(rt, &s, err)) < 0 || (r = ns_modes_prepare(rt, c, &joins, err)) < 0)
                return r;
        if ((r = ctr_shm_setup(rt, c, err)) < 0) {
                spec_joins_clear(&joins);
                return r;
        }
        if (ctr_net_bridge(&c->cfg) && (r = ctr_net_setup(rt, c, &joins.net, err)) < 0) {
                spec_joins_clear(&joins);
                return r;
        }
        /* An --rm container's layer dies with it: skip overlay's syncs (podman does the same). */
        if (store_layer_mount(s, c->layer_id, c->cfg.rm ? "volatile" : NULL, &rootfs, err) < 0) {
                spec_joins_clear(&joins);
                ctr_net_teardown(rt, c);
                return cpod_error_wrap(err, "mount container %s", c->id);
        }
        if (userns_enabled(&c->cfg) && (r = userns_make_accessible(rootfs, err)) < 0) {
                spec_joins_clear(&joins);
                ctr_release_rootfs(rt, c, false);
                ctr_net_teardown(rt, c);
                return r;
        }
        (void)unlink(exitf);
        {
                _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *oom = path_join(bundle, "oom");
                (void)unlink(oom); /* conmon's mark of an earlier run's OOM kill */
        }
        r = write_bundle(rt, s, c, &joins, rootfs, err);
        spec_joins_clear(&joins);
        if (r < 0) {
                ctr_release_rootfs(rt, c, false);
                ctr_net_teardown(rt, c);
                return r;
        }
        /* Leftover runtime state of an earlier run would make `create` fail. */
        (void)oci_delete(rt, c->id, true, NULL);
        *ret_rootfs = TAKE_PTR(rootfs);
        return 0;
}

void ctr_mark_started(struct ctr *c, char *rootfs, int pid, int monitor_pid)
{
        free(c->mountpoint);
        c->mountpoint = rootfs;
        free(c->boot_id);
        c->boot_id = host_boot_id();
        c->pid = pid;
        c->conmon_pid = monitor_pid;
        c->conmon_start = proc_start_time(monitor_pid);
        c->state = CPOD_CTR_CREATED;
        c->exit_code = 0;
        c->finished_at = 0;
        c->stopped_by_user = false;
}

int ctr_runtime_create(struct cpod_runtime *rt, struct ctr *c, bool attached, cpod_error_t *err)
{
        struct store *s;
        char *rootfs = NULL;
        int pid, conmon_pid;

        if (rt_store(rt, &s, err) < 0 || ctr_prepare_bundle(rt, c, &rootfs, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (conmon_create(rt, c, attached, &pid, &conmon_pid, err) < 0) {
                ctr_release_rootfs(rt, c, false);
                ctr_net_teardown(rt, c);
                free(rootfs);
                return cpod_error_rc(err, -EIO);
        }
        ctr_mark_started(c, rootfs, pid, conmon_pid);
        ctr_event(rt, c, "init");
        if (c->cfg.conmon_pid_file && *c->cfg.conmon_pid_file) {
                /* --conmon-pidfile / pod --infra-conmon-pidfile: where the user wants conmon's PID. */
                _cleanup_free_ char *v = xasprintf("%d", conmon_pid);
                if (write_file_replace(c->cfg.conmon_pid_file, v, strlen(v), 0644, err) < 0)
                        return cpod_error_rc(err, -EIO);
        }
        return ctr_db_save_state(rt, c, err);
}

int ctr_runtime_start(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        if (failpoint("ctr-before-start", err) < 0 || oci_start(rt, c->id, c->pid, err) < 0) {
                cpod_error_t ignore = CPOD_ERROR_INIT;
                (void)oci_kill(rt, c->id, SIGKILL, true, &ignore);
                (void)ctr_wait_exit(rt, c, 5000);
                (void)ctr_finish_exit(rt, c, &ignore);
                cpod_error_clear(&ignore);
                return cpod_error_rc(err, -EIO);
        }
        c->state = CPOD_CTR_RUNNING;
        c->started_at = now_ns();
        if (ctr_db_save_state(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_event(rt, c, "start");
        ctr_sdnotify_started(rt, c);
        ctr_health_started(rt, c);
        return failpoint("ctr-after-health", err); /* crash tests: the timer must not outlive the container */
}

int ctr_finish_exit(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        struct store *s;
        bool died = false;

        if (c->state != CPOD_CTR_EXITED && c->state != CPOD_CTR_CONFIGURED && c->state != CPOD_CTR_STOPPED) {
                if (!ctr_read_exit_file(rt, c))
                        c->finished_at = now_ns();
                died = c->state != CPOD_CTR_CREATED;
                c->state = c->started_at ? CPOD_CTR_EXITED : CPOD_CTR_CONFIGURED;
        }
        if (died)
                ctr_event_code(rt, c, "died", c->exit_code);
        ctr_health_timer_stop(rt, c->id);
        c->pid = 0;
        c->conmon_pid = 0;
        c->oom_killed = c->state == CPOD_CTR_EXITED && ctr_oom_killed(rt, c);
        (void)oci_delete(rt, c->id, true, NULL);
        ctr_hooks_poststop(rt, c);
        /* The runtime removes the cgroup it made, unless its state is gone (a reboot, a killed runtime). */
        ctr_cgroup_remove(rt, c);
        ctr_net_teardown(rt, c);
        if (ctr_shm_owner(c))
                ctr_shm_teardown(rt, c->id);
        if (c->mountpoint && rt_store(rt, &s, NULL) == 0) {
                ctr_release_rootfs(rt, c, false);
                free(c->mountpoint);
                c->mountpoint = NULL;
        }
        if (ctr_db_save_state(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_event(rt, c, "cleanup");
        return 0;
}

int ctr_wait_exit(struct cpod_runtime *rt, struct ctr *c, int timeout_ms)
{
        _cleanup_free_ char *exitf = ctr_exit_file(rt, c->id);
        int pidfd = c->pid > 0 ? (int)syscall(SYS_pidfd_open, c->pid, 0) : -1;
        struct timespec start, now;
        long waited = 0, step = 1;

        clock_gettime(CLOCK_MONOTONIC, &start);
        if (pidfd >= 0) {
                struct pollfd p = { pidfd, POLLIN, 0 };
                (void)poll(&p, 1, timeout_ms);
                close(pidfd);
        }
        /* conmon writes the exit file just after reaping; wait for it (or for conmon to be gone). */
        while (!path_exists(exitf) && process_alive(c->conmon_pid, c->conmon_start)) {
                clock_gettime(CLOCK_MONOTONIC, &now);
                waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
                if (timeout_ms >= 0 && waited >= timeout_ms)
                        return -ETIMEDOUT;
                usleep((useconds_t)(step * 1000));
                step = step < 50 ? step * 2 : 50;
        }
        return 0;
}

static int stop_signal(const struct ctr *c)
{
        const char *s = c->cfg.stop_signal;
        int n = s ? atoi(s) : 0;

        return n > 0 ? n : s ? signal_number(s) : SIGTERM;
}

static int stop_timeout(struct cpod_runtime *rt, const struct ctr *c)
{
        return (int)(c->cfg.has_stop_timeout ? c->cfg.stop_timeout : rt->config->stop_timeout);
}

int ctr_stop_timeout(struct cpod_runtime *rt, const struct ctr *c, int timeout)
{
        return timeout < 0 ? stop_timeout(rt, c) : timeout;
}

int ctr_stop_begin(struct cpod_runtime *rt, struct ctr *c, int timeout, cpod_error_t *err)
{
        int sig = stop_signal(c);

        timeout = ctr_stop_timeout(rt, c, timeout);
        if ((c->state != CPOD_CTR_RUNNING && c->state != CPOD_CTR_PAUSED) || timeout == 0)
                return ctr_stop_locked(rt, c, timeout, err);
        if (c->state == CPOD_CTR_PAUSED)
                (void)oci_resume(rt, c->id, NULL);
        c->stopped_by_user = true;
        c->state = CPOD_CTR_STOPPING;
        if (ctr_db_save_state(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        return oci_kill(rt, c->id, sig > 0 ? sig : SIGTERM, false, NULL) == 0 ? 1 : 2;
}

int ctr_stop_end(struct cpod_runtime *rt, struct ctr *c, int *lockfd, int timeout, int wait_ms, cpod_error_t *err)
{
        char id[65];

        timeout = ctr_stop_timeout(rt, c, timeout);
        memcpy(id, c->id, sizeof(id));
        if (wait_ms >= 0) {
                obj_unlock(*lockfd);
                *lockfd = -1;
                (void)ctr_wait_exit(rt, c, wait_ms);
                if ((*lockfd = obj_lock(rt, id, err)) < 0)
                        return cpod_error_rc(err, -EIO);
                ctr_clear(c);
                if (ctr_db_get(rt, id, c, err) < 0)
                        return err && err->kind == CPOD_E_NO_SUCH_CTR ? (cpod_error_clear(err), 0) : -ENOENT;
        }
        /* Recorded meanwhile (the exit command, a kill): done.  Still stopping: SIGKILL now. */
        if (c->state != CPOD_CTR_STOPPING && c->state != CPOD_CTR_RUNNING)
                return 0;
        if (ctr_read_exit_file(rt, c))
                return ctr_finish_exit(rt, c, err);
        if (process_alive(c->pid, 0))
                rt_warn(rt, "StopSignal %s failed to stop container %s in %d seconds, resorting to SIGKILL",
                        c->cfg.stop_signal ? c->cfg.stop_signal : "SIGTERM", c->name, timeout);
        return ctr_stop_locked(rt, c, 0, err);
}

int ctr_stop_done(struct cpod_runtime *rt, struct ctr *c, int lockfd, int r)
{
        if (r == 0 && c->id[0])
                ctr_event(rt, c, "stop");
        ctr_clear(c);
        if (lockfd >= 0)
                obj_unlock(lockfd);
        return r;
}

int ctr_stop_releasing(struct cpod_runtime *rt, struct ctr *c, int *lockfd, int timeout, cpod_error_t *err)
{
        int r = ctr_stop_begin(rt, c, timeout, err);

        if (r <= 0)
                return r;
        /* 2: the signal could not be sent (the process is gone): nothing to wait for. */
        return ctr_stop_end(rt, c, lockfd, timeout, r == 1 ? ctr_stop_timeout(rt, c, timeout) * 1000 : -1, err);
}

int ctr_stop_locked(struct cpod_runtime *rt, struct ctr *c, int timeout, cpod_error_t *err)
{
        int sig = stop_signal(c);

        if (c->state != CPOD_CTR_RUNNING && c->state != CPOD_CTR_PAUSED && c->state != CPOD_CTR_CREATED &&
            c->state != CPOD_CTR_STOPPING)
                return 0;
        if (timeout < 0)
                timeout = stop_timeout(rt, c);
        c->stopped_by_user = true;
        (void)ctr_db_save_state(rt, c, NULL);
        if (c->state == CPOD_CTR_PAUSED)
                (void)oci_resume(rt, c->id, NULL);
        if (timeout > 0) {
                int r = oci_kill(rt, c->id, sig > 0 ? sig : SIGTERM, false, NULL);
                if (r == 0 && ctr_wait_exit(rt, c, timeout * 1000) == 0)
                        return ctr_finish_exit(rt, c, err);
                /* The kill failed because the process had already exited: nothing to escalate. */
                if (r < 0 && !process_alive(c->pid, 0) && ctr_wait_exit(rt, c, 10000) == 0)
                        return ctr_finish_exit(rt, c, err);
                rt_warn(rt, "StopSignal %s failed to stop container %s in %d seconds, resorting to SIGKILL",
                        c->cfg.stop_signal ? c->cfg.stop_signal : "SIGTERM", c->name, timeout);
        }
        if (oci_kill(rt, c->id, SIGKILL, true, err) < 0 && process_alive(c->pid, 0))
                return cpod_error_rc(err, -EIO);
        cpod_error_clear(err);
        (void)ctr_wait_exit(rt, c, 10000);
        return ctr_finish_exit(rt, c, err);
}

int ctr_auto_remove(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        _cleanup_strv_ char **deps = NULL;

        if (ns_dependents(rt, c->id, &deps, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (deps[0]) {
                rt_warn(rt, "container %s is not removed (--rm): container %s joins its namespaces", c->id, deps[0]);
                return 0;
        }
        if (ctr_remove_locked(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_volumes_remove_anonymous(rt, c); /* as podman's --rm */
        return 0;
}

int ctr_remove_locked(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        struct store *s;
        _cleanup_free_ char *run = ctr_run_dir(rt, c->id), *data = ctr_data_dir(rt, c->id);
        _cleanup_free_ char *exitf = ctr_exit_file(rt, c->id);

        c->state = CPOD_CTR_REMOVING;
        if (ctr_db_save_state(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_health_timer_stop(rt, c->id);
        (void)oci_delete(rt, c->id, true, NULL);
        ctr_hooks_poststop(rt, c); /* when its end was never recorded */
        ctr_cgroup_remove(rt, c);
        ctr_net_teardown(rt, c);
        if (rt_store(rt, &s, err) < 0)
                return cpod_error_rc(err, -EIO);
        ctr_image_mounts_release(rt, c->id);
        if (c->layer_id && store_layer_exists(s, c->layer_id)) {
                (void)store_layer_unmount(s, c->layer_id, true, NULL);
                if (failpoint("ctr-remove-mid", err) < 0 || store_layer_delete(s, c->layer_id, err) < 0)
                        return cpod_error_wrap(err, "remove container %s storage", c->id);
        }
        ctr_shm_teardown(rt, c->id);
        (void)rm_rf(run, NULL);
        (void)rm_rf(data, NULL);
        (void)unlink(exitf);
        if (ctr_db_delete(rt, c->id, err) < 0)
                return cpod_error_rc(err, -EIO);
        obj_lock_remove(rt, c->id);
        ctr_event(rt, c, "remove");
        return 0;
}
