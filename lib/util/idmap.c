/* SPDX-License-Identifier: Apache-2.0 */
#include "util/idmap.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strv.h"
#include "util/xalloc.h"

void idmap_clear(struct idmap *m)
{
        free(m->v);
        m->v = NULL;
        m->n = 0;
}

void idmap_add(struct idmap *m, uint32_t ctr, uint32_t host, uint32_t size)
{
        m->v = xreallocarray(m->v, m->n + 1, sizeof(*m->v));
        m->v[m->n++] = (struct idmap_range){ ctr, host, size };
}

void idmap_copy(struct idmap *dst, const struct idmap *src)
{
        memset(dst, 0, sizeof(*dst));
        for (size_t i = 0; i < src->n; i++)
                idmap_add(dst, src->v[i].ctr, src->v[i].host, src->v[i].size);
}

static int parse_u32(const char *s, size_t len, uint32_t *ret)
{
        uint64_t v = 0;

        if (len == 0 || len > 10)
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (uint64_t)(s[i] - '0');
        }
        if (v > UINT32_MAX)
                return -EINVAL;
        *ret = (uint32_t)v;
        return 0;
}

int idmap_add_text(struct idmap *m, const char *s)
{
        const char *a = strchr(s, ':'), *b = a ? strchr(a + 1, ':') : NULL;
        uint32_t c, h, n;

        if (!a || !b || strchr(b + 1, ':') || parse_u32(s, (size_t)(a - s), &c) < 0 ||
            parse_u32(a + 1, (size_t)(b - a - 1), &h) < 0 || parse_u32(b + 1, strlen(b + 1), &n) < 0 || n == 0 ||
            (uint64_t)c + n - 1 > UINT32_MAX || (uint64_t)h + n - 1 > UINT32_MAX)
                return -EINVAL;
        idmap_add(m, c, h, n);
        return 0;
}

int idmap_parse_strv(char *const *v, struct idmap *ret, const char **ret_bad)
{
        memset(ret, 0, sizeof(*ret));
        for (; v && *v; v++)
                if (idmap_add_text(ret, *v) < 0) {
                        *ret_bad = *v;
                        idmap_clear(ret);
                        return -EINVAL;
                }
        return 0;
}

char **idmap_to_strv(const struct idmap *m)
{
        char **v = xnew0(char *, 1);

        for (size_t i = 0; i < m->n; i++) {
                _cleanup_free_ char *s = xasprintf("%u:%u:%u", m->v[i].ctr, m->v[i].host, m->v[i].size);
                strv_add(&v, s);
        }
        return v;
}

static bool overlap(uint32_t a, uint32_t an, uint32_t b, uint32_t bn)
{
        return (uint64_t)a < (uint64_t)b + bn && (uint64_t)b < (uint64_t)a + an;
}

long idmap_first_overlap(const struct idmap *m)
{
        for (size_t i = 1; i < m->n; i++)
                for (size_t j = 0; j < i; j++)
                        if (overlap(m->v[i].ctr, m->v[i].size, m->v[j].ctr, m->v[j].size) ||
                            overlap(m->v[i].host, m->v[i].size, m->v[j].host, m->v[j].size))
                                return (long)i;
        return -1;
}

bool idmap_to_host(const struct idmap *m, uint32_t id, uint32_t *ret)
{
        for (size_t i = 0; i < m->n; i++)
                if (id >= m->v[i].ctr && (uint64_t)id < (uint64_t)m->v[i].ctr + m->v[i].size) {
                        *ret = m->v[i].host + (id - m->v[i].ctr);
                        return true;
                }
        return false;
}

/* The child of idmap_userns_fd/idmap_read_userns: optionally join a namespace, say so, wait, exit. */
struct child_args {
        int ready[2], wait[2];
        int join_fd; /* -1: the child is in a new user namespace already */
};

static _Noreturn void child_main(struct child_args *a)
{
        char c = 0;

        /* its copy of the write end would keep its own read from ever seeing the parent close it */
        close(a->wait[1]);
        close(a->ready[0]);
        if (a->join_fd >= 0 && setns(a->join_fd, CLONE_NEWUSER) < 0)
                _exit(1);
        if (write(a->ready[1], &c, 1) != 1 || read(a->wait[0], &c, 1) < 0)
                _exit(1);
        _exit(0);
}

/*
 * Start the child (in a new user namespace when join_fd < 0); its PID once it is ready, or < 0.
 * A raw clone without a new stack: the child runs on a copy of ours, as after fork.
 */
