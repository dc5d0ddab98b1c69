/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The foreground fast path.  For `run` without -d and without a tty, this
 * process does what conmon would: it runs `<runtime> run` (create + start in
 * one runtime invocation, and the runtime deletes the container when it
 * ends), relays stdout/stderr, writes the k8s-file log in conmon's format
 * (so `logs` works during and after the run), proxies signals, and writes
 * the exit file.  That saves conmon's start and two runtime invocations per
 * run.  The runtime process is recorded as the monitor: while it lives the
 * container runs; if this process is killed, the next command reconciles
 * the container like one whose conmon died.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctr/conmon-msg.h"
#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "ctr/oci.h"
#include "ctr/spec.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

struct direct {
        int logfd;
        int pipes[2];      /* read ends: stdout, stderr */
        int out[2];        /* where to relay */
        struct strbuf log; /* pending log records */
        int runtime_pid;
        const char *pidfile;
        enum cpod_ctr_state prev_state; /* to go back to when the runtime fails before the container runs */
        int pid;
};

/* One k8s-file record per line (F) or trailing piece (P), like conmon. */
static void log_chunk(struct direct *d, int stream, const char *buf, size_t len)
{
        struct timespec ts;
        _cleanup_free_ char *t = NULL;
        const char *name = stream ? "stderr" : "stdout";

        clock_gettime(CLOCK_REALTIME, &ts);
        t = time_rfc3339nano_fixed(ts.tv_sec, ts.tv_nsec);
        while (len > 0) {
                const char *nl = memchr(buf, '\n', len);
                size_t n = nl ? (size_t)(nl - buf) : len;
                strbuf_addf(&d->log, "%s %s %c ", t, name, nl ? 'F' : 'P');
                strbuf_add(&d->log, buf, n);
                strbuf_addch(&d->log, '\n');
                buf += n + (nl ? 1 : 0);
                len -= n + (nl ? 1 : 0);
        }
        if (d->logfd >= 0)
                (void)write_all(d->logfd, d->log.buf, d->log.len);
        strbuf_reset(&d->log);
}

/* Returns false at EOF of that pipe. */
static bool pump(struct direct *d, int i)
{
        char buf[8192];
        ssize_t n = read(d->pipes[i], buf, sizeof(buf));

        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return true;
        if (n <= 0)
                return false;
        if (d->out[i] >= 0)
                (void)write_all(d->out[i], buf, (size_t)n);
        log_chunk(d, i, buf, (size_t)n);
        return true;
}

static void proxy_signals(int sfd, int runtime_pid)
{
        struct signalfd_siginfo si;

        while (read(sfd, &si, sizeof(si)) == sizeof(si))
                (void)kill(runtime_pid, (int)si.ssi_signo);
}

/* Record the container's PID once the runtime has written its pid file. */
static void note_pid(struct cpod_runtime *rt, const char *id, struct direct *d)
{
        _cleanup_free_ char *v = read_line_file(d->pidfile);
        struct ctr c = { 0 };
        int fd;

        if (conmon_parse_pid(v) <= 0)
                return;
        d->pid = conmon_parse_pid(v);
        /* Lock and read without reconciling: this process is the monitor and is still running. */
        if ((fd = obj_lock(rt, id, NULL)) < 0)
                return;
        if (ctr_db_get(rt, id, &c, NULL) < 0) {
                obj_unlock(fd);
                return;
        }
        if (c.state == CPOD_CTR_RUNNING && c.pid == 0) {
                c.pid = d->pid;
                (void)ctr_db_save_state(rt, &c, NULL);
        }
        ctr_clear(&c);
        obj_unlock(fd);
}

static void relay(struct cpod_runtime *rt, const char *id, struct direct *d, int sfd)
{
        bool open[2] = { true, true };

        while (open[0] || open[1]) {
                struct pollfd p[3] = { { open[0] ? d->pipes[0] : -1, POLLIN, 0 },
                                       { open[1] ? d->pipes[1] : -1, POLLIN, 0 },
                                       { sfd, POLLIN, 0 } };
                if (poll(p, 3, d->pid ? -1 : 10) < 0 && errno != EINTR)
                        break;
                if (!d->pid)
                        note_pid(rt, id, d);
                for (int i = 0; i < 2; i++)
                        if (p[i].revents && !pump(d, i))
                                open[i] = false;
                if (p[2].revents)
                        proxy_signals(sfd, d->runtime_pid);
        }
}

