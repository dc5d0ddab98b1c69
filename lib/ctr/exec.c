/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod exec: `<runtime> exec --process SPEC ID`.  The process spec starts
 * from the container's own (capabilities, rlimits, no-new-privileges,
 * environment) with the command, user, workdir and extra environment of the
 * exec.  Attached execs run the runtime directly with our stdio (or a pty
 * received through --console-socket for -t); detached ones use the
 * runtime's --detach.  The container's lock is held only to check its
 * state, not while the process runs.
 */
#include <dirent.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/caps.h"
#include "ctr/console.h"
#include "ctr/conmon-msg.h"
#include "ctr/ctr.h"
#include "ctr/oci.h"
#include "ctr/spec.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strv.h"
#include "util/xalloc.h"

static void env_override(json_t *env, const char *kv)
{
        size_t kl = strcspn(kv, "="), i;
        json_t *e;

        json_array_foreach(env, i, e)
                if (strncmp(json_string_value(e), kv, kl) == 0 && json_string_value(e)[kl] == '=') {
                        json_array_set_new(env, i, json_string(kv));
                        return;
                }
        json_array_append_new(env, json_string(kv));
}

/*
 * With a terminal, the process starts with the caller's terminal size (the runtime sizes the new pty
 * before the process runs; setting it after we receive the pty races with the process's first look).
 */
static void console_size(const struct cpod_exec_opts *o, const struct cpod_attach_streams *s, json_t *proc)
{
        struct winsize ws;
        int fd = s ? (s->in >= 0 ? s->in : s->out) : -1;

        json_object_del(proc, "consoleSize");
        if (o->tty && fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
                json_object_set_new(proc, "consoleSize",
                                    json_pack("{s:i, s:i}", "height", (int)ws.ws_row, "width", (int)ws.ws_col));
}

static int build_process(const struct ctr *c, const struct cpod_exec_opts *o, const struct cpod_attach_streams *s,
                         json_t *proc, cpod_error_t *err)
{
        json_t *env = json_object_get(proc, "env");
        _cleanup_free_ char *home = NULL;

        json_object_set_new(proc, "args", json_strv(o->argv, -1));
        json_object_set_new(proc, "terminal", json_boolean(o->tty));
        console_size(o, s, proc);
        for (char *const *e = o->env; e && *e; e++)
                env_override(env, *e);
        if (o->workdir)
                json_object_set_new(proc, "cwd", json_string(o->workdir));
        if (o->user && spec_resolve_user(c->mountpoint, o->user, proc, &home, err) < 0)
                return cpod_error_rc(err, -EINVAL);
        if (o->privileged) {
                _cleanup_strv_ char **all = NULL;
                if (caps_compute(NULL, NULL, NULL, true, &all, err) < 0)
                        return cpod_error_rc(err, -EINVAL);
                json_t *a = json_strv(all, -1);
                json_object_set_new(proc, "capabilities",
                                    json_pack("{s:O, s:O, s:O, s:[]}", "bounding", a, "effective", a, "permitted", a,
                                              "inheritable"));
                json_decref(a);
        }
        return spec_check_exec(c->mountpoint, proc, "runc: exec failed", err);
}

/* Write the exec's process spec; returns its path. */
static char *write_process(struct cpod_runtime *rt, const struct ctr *c, const struct cpod_exec_opts *o,
                           const struct cpod_attach_streams *s, const char *sid, cpod_error_t *err)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfg = path_join(bundle, "config.json");
        _cleanup_json_ json_t *spec = json_parse_file(cfg, err);
        json_t *proc = spec ? json_object_get(spec, "process") : NULL;
        char *path;

        if (!proc) {
                if (spec)
                        cpod_error_set(err, EIO, CPOD_E_INTERNAL, "container %s has no process in its config", c->id);
                return NULL;
        }
        if (build_process(c, o, s, proc, err) < 0)
                return NULL;
        path = xasprintf("%s/exec-%.16s.json", bundle, sid);
        if (json_write_file_replace(path, proc, JSON_COMPACT, err) < 0) {
                free(path);
                return NULL;
        }
        return path;
}

