/* SPDX-License-Identifier: Apache-2.0 */
/* The exec sessions of the service (see exec-table.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "api/exec-table.h"
#include "util/strv.h"
#include "util/xalloc.h"

/* Ended sessions are kept this long for clients that inspect them (dockerd keeps them 5 minutes). */
#define KEEP_ENDED_S 300

static long long mono_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec;
}

void api_execs_init(struct api_execs *t)
{
        pthread_mutex_init(&t->lock, NULL);
        t->head = NULL;
}

static void exec_free(struct api_exec *e)
{
        if (e->pty >= 0)
                (void)close(e->pty);
        strv_free(e->argv);
        strv_free(e->env);
        free(e->user);
        free(e->workdir);
        free(e->detach_keys);
        free(e);
}

static void unref_locked(struct api_exec *e)
{
        if (--e->refs == 0)
                exec_free(e);
}

void api_execs_release(struct api_execs *t)
{
        struct api_exec *e, *next;

        pthread_mutex_lock(&t->lock);
        for (e = t->head; e; e = next) {
                next = e->next;
                unref_locked(e);
        }
        t->head = NULL;
        pthread_mutex_unlock(&t->lock);
        pthread_mutex_destroy(&t->lock);
}

void api_exec_add(struct api_execs *t, struct api_exec *e)
{
        long long now = mono_s();
        struct api_exec **p;

        e->refs = 1;
        e->pty = -1;
        pthread_mutex_lock(&t->lock);
        for (p = &t->head; *p;) {
                struct api_exec *x = *p;
                if (x->exited && now - x->done_at > KEEP_ENDED_S) {
                        *p = x->next;
                        unref_locked(x);
                } else {
                        p = &x->next;
                }
        }
        e->next = t->head;
        t->head = e;
        pthread_mutex_unlock(&t->lock);
}

struct api_exec *api_exec_get(struct api_execs *t, const char *id)
{
        struct api_exec *e, *found = NULL;
        size_t n = strlen(id);
        int hits = 0;

        if (n == 0)
                return NULL;
        pthread_mutex_lock(&t->lock);
        for (e = t->head; e; e = e->next) {
                if (strcmp(e->id, id) == 0) {
                        found = e;
                        hits = 1;
                        break;
                }
                if (strncmp(e->id, id, n) == 0) {
                        found = e;
                        hits++;
                }
        }
        if (hits != 1)
                found = NULL;
        if (found)
                found->refs++;
        pthread_mutex_unlock(&t->lock);
        return found;
}

void api_exec_put(struct api_execs *t, struct api_exec *e)
{
        if (!e)
                return;
        pthread_mutex_lock(&t->lock);
        unref_locked(e);
        pthread_mutex_unlock(&t->lock);
}

json_t *api_exec_json(struct api_execs *t, struct api_exec *e)
{
        json_t *args = json_array(), *j;

        for (char **a = e->argv + 1; *a; a++)
                json_array_append_new(args, json_string(*a));
        pthread_mutex_lock(&t->lock);
        j = json_pack("{s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:o, s:i, s:s, s:{s:s, s:o, s:b, s:b, s:s}}", "ID", e->id,
                      "ContainerID", e->ctr, "Running", e->running, "OpenStdin", e->attach_in, "OpenStdout",
                      e->attach_out, "OpenStderr", e->attach_err, "CanRemove", false, "ExitCode",
                      e->exited ? json_integer(e->exit_code) : json_null(), "Pid", e->pid, "DetachKeys",
                      e->detach_keys ? e->detach_keys : "", "ProcessConfig", "entrypoint", e->argv[0], "arguments",
                      args, "tty", e->tty, "privileged", e->privileged, "user", e->user ? e->user : "");
        pthread_mutex_unlock(&t->lock);
        return j;
}

bool api_exec_begin(struct api_execs *t, struct api_exec *e)
{
        bool first;

        pthread_mutex_lock(&t->lock);
        first = !e->started;
        e->started = true;
        pthread_mutex_unlock(&t->lock);
        return first;
}

void api_exec_running(struct api_execs *t, struct api_exec *e, int pid, int pty)
{
        pthread_mutex_lock(&t->lock);
        e->running = true;
        e->pid = pid;
        if (pty >= 0 && e->pty < 0)
                e->pty = fcntl(pty, F_DUPFD_CLOEXEC, 3);
        if (e->pty >= 0 && e->rows > 0 && e->cols > 0) {
                struct winsize ws = { .ws_row = (unsigned short)e->rows, .ws_col = (unsigned short)e->cols };
                (void)ioctl(e->pty, TIOCSWINSZ, &ws);
        }
        pthread_mutex_unlock(&t->lock);
}

void api_exec_end(struct api_execs *t, struct api_exec *e, int exit_code)
{
        pthread_mutex_lock(&t->lock);
        e->running = false;
        e->exited = true;
        e->exit_code = exit_code;
        e->done_at = mono_s();
        if (e->pty >= 0)
                (void)close(e->pty);
        e->pty = -1;
        pthread_mutex_unlock(&t->lock);
}

int api_exec_resize(struct api_execs *t, struct api_exec *e, int rows, int cols)
{
        struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
        int r = 0;

        if (!e->tty)
                return -ENOTTY;
        pthread_mutex_lock(&t->lock);
        /* Before the terminal exists (clients resize right after start) the size waits for it. */
        e->rows = rows;
        e->cols = cols;
        if (e->pty >= 0 && ioctl(e->pty, TIOCSWINSZ, &ws) < 0)
                r = -errno;
        pthread_mutex_unlock(&t->lock);
        return r;
}
