/* SPDX-License-Identifier: Apache-2.0 */
#include "util/random.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static size_t from_urandom(unsigned char *p, size_t n)
{
        int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
        size_t got = 0;

        while (fd >= 0 && got < n) {
                ssize_t r = read(fd, p + got, n - got);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                got += (size_t)r;
        }
        if (fd >= 0)
                close(fd);
        return got;
}

/* splitmix64: only when the kernel gives no randomness at all (no getrandom, no /dev/urandom). */
static void from_clock(unsigned char *p, size_t n)
{
        static __thread uint64_t state;
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        state ^= (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ ((uint64_t)getpid() << 16);
        for (size_t i = 0; i < n; i++) {
                uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
                z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
                p[i] = (unsigned char)(z ^ (z >> 31));
        }
}

void random_bytes(void *buf, size_t n)
{
        unsigned char *p = buf;
        size_t got = 0;

        while (got < n) {
                ssize_t r = getrandom(p + got, n - got, 0);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                got += (size_t)r;
        }
        if (got < n)
                got += from_urandom(p + got, n - got);
        if (got < n)
                from_clock(p + got, n - got);
}
