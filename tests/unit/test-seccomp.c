/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for lib/ctr/seccomp.c: the real containers-common profile
 * filtered for podman's default capabilities, crafted profiles for each
 * includes/excludes condition, the OCI pass-through form, and the
 * validation and limits applied to untrusted profiles.  That runc accepts
 * the output is checked by tests/system/010-seccomp.bats.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctr/caps.h"
#include "ctr/seccomp.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strv.h"

#define REAL_PROFILE "/usr/share/containers/seccomp.json"

static char *podman_defaults[] = {
        "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FOWNER",  "CAP_FSETID", "CAP_KILL",       "CAP_NET_BIND_SERVICE",
        "CAP_SETFCAP", "CAP_SETGID",       "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT", NULL,
};

/* ---- helpers ------------------------------------------------------------------------------------------------ */

static json_t *real(char *const *caps, const char *arch)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j;

        if (!path_exists(REAL_PROFILE))
                skip();
        j = seccomp_profile_for(REAL_PROFILE, caps, arch, &err);
        if (!j)
                fail_msg("unexpected error: %s", cpod_error_msg(&err));
        return j;
}

static json_t *gen(const char *doc, char *const *caps, const char *arch)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j = seccomp_profile_from_buf(doc, strlen(doc), "t.json", caps, arch, &err);

        if (!j)
                fail_msg("unexpected error: %s", cpod_error_msg(&err));
        return j;
}

/* The error message for doc, which must be refused with CPOD_E_INVALID; caller frees. */
static char *gen_err_n(const char *doc, size_t len)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *j = seccomp_profile_from_buf(doc, len, "t.json", podman_defaults, "amd64", &err);
        char *msg;

        if (j)
                fail_msg("accepted: %s", doc);
        assert_int_equal(err.kind, CPOD_E_INVALID);
        assert_true(err.code > 0);
        msg = strdup(cpod_error_msg(&err));
        cpod_error_clear(&err);
        return msg;
}

static char *gen_err(const char *doc)
{
        return gen_err_n(doc, strlen(doc));
}

#define assert_err_contains(doc, needle)                                                                               \
        do {                                                                                                           \
                _cleanup_free_ char *m_ = gen_err(doc);                                                                \
                if (!strstr(m_, needle))                                                                               \
                        fail_msg("error \"%s\" lacks \"%s\"", m_, needle);                                             \
                if (strncmp(m_, "seccomp profile 't.json': ", 26) != 0)                                                \
                        fail_msg("error \"%s\" does not name the profile", m_);                                        \
        } while (0)

/* Rules (borrowed) of profile j whose names include name, in order; NULL-terminated, caller frees the array. */
static json_t **rules_for(json_t *j, const char *name)
{
        json_t *calls = json_object_get(j, "syscalls"), *r, *n;
        json_t **out = calloc(json_array_size(calls) + 1, sizeof(*out));
        size_t i, k, count = 0;

        assert_true(json_is_array(calls));
        json_array_foreach(calls, i, r) {
                json_array_foreach(json_object_get(r, "names"), k, n)
                        if (strcmp(json_string_value(n), name) == 0) {
                                out[count++] = r;
                                break;
                        }
        }
        return out;
}

static size_t count_rules(json_t *j, const char *name)
{
        _cleanup_free_ json_t **r = rules_for(j, name);
        size_t n = 0;

        while (r[n])
                n++;
        return n;
}

/* Is there a rule with this action and no args for name?  errno_ret < 0: no errnoRet expected. */
static bool has_plain(json_t *j, const char *name, const char *action, int errno_ret)
{
        _cleanup_free_ json_t **r = rules_for(j, name);

        for (size_t i = 0; r[i]; i++) {
                json_t *e = json_object_get(r[i], "errnoRet");
                if (strcmp(json_get_str(r[i], "action"), action) != 0 || json_object_get(r[i], "args"))
                        continue;
                if (errno_ret < 0 ? e == NULL : json_integer_value(e) == errno_ret)
                        return true;
        }
        return false;
}

static bool allowed_plain(json_t *j, const char *name)
{
        return has_plain(j, name, "SCMP_ACT_ALLOW", -1);
}

static void assert_archs(json_t *j, const char *joined)
{
        _cleanup_strv_ char **v = json_to_strv(json_object_get(j, "architectures"));
        _cleanup_free_ char *s = strv_join(v, ",");
        assert_string_equal(s, joined);
}

static char **caps_plus(const char *extra)
{
        char **v = strv_copy(podman_defaults);
        strv_add(&v, extra);
        return v;
}