static pid_t child_start(struct child_args *a, cpod_error_t *err)
{
        int flags = SIGCHLD | (a->join_fd < 0 ? CLONE_NEWUSER : 0);
        pid_t pid;
        char c;

        if (pipe2(a->ready, O_CLOEXEC) < 0)
                return cpod_error_sys(err, errno, "pipe");
        if (pipe2(a->wait, O_CLOEXEC) < 0) {
                close(a->ready[0]);
                close(a->ready[1]);
                return cpod_error_sys(err, errno, "pipe");
        }
        /* the child runs with every signal blocked: the caller's handlers are not safe there */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pid = (pid_t)syscall(SYS_clone, (unsigned long)flags, NULL, NULL, NULL, NULL);
        if (pid == 0)
                child_main(a);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        close(a->ready[1]);
        close(a->wait[0]);
        if (pid < 0 || read(a->ready[0], &c, 1) != 1) {
                int e = pid < 0 ? errno : EPERM;
                close(a->ready[0]);
                close(a->wait[1]);
                if (pid > 0)
                        (void)waitpid(pid, NULL, 0);
                return cpod_error_sys(err, e, "start a process in a user namespace");
        }
        close(a->ready[0]);
        return pid;
}

static void child_finish(struct child_args *a, pid_t pid)
{
        close(a->wait[1]);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
}

static int write_map(pid_t pid, const char *file, const struct idmap *m, cpod_error_t *err)
{
        _cleanup_free_ char *path = xasprintf("/proc/%d/%s", (int)pid, file);
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        int r = 0;

        for (size_t i = 0; f && i < m->n; i++)
                fprintf(f, "%u %u %u\n", m->v[i].ctr, m->v[i].host, m->v[i].size);
        if (f)
                fclose(f);
        if (fd < 0 || !buf || write(fd, buf, len) != (ssize_t)len)
                r = cpod_error_sys(err, fd < 0 || !buf ? errno : errno ? errno : EIO, "write %s", path);
        free(buf);
        return r;
}

int idmap_userns_fd(const struct idmap *uids, const struct idmap *gids, cpod_error_t *err)
{
        struct child_args a = { .join_fd = -1 };
        _cleanup_free_ char *ns = NULL;
        pid_t pid = child_start(&a, err);
        int fd = -1, r;

        if (pid < 0)
                return pid;
        ns = xasprintf("/proc/%d/ns/user", (int)pid);
        if ((r = write_map(pid, "uid_map", uids, err)) == 0 && (r = write_map(pid, "gid_map", gids, err)) == 0 &&
            (fd = open(ns, O_RDONLY | O_CLOEXEC)) < 0)
                r = cpod_error_sys(err, errno, "open %s", ns);
        child_finish(&a, pid);
        return r < 0 ? r : fd;
}

/* Parse /proc/PID/uid_map lines ("C H S") into m. */
static int parse_proc_map(const char *path, struct idmap *m, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        char *save = NULL;
        size_t len;

        if (read_file(path, &buf, &len, 1 << 16, err) < 0)
                return cpod_error_rc(err, -EIO);
        for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                unsigned c, h, n;
                if (sscanf(l, "%u %u %u", &c, &h, &n) == 3)
                        idmap_add(m, c, h, n);
        }
        return 0;
}

int idmap_read_userns(const char *nspath, struct idmap *ret_uids, struct idmap *ret_gids, cpod_error_t *err)
{
        _cleanup_close_ int fd = open(nspath, O_RDONLY | O_CLOEXEC);
        struct child_args a = { .join_fd = fd };
        _cleanup_free_ char *up = NULL, *gp = NULL;
        pid_t pid;
        int r;

        memset(ret_uids, 0, sizeof(*ret_uids));
        memset(ret_gids, 0, sizeof(*ret_gids));
        if (fd < 0)
                return cpod_error_sys(err, errno, "open %s", nspath);
        if ((pid = child_start(&a, err)) < 0)
                return cpod_error_wrap(err, "join the user namespace %s", nspath);
        up = xasprintf("/proc/%d/uid_map", (int)pid);
        gp = xasprintf("/proc/%d/gid_map", (int)pid);
        r = parse_proc_map(up, ret_uids, err);
        if (r == 0)
                r = parse_proc_map(gp, ret_gids, err);
        child_finish(&a, pid);
        return r;
}
