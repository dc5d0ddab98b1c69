/* SPDX-License-Identifier: Apache-2.0 */
/* NULL-terminated vectors of owned strings (char **). */
#ifndef CPOD_UTIL_STRV_H
#define CPOD_UTIL_STRV_H

#include <stdbool.h>
#include <stddef.h>

size_t strv_length(char *const *v);
/* Append a copy of s; *v may be NULL. */
void strv_add(char ***v, const char *s);
/* Append s, taking ownership. */
void strv_take(char ***v, char *s);
char **strv_copy(char *const *v);
bool strv_contains(char *const *v, const char *s);
char **strv_free(char **v);
/* Split s at any of the separator characters (empty fields dropped). */
char **strv_split(const char *s, const char *seps);
/* Split s at every sep, keeping empty fields ("a::b" -> "a", "", "b"). */
char **strv_split_keep_empty(const char *s, char sep);
/* Join with sep; caller frees. */
char *strv_join(char *const *v, const char *sep);

#endif
