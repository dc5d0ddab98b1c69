/* SPDX-License-Identifier: Apache-2.0 */
#include <jansson.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cpod/info.h>

#include "cpod-config.h"
#include "runtime/runtime-internal.h"
#include "util/fileutil.h"

enum cpod_cgroup_mode host_cgroup_mode(void)
{
        struct statfs fs;

        if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
                return CPOD_CGROUP_V2;
        if (statfs("/sys/fs/cgroup/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC)
                return CPOD_CGROUP_HYBRID;
        return CPOD_CGROUP_V1;
}

bool host_has_systemd(void)
{
        struct stat st;

        /* The check sd_booted() does. */
        return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

char *host_boot_id(void)
{
        return read_line_file("/proc/sys/kernel/random/boot_id");
}

const char *cpod_goarch(void)
{
#if defined(__x86_64__)
        return "amd64";
#elif defined(__aarch64__)
        return "arm64";
#elif defined(__i386__)
        return "386";
#elif defined(__arm__)
        return "arm";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return "ppc64le";
#elif defined(__s390x__)
        return "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
        return "riscv64";
#else
        return "unknown";
#endif
}

json_t *cpod_version_info(void)
{
        return json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "APIVersion", CPOD_VERSION, "Built", 0,
                         "BuiltTime", __DATE__ " " __TIME__, "CompilerVersion", "gcc " __VERSION__, "GitCommit",
                         CPOD_GIT_COMMIT, "Os", "linux", "OsArch", "linux/amd64", "Version", CPOD_VERSION);
}
