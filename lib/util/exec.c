/* SPDX-License-Identifier: Apache-2.0 */
#include "util/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/strv.h"
#include "util/xalloc.h"
#include "util/fileutil.h"

extern char **environ;

char **environ_without(const char *key)
{
        size_t n = strlen(key);
        char **v = xnew0(char *, 1);

        for (char **e = environ; *e; e++)
                if (strncmp(*e, key, n) != 0 || (*e)[n] != '=')
                        strv_add(&v, *e);
        return v;
}

static int add_stdio(posix_spawn_file_actions_t *fa, int fd, int target)
{
        if (fd == -1)
                return 0;
        if (fd == -2)
                return posix_spawn_file_actions_addopen(fa, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0);
        /* dup2 onto the target clears FD_CLOEXEC (glibc >= 2.29 also when fd == target). */
        return posix_spawn_file_actions_adddup2(fa, fd, target);
}

int child_start(struct child_process *cp, cpod_error_t *err)
{
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        _cleanup_free_ char *prog = NULL;
        short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
        sigset_t none, all;
        int r;

        prog = find_executable(cp->argv[0], NULL);
        if (!prog)
                return cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED, "executable '%s' not found in $PATH",
                                      cp->argv[0]);
        posix_spawn_file_actions_init(&fa);
        posix_spawnattr_init(&attr);
        r = add_stdio(&fa, cp->in, 0);
        if (r == 0)
                r = add_stdio(&fa, cp->out, 1);
        if (r == 0)
                r = add_stdio(&fa, cp->err, 2);
        for (int i = 0; r == 0 && i < cp->n_keep_fds; i++) {
                /* dup2 to itself clears FD_CLOEXEC in glibc's posix_spawn (since 2.29). */
                r = posix_spawn_file_actions_adddup2(&fa, cp->keep_fds[i], cp->keep_fds[i]);
        }
        if (r == 0 && cp->dir)
                r = posix_spawn_file_actions_addchdir_np(&fa, cp->dir);
        if (cp->new_session)
                flags |= POSIX_SPAWN_SETSID;
        sigemptyset(&none);
        sigfillset(&all);
        sigdelset(&all, SIGKILL);
        sigdelset(&all, SIGSTOP);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setflags(&attr, flags);
        if (r == 0)
                r = posix_spawn(&cp->pid, prog, &fa, &attr, (char *const *)cp->argv,
                                cp->env ? (char *const *)cp->env : environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        if (r != 0)
                return cpod_error_sys(err, r, "start '%s'", prog);
        return 0;
}

int child_finish(struct child_process *cp, cpod_error_t *err)
{
        int status;

        while (waitpid(cp->pid, &status, 0) < 0) {
                if (errno != EINTR)
                        return cpod_error_sys(err, errno, "wait for '%s'", cp->argv[0]);
        }
        cp->pid = 0;
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

static void drain(int fds[2], struct strbuf *bufs[2])
{
        struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
        int open_fds = (fds[0] >= 0) + (fds[1] >= 0);

        while (open_fds > 0) {
                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                for (int i = 0; i < 2; i++) {
                        char buf[8192];
                        ssize_t n;

                        if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                                continue;
                        n = read(p[i].fd, buf, sizeof(buf));
                        if (n > 0) {
                                if (bufs[i]->len < (64u << 20))
                                        strbuf_add(bufs[i], buf, (size_t)n);
                                continue;
                        }
                        if (n < 0 && errno == EINTR)
                                continue;
                        p[i].fd = -1;
                        open_fds--;
                }
        }
}

static int run_capture_fd(const char *const *argv, const char *const *env, const char *dir, int in,
                          struct strbuf *ret_out, struct strbuf *ret_err, cpod_error_t *err)
{
        struct child_process cp = CHILD_PROCESS_INIT;
        struct strbuf dummy = STRBUF_INIT;
        int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, fds[2], r;
        struct strbuf *bufs[2] = { ret_out ? ret_out : &dummy, ret_err ? ret_err : &dummy };

        if (pipe2(po, O_CLOEXEC) < 0 || (ret_err && pipe2(pe, O_CLOEXEC) < 0)) {
                r = cpod_error_sys(err, errno, "pipe");
                goto out;
        }
        cp.argv = argv;
        cp.env = env;
        cp.dir = dir;
        cp.in = in;
        cp.out = po[1];
        cp.err = ret_err ? pe[1] : -2;
        r = child_start(&cp, err);
        close(po[1]);
        po[1] = -1;
        if (pe[1] >= 0) {
                close(pe[1]);
                pe[1] = -1;
        }
        if (r < 0)
                goto out;
        fds[0] = po[0];
        fds[1] = pe[0];
        drain(fds, bufs);
        r = child_finish(&cp, err);
out:
        for (int i = 0; i < 2; i++) {
                if (po[i] >= 0)
                        close(po[i]);
                if (pe[i] >= 0)
                        close(pe[i]);
        }
        strbuf_release(&dummy);
        return r;
}

int run_capture(const char *const *argv, const char *const *env, struct strbuf *ret_out, struct strbuf *ret_err,
                cpod_error_t *err)
{
        return run_capture_fd(argv, env, NULL, -2, ret_out, ret_err, err);
}

int run_capture_in(const char *const *argv, const char *const *env, const char *dir, struct strbuf *ret_out,
                   struct strbuf *ret_err, cpod_error_t *err)
{
        return run_capture_fd(argv, env, dir, -2, ret_out, ret_err, err);
}

int run_capture_input(const char *const *argv, const char *const *env, const char *input, struct strbuf *ret_out,
                      struct strbuf *ret_err, cpod_error_t *err)
{
        int fd = memfd_create("cpod-stdin", MFD_CLOEXEC), r;

        if (fd < 0)
                return cpod_error_sys(err, errno, "memfd_create");
        if (write_all(fd, input, strlen(input)) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
                r = cpod_error_sys(err, errno, "write the input of %s", argv[0]);
                close(fd);
                return r;
        }
        r = run_capture_fd(argv, env, NULL, fd, ret_out, ret_err, err);
        close(fd);
        return r;
}
