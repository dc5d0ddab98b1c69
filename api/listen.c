/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "api/listen.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

#define BACKLOG 128

/* systemd's protocol: LISTEN_PID names us and LISTEN_FDS counts the fds from 3. */
static int inherited_fd(void)
{
        const char *pid = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");

        if (!pid || !n || strtol(pid, NULL, 10) != getpid() || strtol(n, NULL, 10) < 1)
                return -1;
        (void)unsetenv("LISTEN_PID");
        (void)unsetenv("LISTEN_FDS");
        (void)unsetenv("LISTEN_FDNAMES");
        (void)fcntl(3, F_SETFD, FD_CLOEXEC);
        return 3;
}

static int listen_unix(const char *path, cpod_error_t *err)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_free_ char *dir = xstrdup(path);
        _cleanup_close_ int fd = -1;
        char *slash = strrchr(dir, '/');

        if (path[0] != '/' || strlen(path) >= sizeof(sa.sun_path))
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid unix socket path '%s'", path);
        if (slash && slash != dir) {
                *slash = '\0';
                if (mkdir_p(dir, 0700, err) < 0)
                        return cpod_error_wrap(err, "create '%s'", dir);
        }
        memcpy(sa.sun_path, path, strlen(path) + 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return cpod_error_sys(err, errno, "socket");
        if (unlink(path) < 0 && errno != ENOENT)
                return cpod_error_sys(err, errno, "remove stale socket '%s'", path);
        /* Only the owner may connect: the socket is as powerful as root. */
        mode_t old = umask(0177);
        int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
        umask(old);
        if (r < 0)
                return cpod_error_sys(err, errno, "bind '%s'", path);
        if (listen(fd, BACKLOG) < 0)
                return cpod_error_sys(err, errno, "listen on '%s'", path);
        return TAKE_FD(fd);
}

static bool is_loopback(const struct addrinfo *ai)
{
        if (ai->ai_family == AF_INET)
                return (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127;
        if (ai->ai_family == AF_INET6)
                return IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
        return false;
}

static int listen_tcp(const char *hostport, char **ret_warn, cpod_error_t *err)
{
        struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
        _cleanup_free_ char *host = xstrdup(hostport);
        char *colon = strrchr(host, ':');
        struct addrinfo *ai = NULL;
        int fd, one = 1;

        if (!colon || colon == host || !colon[1])
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid tcp address '%s': want HOST:PORT",
                                      hostport);
        *colon = '\0';
        if (host[0] == '[' && colon[-1] == ']') {
                colon[-1] = '\0';
                memmove(host, host + 1, strlen(host));
        }
        if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai)
                return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid tcp address '%s'", hostport);
        if (!is_loopback(ai)) {
                freeaddrinfo(ai);
                return cpod_error_set(err, EPERM, CPOD_E_INVALID,
                                      "refusing to listen on '%s': the API is unauthenticated, use a loopback "
                                      "address",
                                      hostport);
        }
        fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
            bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, BACKLOG) < 0) {
                int e = errno;
                freeaddrinfo(ai);
                if (fd >= 0)
                        (void)close(fd);
                return cpod_error_sys(err, e, "listen on '%s'", hostport);
        }
        freeaddrinfo(ai);
        *ret_warn = xasprintf("API service listening on \"tcp:%s\": it is not authenticated, anyone who can reach "
                              "this port can run containers as this user",
                              hostport);
        return fd;
}

int api_listen(const char *uri, char **ret_path, char **ret_warn, cpod_error_t *err)
{
        int fd;

        *ret_path = NULL;
        *ret_warn = NULL;
        fd = inherited_fd();
        if (fd >= 0)
                return fd;
        if (strncmp(uri, "unix://", 7) == 0) {
                fd = listen_unix(uri + 7, err);
                if (fd >= 0)
                        *ret_path = xstrdup(uri + 7);
                return fd;
        }
        if (strncmp(uri, "tcp://", 6) == 0)
                return listen_tcp(uri + 6, ret_warn, err);
        if (strncmp(uri, "tcp:", 4) == 0)
                return listen_tcp(uri + 4, ret_warn, err);
        return cpod_error_set(err, EINVAL, CPOD_E_INVALID, "invalid URI '%s': want unix:///PATH or tcp:HOST:PORT", uri);
}
