/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An exec session's thread: cpod_ctr_exec with pipes for the process's stdio, and a relay thread
 * that frames stdout and stderr into the client's stream and feeds what the client sends into
 * stdin.  The client's half-close (shutdown of its sending side) closes the process's stdin.  The
 * exit code is recorded before the stream ends: clients inspect the session as soon as it does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpod/container.h>

#include "api/exec-run.h"
#include "api/server.h"
#include "util/xalloc.h"

struct run {
        struct api_server *srv;
        struct api_exec *e;
        struct api_conn *conn;
        int out_fd;             /* the client's stream: conn->fd, a reply pipe, or -1 */
        int in_w, out_r, err_r; /* our ends of the process's stdio pipes, -1 when none */
        char buf[32768];        /* what the client sent last */
        char *early;            /* or what it sent with its request */
        char *pending;          /* client bytes not yet written to stdin: into buf or early */
        size_t pending_len, pending_off;
        bool client_eof, client_gone;
};

static void close_fd(int *fd)
{
        if (*fd >= 0)
                (void)close(*fd);
        *fd = -1;
}

/* A pipe's read end into the stream; false at its EOF. */
static bool pump_output(struct run *x, int *fd, int stream)
{
        char buf[32768];
        ssize_t n = read(*fd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR)
                return true;
        if (n <= 0) {
                close_fd(fd);
                return false;
        }
        if (!x->client_gone && x->out_fd >= 0 && api_write_frame(x->out_fd, x->e->tty ? 0 : stream, buf, (size_t)n) < 0)
                x->client_gone = true; /* keep draining, so the process does not block on a full pipe */
        return true;
}

static void read_client(struct run *x)
{
        ssize_t n;

        x->pending = x->buf;
        n = read(x->conn->fd, x->buf, sizeof(x->buf));
        if (n < 0 && errno == EINTR)
                return;
        if (n <= 0) {
                x->client_eof = true;
                return;
        }
        x->pending_len = (size_t)n;
        x->pending_off = 0;
}

static void write_stdin(struct run *x)
{
        ssize_t n = write(x->in_w, x->pending + x->pending_off, x->pending_len - x->pending_off);

        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return;
        if (n < 0) { /* the process closed its stdin: what the client sends goes nowhere */
                close_fd(&x->in_w);
                x->pending_len = x->pending_off = 0;
                return;
        }
        x->pending_off += (size_t)n;
        if (x->pending_off == x->pending_len)
                x->pending_len = x->pending_off = 0;
}

