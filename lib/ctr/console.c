/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's --console-socket: it creates the pty inside the container
 * and sends us the master fd (SCM_RIGHTS); we relay it to our terminal in
 * raw mode, forward window sizes, and watch for the detach keys.
 */
#include "ctr/console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "ctr/attach.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

int console_listen(const char *path, cpod_error_t *err)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd;

        if (strlen(path) >= sizeof(sa.sun_path))
                return cpod_error_set(err, ENAMETOOLONG, CPOD_E_INTERNAL, "console socket path too long: %s", path);
        strcpy(sa.sun_path, path);
        (void)unlink(path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
                int r = cpod_error_sys(err, errno, "console socket %s", path);
                if (fd >= 0)
                        close(fd);
                return r;
        }
        return fd;
}

int console_receive(int listen_fd, int timeout_ms, cpod_error_t *err)
{
        struct pollfd p = { listen_fd, POLLIN, 0 };
        char buf[256], cbuf[CMSG_SPACE(sizeof(int))];
        struct iovec iov = { buf, sizeof(buf) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
        struct cmsghdr *cm;
        _cleanup_close_ int conn = -1;
        int fd = -1;

        if (poll(&p, 1, timeout_ms) <= 0)
                return cpod_error_set(err, ETIMEDOUT, CPOD_E_INTERNAL, "the runtime did not send the terminal");
        conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0 || recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0)
                return cpod_error_sys(err, errno, "receive the terminal from the runtime");
        for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
                        memcpy(&fd, CMSG_DATA(cm), sizeof(int));
        if (fd < 0)
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "the runtime sent no terminal fd");
        return fd;
}

static void copy_size(int from, int to)
{
        struct winsize ws;

        if (ioctl(from, TIOCGWINSZ, &ws) == 0)
                (void)ioctl(to, TIOCSWINSZ, &ws);
}

/* in -> master, watching for the detach keys; 1 when detached, -1 at EOF of in. */
static int from_user(int in, int master, const unsigned char *keys, int nkeys, int *matched)
{
        unsigned char buf[4096];
        ssize_t n = read(in, buf, sizeof(buf));

        if (n <= 0)
                return n < 0 && errno == EINTR ? 0 : -1;
        for (ssize_t i = 0; nkeys > 0 && i < n; i++) {
                *matched = buf[i] == keys[*matched] ? *matched + 1 : buf[i] == keys[0];
                if (*matched == nkeys)
                        return 1;
        }
        (void)write_all(master, buf, (size_t)n);
        return 0;
}

int console_relay(int master, const struct cpod_attach_streams *s, cpod_error_t *err)
{
        unsigned char keys[16];
        int nkeys = s->in >= 0 ? parse_detach_keys(s->detach_keys, keys, sizeof(keys)) : 0, matched = 0, ret = 0;
        struct termios saved;
        bool raw = s->in >= 0 && isatty(s->in) && tcgetattr(s->in, &saved) == 0;
        sigset_t set, old;
        int sfd;

        if (nkeys < 0)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid detach keys \"%s\"", s->detach_keys);
        sigemptyset(&set);
        sigaddset(&set, SIGWINCH);
        sigprocmask(SIG_BLOCK, &set, &old);
        sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (raw) {
                struct termios t = saved;
                cfmakeraw(&t);
                tcsetattr(s->in, TCSANOW, &t);
                copy_size(s->in, master);
        }
        for (bool in_open = s->in >= 0;;) {
                struct pollfd p[3] = { { master, POLLIN, 0 }, { in_open ? s->in : -1, POLLIN, 0 }, { sfd, POLLIN, 0 } };
                char buf[8192];
                ssize_t n;
                if (poll(p, 3, -1) < 0 && errno != EINTR)
                        break;
                if (p[2].revents) {
                        struct signalfd_siginfo si;
                        while (read(sfd, &si, sizeof(si)) == sizeof(si))
                                ;
                        if (raw)
                                copy_size(s->in, master);
                }
                if (p[1].revents) {
                        int r = from_user(s->in, master, keys, nkeys, &matched);
                        if (r == 1) {
                                ret = 1;
                                break;
                        }
                        in_open = r == 0;
                }
                if (p[0].revents) {
                        n = read(master, buf, sizeof(buf));
                        if (n <= 0 && !(n < 0 && errno == EINTR))
                                break; /* EIO: the last process holding the pty's slave exited */
                        if (n > 0 && s->out >= 0)
                                (void)write_all(s->out, buf, (size_t)n);
                }
        }
        if (raw)
                tcsetattr(s->in, TCSANOW, &saved);
        close(sfd);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return ret;
}
