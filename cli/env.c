/* SPDX-License-Identifier: Apache-2.0 */
#include "cli/env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "util/cleanup.h"
#include "util/fileutil.h"
#include "util/strbuf.h"
#include "util/strv.h"
#include "util/xalloc.h"

extern char **environ;

#define ENV_SPACE " \t"

/* One entry; returns 0 or -EINVAL for an entry without a name. */
static int add_env(char ***v, const char *entry)
{
        const char *kv = entry + strspn(entry, ENV_SPACE), *eq = strchr(kv, '=');
        size_t n;

        if (eq == kv || !*kv)
                return -EINVAL;
        if (eq) {
                strv_add(v, kv);
                return 0;
        }
        n = strlen(kv);
        if (kv[n - 1] == '*') {
                for (char **e = environ; *e; e++)
                        if (strncmp(*e, kv, n - 1) == 0 && strchr(*e, '='))
                                strv_add(v, *e);
                return 0;
        }
        if (getenv(kv))
                strv_take(v, xasprintf("%s=%s", kv, getenv(kv)));
        return 0;
}

static int read_env_file(const char *path, char ***v)
{
        _cleanup_free_ char *buf = NULL;
        cpod_error_t err = CPOD_ERROR_INIT;
        char *save = NULL;
        size_t len;

        if (read_file(path, &buf, &len, 16 << 20, &err) < 0)
                return cli_fail(&err);
        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                line += strspn(line, ENV_SPACE);
                if (!*line || *line == '#')
                        continue;
                if (add_env(v, line) < 0)
                        return cli_errorf("parsing env file \"%s\": invalid environment variable: \"%s\"", path, line);
        }
        return 0;
}

int cli_env_collect(const struct strv *files, const struct strv *env, bool host, char ***ret)
{
        _cleanup_strv_ char **v = xnew0(char *, 1);
        int r;

        if (host)
                for (char **e = environ; *e; e++)
                        strv_add(&v, *e);
        for (size_t i = 0; i < files->n; i++)
                if ((r = read_env_file(files->v[i], &v)))
                        return r;
        for (size_t i = 0; i < env->n; i++)
                if (add_env(&v, env->v[i]) < 0)
                        return cli_errorf("invalid environment variable: \"%s\"", env->v[i]);
        *ret = TAKE_PTR(v);
        return 0;
}
