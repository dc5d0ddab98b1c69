/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containers seccomp profile -> OCI linux.seccomp (see seccomp.h).
 *
 * Two steps: parse() validates the whole JSON document into a struct
 * profile (nothing unchecked reaches the runtime: a bad action or operator
 * would otherwise surface as an obscure runc failure at start, a huge name
 * list as memory and time spent in every container start), then build()
 * filters the rules for one container and emits the OCI object.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "ctr/caps.h"
#include "ctr/seccomp.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

#define MAX_NAME_LEN 64     /* longest syscall name is ~25 characters */
#define MAX_FILTER_ITEMS 64 /* caps or arches in one includes/excludes */
#define MAX_ARCH_ENTRIES 64 /* archMap entries, architectures, subArchitectures */
#define MAX_STRING_LEN 4096 /* flags, caps, listener path and metadata */
#define MAX_ERRNO_RET 4095  /* MAX_ERRNO: larger values are not errors to libc */

static const char *const action_names[] = {
        "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",   "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",        "SCMP_ACT_LOG",         "SCMP_ACT_NOTIFY", NULL,
};
enum { ACT_ERRNO = 4, ACT_TRACE = 5, ACT_NOTIFY = 8 };

static const char *const op_names[] = {
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
        "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

static const char *const flag_names[] = {
        "SECCOMP_FILTER_FLAG_TSYNC",
        "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
        NULL,
};

/* The runtime-spec's architecture list. */
static const char *const scmp_arches[] = {
        "SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
        "SCMP_ARCH_AARCH64",     "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",    "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",       "SCMP_ARCH_SH",      "SCMP_ARCH_SHEB",
        "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",    "SCMP_ARCH_RISCV64", NULL,
};

/*
 * Go's GOARCH, libseccomp's name (what the profile's includes/excludes
 * "arches" use: podman compares them with libseccomp's native arch) and
 * the SCMP_ARCH_* constant.
 */
static const struct arch_name {
        const char *go, *lib, *scmp;
} arch_names[] = {
        { "amd64", "amd64", "SCMP_ARCH_X86_64" },
        { "386", "x86", "SCMP_ARCH_X86" },
        { "amd64p32", "x32", "SCMP_ARCH_X32" },
        { "arm64", "arm64", "SCMP_ARCH_AARCH64" },
        { "arm", "arm", "SCMP_ARCH_ARM" },
        { "loong64", "loong64", "SCMP_ARCH_LOONGARCH64" },
        { "mips", "mips", "SCMP_ARCH_MIPS" },
        { "mipsle", "mipsel", "SCMP_ARCH_MIPSEL" },
        { "mips64", "mips64", "SCMP_ARCH_MIPS64" },
        { "mips64le", "mipsel64", "SCMP_ARCH_MIPSEL64" },
        { "mips64p32", "mips64n32", "SCMP_ARCH_MIPS64N32" },
        { "mips64p32le", "mipsel64n32", "SCMP_ARCH_MIPSEL64N32" },
        { "ppc", "ppc", "SCMP_ARCH_PPC" },
        { "ppc64", "ppc64", "SCMP_ARCH_PPC64" },
        { "ppc64le", "ppc64le", "SCMP_ARCH_PPC64LE" },
        { "riscv64", "riscv64", "SCMP_ARCH_RISCV64" },
        { "s390", "s390", "SCMP_ARCH_S390" },
        { "s390x", "s390x", "SCMP_ARCH_S390X" },
};

static const struct errno_name {
        const char *name;
        int value;
} errno_names[] = {
/* clang-format off */
#define E(x) { #x, x }
        /* clang-format on */
        E(EPERM),
        E(ENOENT),
        E(ESRCH),
        E(EINTR),
        E(EIO),
        E(ENXIO),
        E(E2BIG),
        E(ENOEXEC),
        E(EBADF),
        E(ECHILD),
        E(EAGAIN),
        E(EWOULDBLOCK),
        E(ENOMEM),
        E(EACCES),
        E(EFAULT),
        E(EBUSY),
        E(EEXIST),
        E(EXDEV),
        E(ENODEV),
        E(ENOTDIR),
        E(EISDIR),
        E(EINVAL),
        E(ENFILE),
        E(EMFILE),
        E(ENOTTY),
        E(ETXTBSY),
        E(EFBIG),
        E(ENOSPC),
        E(ESPIPE),
        E(EROFS),
        E(EMLINK),
        E(EPIPE),
        E(EDOM),
        E(ERANGE),
        E(EDEADLK),
        E(ENAMETOOLONG),
        E(ENOLCK),
        E(ENOSYS),
        E(ENOTEMPTY),
        E(ELOOP),
        E(ENOMSG),
        E(EIDRM),
        E(ENODATA),
        E(ETIME),
        E(EPROTO),
        E(EBADMSG),
        E(EOVERFLOW),
        E(EILSEQ),
        E(EUSERS),
        E(ENOTSOCK),
        E(EDESTADDRREQ),
        E(EMSGSIZE),
        E(EPROTOTYPE),
        E(ENOPROTOOPT),
        E(EPROTONOSUPPORT),
        E(EOPNOTSUPP),
        E(ENOTSUP),
        E(EAFNOSUPPORT),
        E(EADDRINUSE),
        E(EADDRNOTAVAIL),
        E(ENETDOWN),
        E(ENETUNREACH),
        E(ECONNABORTED),
        E(ECONNRESET),
        E(ENOBUFS),
        E(EISCONN),
        E(ENOTCONN),
        E(ETIMEDOUT),
        E(ECONNREFUSED),
        E(EHOSTUNREACH),
        E(EALREADY),
        E(EINPROGRESS),
        E(ESTALE),
        E(EDQUOT),
        E(ECANCELED),
        E(EOWNERDEAD),
        E(ENOTRECOVERABLE),
        E(ESOCKTNOSUPPORT),
        E(EPFNOSUPPORT),
        E(ENETRESET),
        E(ESHUTDOWN),
        E(EHOSTDOWN),
        E(EREMOTE),
        E(ENOLINK),
        E(ENOKEY),
#undef E
};

struct filter {
        char **caps;   /* normalised "CAP_XXX" */
        char **arches; /* libseccomp names, compared as given */
        bool has_min_kernel;
        unsigned min_major, min_minor;
};

struct arg {
        unsigned index;
        uint64_t value, value_two;
        int op; /* index in op_names */
};

struct rule {
        char **names;
        int action; /* index in action_names */
        bool has_errno;
        unsigned errno_ret;
        struct arg args[SECCOMP_PROFILE_MAX_ARGS];
        size_t nargs;
        struct filter inc, exc;
};

struct arch_entry {
        int arch; /* index in scmp_arches */
        int subs[MAX_ARCH_ENTRIES];
        size_t nsubs;
};

struct profile {
        int default_action;
        bool has_default_errno;
        unsigned default_errno;
        struct arch_entry *archmap;
        size_t narchmap;
        int *architectures; /* OCI form */
        size_t narchitectures;
        char **flags;
        char *listener_path, *listener_metadata;
        struct rule *rules;
        size_t nrules;
};

struct parser {
        const char *what;
        cpod_error_t *err;
        size_t total_names;
};

static void profile_release(struct profile *p)
{
        for (size_t i = 0; i < p->nrules; i++) {
                strv_free(p->rules[i].names);
                strv_free(p->rules[i].inc.caps);
                strv_free(p->rules[i].inc.arches);
                strv_free(p->rules[i].exc.caps);
                strv_free(p->rules[i].exc.arches);
        }
        free(p->rules);
        free(p->archmap);
        free(p->architectures);
        strv_free(p->flags);
        free(p->listener_path);
        free(p->listener_metadata);
        memset(p, 0, sizeof(*p));
}

static int bad(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct parser *ps, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, fmt);
        msg = xvasprintf(fmt, ap);
        va_end(ap);
        return cpod_error_set(ps->err, EINVAL, CPOD_E_INVALID, "seccomp profile '%s': %s", ps->what, msg);
}