/* Check the state and prepare the process spec under the lock; c is loaded (the caller clears it). */
static int prepare(struct cpod_runtime *rt, const char *name, const struct cpod_exec_opts *o,
                   const struct cpod_attach_streams *s, const char *sid, char **ret_spec, struct ctr *c,
                   cpod_error_t *err)
{
        char id[65];
        int fd;

        if (cpod_ctr_lookup(rt, name, id, err) < 0 || (fd = ctr_lock_load(rt, id, c, err)) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (c->state != CPOD_CTR_RUNNING) {
                obj_unlock(fd);
                return cpod_error_set(err, EBUSY, CPOD_E_CTR_STATE,
                                      "can only create exec sessions on running containers: container state improper");
        }
        *ret_spec = write_process(rt, c, o, s, sid, err);
        obj_unlock(fd);
        if (!*ret_spec)
                return -EIO;
        ctr_event(rt, c, "exec");
        return 0;
}

static int runtime_exec(struct cpod_runtime *rt, const char *id, const char *spec, const struct cpod_exec_opts *o,
                        const struct cpod_attach_streams *s, const char *console, const char *pidfile,
                        struct child_process *cp, cpod_error_t *err)
{
        _cleanup_strv_ char **argv = NULL;
        int r, keep[64];

        if ((r = oci_argv(rt, &argv, err)) < 0)
                return r;
        strv_add(&argv, "exec");
        strv_add(&argv, "--process");
        strv_add(&argv, spec);
        if (console) {
                strv_add(&argv, "--tty");
                strv_add(&argv, "--console-socket");
                strv_add(&argv, console);
        }
        if (o->detach)
                strv_add(&argv, "--detach");
        if (o->detach || o->on_start) {
                strv_add(&argv, "--pid-file");
                strv_add(&argv, pidfile);
        }
        if (o->preserve_fds > 0) {
                strv_take(&argv, xasprintf("--preserve-fds=%d", o->preserve_fds));
                for (int i = 0; i < o->preserve_fds && i < 64; i++)
                        keep[i] = 3 + i;
                cp->keep_fds = keep;
                cp->n_keep_fds = o->preserve_fds < 64 ? o->preserve_fds : 64;
        }
        strv_add(&argv, id);
        cp->argv = (const char *const *)argv;
        cp->in = console || o->detach || s->in < 0 ? -2 : s->in;
        cp->out = console || o->detach ? -2 : s->out;
        cp->err = console || o->detach ? -2 : s->err;
        return child_start(cp, err);
}

static int wait_child(struct child_process *cp)
{
        int status;

        while (waitpid(cp->pid, &status, 0) < 0)
                if (errno != EINTR)
                        return 255;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Wait for the runtime's exec, telling o->on_start the process's PID as soon as the runtime wrote it
 * (runc writes the pid file by a rename once the process runs, then waits for it).
 */
static int wait_child_started(struct child_process *cp, const char *pidfile, const struct cpod_exec_opts *o)
{
        int status;

        while (o->on_start) {
                pid_t w = waitpid(cp->pid, &status, WNOHANG);
                if (w < 0 && errno != EINTR)
                        return 255;
                _cleanup_free_ char *pidv = read_line_file(pidfile);
                int pid = conmon_parse_pid(pidv);
                if (pid > 0 || w == cp->pid)
                        o->on_start(o->on_start_ud, pid > 0 ? pid : 0, -1);
                if (w == cp->pid) /* a quick process: it is gone already */
                        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                if (pid > 0)
                        break;
                (void)usleep(5000);
        }
        return wait_child(cp);
}

/* Wait for a process that is our child because we are its subreaper. */
static int wait_pid(int pid)
{
        int status;

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return 255;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * Being a child subreaper is the whole process's state, and it makes the process adopt every
 * orphan of its descendants: in the REST service that includes each container's conmon once it
 * daemonizes, which would stay a zombie.  So it is on only while some tty exec runs.
 */
static pthread_mutex_t subreaper_lock = PTHREAD_MUTEX_INITIALIZER;
static int subreaper_users;

static void subreaper_hold(void)
{
        pthread_mutex_lock(&subreaper_lock);
        if (subreaper_users++ == 0)
                (void)prctl(PR_SET_CHILD_SUBREAPER, 1);
        pthread_mutex_unlock(&subreaper_lock);
}

static void subreaper_release(void)
{
        pthread_mutex_lock(&subreaper_lock);
        if (--subreaper_users == 0)
                (void)prctl(PR_SET_CHILD_SUBREAPER, 0);
        pthread_mutex_unlock(&subreaper_lock);
}

/*
 * runc hands out the pty only together with --detach, so the exec'd process
 * outlives runc; as a child subreaper we inherit it and can wait for its
 * exit status.
 */
static int attached_tty(struct cpod_runtime *rt, const char *id, const char *spec, const struct cpod_exec_opts *o,
                        const struct cpod_attach_streams *s, const char *sid, int *ret_exit, cpod_error_t *err)
{
        _cleanup_free_ char *sock = xasprintf("%s/exec-%.12s.sock", rt->runroot, sid);
        _cleanup_free_ char *pidfile = xasprintf("%s.pid", spec);
        struct cpod_exec_opts det = *o;
        struct child_process cp = CHILD_PROCESS_INIT;
        _cleanup_close_ int lfd = -1, master = -1;
        _cleanup_free_ char *pidv = NULL;
        int r, pid;

        if ((lfd = console_listen(sock, err)) < 0)
                return cpod_error_rc(err, -EIO);
        subreaper_hold();
        det.detach = true;
        r = runtime_exec(rt, id, spec, &det, s, sock, pidfile, &cp, err);
        if (r == 0 && (master = console_receive(lfd, 30000, err)) < 0)
                r = -EIO;
        if (r == 0 && wait_child(&cp) != 0)
                r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "%s exec failed", rt->oci.name);
        pidv = r == 0 ? read_line_file(pidfile) : NULL;
        pid = conmon_parse_pid(pidv);
        if (r == 0 && o->on_start)
                o->on_start(o->on_start_ud, pid, master);
        if (r == 0 && console_relay(master, s, err) == 1 && pid > 0)
                kill(pid, SIGHUP); /* detached from an exec session: end it */
        if (r == 0)
                *ret_exit = pid > 0 ? wait_pid(pid) : 255;
        subreaper_release();
        (void)unlink(sock);
        (void)unlink(pidfile);
        return r;
}

/*
 * Exec sessions are recorded as <bundle>/exec-<id>.session ({"ID", "PID", "StartTime", "Command"})
 * while their process lives; `inspect` lists the live ones as ExecIDs and drops stale records.
 */
static char *session_path(struct cpod_runtime *rt, const char *id, const char *sid)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id);

        return xasprintf("%s/exec-%s.session", bundle, sid);
}