/* ---- the real profile ----------------------------------------------------------------------------------------- */

static void test_real_top(void **state)
{
        _cleanup_json_ json_t *j = real(podman_defaults, "amd64");

        (void)state;
        assert_string_equal(json_get_str(j, "defaultAction"), "SCMP_ACT_ERRNO");
        assert_int_equal(json_get_int(j, "defaultErrnoRet", -1), ENOSYS);
        assert_archs(j, "SCMP_ARCH_X86_64,SCMP_ARCH_X86,SCMP_ARCH_X32");
        assert_null(json_object_get(j, "archMap"));
        /* Every emitted rule is plain OCI: no profile-only keys survive. */
        {
                json_t *r;
                size_t i;
                json_array_foreach(json_object_get(j, "syscalls"), i, r) {
                        assert_null(json_object_get(r, "includes"));
                        assert_null(json_object_get(r, "excludes"));
                        assert_null(json_object_get(r, "comment"));
                        assert_null(json_object_get(r, "errno"));
                        assert_true(json_array_size(json_object_get(r, "names")) > 0);
                }
        }
        /* The unconditional deny list comes first and carries errnoRet 1 (EPERM). */
        assert_true(has_plain(j, "kexec_load", "SCMP_ACT_ERRNO", EPERM));
        assert_true(has_plain(j, "userfaultfd", "SCMP_ACT_ERRNO", EPERM));
        assert_int_equal(count_rules(j, "kexec_load"), 1);
        /* This profile allows mount, ptrace, unshare and clone outright (the kernel's own cap checks guard them). */
        assert_true(allowed_plain(j, "mount"));
        assert_true(allowed_plain(j, "ptrace"));
        assert_true(allowed_plain(j, "unshare"));
        assert_true(allowed_plain(j, "read"));
        /* Unknown to the profile: falls to the default action. */
        assert_int_equal(count_rules(j, "no_such_syscall"), 0);
}