static int table_index(const char *const *table, const char *s)
{
        for (int i = 0; table[i]; i++)
                if (strcmp(table[i], s) == 0)
                        return i;
        return -1;
}

/* Borrowed string member; absent or null gives NULL, which is an error when required. */
static int get_string(struct parser *ps, const json_t *obj, const char *key, const char *loc, bool required,
                      const char **ret)
{
        json_t *v = json_object_get(obj, key);

        *ret = NULL;
        if (!v || json_is_null(v)) {
                if (required)
                        return bad(ps, "%s%s: missing", loc, key);
                return 0;
        }
        if (!json_is_string(v))
                return bad(ps, "%s%s: must be a string", loc, key);
        if (json_string_length(v) > MAX_STRING_LEN || strlen(json_string_value(v)) != json_string_length(v))
                return bad(ps, "%s%s: invalid string", loc, key);
        *ret = json_string_value(v);
        return 0;
}

/* Array of strings (absent or null: NULL), at most max entries, each map()ped when map is set. */
static int get_strv(struct parser *ps, const json_t *obj, const char *key, const char *loc, size_t max,
                    char *(*map)(const char *), char ***ret)
{
        json_t *v = json_object_get(obj, key), *e;
        _cleanup_strv_ char **out = NULL;
        size_t i;

        *ret = NULL;
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_array(v))
                return bad(ps, "%s%s: must be an array of strings", loc, key);
        if (json_array_size(v) > max)
                return bad(ps, "%s%s: too many entries (%zu, at most %zu)", loc, key, json_array_size(v), max);
        out = xnew0(char *, json_array_size(v) + 1);
        json_array_foreach(v, i, e) {
                if (!json_is_string(e))
                        return bad(ps, "%s%s[%zu]: must be a string", loc, key, i);
                if (json_string_length(e) > MAX_STRING_LEN || strlen(json_string_value(e)) != json_string_length(e))
                        return bad(ps, "%s%s[%zu]: invalid string", loc, key, i);
                out[i] = map ? map(json_string_value(e)) : xstrdup(json_string_value(e));
        }
        *ret = TAKE_PTR(out);
        return 0;
}

