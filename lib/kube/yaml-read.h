/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A defensive YAML reader (libyaml events -> jansson values) for
 * Kubernetes YAML.  The input is untrusted: its size, the nesting depth
 * and the nodes that aliases expand to are limited (no "billion laughs"),
 * every error names the line and column.  Scalars resolve as YAML 1.1 does
 * in Go's yaml.v2 (what podman reads kube YAML with): null, booleans
 * (true/yes/on ...), integers (decimal, 0x, 0o and 1.1's leading-zero
 * octal), floats, else strings; quoted scalars and !!str are strings.
 */
#ifndef CPOD_KUBE_YAML_READ_H
#define CPOD_KUBE_YAML_READ_H

#include <jansson.h>
#include <stddef.h>

#include <cpod/error.h>

#define YAML_MAX_SIZE (8 * 1024 * 1024) /* bytes of input */
#define YAML_MAX_DEPTH 64               /* nested mappings and sequences */
#define YAML_MAX_ALIAS_NODES 100000     /* nodes aliases may copy, over the whole input */

/*
 * Parse every document of the stream: *ret gets an array with one value per
 * non-empty document.  Errors are CPOD_E_INVALID, "yaml: line L, column C: ..."
 * (name, when not NULL, prefixes them).
 */
int yaml_read_all(const char *data, size_t len, const char *name, json_t **ret, cpod_error_t *err);

#endif
