/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcurl, loaded on first use.  Linking libcurl directly made every cpod
 * command map and relocate ~35 more shared libraries (TLS, Kerberos, LDAP,
 * SSH, ICU, ...) at startup, a few milliseconds that `run` and `ps` don't
 * need.  These definitions stand in for the curl functions cpod calls and
 * forward to the real ones, resolved with dlopen("libcurl.so.4") the first
 * time any of them runs.  The variadic setopt/getinfo calls are forwarded
 * with the argument type curl encodes in the option number.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void *lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
        lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
                fprintf(stderr, "Error: cannot load libcurl (needed for registry access): %s\n", dlerror());
                abort();
        }
}

static void *sym(const char *name)
{
        void *p;

        pthread_once(&once, load);
        p = dlsym(lib, name);
        if (!p) {
                fprintf(stderr, "Error: libcurl lacks %s\n", name);
                abort();
        }
        return p;
}

#define FWD(ret, name, params, args)                                                                                   \
        ret name params                                                                                                \
        {                                                                                                              \
                static ret(*real) params;                                                                              \
                if (!real)                                                                                             \
                        real = (ret(*) params)sym(#name);                                                              \
                return real args;                                                                                      \
        }

#define FWD_VOID(name, params, args)                                                                                   \
        void name params                                                                                               \
        {                                                                                                              \
                static void(*real) params;                                                                             \
                if (!real)                                                                                             \
                        real = (void(*) params)sym(#name);                                                             \
                real args;                                                                                             \
        }

FWD(CURLcode, curl_global_init, (long flags), (flags))
FWD(CURL *, curl_easy_init, (void), ())
FWD_VOID(curl_easy_cleanup, (CURL * h), (h))
FWD(CURLcode, curl_easy_perform, (CURL * h), (h))
FWD(const char *, curl_easy_strerror, (CURLcode c), (c))
FWD(char *, curl_easy_escape, (CURL * h, const char *s, int n), (h, s, n))
FWD_VOID(curl_free, (void *p), (p))
FWD(struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s), (l, s))
FWD_VOID(curl_slist_free_all, (struct curl_slist * l), (l))
FWD(curl_version_info_data *, curl_version_info, (CURLversion v), (v))
FWD(CURLM *, curl_multi_init, (void), ())
FWD(CURLMcode, curl_multi_cleanup, (CURLM * m), (m))
FWD(CURLMcode, curl_multi_add_handle, (CURLM * m, CURL *h), (m, h))
FWD(CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL *h), (m, h))
FWD(CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running))
FWD(CURLMcode, curl_multi_poll, (CURLM * m, struct curl_waitfd *fds, unsigned n, int ms, int *numfds),
    (m, fds, n, ms, numfds))
FWD(CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left))
FWD(CURLSH *, curl_share_init, (void), ())
FWD(CURLSHcode, curl_share_cleanup, (CURLSH * s), (s))

/* Options carry their argument type in their number (curl.h's CURLOPTTYPE_*). */
CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
        static CURLcode (*real)(CURL *, CURLoption, ...);
        va_list ap;
        CURLcode r;

        if (!real)
                real = (CURLcode(*)(CURL *, CURLoption, ...))sym("curl_easy_setopt");
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

        if (!real)
                real = (CURLcode(*)(CURL *, CURLINFO, ...))sym("curl_easy_getinfo");
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

        if (!real)
                real = (CURLSHcode(*)(CURLSH *, CURLSHoption, ...))sym("curl_share_setopt");
        va_start(ap, opt);
        if (opt == CURLSHOPT_SHARE || opt == CURLSHOPT_UNSHARE)
                r = real(s, opt, va_arg(ap, int));
        else
                r = real(s, opt, va_arg(ap, void *));
        va_end(ap);
        return r;
}