static int get_uint(struct parser *ps, const json_t *v, const char *loc, const char *key, uint64_t max, uint64_t *ret)
{
        if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
                return bad(ps, "%s%s: must be an integer between 0 and %llu", loc, key, (unsigned long long)max);
        *ret = (uint64_t)json_integer_value(v);
        return 0;
}

/* "errnoRet" (a number) or else "errno" (a name) of obj; *ret_has is false when neither is set. */
static int get_errno(struct parser *ps, const json_t *obj, const char *num_key, const char *name_key, const char *loc,
                     bool *ret_has, unsigned *ret)
{
        json_t *v = json_object_get(obj, num_key);
        const char *name;
        uint64_t n;

        *ret_has = false;
        if (v && !json_is_null(v)) {
                if (get_uint(ps, v, loc, num_key, MAX_ERRNO_RET, &n) < 0)
                        return -EINVAL;
                *ret_has = true;
                *ret = (unsigned)n;
                return 0;
        }
        if (get_string(ps, obj, name_key, loc, false, &name) < 0)
                return -EINVAL;
        if (!name || !*name)
                return 0;
        for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
                if (strcmp(errno_names[i].name, name) == 0) {
                        *ret_has = true;
                        *ret = (unsigned)errno_names[i].value;
                        return 0;
                }
        return bad(ps, "%s%s: unknown errno \"%s\"", loc, name_key, name);
}

/* "5.8" -> 5, 8.  Returns false when s is not MAJOR.MINOR. */
static bool parse_kernel_version(const char *s, bool whole, unsigned *ret_major, unsigned *ret_minor)
{
        unsigned long v[2];
        const char *p = s;

        for (int i = 0; i < 2; i++) {
                char *end;
                if (*p < '0' || *p > '9')
                        return false;
                errno = 0;
                v[i] = strtoul(p, &end, 10);
                if (errno != 0 || v[i] > 65535)
                        return false;
                p = end;
                if (i == 0 && *p++ != '.')
                        return false;
        }
        if (whole && *p != '\0')
                return false;
        *ret_major = (unsigned)v[0];
        *ret_minor = (unsigned)v[1];
        return true;
}