static void test_real_personality(void **state)
{
        _cleanup_json_ json_t *j = real(podman_defaults, "amd64");
        _cleanup_free_ json_t **r = rules_for(j, "personality");
        static const json_int_t want[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

        (void)state;
        for (size_t i = 0; i < 5; i++) {
                json_t *args;
                assert_non_null(r[i]);
                assert_string_equal(json_get_str(r[i], "action"), "SCMP_ACT_ALLOW");
                args = json_object_get(r[i], "args");
                assert_int_equal(json_array_size(args), 1);
                assert_int_equal(json_get_int(json_array_get(args, 0), "index", -1), 0);
                assert_int_equal(json_get_int(json_array_get(args, 0), "value", -1), want[i]);
                assert_int_equal(json_get_int(json_array_get(args, 0), "valueTwo", -1), 0);
                assert_string_equal(json_get_str(json_array_get(args, 0), "op"), "SCMP_CMP_EQ");
                assert_null(json_object_get(r[i], "errnoRet"));
        }
        assert_null(r[5]);
        assert_false(allowed_plain(j, "personality"));
}

static void test_real_sys_admin(void **state)
{
        static const char *gated[] = { "bpf",      "fanotify_init", "lookup_dcookie", "perf_event_open",
                                       "quotactl", "setdomainname", "sethostname" };
        _cleanup_json_ json_t *without = real(podman_defaults, "amd64");
        _cleanup_strv_ char **caps = caps_plus("CAP_SYS_ADMIN");
        _cleanup_json_ json_t *with = real(caps, "amd64");

        (void)state;
        for (size_t i = 0; i < ARRAY_SIZE(gated); i++) {
                assert_false(allowed_plain(without, gated[i]));
                assert_true(has_plain(without, gated[i], "SCMP_ACT_ERRNO", EPERM));
                assert_int_equal(count_rules(without, gated[i]), 1);
                assert_true(allowed_plain(with, gated[i]));
                assert_false(has_plain(with, gated[i], "SCMP_ACT_ERRNO", EPERM));
                assert_int_equal(count_rules(with, gated[i]), 1);
        }
        /* setns is in the big allow list and also in the SYS_ADMIN pair: without the cap both rules are emitted. */
        assert_true(allowed_plain(without, "setns"));
        assert_true(has_plain(without, "setns", "SCMP_ACT_ERRNO", EPERM));
        assert_int_equal(count_rules(with, "setns"), 2);
        assert_false(has_plain(with, "setns", "SCMP_ACT_ERRNO", EPERM));
}

static void test_real_other_caps(void **state)
{
        static char *no_chroot[] = { "CAP_CHOWN", "CAP_KILL", NULL };
        static char *many[] = { "CAP_SYS_MODULE", "CAP_SYS_PTRACE",     "CAP_SYS_TIME",  "CAP_DAC_READ_SEARCH",
                                "CAP_SYS_RAWIO",  "CAP_SYS_TTY_CONFIG", "CAP_SYS_PACCT", NULL };
        static const char *many_gated[] = { "init_module", "kcmp",    "clock_settime", "open_by_handle_at",
                                            "iopl",        "vhangup", "acct" };
        _cleanup_json_ json_t *def = real(podman_defaults, "amd64");
        _cleanup_json_ json_t *nc = real(no_chroot, "amd64");
        _cleanup_json_ json_t *m = real(many, "amd64");

        (void)state;
        /* CAP_SYS_CHROOT is a default capability. */
        assert_true(allowed_plain(def, "chroot"));
        assert_false(has_plain(def, "chroot", "SCMP_ACT_ERRNO", EPERM));
        assert_false(allowed_plain(nc, "chroot"));
        assert_true(has_plain(nc, "chroot", "SCMP_ACT_ERRNO", EPERM));
        for (size_t i = 0; i < ARRAY_SIZE(many_gated); i++) {
                assert_false(allowed_plain(def, many_gated[i]));
                assert_true(has_plain(def, many_gated[i], "SCMP_ACT_ERRNO", EPERM));
                assert_true(allowed_plain(m, many_gated[i]));
                assert_false(has_plain(m, many_gated[i], "SCMP_ACT_ERRNO", EPERM));
        }
}

static void test_real_socket_audit(void **state)
{
        _cleanup_json_ json_t *def = real(podman_defaults, "amd64");
        _cleanup_strv_ char **caps = caps_plus("CAP_AUDIT_WRITE");
        _cleanup_json_ json_t *aw = real(caps, "amd64");
        _cleanup_free_ json_t **r = rules_for(def, "socket");
        json_t *args;

        (void)state;
        /* Without CAP_AUDIT_WRITE: NETLINK_AUDIT sockets get EINVAL, the rest is allowed by argument rules. */
        assert_int_equal(count_rules(def, "socket"), 4);
        assert_false(allowed_plain(def, "socket"));
        assert_string_equal(json_get_str(r[0], "action"), "SCMP_ACT_ERRNO");
        assert_int_equal(json_get_int(r[0], "errnoRet", -1), EINVAL);
        args = json_object_get(r[0], "args");
        assert_int_equal(json_array_size(args), 2);
        assert_int_equal(json_get_int(json_array_get(args, 0), "index", -1), 0);
        assert_int_equal(json_get_int(json_array_get(args, 0), "value", -1), 16); /* AF_NETLINK */
        assert_int_equal(json_get_int(json_array_get(args, 1), "index", -1), 2);
        assert_int_equal(json_get_int(json_array_get(args, 1), "value", -1), 9); /* NETLINK_AUDIT */
        assert_string_equal(json_get_str(json_array_get(args, 1), "op"), "SCMP_CMP_EQ");
        assert_string_equal(json_get_str(json_array_get(json_object_get(r[1], "args"), 0), "op"), "SCMP_CMP_NE");
        /* With it: one unconditional allow ("args": null in the file). */
        assert_int_equal(count_rules(aw, "socket"), 1);
        assert_true(allowed_plain(aw, "socket"));
}

static void test_real_arches(void **state)
{
        _cleanup_json_ json_t *amd = real(podman_defaults, "amd64");
        _cleanup_json_ json_t *arm = real(podman_defaults, "arm64");
        _cleanup_json_ json_t *s390 = real(podman_defaults, "s390x");
        _cleanup_json_ json_t *ppc = real(podman_defaults, "ppc64le");
        _cleanup_json_ json_t *x86 = real(podman_defaults, "386");
        _cleanup_json_ json_t *host = real(podman_defaults, NULL);

        (void)state;
        assert_true(allowed_plain(amd, "arch_prctl"));
        assert_true(allowed_plain(amd, "modify_ldt"));
        assert_false(allowed_plain(amd, "set_tls"));
        assert_false(allowed_plain(amd, "s390_runtime_instr"));
        assert_false(allowed_plain(amd, "sync_file_range2"));

        assert_archs(arm, "SCMP_ARCH_AARCH64,SCMP_ARCH_ARM");
        assert_true(allowed_plain(arm, "set_tls"));
        assert_true(allowed_plain(arm, "sync_file_range2"));
        assert_false(allowed_plain(arm, "arch_prctl"));

        assert_archs(s390, "SCMP_ARCH_S390X,SCMP_ARCH_S390");
        assert_true(allowed_plain(s390, "s390_runtime_instr"));

        /* Not in the archMap: only the native architecture. */
        assert_archs(ppc, "SCMP_ARCH_PPC64LE");
        assert_true(allowed_plain(ppc, "sync_file_range2"));

        /* Go's "386" is libseccomp's "x86". */
        assert_archs(x86, "SCMP_ARCH_X86");
        assert_true(allowed_plain(x86, "modify_ldt"));
        assert_false(allowed_plain(x86, "arch_prctl"));

        assert_non_null(seccomp_host_arch());
        assert_true(json_array_size(json_object_get(host, "architectures")) >= 1);
}

static void test_real_missing_and_bad_file(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        char path[] = "/tmp/cpod-test-seccomp-XXXXXX";
        int fd;

        (void)state;
        assert_null(seccomp_profile_for("/nonexistent/seccomp.json", podman_defaults, "amd64", &err));
        assert_int_equal(err.kind, CPOD_E_NOT_SUPPORTED);
        assert_int_equal(err.code, ENOENT);
        assert_non_null(strstr(cpod_error_msg(&err), "/nonexistent/seccomp.json"));
        cpod_error_clear(&err);

        fd = mkstemp(path);
        assert_true(fd >= 0);
        {
                static const char doc[] = "{\"defaultAction\": \"SCMP_ACT_ALLOW\",";
                assert_int_equal(write_all(fd, doc, strlen(doc)), 0);
        }
        close(fd);
        assert_null(seccomp_profile_for(path, podman_defaults, "amd64", &err));
        assert_int_equal(err.kind, CPOD_E_INVALID);
        assert_non_null(strstr(cpod_error_msg(&err), path));
        assert_non_null(strstr(cpod_error_msg(&err), "line 1"));
        cpod_error_clear(&err);
        (void)unlink(path);

        /* A NULL err is allowed. */
        assert_null(seccomp_profile_for("/nonexistent/seccomp.json", NULL, "amd64", NULL));
}

/* ---- crafted profiles ----------------------------------------------------------------------------------------- */

#define PROFILE(rules)                                                                                                 \
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\","                   \
        "\"subArchitectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]}],\"syscalls\":[" rules "]}"

static void test_filters(void **state)
{
        static const char doc[] = PROFILE(
                "{\"names\":[\"a_new\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"1.0\"}},"
                "{\"names\":[\"a_future\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":\"999.0\"}},"
                "{\"names\":[\"b_old\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"minKernel\":\"1.0\"}},"
                "{\"names\":[\"b_future\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"minKernel\":\"999.99\"}},"
                "{\"names\":[\"c_noamd\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"arches\":[\"amd64\"]}},"
                "{\"names\":[\"d_two\"],\"action\":\"SCMP_ACT_ALLOW\","
                "\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"sys_nice\"]}},"
                "{\"names\":[\"e_notany\"],\"action\":\"SCMP_ACT_ALLOW\","
                "\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_SYS_NICE\"]}},"
                "{\"names\":[\"f_mixed\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"arches\":[\"amd64\"],"
                "\"caps\":[\"CAP_SYS_ADMIN\"]},\"excludes\":{\"caps\":[\"CAP_SYS_NICE\"]}},"
                "{\"name\":\"g_single\",\"action\":\"SCMP_ACT_LOG\",\"includes\":{},\"excludes\":{\"arches\":[]}},"
                "{\"names\":[\"h_future_cap\"],\"action\":\"SCMP_ACT_ALLOW\","
                "\"includes\":{\"caps\":[\"CAP_NEW_THING\"]}}");
        static char *admin[] = { "CAP_SYS_ADMIN", NULL }, *nice[] = { "cap_sys_nice", NULL };
        static char *both[] = { "CAP_SYS_ADMIN", "CAP_SYS_NICE", NULL };
        _cleanup_json_ json_t *none = gen(doc, NULL, "amd64");
        _cleanup_json_ json_t *a = gen(doc, admin, "amd64");
        _cleanup_json_ json_t *n = gen(doc, nice, "amd64");
        _cleanup_json_ json_t *b = gen(doc, both, "amd64");
        _cleanup_json_ json_t *arm = gen(doc, admin, "arm64");

        (void)state;
        assert_true(allowed_plain(none, "a_new"));
        assert_false(allowed_plain(none, "a_future"));
        assert_false(allowed_plain(none, "b_old"));
        assert_true(allowed_plain(none, "b_future"));
        assert_false(allowed_plain(none, "c_noamd"));
        assert_true(allowed_plain(arm, "c_noamd"));

        /* includes caps: all of them; excludes caps: any of them. */
        assert_false(allowed_plain(none, "d_two"));
        assert_false(allowed_plain(a, "d_two"));
        assert_false(allowed_plain(n, "d_two"));
        assert_true(allowed_plain(b, "d_two"));
        assert_true(allowed_plain(none, "e_notany"));
        assert_false(allowed_plain(a, "e_notany"));
        assert_false(allowed_plain(n, "e_notany"));

        assert_true(allowed_plain(a, "f_mixed"));
        assert_false(allowed_plain(b, "f_mixed"));
        assert_false(allowed_plain(arm, "f_mixed"));
        assert_false(allowed_plain(none, "f_mixed"));

        assert_true(has_plain(none, "g_single", "SCMP_ACT_LOG", -1));
        assert_false(allowed_plain(b, "h_future_cap"));
        assert_archs(arm, "SCMP_ARCH_AARCH64");
}

static void test_errno_and_args(void **state)
{
        static const char doc[] =
                "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrno\":\"ENOSYS\",\"syscalls\":["
                "{\"names\":[\"byname\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"EACCES\"},"
                "{\"names\":[\"bynum\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":22,\"errno\":\"EPERM\"},"
                "{\"names\":[\"plain\"],\"action\":\"SCMP_ACT_ERRNO\"},"
                "{\"names\":[\"traced\"],\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":7},"
                "{\"names\":[\"allowed\"],\"action\":\"SCMP_ACT_ALLOW\",\"errnoRet\":1},"
                "{\"names\":[\"masked\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
                "{\"index\":1,\"value\":2080505856,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"},"
                "{\"index\":5,\"value\":9223372036854775807,\"op\":\"SCMP_CMP_GE\"},"
                "{\"index\":0,\"op\":\"SCMP_CMP_LT\"}]}]}";
        _cleanup_json_ json_t *j = gen(doc, NULL, "amd64");
        _cleanup_free_ json_t **m = rules_for(j, "masked");
        json_t *args = json_object_get(m[0], "args"), *a;

        (void)state;
        assert_int_equal(json_get_int(j, "defaultErrnoRet", -1), ENOSYS);
        /* No archMap and no architectures: left to the runtime (native only). */
        assert_null(json_object_get(j, "architectures"));
        assert_true(has_plain(j, "byname", "SCMP_ACT_ERRNO", EACCES));
        assert_true(has_plain(j, "bynum", "SCMP_ACT_ERRNO", 22));
        assert_true(has_plain(j, "plain", "SCMP_ACT_ERRNO", -1));
        assert_true(has_plain(j, "traced", "SCMP_ACT_TRACE", 7));
        /* errnoRet means nothing to ALLOW: not emitted. */
        assert_true(has_plain(j, "allowed", "SCMP_ACT_ALLOW", -1));

        assert_int_equal(json_array_size(args), 3);
        a = json_array_get(args, 0);
        assert_int_equal(json_get_int(a, "index", -1), 1);
        assert_int_equal(json_get_int(a, "value", -1), 2080505856);
        assert_int_equal(json_get_int(a, "valueTwo", -1), 0);
        assert_string_equal(json_get_str(a, "op"), "SCMP_CMP_MASKED_EQ");
        a = json_array_get(args, 1);
        assert_int_equal(json_get_int(a, "index", -1), 5);
        assert_true(json_get_int(a, "value", -1) == INT64_MAX);
        a = json_array_get(args, 2);
        assert_int_equal(json_get_int(a, "value", -1), 0);
        assert_int_equal(json_get_int(a, "valueTwo", -1), 0);
}

