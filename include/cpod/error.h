/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpod error convention.
 *
 * A fallible function takes `cpod_error_t *err` as its last argument and
 * returns < 0 (a negated errno where one fits) or NULL on failure.  The
 * error then holds a positive errno-style code, a kind (which the CLI maps
 * to podman's exit codes and messages) and a message chain built by
 * cpod_error_wrap() as the error travels up: "outer: inner: cause".
 *
 * The caller owns the cpod_error_t (usually on its stack, initialised with
 * CPOD_ERROR_INIT) and releases it with cpod_error_clear().  lib/ never
 * prints an error; cli/ does.
 */
#ifndef CPOD_ERROR_H
#define CPOD_ERROR_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPOD_PUBLIC __attribute__((visibility("default")))

enum cpod_error_kind {
        CPOD_E_NONE = 0,
        CPOD_E_INTERNAL,       /* anything without a better kind */
        CPOD_E_INVALID,        /* bad argument or input from the user */
        CPOD_E_NO_SUCH_CTR,    /* "no such container" */
        CPOD_E_NO_SUCH_IMAGE,  /* "image not known" */
        CPOD_E_NO_SUCH_POD,    /* "no such pod" */
        CPOD_E_NO_SUCH_VOLUME, /* "no such volume" */
        CPOD_E_NO_SUCH_EXEC,   /* "no such exec session" */
        CPOD_E_NO_SUCH_OBJECT, /* generic "no such object" */
        CPOD_E_EXISTS,         /* name or object already in use */
        CPOD_E_CTR_STATE,      /* container in the wrong state */
        CPOD_E_IN_USE,         /* object still used (image by container...) */
        CPOD_E_CMD_NOT_FOUND,  /* container command not found: exit 127 */
        CPOD_E_CMD_PERM,       /* container command cannot be invoked: 126 */
        CPOD_E_NOT_SUPPORTED,  /* not possible on this host or build */
        CPOD_E_CORRUPT,        /* digest mismatch, corrupt store or input */
        CPOD_E_TIMEOUT,
        CPOD_E_AUTH,   /* registry refused credentials */
        CPOD_E_DENIED, /* policy rejected the image */
        CPOD_E_OCI,    /* the OCI runtime failed to create or start the container: exit 126 */
};

typedef struct cpod_error {
        int code;                  /* positive errno-style code, 0 if none */
        enum cpod_error_kind kind; /* CPOD_E_NONE when no error is held */
        char *msg;                 /* message chain, owned */
} cpod_error_t;

/* clang-format off */
#define CPOD_ERROR_INIT { 0, CPOD_E_NONE, NULL }
/* clang-format on */

/*
 * Set the error (replacing any previous one).  Returns -code, or -EIO when
 * code is 0, so callers can `return cpod_error_set(...)`.
 */
CPOD_PUBLIC int cpod_error_set(cpod_error_t *err, int code, enum cpod_error_kind kind, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
CPOD_PUBLIC int cpod_error_setv(cpod_error_t *err, int code, enum cpod_error_kind kind, const char *fmt, va_list ap)
        __attribute__((format(printf, 4, 0)));

/* Like cpod_error_set with kind CPOD_E_INTERNAL and ": strerror(code)" appended. */
CPOD_PUBLIC int cpod_error_sys(cpod_error_t *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix context: the message becomes "<fmt>: <previous message>".  Returns -code. */
CPOD_PUBLIC int cpod_error_wrap(cpod_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Pass a callee's error up unchanged: the negated code err holds, or fallback (< 0) when err is
 * NULL or holds no error (the failure was not the callee's).
 */
static inline int cpod_error_rc(const cpod_error_t *err, int fallback)
{
        return err && err->kind != CPOD_E_NONE && err->code > 0 ? -err->code : fallback;
}

/* Move src into dst (dst is cleared first; NULL drops the error); src is left empty. */
CPOD_PUBLIC void cpod_error_move(cpod_error_t *dst, cpod_error_t *src);

/* Release the message and reset to CPOD_ERROR_INIT.  Accepts NULL. */
CPOD_PUBLIC void cpod_error_clear(cpod_error_t *err);

/* The message, or "" when none. */
CPOD_PUBLIC const char *cpod_error_msg(const cpod_error_t *err);

#ifdef __cplusplus
}
#endif
#endif