static int parse_filter(struct parser *ps, const json_t *rule, const char *key, const char *loc, struct filter *f)
{
        json_t *v = json_object_get(rule, key);
        _cleanup_free_ char *sub = xasprintf("%s%s.", loc, key);
        const char *min;

        if (!v || json_is_null(v))
                return 0;
        if (!json_is_object(v))
                return bad(ps, "%s%s: must be an object", loc, key);
        if (get_strv(ps, v, "caps", sub, MAX_FILTER_ITEMS, cap_normalize, &f->caps) < 0 ||
            get_strv(ps, v, "arches", sub, MAX_FILTER_ITEMS, NULL, &f->arches) < 0 ||
            get_string(ps, v, "minKernel", sub, false, &min) < 0)
                return -EINVAL;
        if (min && *min) {
                if (!parse_kernel_version(min, true, &f->min_major, &f->min_minor))
                        return bad(ps, "%sminKernel: invalid kernel version \"%s\" (want MAJOR.MINOR)", sub, min);
                f->has_min_kernel = true;
        }
        return 0;
}

static int parse_args(struct parser *ps, const json_t *rule, const char *loc, struct rule *r)
{
        json_t *args = json_object_get(rule, "args"), *a;
        size_t i;

        if (!args || json_is_null(args))
                return 0;
        if (!json_is_array(args))
                return bad(ps, "%sargs: must be an array", loc);
        if (json_array_size(args) > SECCOMP_PROFILE_MAX_ARGS)
                return bad(ps, "%sargs: too many arguments (%zu, at most %d)", loc, json_array_size(args),
                           SECCOMP_PROFILE_MAX_ARGS);
        json_array_foreach(args, i, a) {
                _cleanup_free_ char *sub = xasprintf("%sargs[%zu].", loc, i);
                struct arg *g = &r->args[i];
                json_t *v;
                const char *op;
                uint64_t index = 0;

                if (!json_is_object(a))
                        return bad(ps, "%sargs[%zu]: must be an object", loc, i);
                if (!(v = json_object_get(a, "index")))
                        return bad(ps, "%sindex: missing", sub);
                if (get_uint(ps, v, sub, "index", SECCOMP_PROFILE_MAX_ARGS - 1, &index) < 0)
                        return -EINVAL;
                g->index = (unsigned)index;
                if ((v = json_object_get(a, "value")) && get_uint(ps, v, sub, "value", INT64_MAX, &g->value) < 0)
                        return -EINVAL;
                if ((v = json_object_get(a, "valueTwo")) &&
                    get_uint(ps, v, sub, "valueTwo", INT64_MAX, &g->value_two) < 0)
                        return -EINVAL;
                if (get_string(ps, a, "op", sub, true, &op) < 0)
                        return -EINVAL;
                if ((g->op = table_index(op_names, op)) < 0)
                        return bad(ps, "%sop: unknown operator \"%s\"", sub, op);
                r->nargs++;
        }
        return 0;
}

static bool valid_syscall_name(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > MAX_NAME_LEN)
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
                        return false;
        return true;
}

static int parse_names(struct parser *ps, const json_t *rule, const char *loc, struct rule *r)
{
        const char *name;

        if (get_string(ps, rule, "name", loc, false, &name) < 0 ||
            get_strv(ps, rule, "names", loc, SECCOMP_PROFILE_MAX_NAMES, NULL, &r->names) < 0)
                return -EINVAL;
        if (name && r->names)
                return bad(ps, "%sname: 'name' and 'names' are both set, use one", loc);
        if (name)
                strv_add(&r->names, name);
        if (strv_length(r->names) == 0)
                return bad(ps, "%snames: no syscall names", loc);
        ps->total_names += strv_length(r->names);
        if (ps->total_names > SECCOMP_PROFILE_MAX_NAMES)
                return bad(ps, "too many syscall names (more than %d)", SECCOMP_PROFILE_MAX_NAMES);
        for (size_t i = 0; r->names[i]; i++)
                if (!valid_syscall_name(r->names[i]))
                        return bad(ps, "%snames[%zu]: invalid syscall name \"%s\"", loc, i, r->names[i]);
        return 0;
}