static void test_oci_form(void **state)
{
        static const char doc[] =
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\","
                "\"SCMP_ARCH_X86_64\"],\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],\"listenerPath\":\"/run/agent.sock\","
                "\"listenerMetadata\":\"meta\",\"syscalls\":[{\"names\":[\"getcwd\",\"chdir\"],"
                "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"},"
                "{\"names\":[\"kill\"],\"action\":\"SCMP_ACT_KILL_PROCESS\",\"args\":[{\"index\":0,\"value\":1,"
                "\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}";
        _cleanup_json_ json_t *j = gen(doc, podman_defaults, "arm64");
        json_t *calls = json_object_get(j, "syscalls");

        (void)state;
        /* Given architectures are kept as they are, whatever the host (duplicates folded). */
        assert_archs(j, "SCMP_ARCH_X86_64,SCMP_ARCH_X86");
        assert_string_equal(json_get_str(j, "defaultAction"), "SCMP_ACT_ALLOW");
        assert_null(json_object_get(j, "defaultErrnoRet"));
        assert_string_equal(json_string_value(json_array_get(json_object_get(j, "flags"), 0)),
                            "SECCOMP_FILTER_FLAG_LOG");
        assert_string_equal(json_get_str(j, "listenerPath"), "/run/agent.sock");
        assert_string_equal(json_get_str(j, "listenerMetadata"), "meta");
        assert_int_equal(json_array_size(calls), 3);
        assert_int_equal(json_array_size(json_object_get(json_array_get(calls, 0), "names")), 2);
        assert_true(has_plain(j, "chdir", "SCMP_ACT_ERRNO", 1));
        assert_true(has_plain(j, "mkdir", "SCMP_ACT_NOTIFY", -1));
        assert_int_equal(count_rules(j, "kill"), 1);
}

