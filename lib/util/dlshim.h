/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Libraries loaded on first use.  A shim file defines stand-ins for the
 * functions cpod calls (same names and types as the library's header) that
 * resolve the real function with dlopen/dlsym the first time they run, so
 * the library costs nothing to commands that never call it.  Used for
 * libcurl, libarchive and libcrypto (see the *-shim.c files).
 */
#ifndef CPOD_UTIL_DLSHIM_H
#define CPOD_UTIL_DLSHIM_H

#include <pthread.h>

#include <cpod/error.h>

struct dlshim {
        const char *soname;  /* "libcurl.so.4" */
        const char *purpose; /* for the error: "needed for registry access" */
        pthread_mutex_t lock;
        void *handle;
};

/* clang-format off */
#define DLSHIM_INIT(soname, purpose) { soname, purpose, PTHREAD_MUTEX_INITIALIZER, NULL }
/* clang-format on */

/* Load the library now: 0, or an error saying which library is missing and what needs it. */
int dlshim_open(struct dlshim *s, cpod_error_t *err);
/*
 * The library's symbol, or NULL when the library or the symbol is missing: the stand-in then
 * returns its failure value.  Entry points call the shim's *_shim_open() first (util/shims.h),
 * so a missing library is reported as such rather than as the first call failing.
 */
void *dlshim_sym(struct dlshim *s, const char *name);

/*
 * Define `ret name params` forwarding to the library's function of that name, returning fail when
 * the library cannot be loaded.  The resolved pointer is cached with atomics: shims are called
 * from threads.
 */
#define DLSHIM_FWD(shim, ret, name, params, args, fail)                                                                \
        ret name params                                                                                                \
        {                                                                                                              \
                static ret(*real) params;                                                                              \
                ret(*fwd_) params = __atomic_load_n(&real, __ATOMIC_ACQUIRE);                                          \
                if (!fwd_) {                                                                                           \
                        fwd_ = (ret(*) params)dlshim_sym(&(shim), #name);                                              \
                        if (!fwd_)                                                                                     \
                                return fail;                                                                           \
                        __atomic_store_n(&real, fwd_, __ATOMIC_RELEASE);                                               \
                }                                                                                                      \
                return fwd_ args;                                                                                      \
        }

/* The same for functions returning void. */
#define DLSHIM_FWD_VOID(shim, name, params, args)                                                                      \
        void name params                                                                                               \
        {                                                                                                              \
                static void(*real) params;                                                                             \
                void(*fwd_) params = __atomic_load_n(&real, __ATOMIC_ACQUIRE);                                         \
                if (!fwd_) {                                                                                           \
                        fwd_ = (void(*) params)dlshim_sym(&(shim), #name);                                             \
                        if (!fwd_)                                                                                     \
                                return;                                                                                \
                        __atomic_store_n(&real, fwd_, __ATOMIC_RELEASE);                                               \
                }                                                                                                      \
                fwd_ args;                                                                                             \
        }

#endif
