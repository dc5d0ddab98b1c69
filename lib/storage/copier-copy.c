/* SPDX-License-Identifier: Apache-2.0 */
/* copier_copy: copier_get from one root into copier_put in another, through a socketpair; fd adapters. */
#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "storage/copier.h"
#include "util/fileutil.h"

struct producer {
        int rootfd;
        const char *canon;
        const struct stat *st;
        const struct copier_get_opts *o;
        int fd;
        int r;
        cpod_error_t err;
};

static int sock_write(void *ud, const void *buf, size_t len)
{
        const char *p = buf;
        int fd = *(int *)ud;

        while (len > 0) {
                ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int copier_fd_write(void *ud, const void *buf, size_t len)
{
        return write_all(*(int *)ud, buf, len);
}

ssize_t copier_fd_read(void *ud, void *buf, size_t len)
{
        ssize_t n;

        do
                n = read(*(int *)ud, buf, len);
        while (n < 0 && errno == EINTR);
        return n < 0 ? -errno : n;
}

static void *produce(void *arg)
{
        struct producer *p = arg;

        p->r = copier_get(p->rootfd, p->canon, p->st, p->o, sock_write, &p->fd, &p->err);
        shutdown(p->fd, SHUT_WR); /* EOF for the reader */
        return NULL;
}

int copier_copy(int src_rootfd, const char *canon, const struct stat *st, const struct copier_get_opts *go,
                struct copier_put_opts *po, cpod_error_t *err)
{
        struct producer p = { .rootfd = src_rootfd, .canon = canon, .st = st, .o = go, .err = CPOD_ERROR_INIT };
        pthread_t th;
        int sv[2], r;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return cpod_error_sys(err, errno, "socketpair");
        p.fd = sv[0];
        if ((r = pthread_create(&th, NULL, produce, &p)) != 0) {
                close(sv[0]);
                close(sv[1]);
                return cpod_error_sys(err, r, "start copy thread");
        }
        po->read = copier_fd_read;
        po->ud = &sv[1];
        r = copier_put(po, err);
        shutdown(sv[1], SHUT_RDWR); /* a writer still sending gets EPIPE and stops */
        pthread_join(th, NULL);
        close(sv[0]);
        close(sv[1]);
        /* The producer's failure explains the reader's (a truncated or empty stream), unless it
         * only saw the reader hang up (EPIPE): then the reader's error is the real one. */
        if (p.r < 0 && (r == 0 || p.err.code != EPIPE)) {
                cpod_error_move(err, &p.err);
                r = p.r;
        }
        cpod_error_clear(&p.err);
        return r;
}