/* Our own output is an OCI-form profile: fed back in, it comes out unchanged. */
static void test_roundtrip(void **state)
{
        _cleanup_json_ json_t *first = real(podman_defaults, "amd64");
        _cleanup_free_ char *text = json_dump_compact(first);
        _cleanup_json_ json_t *second = gen(text, NULL, "arm64");

        (void)state;
        assert_true(json_equal(first, second));
}

static void test_minimal_profiles(void **state)
{
        _cleanup_json_ json_t *a = gen("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", NULL, "amd64");
        _cleanup_json_ json_t *b = gen("{\"defaultAction\":\"SCMP_ACT_KILL\",\"syscalls\":null,\"archMap\":null,"
                                       "\"comment\":\"unknown keys are ignored\"}",
                                       NULL, "amd64");
        _cleanup_json_ json_t *c = gen(PROFILE(""), NULL, "x32");

        (void)state;
        assert_int_equal(json_array_size(json_object_get(a, "syscalls")), 0);
        assert_string_equal(json_get_str(b, "defaultAction"), "SCMP_ACT_KILL");
        /* x32 is not an archMap key: only itself. */
        assert_archs(c, "SCMP_ARCH_X32");
}

static void test_bad_arch_argument(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        static const char doc[] = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}";

        (void)state;
        assert_null(seccomp_profile_from_buf(doc, strlen(doc), "t.json", NULL, "vax", &err));
        assert_int_equal(err.kind, CPOD_E_INVALID);
        assert_string_equal(cpod_error_msg(&err), "seccomp: unsupported architecture \"vax\"");
        cpod_error_clear(&err);
}

