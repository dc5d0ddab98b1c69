/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcrypto, loaded on first use.  Mapping and relocating libcrypto cost
 * every cpod command ~2 ms and ~130 page faults at startup, while most
 * commands (ps, run, inspect, ...) never hash anything.  These definitions
 * stand in for the few EVP functions cpod calls (sha256 and base64) and
 * forward to the real ones, resolved with dlopen("libcrypto.so.3") the first
 * time any of them runs.
 */
#include <dlfcn.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
        lib = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
                fprintf(stderr, "Error: cannot load libcrypto (needed for digests): %s\n", dlerror());
                abort();
        }
}

static void *sym(const char *name)
{
        void *p;

        pthread_once(&once, load);
        p = dlsym(lib, name);
        if (!p) {
                fprintf(stderr, "Error: libcrypto lacks %s\n", name);
                abort();
        }
        return p;
}

#define FWD(ret, name, params, args)                                                                                   \
        ret name params                                                                                                \
        {                                                                                                              \
                static ret(*real) params;                                                                              \
                if (!__atomic_load_n(&real, __ATOMIC_ACQUIRE))                                                         \
                        __atomic_store_n(&real, (ret(*) params)sym(#name), __ATOMIC_RELEASE);                          \
                return real args;                                                                                      \
        }

FWD(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())
FWD(int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD *type, ENGINE *impl), (ctx, type, impl))
FWD(int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void *d, size_t cnt), (ctx, d, cnt))
FWD(int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char *md, unsigned int *s), (ctx, md, s))
FWD(int, EVP_Digest,
    (const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, ENGINE *impl),
    (data, count, md, size, type, impl))
FWD(const EVP_MD *, EVP_sha256, (void), ())
FWD(int, EVP_EncodeBlock, (unsigned char *t, const unsigned char *f, int n), (t, f, n))
FWD(int, EVP_DecodeBlock, (unsigned char *t, const unsigned char *f, int n), (t, f, n))

void EVP_MD_CTX_free(EVP_MD_CTX *ctx)
{
        static void (*real)(EVP_MD_CTX *);

        if (!__atomic_load_n(&real, __ATOMIC_ACQUIRE))
                __atomic_store_n(&real, (void (*)(EVP_MD_CTX *))sym("EVP_MD_CTX_free"), __ATOMIC_RELEASE);
        real(ctx);
}
