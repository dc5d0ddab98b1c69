/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcurl, loaded on first use.  Linking libcurl directly made every cpod
 * command map and relocate ~35 more shared libraries (TLS, Kerberos, LDAP,
 * SSH, ICU, ...) at startup, a few milliseconds that `run` and `ps` don't
 * need.  These definitions stand in for the curl functions cpod calls and
 * forward to the real ones, resolved with dlopen("libcurl.so.4") the first
 * time any of them runs (dlshim.h).  The variadic setopt/getinfo calls are forwarded
 * with the argument type curl encodes in the option number.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <stdarg.h>

#include "util/dlshim.h"
#include "util/shims.h"

static struct dlshim libcurl_shim = DLSHIM_INIT("libcurl.so.4", "needed for registry access");

int curl_shim_open(cpod_error_t *err)
{
        return dlshim_open(&libcurl_shim, err);
}

static void *sym(const char *name)
{
        return dlshim_sym(&libcurl_shim, name);
}

DLSHIM_FWD(libcurl_shim, CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT)
DLSHIM_FWD(libcurl_shim, CURL *, curl_easy_init, (void), (), NULL)
DLSHIM_FWD_VOID(libcurl_shim, curl_easy_cleanup, (CURL * h), (h))
DLSHIM_FWD(libcurl_shim, CURLcode, curl_easy_perform, (CURL * h), (h), CURLE_FAILED_INIT)
DLSHIM_FWD(libcurl_shim, const char *, curl_easy_strerror, (CURLcode c), (c), "libcurl could not be loaded")
DLSHIM_FWD(libcurl_shim, char *, curl_easy_escape, (CURL * h, const char *s, int n), (h, s, n), NULL)
DLSHIM_FWD_VOID(libcurl_shim, curl_free, (void *p), (p))
DLSHIM_FWD(libcurl_shim, struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s), (l, s), NULL)
DLSHIM_FWD_VOID(libcurl_shim, curl_slist_free_all, (struct curl_slist * l), (l))
DLSHIM_FWD(libcurl_shim, curl_version_info_data *, curl_version_info, (CURLversion v), (v), NULL)
DLSHIM_FWD(libcurl_shim, CURLM *, curl_multi_init, (void), (), NULL)
DLSHIM_FWD(libcurl_shim, CURLMcode, curl_multi_cleanup, (CURLM * m), (m), CURLM_INTERNAL_ERROR)
DLSHIM_FWD(libcurl_shim, CURLMcode, curl_multi_add_handle, (CURLM * m, CURL *h), (m, h), CURLM_INTERNAL_ERROR)
DLSHIM_FWD(libcurl_shim, CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL *h), (m, h), CURLM_INTERNAL_ERROR)
DLSHIM_FWD(libcurl_shim, CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running), CURLM_INTERNAL_ERROR)
DLSHIM_FWD(libcurl_shim, CURLMcode, curl_multi_poll,
           (CURLM * m, struct curl_waitfd *fds, unsigned n, int ms, int *numfds), (m, fds, n, ms, numfds),
           CURLM_INTERNAL_ERROR)
DLSHIM_FWD(libcurl_shim, CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left), NULL)
DLSHIM_FWD(libcurl_shim, CURLSH *, curl_share_init, (void), (), NULL)
DLSHIM_FWD(libcurl_shim, CURLSHcode, curl_share_cleanup, (CURLSH * s), (s), CURLSHE_NOT_BUILT_IN)

/* Options carry their argument type in their number (curl.h's CURLOPTTYPE_*). */
CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
        static CURLcode (*real)(CURL *, CURLoption, ...);
        va_list ap;
        CURLcode r;

        if (!real && !(real = (CURLcode(*)(CURL *, CURLoption, ...))sym("curl_easy_setopt")))
                return CURLE_FAILED_INIT;
        va_start(ap, opt);
        if (opt < CURLOPTTYPE_OBJECTPOINT)
                r = real(h, opt, va_arg(ap, long));
        else if (opt < CURLOPTTYPE_OFF_T && opt >= CURLOPTTYPE_FUNCTIONPOINT)
                r = real(h, opt, va_arg(ap, void (*)(void)));
        else if (opt < CURLOPTTYPE_BLOB && opt >= CURLOPTTYPE_OFF_T)
                r = real(h, opt, va_arg(ap, curl_off_t));
        else
                r = real(h, opt, va_arg(ap, void *));
        va_end(ap);
        return r;
}

/* Every CURLINFO_* takes one pointer. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
        static CURLcode (*real)(CURL *, CURLINFO, ...);
        va_list ap;
        CURLcode r;

        if (!real && !(real = (CURLcode(*)(CURL *, CURLINFO, ...))sym("curl_easy_getinfo")))
                return CURLE_FAILED_INIT;
        va_start(ap, info);
        r = real(h, info, va_arg(ap, void *));
        va_end(ap);
        return r;
}

/* Share options: CURLSHOPT_SHARE/UNSHARE take an int (curl_lock_data), the rest pointers. */
CURLSHcode curl_share_setopt(CURLSH *s, CURLSHoption opt, ...)
{
        static CURLSHcode (*real)(CURLSH *, CURLSHoption, ...);
        va_list ap;
        CURLSHcode r;

        if (!real && !(real = (CURLSHcode(*)(CURLSH *, CURLSHoption, ...))sym("curl_share_setopt")))
                return CURLSHE_NOT_BUILT_IN;
        va_start(ap, opt);
        if (opt == CURLSHOPT_SHARE || opt == CURLSHOPT_UNSHARE)
                r = real(s, opt, va_arg(ap, int));
        else
                r = real(s, opt, va_arg(ap, void *));
        va_end(ap);
        return r;
}