static void test_malformed(void **state)
{
        (void)state;
        assert_err_contains("{\"defaultAction\": ", "parse JSON: line 1");
        assert_err_contains("[]", "must be a JSON object");
        assert_err_contains("{}", "defaultAction: missing");
        assert_err_contains("{\"defaultAction\":1}", "defaultAction: must be a string");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_NOPE\"}", "defaultAction: unknown action \"SCMP_ACT_NOPE\"");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/x\"}",
                            "SCMP_ACT_NOTIFY cannot be the default action");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":-1}",
                            "defaultErrnoRet: must be an integer between 0 and 4095");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrnoRet\":4096}", "defaultErrnoRet");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultErrno\":\"EWHAT\"}",
                            "defaultErrno: unknown errno \"EWHAT\"");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultAction\":\"SCMP_ACT_KILL\"}", "duplicate");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_EVIL\"]}",
                            "flags[0]: unknown flag");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]}",
                            "architectures[0]: unknown architecture \"SCMP_ARCH_VAX\"");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":\"SCMP_ARCH_X86\"}",
                            "architectures: must be an array");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86\"],"
                            "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}",
                            "both 'architectures' and 'archMap'");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"subArchitectures\":[]}]}",
                            "archMap[0].architecture: missing");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\","
                            "\"subArchitectures\":[\"SCMP_ARCH_X86\",7]}]}",
                            "archMap[0].subArchitectures[1]: must be a string");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"archMap\":{}}", "archMap: must be an array");
        assert_err_contains("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", "syscalls: must be an array");
        assert_err_contains(PROFILE("7"), "syscalls[0]: must be an object");
        assert_err_contains(PROFILE("{\"action\":\"SCMP_ACT_ALLOW\"}"), "syscalls[0].names: no syscall names");
        assert_err_contains(PROFILE("{\"names\":[],\"action\":\"SCMP_ACT_ALLOW\"}"), "no syscall names");
        assert_err_contains(PROFILE("{\"names\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}"),
                            "syscalls[0].names: must be an array of strings");
        assert_err_contains(PROFILE("{\"names\":[\"read\",null],\"action\":\"SCMP_ACT_ALLOW\"}"),
                            "syscalls[0].names[1]: must be a string");
        assert_err_contains(PROFILE("{\"names\":[\"re ad\"],\"action\":\"SCMP_ACT_ALLOW\"}"),
                            "invalid syscall name \"re ad\"");
        assert_err_contains(PROFILE("{\"names\":[\"read\\u0000x\"],\"action\":\"SCMP_ACT_ALLOW\"}"),
                            "parse JSON"); /* jansson refuses NUL without JSON_ALLOW_NUL */
        assert_err_contains(PROFILE("{\"names\":[\"\"],\"action\":\"SCMP_ACT_ALLOW\"}"), "invalid syscall name");
        assert_err_contains(PROFILE("{\"name\":\"read\",\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}"),
                            "syscalls[0].name: 'name' and 'names' are both set");
        assert_err_contains(PROFILE("{\"names\":[\"read\"]}"), "syscalls[0].action: missing");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"allow\"}"),
                            "syscalls[0].action: unknown action \"allow\"");
        assert_err_contains(PROFILE("{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}"),
                            "SCMP_ACT_NOTIFY needs listenerPath");
        assert_err_contains(PROFILE("{\"names\":[\"write\"],\"action\":\"SCMP_ACT_NOTIFY\"}"),
                            "SCMP_ACT_NOTIFY cannot be used for \"write\"");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":\"1\"}"),
                            "syscalls[0].errnoRet: must be an integer");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errno\":\"ENOPE\"}"),
                            "syscalls[0].errno: unknown errno \"ENOPE\"");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":{}}"),
                            "syscalls[0].args: must be an array");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[1]}"),
                            "syscalls[0].args[0]: must be an object");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"op\":"
                                    "\"SCMP_CMP_EQ\"}]}"),
                            "syscalls[0].args[0].index: missing");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,"
                                    "\"op\":\"SCMP_CMP_EQ\"}]}"),
                            "syscalls[0].args[0].index: must be an integer between 0 and 5");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
                                    "\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}"),
                            "syscalls[0].args[0].value: must be an integer");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
                                    "\"valueTwo\":1.5,\"op\":\"SCMP_CMP_EQ\"}]}"),
                            "syscalls[0].args[0].valueTwo: must be an integer");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0}]}"),
                            "syscalls[0].args[0].op: missing");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
                                    "\"op\":\"SCMP_CMP_XOR\"}]}"),
                            "syscalls[0].args[0].op: unknown operator \"SCMP_CMP_XOR\"");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":["
                                    "{\"index\":0,\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"op\":\"SCMP_CMP_EQ\"},"
                                    "{\"index\":2,\"op\":\"SCMP_CMP_EQ\"},{\"index\":3,\"op\":\"SCMP_CMP_EQ\"},"
                                    "{\"index\":4,\"op\":\"SCMP_CMP_EQ\"},{\"index\":5,\"op\":\"SCMP_CMP_EQ\"},"
                                    "{\"index\":0,\"op\":\"SCMP_CMP_EQ\"}]}"),
                            "syscalls[0].args: too many arguments (7, at most 6)");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":[]}"),
                            "syscalls[0].includes: must be an object");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"excludes\":{\"caps\":"
                                    "\"CAP_SYS_ADMIN\"}}"),
                            "syscalls[0].excludes.caps: must be an array of strings");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":"
                                    "\"5\"}}"),
                            "syscalls[0].includes.minKernel: invalid kernel version \"5\"");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":"
                                    "\"5.8-rc1\"}}"),
                            "invalid kernel version");
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"minKernel\":"
                                    "58}}"),
                            "syscalls[0].includes.minKernel: must be a string");
        /* The second rule is bad: the first one's allocations must not leak (checked under ASan). */
        assert_err_contains(PROFILE("{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"includes\":{\"caps\":"
                                    "[\"CAP_A\"]}},{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                                    "\"excludes\":{\"caps\":[\"CAP_B\"],\"arches\":[1]}}"),
                            "syscalls[1].excludes.arches[0]: must be a string");
}

