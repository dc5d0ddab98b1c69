/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keeping records true to reality without a daemon.  A container is only
 * "running" while its conmon lives (checked by PID plus process start
 * time, so a recycled PID isn't mistaken for it) and the machine has not
 * rebooted since it started.  Otherwise it has exited: the exit file conmon
 * wrote says how, and a locked reconcile finishes the cleanup the exit
 * command would have done.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr/conmon-msg.h"
#include "ctr/ctr.h"
#include "ctr/lifecycle.h"
#include "runtime/lock.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/human.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

/*
 * A foreground client holds a shared flock on <run dir>/attached.lock while
 * it relays; the exit command then leaves a --rm container for the client to
 * remove, so the client can still read its exit code.
 */
int ctr_take_lease(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *dir = ctr_run_dir(rt, id), *path = path_join(dir, "attached.lock");
        int fd;

        (void)mkdir_p(dir, 0700, NULL);
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0)
                (void)flock(fd, LOCK_SH);
        return fd;
}

bool ctr_lease_held(struct cpod_runtime *rt, const char *id)
{
        _cleanup_free_ char *dir = ctr_run_dir(rt, id), *path = path_join(dir, "attached.lock");
        _cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC);

        return fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
}

int64_t proc_start_time(int pid)
{
        char path[64], buf[1024];
        _cleanup_fclose_ FILE *f = NULL;
        const char *p;
        unsigned long long start = 0;

        if (pid <= 0)
                return 0;
        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        f = fopen(path, "re");
        if (!f || !fgets(buf, sizeof(buf), f) || !(p = strrchr(buf, ')')))
                return 0;
        /* Field 22 (starttime); p points at ") S ppid ...", field 3 onwards. */
        if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &start) !=
            1)
                return 0;
        return (int64_t)start;
}

/* State letter of /proc/PID/stat, or 0. */
static char proc_state(int pid)
{
        char path[64], buf[512];
        _cleanup_fclose_ FILE *f = NULL;
        const char *p;

        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        if (!(f = fopen(path, "re")) || !fgets(buf, sizeof(buf), f) || !(p = strrchr(buf, ')')) || !p[1])
                return 0;
        return p[2];
}

bool process_alive(int pid, int64_t start_time)
{
        if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH))
                return false;
        if (start_time != 0 && proc_start_time(pid) != start_time)
                return false;
        /* A zombie has exited; its reaper (perhaps a slow init) just hasn't collected it yet. */
        return proc_state(pid) != 'Z';
}

static bool is_active(enum cpod_ctr_state s)
{
        return s == CPOD_CTR_RUNNING || s == CPOD_CTR_PAUSED || s == CPOD_CTR_STOPPING || s == CPOD_CTR_CREATED;
}

/* Exit code and time from conmon's exit file; false when there is none. */
bool ctr_read_exit_file(struct cpod_runtime *rt, struct ctr *c)
{
        _cleanup_free_ char *path = ctr_exit_file(rt, c->id), *v = read_line_file(path);
        struct stat st;
        int code;

        if (!conmon_parse_exit_code(v, &code))
                return false; /* none, or not what conmon writes: reconciled as a process that vanished */
        c->exit_code = code;
        if (stat(path, &st) == 0)
                c->finished_at = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        return true;
}

/* What the record should say now; returns true when it changed. */
static bool observe(struct cpod_runtime *rt, struct ctr *c)
{
        _cleanup_free_ char *boot = NULL;

        if (!is_active(c->state) || c->conmon_pid <= 0)
                return false;
        boot = host_boot_id();
        if (boot && c->boot_id && strcmp(boot, c->boot_id) != 0) {
                /* Rebooted: nothing of the old run survives. */
                c->state = c->state == CPOD_CTR_CREATED ? CPOD_CTR_CONFIGURED : CPOD_CTR_EXITED;
                c->pid = c->conmon_pid = 0;
                return true;
        }
        if (process_alive(c->conmon_pid, c->conmon_start))
                return false;
        if (!ctr_read_exit_file(rt, c)) {
                /* conmon died without an exit file (killed): the container is gone or orphaned. */
                c->exit_code = c->state == CPOD_CTR_CREATED ? 0 : 137;
                c->finished_at = now_ns();
        }
        c->state = c->state == CPOD_CTR_CREATED && c->started_at == 0 ? CPOD_CTR_CONFIGURED : CPOD_CTR_EXITED;
        c->pid = 0;
        c->conmon_pid = 0;
        return true;
}

void ctr_reconcile_view(struct cpod_runtime *rt, struct ctr *c)
{
        (void)observe(rt, c);
}

int ctr_reconcile(struct cpod_runtime *rt, struct ctr *c, cpod_error_t *err)
{
        if (!observe(rt, c))
                return 0;
        log_debug("container %s is no longer running, cleaning up", c->id);
        if (ctr_finish_exit(rt, c, err) < 0)
                return cpod_error_rc(err, -EIO);
        /* Its --rm owner is gone (killed): finish the removal it would have done. */
        if (c->cfg.rm && c->state == CPOD_CTR_EXITED && !ctr_lease_held(rt, c->id))
                return ctr_auto_remove(rt, c, err);
        return 0;
}

int ctr_lock_load(struct cpod_runtime *rt, const char *id, struct ctr *ret, cpod_error_t *err)
{
        int fd;

        memset(ret, 0, sizeof(*ret));
        fd = obj_lock(rt, id, err);
        if (fd < 0)
                return fd;
        if (ctr_db_get(rt, id, ret, err) < 0 || ctr_reconcile(rt, ret, err) < 0) {
                if (ret->id[0])
                        ctr_clear(ret);
                obj_unlock(fd);
                return cpod_error_rc(err, -ENOENT);
        }
        return fd;
}
