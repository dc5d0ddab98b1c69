/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for --secret's syntax (lib/ctr/ctr-secrets.c) and the secret name rule (lib/secret). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ctr/ctr-secrets.h"
#include "secret/secret.h"

static void parse_ok(const char *spec, const char *source, const char *target, bool env, uint32_t uid, uint32_t gid,
                     uint32_t mode)
{
        struct ctr_secret s;
        cpod_error_t err = CPOD_ERROR_INIT;

        assert_int_equal(ctr_secret_parse(spec, &s, &err), 0);
        assert_string_equal(s.source, source);
        if (target)
                assert_string_equal(s.target, target);
        else
                assert_null(s.target);
        assert_int_equal(s.env, env);
        assert_int_equal(s.uid, uid);
        assert_int_equal(s.gid, gid);
        assert_int_equal(s.mode, mode);
        ctr_secret_clear(&s);
}

static void parse_err(const char *spec, const char *msg)
{
        struct ctr_secret s;
        cpod_error_t err = CPOD_ERROR_INIT;

        assert_true(ctr_secret_parse(spec, &s, &err) < 0);
        assert_string_equal(cpod_error_msg(&err), msg);
        ctr_secret_clear(&s);
        cpod_error_clear(&err);
}

static void test_parse(void **state)
{
        (void)state;
        parse_ok("db", "db", NULL, false, 0, 0, 0444);
        parse_ok("type=env", "type=env", NULL, false, 0, 0, 0444); /* a lone value is the source */
        parse_ok("db,type=env,target=PW", "db", "PW", true, 0, 0, 0444);
        parse_ok("db,type=mount,target=/k,uid=1000,GID=10,mode=0400", "db", "/k", false, 1000, 10, 0400);
        parse_ok("type=mount,source=db", "db", NULL, false, 0, 0, 0444);
        parse_ok("x,source=db", "db", NULL, false, 0, 0, 0444);
}

static void test_parse_errors(void **state)
{
        (void)state;
        parse_err("db,foo=1", "option foo=1 invalid: parsing secret");
        parse_err("db,target", "option target must be in form option=value: parsing secret");
        parse_err("db,,type=env", "option  must be in form option=value: parsing secret");
        parse_err("db,type=env,type=mount", "cannot set more than one secret type: parsing secret");
        parse_err("db,type=file", "type file is invalid: parsing secret");
        parse_err("db,mode=8", "mode 8 invalid: parsing secret");
        parse_err("db,mode=-1", "mode -1 invalid: parsing secret");
        parse_err("db,uid=x", "UID x invalid: parsing secret");
        parse_err("db,gid=4294967296", "GID 4294967296 invalid: parsing secret");
        parse_err("type=env,target=X", "no source found type=env,target=X: parsing secret");
        parse_err("db,type=env,mode=0400", "UID, GID, Mode options cannot be set with secret type env: parsing secret");
}

static void test_names(void **state)
{
        char n65[66];

        (void)state;
        memset(n65, 'a', 65);
        n65[65] = '\0';
        assert_true(secret_name_ok("a"));
        assert_true(secret_name_ok("my_secret.v-2"));
        assert_true(secret_name_ok(n65 + 1));
        assert_false(secret_name_ok(n65));
        assert_false(secret_name_ok(""));
        assert_false(secret_name_ok("a/b"));
        assert_false(secret_name_ok("-a"));
        assert_false(secret_name_ok("a."));
        assert_false(secret_name_ok("a b"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse),
                cmocka_unit_test(test_parse_errors),
                cmocka_unit_test(test_names),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
