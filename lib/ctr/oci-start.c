/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Starting a created container.  `runc start` does three things (libcontainer's exec()): it
 * checks that the container is still "created" (its exec FIFO, <state dir>/exec.fifo, exists),
 * opens the FIFO for reading, which lets runc init open its writing end and write one byte, reads
 * until runc init closes it (just before it execs the container's process), and removes the FIFO.  cpod does
 * the same itself with runc, which saves a runtime process per start (runc start: ~6 ms of CPU and
 * ~12 ms of wall time here), and then waits for runc init's exec as runc start's own exit gave it
 * time to.  Anything unexpected (another runtime, no FIFO, or a runtime that moved its FIFO) takes
 * `<runtime> start`, whose errors are the reference.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr/ctr.h"
#include "ctr/oci.h"
#include "runtime/runtime-internal.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/xalloc.h"

/* Read the FIFO to its end: 1 when runc init wrote its byte and exec'd, 0 when it never wrote. */
static int drain(int fd, int pid)
{
        bool got = false;

        for (;;) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                char b[16];
                ssize_t n;
                int r = poll(&p, 1, 100);
                if (r < 0 && errno != EINTR)
                        return got;
                if (r == 0 && !process_alive(pid, 0)) {
                        /* It may have written and exited between two polls: what is there counts. */
                        while ((n = read(fd, b, sizeof(b))) > 0)
                                got = true;
                        return got;
                }
                if (r <= 0)
                        continue;
                n = read(fd, b, sizeof(b));
                if (n > 0)
                        got = true;
                else if (n == 0 && (got || (p.revents & POLLHUP)))
                        return got; /* the writer closed it */
                else if (n < 0 && errno != EAGAIN && errno != EINTR)
                        return got;
        }
}

/*
 * runc init closes the FIFO just before it execs the container's command: wait (briefly) for the
 * exec too, so that whoever looks right after start sees the command, not runc init.
 */
static void await_exec(int pid)
{
        char path[64], comm[32];

        snprintf(path, sizeof(path), "/proc/%d/comm", pid);
        for (int i = 0; i < 500; i++) {
                _cleanup_fclose_ FILE *f = fopen(path, "re");
                if (!f || !fgets(comm, sizeof(comm), f) || strncmp(comm, "runc:[2:INIT]", 13) != 0)
                        return;
                usleep(200);
        }
}

/* 1: not for this path (use `runtime start`), 0: started, < 0: failed. */
static int fifo_start(struct cpod_runtime *rt, const char *id, int pid, cpod_error_t *err)
{
        const struct cpod_oci_runtime *oci;
        _cleanup_free_ char *dir = NULL, *fifo = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;

        /* NOTIFY_SOCKET never reaches the runtime (oci_run drops it; conmon relays READY=1, sdnotify.h). */
        if (pid <= 0 || cpod_runtime_oci(rt, &oci, NULL) < 0 || strcmp(oci->name, "runc") != 0)
                return 1;
        dir = path_join(rt->oci_root, id);
        fifo = path_join(dir, "exec.fifo");
        if (lstat(fifo, &st) < 0 || !S_ISFIFO(st.st_mode))
                return 1;
        fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return 1;
        if (!drain(fd, pid))
                return cpod_error_set(err, EIO, CPOD_E_INTERNAL, "%s start: container process is already dead",
                                      oci->name);
        (void)unlink(fifo);
        await_exec(pid);
        return 0;
}

int oci_start(struct cpod_runtime *rt, const char *id, int pid, cpod_error_t *err)
{
        const char *a[] = { id, NULL };
        int r = fifo_start(rt, id, pid, err);

        return r <= 0 ? r : oci_run(rt, "start", a, err);
}