/* A profile with n rules of names_per_rule names each. */
static char *big_profile(size_t n, size_t names_per_rule)
{
        struct strbuf sb = STRBUF_INIT;

        strbuf_addstr(&sb, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[");
        for (size_t i = 0; i < n; i++) {
                strbuf_addstr(&sb, i ? ",{\"names\":[" : "{\"names\":[");
                for (size_t k = 0; k < names_per_rule; k++)
                        strbuf_addf(&sb, "%s\"s%zu_%zu\"", k ? "," : "", i, k);
                strbuf_addstr(&sb, "],\"action\":\"SCMP_ACT_ALLOW\"}");
        }
        strbuf_addstr(&sb, "]}");
        return strbuf_detach(&sb, NULL);
}

static void test_limits(void **state)
{
        _cleanup_free_ char *ok = big_profile(SECCOMP_PROFILE_MAX_RULES, 1);
        _cleanup_free_ char *rules = big_profile(SECCOMP_PROFILE_MAX_RULES + 1, 1);
        _cleanup_free_ char *names = big_profile(1, SECCOMP_PROFILE_MAX_NAMES + 1);
        _cleanup_free_ char *total = big_profile(3, SECCOMP_PROFILE_MAX_NAMES / 3 + 1);
        _cleanup_free_ char *e1 = gen_err(rules), *e2 = gen_err(names), *e3 = gen_err(total);
        _cleanup_json_ json_t *j = gen(ok, NULL, "amd64");
        _cleanup_free_ char *huge = malloc(SECCOMP_PROFILE_MAX_BYTES + 2);
        _cleanup_free_ char *long_name = NULL, *e4 = NULL, *e5 = NULL;
        struct strbuf sb = STRBUF_INIT;

        (void)state;
        assert_int_equal(json_array_size(json_object_get(j, "syscalls")), SECCOMP_PROFILE_MAX_RULES);
        assert_non_null(strstr(e1, "too many syscall rules (10001, at most 10000)"));
        assert_non_null(strstr(e2, "syscalls[0].names: too many entries (10001, at most 10000)"));
        assert_non_null(strstr(e3, "too many syscall names (more than 10000)"));

        /* Size is checked before parsing: whitespace would be valid JSON padding. */
        memset(huge, ' ', SECCOMP_PROFILE_MAX_BYTES + 1);
        memcpy(huge, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", 34);
        e4 = gen_err_n(huge, SECCOMP_PROFILE_MAX_BYTES + 1);
        assert_non_null(strstr(e4, "too large"));
        assert_non_null(strstr(e4, "t.json"));

        strbuf_addstr(&sb, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"");
        strbuf_addchars(&sb, 'a', 65);
        strbuf_addstr(&sb, "\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
        long_name = strbuf_detach(&sb, NULL);
        e5 = gen_err(long_name);
        assert_non_null(strstr(e5, "invalid syscall name"));
}

static void test_big_file_refused(void **state)
{
        char path[] = "/tmp/cpod-test-seccomp-XXXXXX";
        cpod_error_t err = CPOD_ERROR_INIT;
        _cleanup_free_ char *huge = malloc(SECCOMP_PROFILE_MAX_BYTES + 2);
        int fd;

        (void)state;
        memset(huge, ' ', SECCOMP_PROFILE_MAX_BYTES + 1);
        memcpy(huge, "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", 34);
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write_all(fd, huge, SECCOMP_PROFILE_MAX_BYTES + 1), 0);
        close(fd);
        assert_null(seccomp_profile_for(path, NULL, "amd64", &err));
        assert_int_equal(err.kind, CPOD_E_INVALID);
        assert_int_equal(err.code, EFBIG);
        assert_non_null(strstr(cpod_error_msg(&err), path));
        assert_non_null(strstr(cpod_error_msg(&err), "too large"));
        cpod_error_clear(&err);
        (void)unlink(path);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_real_top),
                cmocka_unit_test(test_real_personality),
                cmocka_unit_test(test_real_sys_admin),
                cmocka_unit_test(test_real_other_caps),
                cmocka_unit_test(test_real_socket_audit),
                cmocka_unit_test(test_real_arches),
                cmocka_unit_test(test_real_missing_and_bad_file),
                cmocka_unit_test(test_filters),
                cmocka_unit_test(test_errno_and_args),
                cmocka_unit_test(test_oci_form),
                cmocka_unit_test(test_roundtrip),
                cmocka_unit_test(test_minimal_profiles),
                cmocka_unit_test(test_bad_arch_argument),
                cmocka_unit_test(test_malformed),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_big_file_refused),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