static void session_record(struct cpod_runtime *rt, const char *id, const char *sid, int pid, char *const *argv)
{
        _cleanup_free_ char *path = session_path(rt, id, sid);
        _cleanup_json_ json_t *j = json_pack("{s:s, s:i, s:I, s:o}", "ID", sid, "PID", pid, "StartTime",
                                             (json_int_t)proc_start_time(pid), "Command", json_strv(argv, -1));

        (void)json_write_file_replace(path, j, JSON_COMPACT, NULL);
}

static void session_forget(struct cpod_runtime *rt, const char *id, const char *sid)
{
        _cleanup_free_ char *path = session_path(rt, id, sid);

        (void)unlink(path);
}

json_t *ctr_exec_ids(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id);
        json_t *ids = json_array();
        DIR *d = opendir(bundle);
        struct dirent *de;

        while (d && (de = readdir(d))) {
                size_t n = strlen(de->d_name);
                _cleanup_free_ char *p = NULL;
                _cleanup_json_ json_t *j = NULL;
                if (strncmp(de->d_name, "exec-", 5) != 0 || n < 14 || strcmp(de->d_name + n - 8, ".session") != 0)
                        continue;
                p = path_join(bundle, de->d_name);
                j = json_parse_file(p, NULL);
                if (j && process_alive((int)json_get_int(j, "PID", 0), json_get_int(j, "StartTime", 0)))
                        json_array_append_new(ids, json_string(json_get_str(j, "ID")));
                else
                        (void)unlink(p);
        }
        if (d)
                closedir(d);
        return ids;
}

int cpod_ctr_exec(struct cpod_runtime *rt, const char *name, const struct cpod_exec_opts *o,
                  const struct cpod_attach_streams *s, int *ret_exit, char ret_session[65], cpod_error_t *err)
{
        struct child_process cp = CHILD_PROCESS_INIT;
        _cleanup_free_ char *spec = NULL, *pidfile = NULL;
        _cleanup_(ctr_clear) struct ctr c = { 0 };
        char sid[65], *id = c.id;
        int r;

        random_id(sid);
        if (prepare(rt, name, o, s, sid, &spec, &c, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (o->tty && !o->detach) {
                r = attached_tty(rt, id, spec, o, s, sid, ret_exit, err);
        } else {
                pidfile = xasprintf("%s.pid", spec);
                r = runtime_exec(rt, id, spec, o, s, NULL, pidfile, &cp, err);
                if (r == 0 && !o->detach)
                        session_record(rt, id, sid, cp.pid, o->argv);
                if (r == 0)
                        *ret_exit = o->detach ? wait_child(&cp) : wait_child_started(&cp, pidfile, o);
                if (r == 0 && o->detach && *ret_exit != 0)
                        r = cpod_error_set(err, EIO, CPOD_E_INTERNAL, "%s exec --detach failed", rt->oci.name);
                if (r == 0 && o->detach) {
                        _cleanup_free_ char *pid = read_line_file(pidfile);
                        if (conmon_parse_pid(pid) > 0)
                                session_record(rt, id, sid, conmon_parse_pid(pid), o->argv);
                } else {
                        session_forget(rt, id, sid);
                }
        }
        (void)unlink(spec);
        if (pidfile)
                (void)unlink(pidfile);
        if (r == 0 && ret_session)
                memcpy(ret_session, sid, 65);
        if (r == 0 && !o->detach)
                ctr_event_code(rt, &c, "exec_died", *ret_exit);
        return r;
}