static int spawn_runtime(struct cpod_runtime *rt, struct ctr *c, const struct cpod_attach_streams *s, int wout,
                         int werr, const char *bundle, const char *pidfile, int *ret_pid, cpod_error_t *err)
{
        struct child_process cp = CHILD_PROCESS_INIT;
        _cleanup_strv_ char **argv = NULL;
        int r, nfds;

        if ((r = oci_argv(rt, &argv, err)) < 0)
                return r;
        /* The runtime's own errors go to its log, not into the container's stderr. */
        strv_add(&argv, "--log-format=json");
        strv_take(&argv, xasprintf("--log=%s/oci-log", bundle));
        strv_add(&argv, "run");
        strv_add(&argv, "--bundle");
        strv_add(&argv, bundle);
        strv_add(&argv, "--pid-file");
        strv_add(&argv, pidfile);
        if ((nfds = oci_preserve_fds(rt, c)) > 0)
                strv_take(&argv, xasprintf("--preserve-fds=%d", nfds));
        strv_add(&argv, c->id);
        cp.argv = (const char *const *)argv;
        cp.in = s->in >= 0 ? s->in : -2;
        cp.out = wout;
        cp.err = werr;
        if (child_start(&cp, err) < 0)
                return cpod_error_rc(err, -EIO);
        *ret_pid = cp.pid;
        return 0;
}

static int setup_pipes(struct direct *d, int *wout, int *werr, cpod_error_t *err)
{
        int a[2], b[2];

        if (pipe2(a, O_CLOEXEC) < 0 || pipe2(b, O_CLOEXEC) < 0)
                return cpod_error_sys(err, errno, "pipe");
        d->pipes[0] = a[0];
        d->pipes[1] = b[0];
        *wout = a[1];
        *werr = b[1];
        return 0;
}

/* Wait for the runtime; its status is the container's exit code (128+N for a signal). */
static int reap(int pid)
{
        int status;

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return 255;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* `runtime run` mixes its own errors into the container's stderr: check the command first. */
static int check_command(struct cpod_runtime *rt, const struct ctr *c, const char *rootfs, cpod_error_t *err)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfg = path_join(bundle, "config.json");
        _cleanup_json_ json_t *spec = json_parse_file(cfg, err);

        return spec ? spec_check_exec(rootfs, json_object_get(spec, "process"), "runc run failed", err) : -EIO;
}

