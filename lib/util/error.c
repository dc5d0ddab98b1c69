/* SPDX-License-Identifier: Apache-2.0 */
#include <cpod/error.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

int cpod_error_setv(cpod_error_t *err, int code, enum cpod_error_kind kind, const char *fmt, va_list ap)
{
        if (code < 0)
                code = -code;
        if (code == 0)
                code = EIO;
        if (err) {
                free(err->msg);
                err->msg = xvasprintf(fmt, ap);
                err->code = code;
                err->kind = kind == CPOD_E_NONE ? CPOD_E_INTERNAL : kind;
        }
        return -code;
}

int cpod_error_set(cpod_error_t *err, int code, enum cpod_error_kind kind, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = cpod_error_setv(err, code, kind, fmt, ap);
        va_end(ap);
        return r;
}

int cpod_error_sys(cpod_error_t *err, int code, const char *fmt, ...)
{
        struct strbuf sb = STRBUF_INIT;
        va_list ap;
        int r;

        if (code < 0)
                code = -code;
        va_start(ap, fmt);
        strbuf_addvf(&sb, fmt, ap);
        va_end(ap);
        /* Lower-case like Go's errno strings, so messages read as podman's do. */
        strbuf_addf(&sb, ": %s", strerror(code ? code : EIO));
        {
                char *colon = strrchr(sb.buf, ':');
                if (colon && colon[1] == ' ' && colon[2] >= 'A' && colon[2] <= 'Z')
                        colon[2] = (char)(colon[2] - 'A' + 'a');
        }
        r = cpod_error_set(err, code, CPOD_E_INTERNAL, "%s", sb.buf);
        strbuf_release(&sb);
        return r;
}

int cpod_error_wrap(cpod_error_t *err, const char *fmt, ...)
{
        struct strbuf sb = STRBUF_INIT;
        va_list ap;

        if (!err)
                return cpod_error_rc(err, -EIO);
        va_start(ap, fmt);
        strbuf_addvf(&sb, fmt, ap);
        va_end(ap);
        if (err->msg && *err->msg)
                strbuf_addf(&sb, ": %s", err->msg);
        free(err->msg);
        err->msg = strbuf_detach(&sb, NULL);
        if (err->code == 0)
                err->code = EIO;
        if (err->kind == CPOD_E_NONE)
                err->kind = CPOD_E_INTERNAL;
        return -err->code;
}

void cpod_error_move(cpod_error_t *dst, cpod_error_t *src)
{
        if (!dst) { /* the caller does not want the error (as cpod_error_set with NULL) */
                cpod_error_clear(src);
                return;
        }
        cpod_error_clear(dst);
        *dst = *src;
        src->msg = NULL;
        src->code = 0;
        src->kind = CPOD_E_NONE;
}

void cpod_error_clear(cpod_error_t *err)
{
        if (!err)
                return;
        free(err->msg);
        err->msg = NULL;
        err->code = 0;
        err->kind = CPOD_E_NONE;
}

const char *cpod_error_msg(const cpod_error_t *err)
{
        return err && err->msg ? err->msg : "";
}
