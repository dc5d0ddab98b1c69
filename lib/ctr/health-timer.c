/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The healthcheck timer without systemd: `cpod healthcheck timer ID`, started detached by the
 * start of a container that has a healthcheck with an interval.  It holds pidfds of the
 * container's process and of its monitor (conmon) and a timerfd, and sleeps in poll(2) on the
 * three: it wakes once per interval to run the check, and exits as soon as either process exits
 * (a kill -9 of conmon included), without polling any state.  stop, rm -f and pod rm -f kill it
 * too (<run dir>/healthcheck.timer holds its PID and start time), so it never outlives the run
 * it was started for.
 */
#include "ctr/health.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cpod/container.h>

#include "ctr/conmon.h"
#include "util/cleanup.h"
#include "util/exec.h"
#include "util/fileutil.h"
#include "util/log.h"
#include "util/strv.h"
#include "util/xalloc.h"

static int pidfd_open_(int pid)
{
        return pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
}

static char *timer_file(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *run = ctr_run_dir(rt, id);
        return path_join(run, "healthcheck.timer");
}

static void spawn_timer(struct cpod_runtime *rt, const struct ctr *c)
{
        _cleanup_strv_ char **argv = NULL;
        _cleanup_free_ char *f = timer_file(rt, c->id), *v = NULL;
        struct child_process cp = CHILD_PROCESS_INIT;

        ctr_self_argv(rt, &argv);
        strv_add(&argv, "healthcheck");
        strv_add(&argv, "timer");
        strv_add(&argv, c->id);
        cp.argv = (const char *const *)argv;
        cp.new_session = true;
        if (child_start(&cp, NULL) < 0) {
                log_warn("container %s: could not start its healthcheck timer", c->id);
                return;
        }
        v = xasprintf("%d %lld", (int)cp.pid, (long long)proc_start_time(cp.pid));
        (void)write_file_replace(f, v, strlen(v), 0600, NULL);
}

void ctr_health_started(struct cpod_runtime *rt, const struct ctr *c)
{
        if (!ctr_health_defined(&c->cfg))
                return;
        ctr_health_starting(rt, c);
        ctr_health_timer_stop(rt, c->id); /* an earlier run's, if it has not noticed yet */
        if (c->cfg.health_interval > 0)
                spawn_timer(rt, c);
}

void ctr_health_timer_stop(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *f = timer_file(rt, id), *v = read_line_file(f);
        _cleanup_close_ int pfd = -1;
        long long start = 0;
        int pid = 0;

        if (!v || sscanf(v, "%d %lld", &pid, &start) != 2 || pid <= 0 || pid == getpid())
                return;
        (void)unlink(f);
        /* The pidfd pins the process: check its start time against PID reuse, then signal that one. */
        if ((pfd = pidfd_open_(pid)) < 0 || proc_start_time(pid) != start)
                return;
        {
                /* A timer whose container has just exited is on its way out by itself: let it finish
                 * its exit (killing a process in the middle of exiting cuts its exit-time work,
                 * a sanitizer's leak check among it), then kill one that is not. */
                struct pollfd p = { .fd = pfd, .events = POLLIN };
                if (poll(&p, 1, 300) > 0)
                        return;
        }
        if (syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0) == 0) {
                struct pollfd p = { .fd = pfd, .events = POLLIN };
                (void)poll(&p, 1, 2000); /* gone when the command returns */
        }
}

/* PPID from /proc/PID/stat, or 0. */
static int parent_of(int pid)
{
        char path[64], buf[512];
        _cleanup_fclose_ FILE *fp = NULL;
        const char *p;
        int ppid = 0;

        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        if (!(fp = fopen(path, "re")) || !fgets(buf, sizeof(buf), fp) || !(p = strrchr(buf, ')')) ||
            sscanf(p + 2, "%*c %d", &ppid) != 1)
                return 0;
        return ppid;
}

/* pidfds of the container's process and its monitor, the very ones recorded (checked after opening). */
static int open_watch(const struct ctr *c, int fds[2])
{
        fds[0] = pidfd_open_(c->pid);
        fds[1] = pidfd_open_(c->conmon_pid);
        if (fds[0] < 0 || fds[1] < 0 || proc_start_time(c->conmon_pid) != c->conmon_start ||
            parent_of(c->pid) != c->conmon_pid)
                return -1;
        return 0;
}

static int arm(int64_t interval_ns)
{
        int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        struct itimerspec its = { 0 };

        its.it_interval.tv_sec = interval_ns / 1000000000LL;
        its.it_interval.tv_nsec = interval_ns % 1000000000LL;
        its.it_value = its.it_interval;
        if (tfd >= 0 && timerfd_settime(tfd, 0, &its, NULL) < 0) {
                close(tfd);
                return -1;
        }
        return tfd;
}

/* One tick: run the check.  Returns false when the timer has nothing more to do. */
static bool tick(struct cpod_runtime *rt, const struct ctr *c)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *status = NULL;
        const char *a = c->cfg.health_on_failure;
        bool healthy = false;
        int r = cpod_ctr_healthcheck_run(rt, c->id, &healthy, &err);

        if (r < 0 && (err.kind == CPOD_E_CTR_STATE || err.kind == CPOD_E_NO_SUCH_CTR)) {
                cpod_error_clear(&err);
                return false;
        }
        if (r < 0)
                log_debug("healthcheck of %s: %s", c->id, cpod_error_msg(&err));
        cpod_error_clear(&err);
        status = ctr_health_status(rt, c->id);
        /* After kill, stop or restart the run it watched is over (a restart started its own timer). */
        return !(status && strcmp(status, "unhealthy") == 0 && a && *a && strcmp(a, "none") != 0);
}

int cpod_ctr_healthcheck_timer(struct cpod_runtime *rt, const char *id, cpod_error_t *err)
{
        _cleanup_(ctr_clear) struct ctr c = { 0 };
        _cleanup_close_ int tfd = -1;
        int fds[2] = { -1, -1 };

        if (ctr_db_get(rt, id, &c, err) < 0)
                return cpod_error_rc(err, -ENOENT);
        if (!ctr_health_defined(&c.cfg) || c.cfg.health_interval <= 0 || open_watch(&c, fds) < 0 ||
            (tfd = arm(c.cfg.health_interval)) < 0)
                goto out;
        for (;;) {
                struct pollfd p[3] = { { .fd = fds[0], .events = POLLIN },
                                       { .fd = fds[1], .events = POLLIN },
                                       { .fd = tfd, .events = POLLIN } };
                uint64_t n;

                if (poll(p, 3, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (p[0].revents || p[1].revents)
                        break;
                if ((p[2].revents & POLLIN) && read(tfd, &n, sizeof(n)) == sizeof(n) && !tick(rt, &c))
                        break;
        }
out:
        for (int i = 0; i < 2; i++)
                if (fds[i] >= 0)
                        close(fds[i]);
        return 0;
}
