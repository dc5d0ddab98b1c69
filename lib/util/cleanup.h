/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scope-bound cleanup for owned pointers and fds (GCC/Clang cleanup
 * attribute).  Hand ownership out with TAKE_PTR()/TAKE_FD().
 */
#ifndef CPOD_UTIL_CLEANUP_H
#define CPOD_UTIL_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p)
{
        free(*(void **)p);
}

static inline void closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                (void)close(*fd);
                errno = saved;
        }
}

static inline void fclosep(FILE **f)
{
        if (*f)
                (void)fclose(*f);
}

static inline void strvfreep(char ***v)
{
        if (*v) {
                for (char **p = *v; *p; p++)
                        free(*p);
                free(*v);
        }
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_strv_ _cleanup_(strvfreep)

/* Define a cleanup function for a type with a pointer-taking destructor. */
#define DEFINE_CLEANUP_FUNC(type, func)                                                                                \
        static inline void func##p(type **p)                                                                           \
        {                                                                                                              \
                if (*p)                                                                                                \
                        func(*p);                                                                                      \
        }

#define TAKE_PTR(p)                                                                                                    \
        ({                                                                                                             \
                __typeof__(p) _tp = (p);                                                                               \
                (p) = NULL;                                                                                            \
                _tp;                                                                                                   \
        })

#define TAKE_FD(fd)                                                                                                    \
        ({                                                                                                             \
                int _tfd = (fd);                                                                                       \
                (fd) = -1;                                                                                             \
                _tfd;                                                                                                  \
        })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