static void *relay(void *arg)
{
        struct run *x = arg;

        while (x->out_r >= 0 || x->err_r >= 0) {
                bool want_client = x->in_w >= 0 && !x->client_eof && x->pending_len == 0;
                struct pollfd p[4] = { { x->out_r, POLLIN, 0 },
                                       { x->err_r, POLLIN, 0 },
                                       { want_client ? x->conn->fd : -1, POLLIN, 0 },
                                       { x->in_w >= 0 && x->pending_len ? x->in_w : -1, POLLOUT, 0 } };
                if (poll(p, 4, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (p[0].revents)
                        (void)pump_output(x, &x->out_r, 1);
                if (p[1].revents)
                        (void)pump_output(x, &x->err_r, 2);
                if (p[2].revents)
                        read_client(x);
                if (p[3].revents)
                        write_stdin(x);
                if (x->client_eof && x->pending_len == 0)
                        close_fd(&x->in_w); /* the client's half-close: the process's stdin ends */
        }
        close_fd(&x->in_w);
        return NULL;
}

static void on_start(void *ud, int pid, int pty)
{
        struct run *x = ud;

        api_exec_running(&x->srv->execs, x->e, pid, pty);
}

/* Exit code for an exec that could not run, as the CLI's: 126 cannot invoke, 127 not found. */
static int failure_code(const cpod_error_t *err)
{
        return err->kind == CPOD_E_CMD_NOT_FOUND ? 127 : err->kind == CPOD_E_CMD_PERM ? 126 : 126;
}

/* Run the process with the given stdio; returns its exit code (and writes a failure to the stream). */
static int exec_process(struct run *x, const struct cpod_attach_streams *s)
{
        const struct api_exec *e = x->e;
        struct cpod_exec_opts o = { .argv = e->argv,
                                    .env = e->env,
                                    .user = e->user,
                                    .workdir = e->workdir,
                                    .tty = e->tty,
                                    .privileged = e->privileged,
                                    .on_start = on_start,
                                    .on_start_ud = x };
        cpod_error_t err = CPOD_ERROR_INIT;
        struct cpod_runtime *rt = NULL;
        int code = 0;

        if (cpod_runtime_open(x->srv->opts->rt_opts, &rt, &err) < 0 ||
            cpod_ctr_exec(rt, e->ctr, &o, s, &code, NULL, &err) < 0) {
                char *msg = xasprintf("%s\n", cpod_error_msg(&err));
                code = failure_code(&err);
                if (x->out_fd >= 0 && !x->client_gone)
                        (void)api_write_frame(x->out_fd, e->tty ? 0 : 2, msg, strlen(msg));
                free(msg);
                cpod_error_clear(&err);
        }
        cpod_runtime_unref(rt);
        return code;
}

static int devnull(void)
{
        return open("/dev/null", O_RDWR | O_CLOEXEC);
}

/* The pipes of the process's stdio: our ends in x, the process's in s. */
static void make_pipes(struct run *x, struct cpod_attach_streams *s)
{
        int p[2];

        /* Without a tty the stream is binary: no detach keys unless asked for. */
        *s = (struct cpod_attach_streams){ .in = -1,
                                           .out = devnull(),
                                           .err = -1,
                                           .tty = x->e->tty,
                                           .detach_keys = x->e->detach_keys ? x->e->detach_keys
                                                          : x->e->tty       ? NULL
                                                                            : "" };
        if (x->conn && x->e->attach_in && pipe2(p, O_CLOEXEC) == 0) {
                s->in = p[0];
                x->in_w = p[1];
                (void)fcntl(x->in_w, F_SETFL, O_NONBLOCK);
        }
        if (x->out_fd >= 0 && x->e->attach_out && pipe2(p, O_CLOEXEC) == 0) {
                close_fd(&s->out);
                s->out = p[1];
                x->out_r = p[0];
        }
        if (!x->e->tty)
                s->err = devnull();
        if (!x->e->tty && x->out_fd >= 0 && x->e->attach_err && pipe2(p, O_CLOEXEC) == 0) {
                close_fd(&s->err);
                s->err = p[1];
                x->err_r = p[0];
        }
}

static void *run_thread(void *arg)
{
        struct run *x = arg;
        struct cpod_attach_streams s;
        pthread_t relay_t;
        bool relaying;
        int code;

        make_pipes(x, &s);
        if (x->conn && x->conn->early_len > 0) { /* stdin the client sent with its request */
                x->pending = x->early = x->conn->early;
                x->pending_len = x->conn->early_len;
                x->conn->early = NULL;
                x->conn->early_len = 0;
        }
        relaying = pthread_create(&relay_t, NULL, relay, x) == 0;
        code = exec_process(x, &s);
        close_fd(&s.in);
        close_fd(&s.out);
        close_fd(&s.err);
        if (relaying)
                (void)pthread_join(relay_t, NULL);
        close_fd(&x->out_r);
        close_fd(&x->err_r);
        close_fd(&x->in_w);
        api_exec_end(&x->srv->execs, x->e, code);
        if (x->conn)
                api_conn_close(x->conn);
        else
                close_fd(&x->out_fd);
        api_exec_put(&x->srv->execs, x->e);
        api_server_release(x->srv);
        free(x->early);
        free(x);
        return NULL;
}

void api_exec_run(struct api_server *srv, struct api_exec *e, struct api_conn *conn, int out_fd)
{
        struct run *x = xnew0(struct run, 1);
        pthread_attr_t attr;
        pthread_t t;

        *x = (struct run){ .srv = srv,
                           .e = e,
                           .conn = conn,
                           .out_fd = conn ? conn->fd : out_fd,
                           .in_w = -1,
                           .out_r = -1,
                           .err_r = -1 };
        api_server_hold(srv);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, run_thread, x) != 0)
                (void)run_thread(x); /* no thread: run here (this connection waits) */
        pthread_attr_destroy(&attr);
}