static int parse_rule(struct parser *ps, const json_t *j, size_t idx, struct rule *r)
{
        _cleanup_free_ char *loc = xasprintf("syscalls[%zu].", idx);
        const char *action;

        if (!json_is_object(j))
                return bad(ps, "syscalls[%zu]: must be an object", idx);
        if (parse_names(ps, j, loc, r) < 0)
                return -EINVAL;
        if (get_string(ps, j, "action", loc, true, &action) < 0)
                return -EINVAL;
        if ((r->action = table_index(action_names, action)) < 0)
                return bad(ps, "%saction: unknown action \"%s\"", loc, action);
        if (r->action == ACT_NOTIFY && strv_contains(r->names, "write"))
                return bad(ps, "%saction: SCMP_ACT_NOTIFY cannot be used for \"write\"", loc);
        if (get_errno(ps, j, "errnoRet", "errno", loc, &r->has_errno, &r->errno_ret) < 0 ||
            parse_args(ps, j, loc, r) < 0 || parse_filter(ps, j, "includes", loc, &r->inc) < 0 ||
            parse_filter(ps, j, "excludes", loc, &r->exc) < 0)
                return -EINVAL;
        return 0;
}

/* One SCMP_ARCH_* string; loc and key name it in the message. */
static int parse_arch(struct parser *ps, const json_t *v, const char *loc, int *ret)
{
        if (!json_is_string(v))
                return bad(ps, "%s: must be a string", loc);
        *ret = table_index(scmp_arches, json_string_value(v));
        if (*ret < 0)
                return bad(ps, "%s: unknown architecture \"%s\"", loc, json_string_value(v));
        return 0;
}

static int parse_arch_array(struct parser *ps, const json_t *arr, const char *loc, int *out, size_t *ret_n)
{
        json_t *v;
        size_t i;

        if (!json_is_array(arr))
                return bad(ps, "%s: must be an array", loc);
        if (json_array_size(arr) > MAX_ARCH_ENTRIES)
                return bad(ps, "%s: too many entries", loc);
        json_array_foreach(arr, i, v) {
                _cleanup_free_ char *sub = xasprintf("%s[%zu]", loc, i);
                if (parse_arch(ps, v, sub, &out[i]) < 0)
                        return -EINVAL;
        }
        *ret_n = json_array_size(arr);
        return 0;
}

static int parse_archs(struct parser *ps, const json_t *root, struct profile *p)
{
        json_t *map = json_object_get(root, "archMap"), *arches = json_object_get(root, "architectures"), *e;
        size_t i;

        if (json_is_null(map))
                map = NULL;
        if (json_is_null(arches))
                arches = NULL;
        if (map && arches && json_array_size(map) > 0 && json_array_size(arches) > 0)
                return bad(ps, "both 'architectures' and 'archMap' are set, use one");
        if (arches) {
                p->architectures = xnew0(int, MAX_ARCH_ENTRIES);
                if (parse_arch_array(ps, arches, "architectures", p->architectures, &p->narchitectures) < 0)
                        return -EINVAL;
                if (p->narchitectures == 0) {
                        free(p->architectures);
                        p->architectures = NULL;
                }
        }
        if (!map)
                return 0;
        if (!json_is_array(map))
                return bad(ps, "archMap: must be an array");
        if (json_array_size(map) > MAX_ARCH_ENTRIES)
                return bad(ps, "archMap: too many entries");
        p->archmap = xnew0(struct arch_entry, json_array_size(map) + 1);
        json_array_foreach(map, i, e) {
                _cleanup_free_ char *loc = xasprintf("archMap[%zu].architecture", i);
                _cleanup_free_ char *subloc = xasprintf("archMap[%zu].subArchitectures", i);
                struct arch_entry *a = &p->archmap[i];
                json_t *subs;

                if (!json_is_object(e))
                        return bad(ps, "archMap[%zu]: must be an object", i);
                if (!json_object_get(e, "architecture"))
                        return bad(ps, "%s: missing", loc);
                if (parse_arch(ps, json_object_get(e, "architecture"), loc, &a->arch) < 0)
                        return -EINVAL;
                subs = json_object_get(e, "subArchitectures");
                if (subs && !json_is_null(subs) && parse_arch_array(ps, subs, subloc, a->subs, &a->nsubs) < 0)
                        return -EINVAL;
                p->narchmap++;
        }
        return 0;
}

