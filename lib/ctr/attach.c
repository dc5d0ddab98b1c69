/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Relaying a container's streams through conmon's attach socket
 * (SOCK_SEQPACKET; each packet from conmon starts with a stream byte:
 * 2 stdout, 3 stderr).  Our stdin goes to the socket; its EOF becomes a
 * shutdown so conmon closes the container's stdin.  With a tty, the local
 * terminal is put in raw mode, window sizes go to conmon's ctl FIFO, and
 * the detach keys (default ctrl-p,ctrl-q) end the session without
 * stopping the container.  Without a tty, signals sent to us are proxied
 * to the container.
 */
#include "ctr/attach.h"

#include <ctype.h>
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

#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

#define ATTACH_BUF (8192 + 1)

int attach_connect(const char *bundle, cpod_error_t *err)
{
        _cleanup_close_ int dirfd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd;

        if (dirfd < 0)
                return cpod_error_sys(err, errno, "open '%s'", bundle);
        /* The bundle path may be longer than sun_path: go through /proc/self/fd. */
        snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/attach", dirfd);
        fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return cpod_error_sys(err, errno, "socket");
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int r = cpod_error_sys(err, errno, "connect to the attach socket of '%s'", bundle);
                close(fd);
                return r;
        }
        return fd;
}

/* "ctrl-p,ctrl-q" -> bytes; returns count (0 = detaching disabled). */
int parse_detach_keys(const char *spec, unsigned char *keys, size_t max)
{
        size_t n = 0;
        const char *p = spec;

        if (!spec)
                spec = p = "ctrl-p,ctrl-q";
        while (*p && n < max) {
                size_t len = strcspn(p, ",");
                if (len > 5 && strncmp(p, "ctrl-", 5) == 0) {
                        char c = (char)tolower((unsigned char)p[5]);
                        if (len == 6 && c >= 'a' && c <= 'z')
                                keys[n++] = (unsigned char)(c - 'a' + 1);
                        else if (len == 6 && strchr("@[\\]^_", p[5]))
                                keys[n++] = (unsigned char)(p[5] - '@');
                        else
                                return -1;
                } else if (len == 1) {
                        keys[n++] = (unsigned char)p[0];
                } else {
                        return -1;
                }
                p += len + (p[len] == ',');
        }
        return (int)n;
}

void attach_resize(const char *ctl, int tty_fd)
{
        struct winsize ws;
        char msg[64];
        int fd, n;

        if (!ctl || ioctl(tty_fd, TIOCGWINSZ, &ws) < 0)
                return;
        fd = open(ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return;
        n = snprintf(msg, sizeof(msg), "1 %d %d\n", ws.ws_row, ws.ws_col);
        (void)write_all(fd, msg, (size_t)n);
        close(fd);
}

struct relay {
        const struct cpod_attach_streams *s;
        int sock;
        unsigned char keys[16];
        int nkeys, matched;
        bool in_open;
};

/* Forward stdin to the socket, watching for the detach sequence.  1 = detached. */
static int pump_stdin(struct relay *r)
{
        unsigned char buf[ATTACH_BUF - 1];
        ssize_t n = read(r->s->in, buf, sizeof(buf));

        if (n <= 0) {
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        return 0;
                r->in_open = false;
                (void)shutdown(r->sock, SHUT_WR);
                return 0;
        }
        for (ssize_t i = 0; r->nkeys > 0 && i < n; i++) {
                r->matched = buf[i] == r->keys[r->matched] ? r->matched + 1 : buf[i] == r->keys[0];
                if (r->matched == r->nkeys)
                        return 1;
        }
        (void)send(r->sock, buf, (size_t)n, MSG_NOSIGNAL);
        return 0;
}

/* Socket to stdout/stderr.  Returns 1 at EOF. */
static int pump_socket(struct relay *r)
{
        char buf[ATTACH_BUF];
        ssize_t n = recv(r->sock, buf, sizeof(buf), 0);
        int fd;

        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return 0;
        if (n <= 0)
                return 1;
        fd = buf[0] == 3 ? r->s->err : r->s->out;
        if (fd >= 0 && n > 1)
                (void)write_all(fd, buf + 1, (size_t)n - 1);
        return 0;
}

static int setup_signals(bool tty, sigset_t *old)
{
        sigset_t set;

        sigemptyset(&set);
        sigaddset(&set, SIGWINCH);
        if (!tty) {
                int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
                for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                        sigaddset(&set, sigs[i]);
        }
        sigprocmask(SIG_BLOCK, &set, old);
        return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void handle_signal(int sfd, const struct cpod_attach_streams *s, const char *ctl, int ctr_pid)
{
        struct signalfd_siginfo si;

        while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
                if (si.ssi_signo == SIGWINCH)
                        attach_resize(ctl, s->in >= 0 ? s->in : STDOUT_FILENO);
                else if (s->sig_proxy && ctr_pid > 0)
                        (void)kill(ctr_pid, (int)si.ssi_signo);
        }
}

int attach_relay(int sock, const struct cpod_attach_streams *s, const char *ctl, int ctr_pid, cpod_error_t *err)
{
        struct relay r = { .s = s, .sock = sock, .in_open = s->in >= 0 };
        struct termios saved;
        bool raw = s->tty && s->in >= 0 && isatty(s->in) && tcgetattr(s->in, &saved) == 0;
        sigset_t old;
        int sfd = setup_signals(s->tty, &old), ret = 0;

        r.nkeys = s->in >= 0 ? parse_detach_keys(s->detach_keys, r.keys, sizeof(r.keys)) : 0;
        if (r.nkeys < 0) {
                close(sfd);
                sigprocmask(SIG_SETMASK, &old, NULL);
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid detach keys \"%s\"", s->detach_keys);
        }
        if (raw) {
                struct termios t = saved;
                cfmakeraw(&t);
                tcsetattr(s->in, TCSANOW, &t);
        }
        if (s->tty)
                attach_resize(ctl, s->in >= 0 ? s->in : STDOUT_FILENO);
        for (;;) {
                struct pollfd p[3] = { { sock, POLLIN, 0 }, { r.in_open ? s->in : -1, POLLIN, 0 }, { sfd, POLLIN, 0 } };
                if (poll(p, 3, -1) < 0 && errno != EINTR)
                        break;
                if (p[2].revents)
                        handle_signal(sfd, s, ctl, ctr_pid);
                if (p[1].revents && pump_stdin(&r) == 1) {
                        ret = 1;
                        break;
                }
                if (s->stdin_only && !r.in_open)
                        break;
                if (p[0].revents && pump_socket(&r) == 1)
                        break;
        }
        if (raw)
                tcsetattr(s->in, TCSANOW, &saved);
        close(sfd);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return ret;
}
