/* SPDX-License-Identifier: Apache-2.0 */
/* Allocators that abort on out-of-memory: callers never check for NULL. */
#ifndef CPOD_UTIL_XALLOC_H
#define CPOD_UTIL_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size so that at least want fit. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s); /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void *xmemdup(const void *p, size_t n);

#define xnew0(type, n) ((type *)xcalloc((n), sizeof(type)))

#endif