static int parse_top(struct parser *ps, const json_t *root, struct profile *p)
{
        const char *action, *path, *meta;

        if (!json_is_object(root))
                return bad(ps, "must be a JSON object");
        if (get_string(ps, root, "defaultAction", "", true, &action) < 0)
                return -EINVAL;
        if ((p->default_action = table_index(action_names, action)) < 0)
                return bad(ps, "defaultAction: unknown action \"%s\"", action);
        if (p->default_action == ACT_NOTIFY)
                return bad(ps, "defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
        if (get_errno(ps, root, "defaultErrnoRet", "defaultErrno", "", &p->has_default_errno, &p->default_errno) < 0 ||
            parse_archs(ps, root, p) < 0 || get_strv(ps, root, "flags", "", MAX_ARCH_ENTRIES, NULL, &p->flags) < 0 ||
            get_string(ps, root, "listenerPath", "", false, &path) < 0 ||
            get_string(ps, root, "listenerMetadata", "", false, &meta) < 0)
                return -EINVAL;
        for (size_t i = 0; p->flags && p->flags[i]; i++)
                if (table_index(flag_names, p->flags[i]) < 0)
                        return bad(ps, "flags[%zu]: unknown flag \"%s\"", i, p->flags[i]);
        p->listener_path = xstrdup(path);
        p->listener_metadata = xstrdup(meta);
        return 0;
}

static int parse(struct parser *ps, const json_t *root, struct profile *p)
{
        json_t *calls, *e;
        size_t i;

        if (parse_top(ps, root, p) < 0)
                return -EINVAL;
        calls = json_object_get(root, "syscalls");
        if (!calls || json_is_null(calls))
                return 0;
        if (!json_is_array(calls))
                return bad(ps, "syscalls: must be an array");
        if (json_array_size(calls) > SECCOMP_PROFILE_MAX_RULES)
                return bad(ps, "too many syscall rules (%zu, at most %d)", json_array_size(calls),
                           SECCOMP_PROFILE_MAX_RULES);
        p->rules = xnew0(struct rule, json_array_size(calls) + 1);
        json_array_foreach(calls, i, e) {
                /* Count the rule first so that profile_release() frees what a failed parse_rule() left. */
                p->nrules++;
                if (parse_rule(ps, e, i, &p->rules[i]) < 0)
                        return -EINVAL;
                if (p->rules[i].action == ACT_NOTIFY && !p->listener_path)
                        return bad(ps, "syscalls[%zu].action: SCMP_ACT_NOTIFY needs listenerPath", i);
        }
        return 0;
}

/* The running kernel's MAJOR.MINOR; 0.0 when unknown, which fails every minKernel. */
static void running_kernel(unsigned *ret_major, unsigned *ret_minor)
{
        struct utsname u;

        *ret_major = *ret_minor = 0;
        if (uname(&u) < 0 || !parse_kernel_version(u.release, false, ret_major, ret_minor))
                *ret_major = *ret_minor = 0;
}

struct target {
        const struct arch_name *arch;
        char **caps; /* normalised */
        unsigned kmajor, kminor;
};

static bool kernel_at_least(const struct target *t, const struct filter *f)
{
        return t->kmajor > f->min_major || (t->kmajor == f->min_major && t->kminor >= f->min_minor);
}

static bool arch_listed(const struct target *t, char *const *arches)
{
        return strv_contains(arches, t->arch->lib) || strv_contains(arches, t->arch->go);
}

static bool rule_applies(const struct rule *r, const struct target *t)
{
        if (r->exc.arches && arch_listed(t, r->exc.arches))
                return false;
        for (size_t i = 0; r->exc.caps && r->exc.caps[i]; i++)
                if (strv_contains(t->caps, r->exc.caps[i]))
                        return false;
        if (r->exc.has_min_kernel && kernel_at_least(t, &r->exc))
                return false;
        if (r->inc.arches && r->inc.arches[0] && !arch_listed(t, r->inc.arches))
                return false;
        for (size_t i = 0; r->inc.caps && r->inc.caps[i]; i++)
                if (!strv_contains(t->caps, r->inc.caps[i]))
                        return false;
        if (r->inc.has_min_kernel && !kernel_at_least(t, &r->inc))
                return false;
        return true;
}

static json_t *build_rule(const struct rule *r)
{
        json_t *o = json_object();

        json_object_set_new(o, "names", json_strv(r->names, -1));
        json_object_set_new(o, "action", json_string(action_names[r->action]));
        if (r->has_errno && (r->action == ACT_ERRNO || r->action == ACT_TRACE))
                json_object_set_new(o, "errnoRet", json_integer(r->errno_ret));
        if (r->nargs > 0) {
                json_t *args = json_array();
                for (size_t i = 0; i < r->nargs; i++)
                        json_array_append_new(
                                args, json_pack("{s:I, s:I, s:I, s:s}", "index", (json_int_t)r->args[i].index, "value",
                                                (json_int_t)r->args[i].value, "valueTwo",
                                                (json_int_t)r->args[i].value_two, "op", op_names[r->args[i].op]));
                json_object_set_new(o, "args", args);
        }
        return o;
}

static void add_arch(json_t *arr, const char *name)
{
        json_t *v;
        size_t i;

        json_array_foreach(arr, i, v)
                if (strcmp(json_string_value(v), name) == 0)
                        return;
        json_array_append_new(arr, json_string(name));
}

static json_t *build_archs(const struct profile *p, const struct target *t)
{
        json_t *arr = json_array();

        if (p->architectures) {
                for (size_t i = 0; i < p->narchitectures; i++)
                        add_arch(arr, scmp_arches[p->architectures[i]]);
                return arr;
        }
        if (!p->archmap)
                return arr;
        add_arch(arr, t->arch->scmp);
        for (size_t i = 0; i < p->narchmap; i++) {
                if (strcmp(scmp_arches[p->archmap[i].arch], t->arch->scmp) != 0)
                        continue;
                for (size_t k = 0; k < p->archmap[i].nsubs; k++)
                        add_arch(arr, scmp_arches[p->archmap[i].subs[k]]);
        }
        return arr;
}

static json_t *build(const struct profile *p, const struct target *t)
{
        json_t *o = json_object(), *archs = build_archs(p, t), *calls = json_array();

        json_object_set_new(o, "defaultAction", json_string(action_names[p->default_action]));
        if (p->has_default_errno && (p->default_action == ACT_ERRNO || p->default_action == ACT_TRACE))
                json_object_set_new(o, "defaultErrnoRet", json_integer(p->default_errno));
        if (json_array_size(archs) > 0)
                json_object_set_new(o, "architectures", archs);
        else
                json_decref(archs);
        if (p->flags && p->flags[0])
                json_object_set_new(o, "flags", json_strv(p->flags, -1));
        if (p->listener_path)
                json_object_set_new(o, "listenerPath", json_string(p->listener_path));
        if (p->listener_metadata)
                json_object_set_new(o, "listenerMetadata", json_string(p->listener_metadata));
        for (size_t i = 0; i < p->nrules; i++)
                if (rule_applies(&p->rules[i], t))
                        json_array_append_new(calls, build_rule(&p->rules[i]));
        json_object_set_new(o, "syscalls", calls);
        return o;
}

static const struct arch_name *find_arch(const char *name)
{
        for (size_t i = 0; i < ARRAY_SIZE(arch_names); i++)
                if (strcmp(arch_names[i].go, name) == 0 || strcmp(arch_names[i].lib, name) == 0)
                        return &arch_names[i];
        return NULL;
}

const char *seccomp_host_arch(void)
{
#if defined(__x86_64__) && defined(__ILP32__)
        return "amd64p32";
#elif defined(__x86_64__)
        return "amd64";
#elif defined(__i386__)
        return "386";
#elif defined(__aarch64__)
        return "arm64";
#elif defined(__arm__)
        return "arm";
#elif defined(__loongarch64)
        return "loong64";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return "ppc64le";
#elif defined(__powerpc64__)
        return "ppc64";
#elif defined(__powerpc__)
        return "ppc";
#elif defined(__riscv) && __riscv_xlen == 64
        return "riscv64";
#elif defined(__s390x__)
        return "s390x";
#elif defined(__s390__)
        return "s390";
#elif defined(__mips__) && defined(_ABIN32)
        return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "mips64p32le" : "mips64p32";
#elif defined(__mips64)
        return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "mips64le" : "mips64";
#elif defined(__mips__)
        return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? "mipsle" : "mips";
#else
        return NULL;
#endif
}

json_t *seccomp_profile_from_buf(const char *buf, size_t len, const char *what, char *const *caps, const char *arch,
                                 cpod_error_t *err)
{
        struct parser ps = { .what = what ? what : "(buffer)", .err = err };
        struct profile p = { 0 };
        struct target t = { 0 };
        _cleanup_json_ json_t *root = NULL;
        json_t *out = NULL;

        if (!arch)
                arch = seccomp_host_arch();
        if (!arch || !(t.arch = find_arch(arch))) {
                cpod_error_set(err, EINVAL, CPOD_E_INVALID, "seccomp: unsupported architecture \"%s\"",
                               arch ? arch : "unknown");
                return NULL;
        }
        if (len > SECCOMP_PROFILE_MAX_BYTES) {
                cpod_error_set(err, EFBIG, CPOD_E_INVALID, "seccomp profile '%s': too large (%zu bytes, at most %u)",
                               ps.what, len, SECCOMP_PROFILE_MAX_BYTES);
                return NULL;
        }
        root = json_parse_buf(buf, len, "JSON", err);
        if (!root) {
                cpod_error_wrap(err, "seccomp profile '%s'", ps.what);
                return NULL;
        }
        if (parse(&ps, root, &p) == 0) {
                for (size_t i = 0; caps && caps[i]; i++)
                        strv_take(&t.caps, cap_normalize(caps[i]));
                running_kernel(&t.kmajor, &t.kminor);
                out = build(&p, &t);
                strv_free(t.caps);
        }
        profile_release(&p);
        return out;
}

json_t *seccomp_profile_for(const char *path, char *const *caps, const char *arch, cpod_error_t *err)
{
        _cleanup_free_ char *buf = NULL;
        cpod_error_t e = CPOD_ERROR_INIT;
        size_t len;

        if (read_file(path, &buf, &len, SECCOMP_PROFILE_MAX_BYTES, &e) < 0) {
                if (e.code == ENOENT)
                        cpod_error_set(err, ENOENT, CPOD_E_NOT_SUPPORTED, "seccomp profile '%s' does not exist", path);
                else if (e.code == EFBIG)
                        cpod_error_set(err, EFBIG, CPOD_E_INVALID, "seccomp profile '%s': too large (at most %u bytes)",
                                       path, SECCOMP_PROFILE_MAX_BYTES);
                else if (err)
                        cpod_error_move(err, &e);
                cpod_error_clear(&e);
                return NULL;
        }
        return seccomp_profile_from_buf(buf, len, path, caps, arch, err);
}