static int start_run(struct cpod_runtime *rt, struct ctr *c, struct direct *d, const struct cpod_attach_streams *s,
                     cpod_error_t *err)
{
        _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *logf = ctr_log_file(rt, c);
        char *rootfs = NULL;
        int wout = -1, werr = -1, r;

        if (ctr_prepare_bundle(rt, c, &rootfs, err) < 0)
                return cpod_error_rc(err, -EIO);
        if (check_command(rt, c, rootfs, err) < 0) {
                ctr_release_rootfs(rt, c, false);
                free(rootfs);
                return cpod_error_rc(err, -ENOENT);
        }
        d->pidfile = xasprintf("%s/pidfile", bundle);
        /* The pid file tells afterwards whether the runtime got as far as creating the container. */
        (void)unlink(d->pidfile);
        {
                _cleanup_free_ char *oci_log = path_join(bundle, "oci-log");
                (void)unlink(oci_log);
        }
        d->prev_state = c->state;
        if (strcmp(ctr_log_driver(rt, c), "none") != 0)
                d->logfd = open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        r = setup_pipes(d, &wout, &werr, err);
        if (r == 0)
                r = spawn_runtime(rt, c, s, wout, werr, bundle, d->pidfile, &d->runtime_pid, err);
        if (wout >= 0)
                close(wout);
        if (werr >= 0)
                close(werr);
        if (r < 0) {
                ctr_release_rootfs(rt, c, false);
                free(rootfs);
                return r;
        }
        ctr_mark_started(c, rootfs, 0, d->runtime_pid);
        c->state = CPOD_CTR_RUNNING;
        c->started_at = now_ns();
        if (ctr_db_save_state(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        /* `runc run` creates and starts in one: both events, as the conmon path writes them. */
        ctr_event(rt, c, "init");
        ctr_event(rt, c, "start");
        ctr_event(rt, c, "attach");
        return 0;
}

static void write_exit_file(struct cpod_runtime *rt, const char *id, int code)
{
        _cleanup_free_ char *path = ctr_exit_file(rt, id), *v = xasprintf("%d", code);

        (void)write_file_replace(path, v, strlen(v), 0644, NULL);
}

/* The runtime ended without creating the container: undo start_run and report its error. */
static int runtime_failed(struct cpod_runtime *rt, struct ctr *c, const struct direct *d, int code, cpod_error_t *err)
{
        _cleanup_free_ char *msg = oci_log_error(rt, c->id);
        _cleanup_free_ char *fallback = xasprintf("%s run failed with exit code %d", rt->oci.name, code);
        ctr_release_rootfs(rt, c, false);
        free(c->mountpoint);
        c->mountpoint = NULL;
        c->pid = c->conmon_pid = 0;
        c->state = d->prev_state;
        (void)ctr_db_save_state(rt, c, NULL);
        return oci_create_failed(rt, msg ? msg : fallback, err);
}

int ctr_run_direct(struct cpod_runtime *rt, struct ctr *c, int *lockfd, const struct cpod_attach_streams *s,
                   cpod_error_t *err)
{
        struct direct d = { .logfd = -1, .pipes = { -1, -1 }, .out = { s->out, s->err }, .log = STRBUF_INIT };
        char id[65];
        sigset_t set, old;
        int sfd, code;
        bool started;

        memcpy(id, c->id, sizeof(id));
        sigemptyset(&set);
        for (int sig = 1; sig < 32; sig++)
                if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD && sig != SIGPIPE && sig != SIGSEGV &&
                    sig != SIGBUS && sig != SIGFPE && sig != SIGILL && (s->sig_proxy || sig == SIGWINCH))
                        sigaddset(&set, sig);
        sigprocmask(SIG_BLOCK, &set, &old);
        sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (start_run(rt, c, &d, s, err) < 0) {
                code = -EIO;
                goto out;
        }
        obj_unlock(*lockfd);
        *lockfd = -1;
        rt_checkpoint_idle(rt); /* while the runtime creates the container */
        relay(rt, id, &d, sfd);
        code = reap(d.runtime_pid);
        started = path_exists(d.pidfile);
        if (started)
                write_exit_file(rt, id, code);
        if (started && code != 0) {
                /* The runtime's own trouble after the process ran (cleanup) shows in its exit code too: say so. */
                _cleanup_free_ char *msg = oci_log_error(rt, id);
                if (msg)
                        rt_warn(rt, "%s: %s", rt->oci.name ? rt->oci.name : "runtime", msg);
        }
        *lockfd = obj_lock(rt, id, err);
        if (*lockfd < 0) {
                code = -EIO;
                goto out;
        }
        ctr_clear(c);
        if (ctr_db_get(rt, id, c, err) < 0) {
                _cleanup_free_ char *exitf = ctr_exit_file(rt, id);
                (void)unlink(exitf); /* no record to go with it */
                /*
                 * Removed meanwhile: only rm -f removes a running container, and it kills with SIGKILL.
                 * runc's own status can be its error (255) when the forced delete raced its cleanup.
                 */
                if (started && (code > 128 || code < 0))
                        code = 128 + SIGKILL;
                code = err && err->kind == CPOD_E_NO_SUCH_CTR ? ctr_gone_while_waiting(c, id, code, err) : -ENOENT;
        } else
                code = started ? 0 : runtime_failed(rt, c, &d, code, err);
out:
        close(sfd);
        sigprocmask(SIG_SETMASK, &old, NULL);
        for (int i = 0; i < 2; i++)
                if (d.pipes[i] >= 0)
                        close(d.pipes[i]);
        if (d.logfd >= 0)
                close(d.logfd);
        free((char *)d.pidfile);
        strbuf_release(&d.log);
        return code;
}
