/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for format/template (Go text/template subset) and format/gofmt.
 * Expected outputs of Go semantics were checked against podman 4.3.1
 * (`podman version --format ...`, Go 1.19) where podman can express them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "format/json-go.h"
#include "util/json.h"
#include "format/template.h"

/* The document most cases run over. */
static const char doc_text[] =
        "{\"ID\":\"abc123\",\"Names\":[\"web\",\"db\"],\"N\":3,\"Zero\":0,\"Size\":1.5,\"Big\":1e6,\"T\":true,"
        "\"F\":false,\"Nil\":null,\"Empty\":[],\"EmptyObj\":{},\"List\":[1,2,3],"
        "\"State\":{\"Status\":\"running\",\"Pid\":42,\"Running\":true},"
        "\"Labels\":{\"app\":\"web\",\"tier\":\"front\"},\"Mixed\":{\"b\":1,\"a\":\"x\",\"c\":null},"
        "\"Nets\":{\"podman\":{\"IP\":\"10.88.0.2\"}}}";

static char *run_flags(const char *tmpl, const char *data, unsigned flags, char **ret_err)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        json_t *doc = json_loads(data ? data : doc_text, JSON_DECODE_ANY, NULL);
        struct cpod_tmpl *t = cpod_tmpl_parse(tmpl, &err);
        struct strbuf sb = STRBUF_INIT;
        char *out = NULL;

        assert_non_null(doc);
        if (t && cpod_tmpl_exec_flags(t, doc, flags, &sb, &err) == 0)
                out = strbuf_detach(&sb, NULL);
        else
                assert_int_equal(sb.len, 0); /* nothing half-written on error */
        if (ret_err)
                *ret_err = err.msg ? strdup(err.msg) : NULL;
        cpod_tmpl_free(t);
        json_decref(doc);
        strbuf_release(&sb);
        cpod_error_clear(&err);
        return out;
}

static void check_data(const char *tmpl, const char *data, const char *expect)
{
        char *err = NULL;
        char *out = run_flags(tmpl, data, 0, &err);

        if (!out)
                fail_msg("template %s failed: %s", tmpl, err ? err : "?");
        if (strcmp(out, expect) != 0)
                fail_msg("template %s: got \"%s\", want \"%s\"", tmpl, out, expect);
        free(out);
        free(err);
}

static void check(const char *tmpl, const char *expect)
{
        check_data(tmpl, NULL, expect);
}

static void check_err(const char *tmpl, const char *want)
{
        char *err = NULL;
        char *out = run_flags(tmpl, NULL, 0, &err);

        if (out)
                fail_msg("template %s: want error \"%s\", got output \"%s\"", tmpl, want, out);
        assert_non_null(err);
        if (!strstr(err, want))
                fail_msg("template %s: error \"%s\" lacks \"%s\"", tmpl, err, want);
        if (strncmp(err, "template: ", 10) != 0 || strchr(err, '\n'))
                fail_msg("template %s: error \"%s\" is not one \"template: \" line", tmpl, err);
        free(err);
}

static void test_fields(void **state)
{
        (void)state;
        check("plain text", "plain text");
        check("", "");
        check("{{.ID}}", "abc123");
        check("id={{.ID}} n={{.N}}", "id=abc123 n=3");
        check("{{.State.Status}}/{{.State.Pid}}", "running/42");
        check("{{.Nets.podman.IP}}", "10.88.0.2");
        check("{{$.ID}}{{$}}", "abc123map[Big:1e+06 Empty:[] EmptyObj:map[] F:false ID:abc123 Labels:map[app:web "
                               "tier:front] List:[1 2 3] Mixed:map[a:x b:1 c:<nil>] N:3 Names:[web db] Nets:map[podman:"
                               "map[IP:10.88.0.2]] Nil:<nil> Size:1.5 State:map[Pid:42 Running:true Status:running] "
                               "T:true Zero:0]");
        check("{{with .State}}{{.Status}} {{$.ID}}{{end}}", "running abc123");
        check_data("{{.}}", "\"just a string\"", "just a string");
        check_data("{{.}}", "7", "7");
        check_data("{{.a.b}}", "{\"a\":{\"b\":[true,false,null]}}", "[true false <nil>]");
        check("{{(index .Names 1)}} {{(index .List 0)}} {{(.State).Pid}}", "db 1 42");
}

static void test_print_values(void **state)
{
        (void)state;
        check("{{.Nil}}", "<no value>");
        check("{{.Size}} {{.Big}} {{.T}} {{.F}} {{.Empty}} {{.EmptyObj}}", "1.5 1e+06 true false [] map[]");
        check("{{.Mixed}}", "map[a:x b:1 c:<nil>]");
        check("{{1e21}} {{0.000001}} {{1e-7}} {{123456789.0}} {{100000.0}} {{0.1}} {{-0.0}}",
              "1e+21 1e-06 1e-07 1.23456789e+08 100000 0.1 -0");
        check("{{'a'}} {{0x1F}} {{0755}} {{1_000}} {{0b101}} {{0o17}} {{1e3}} {{1.0}} {{.5}} {{-0}} {{+5}} {{-3}}",
              "97 31 493 1000 5 15 1000 1 0.5 0 5 -3");
        check("{{\"a\\tb\\u00e9\\x41\\101\"}} {{`raw\\n`}} {{true}} {{false}}", "a\tbéAA raw\\n true false");
        check_data("{{.}}", "9223372036854775807", "9223372036854775807");
        check_data("{{.}}", "-9223372036854775808", "-9223372036854775808");
}

static void test_control(void **state)
{
        (void)state;
        check("{{if .T}}yes{{end}}", "yes");
        check("{{if .F}}yes{{else}}no{{end}}", "no");
        check("{{if .Zero}}a{{else if .Empty}}b{{else if .EmptyObj}}c{{else if .Nil}}d{{else if "
              "\"\"}}e{{else}}f{{end}}",
              "f");
        check("{{if .N}}a{{end}}{{if .List}}b{{end}}{{if .Labels}}c{{end}}{{if 0.5}}d{{end}}{{if \"x\"}}e{{end}}",
              "abcde");
        check("{{range .Names}}[{{.}}]{{end}}", "[web][db]");
        check("{{range $i, $e := .Names}}{{$i}}={{$e}} {{end}}", "0=web 1=db ");
        check("{{range $e := .Names}}{{$e}}{{end}}", "webdb");
        check("{{range $k, $v := .Mixed}}{{$k}}:{{$v}};{{end}}", "a:x;b:1;c:<no value>;");
        check("{{range .Labels}}{{.}} {{end}}", "web front ");
        check("{{range .Empty}}x{{else}}empty{{end}} {{range .Nil}}x{{else}}nil{{end}}", "empty nil");
        check("{{range .List}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}", "1");
        check("{{range .List}}{{if eq . 2}}{{continue}}{{end}}{{.}}{{end}}", "13");
        check("{{range .List}}{{range $.Names}}{{.}}{{end}}{{end}}", "webdbwebdbwebdb");
        check("{{with .Nil}}x{{else}}none{{end}} {{with .Nil}}x{{else with .State}}{{.Pid}}{{end}}", "none 42");
        check("{{with $x := .State.Status}}{{$x}}={{.}}{{end}}", "running=running");
        check("{{$x := 1}}{{$x = 2}}{{$x}}", "2");
        check("{{$x := .N}}{{if .T}}{{$x = 10}}{{end}}{{$x}}", "10");
        check("{{$x := 1}}{{if .T}}{{$x := $x}}{{$x}}{{end}}", "1");
        check("{{range $i, $e := .List}}{{$i}}{{end}}{{$i := 5}}{{$i}}", "0125");
        check("{{range .List}}{{$y := .}}{{$y}}{{end}}", "123");
}

static void test_trim_comments(void **state)
{
        (void)state;
        check("a  {{- .N -}}  b", "a3b");
        check("a \n\t {{- .N}} \n b", "a3 \n b");
        check("{{.N -}} \n\n x", "3x");
        check("a {{/* comment */}} b", "a  b");
        check("a {{- /* comment */ -}} b", "ab");
        check("{{/* multi\nline */}}x", "x");
        check("{{-3}}", "-3");
        check("{{ 3 }} {{- 4 -}}   x   {{- /* c */ -}} y {{/* c */}}", "34xy ");
        check("{{.ID\n}}{{\n.N}}", "abc1233");
}

static void test_functions(void **state)
{
        (void)state;
        check("{{json .Names}} {{json .Nil}} {{json .State}} {{json \"<a&b>\"}} {{json 1.5}}",
              "[\"web\",\"db\"] null {\"Status\":\"running\",\"Pid\":42,\"Running\":true} \"<a&b>\" 1.5");
        check("{{index .Names 1}} {{index .Labels \"app\"}} {{index .Nets \"podman\" \"IP\"}} {{index .List}}",
              "db web 10.88.0.2 [1 2 3]");
        check("[{{index .Labels \"nope\"}}] [{{index .Nil \"x\"}}] [{{index .Mixed \"nope\"}}] {{index \"abc\" 1}}",
              "[] [] [<no value>] 98");
        check("{{join .Names \", \"}}|{{join .Nil \",\"}}|{{join .Empty \",\"}}", "web, db||");
        check("{{upper .ID}} {{lower \"ÀÉÎ AbC\"}} {{upper \"héllo\"}}", "ABC123 àéî abc HÉLLO");
        check("{{title \"hello wORLD foo_bar x-y 1a\"}}", "Hello WORLD Foo_bar X-Y 1a");
        check("{{len .Names}} {{len .ID}} {{len .Labels}} {{len \"héllo\"}}", "2 6 2 6");
        check("{{split \"a,b,,c\" \",\"}} {{len (split \"\" \",\")}} {{split \"héj\" \"\"}} {{len (split \"\" \"\")}}",
              "[a b  c] 1 [h é j] 0");
        check("{{truncate .ID 3}} {{truncate .ID 100}} {{truncate \"héllo\" 2}}|{{truncate \"x\" 0}}|",
              "abc abc123 h||");
        check("[{{pad .ID 1 2}}] [{{pad \"\" 3 3}}]", "[ abc123  ] []");
        check("{{contains .ID \"c1\"}} {{contains .ID \"x\"}} {{hasPrefix .ID \"ab\"}} {{hasSuffix .ID \"23\"}} "
              "{{hasSuffix .ID \"abc1234\"}}",
              "true false true true false");
        check("{{.ID | upper | printf \"%q\"}} {{\"a\" | printf \"%s-%s\" \"b\"}}", "\"ABC123\" b-a");
        check("{{print 1 2 \"a\" \"b\" 3 true .Nil}}|{{println 1 \"a\"}}|{{print}}", "1 2ab3 true <nil>|1 a\n|");
}

static void test_logic(void **state)
{
        (void)state;
        check("{{and 1 0 2}} {{or 0 \"\" \"x\"}} {{and 1 2}} [{{or 0 \"\"}}] {{not 0}} {{not \"a\"}}",
              "0 x 2 [] true false");
        check("{{and .Nil .Undefined.Thing}} {{or .T (index .List 99)}}", "<no value> true"); /* short-circuit */
        check("{{eq 1 1}} {{eq 1 2 1}} {{eq \"a\" \"a\"}} {{eq .Nil .Nil}} {{eq .Nil 1}} {{eq true true}}",
              "true true true true false true");
        check("{{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1 2}} {{lt 1 1.5}} {{eq 2 2.0}}",
              "true true true true false true true");
        check("{{if and (eq .State.Status \"running\") (gt .State.Pid 0)}}up{{end}}", "up");
        check_err("{{eq \"a\" 1}}", "error calling eq: incompatible types for comparison");
        check_err("{{lt true false}}", "invalid type for comparison");
        check_err("{{eq .List .List}}", "non-comparable type");
        check_err("{{lt .Nil 1}}", "invalid type for comparison");
        check_err("{{eq 1}}", "missing argument for comparison");
}

static void test_printf(void **state)
{
        (void)state;
        check("{{printf \"%5.2f|%x|%q|%c|%U\" 3.14159 \"hi\" 97 97 97}}", " 3.14|6869|'a'|a|U+0061");
        check("{{printf \"%s %d\" 5 \"x\"}} {{printf \"%d\"}} {{printf \"%d\" 1 2}} {{printf \"%z\" 1}} {{printf "
              "\"%\"}}",
              "%!s(int=5) %!d(string=x) %!d(MISSING) 1%!(EXTRA int=2) %!z(int=1) %!(NOVERB)");
        check("{{printf \"%v %v %v\" 1e6 1.0 100000.0}}", "1e+06 1 100000");
        check("{{printf \"%v\" .Names}} {{printf \"%q\" .Names}} {{printf \"%5v\" .Names}} {{printf \"%d\" .Names}}",
              "[web db] [\"web\" \"db\"] [  web    db] [%!d(string=web) %!d(string=db)]");
        check("{{printf \"%s\" nil}} {{printf \"%v\" nil}} {{printf \"%d\" nil}} {{printf \"%v\" .Mixed}}",
              "%!s(<nil>) <nil> %!d(<nil>) map[a:x b:1 c:<nil>]");
        check("{{printf \"%x %X %o %b %#x %#o %+d % d %05d %-5d|\" 255 255 8 5 255 8 5 5 42 42}}",
              "ff FF 10 101 0xff 010 +5  5 00042 42   |");
        check("{{printf \"%t %t %5t|%-7t|\" true 1 true false}}", "true %!t(int=1)  true|false  |");
        check("{{printf \"%e %E %g %G %.3e %8.3f|\" 1234.5678 1234.5678 1234.5678 1e-7 1234.5678 3.14159}}",
              "1.234568e+03 1.234568E+03 1234.5678 1E-07 1.235e+03    3.142|");
        check("{{printf \"%*d|%-*d|%.*f\" 5 42 4 7 2 3.14159}} {{printf \"%[2]d %[1]d\" 1 2}}", "   42|7   |3.14 2 1");
        check("{{printf \"%q\" \"a\\tb\\u00e9\\x01\"}}", "\"a\\tbé\\x01\"");
        check("{{printf \"%x\" 1.5}} {{printf \"%.2s\" \"héllo\"}} {{printf \"%5s|\" \"é\"}}", "0x1.8p+00 hé     é|");
        check("{{printf \"%6.2v|%.3v|%10.4v|\" 3.14159 \"abcdef\" 3.14159}}", "   3.1|abc|     3.142|");
        check("{{printf \"%08.3f|%-8.3f|%+.1e|%x|%X\" -3.14159 3.14159 12345.0 -255 \"Hi\"}}",
              "-003.142|3.142   |+1.2e+04|-ff|4869");
        check("{{printf \"%c|%q|%U|%#U\" 0x1F600 0x1F600 0x1F600 0x1F600}}", "😀|'😀'|U+1F600|U+1F600 '😀'");
        check("{{printf \"%#q %#v %+q\" \"a`b\" \"x\" \"é\"}} {{printf \"%#q\" \"ab\"}}",
              "\"a`b\" \"x\" \"\\u00e9\" `ab`");
        check("{{printf \"%x % x %#x\" \"hello\" \"hello\" \"hello\"}}", "68656c6c6f 68 65 6c 6c 6f 0x68656c6c6f");
        check("{{printf \"%.0f %.0f %.0f %g %g\" 0.5 1.5 2.5 100000000.0 0.0001}}", "0 2 2 1e+08 0.0001");
        check("{{printf \"%g %G %e\" 1e21 1e-10 0.0}} {{printf \"%s\" true}}{{printf \"%q\" 1.5}}",
              "1e+21 1E-10 0.000000e+00 %!s(bool=true)%!q(float64=1.5)");
        check("{{printf \"%3c|%-3c|\" 65 66}} {{printf \"%[3]d %d\" 1 2}} {{printf \"%[0]d\" 1}}",
              "  A|B  | %!d(BADINDEX) 1 %!d(BADINDEX)");
        check("{{printf \"%!\"}} {{printf \"%-\"}} {{printf \"%5\"}} {{printf \"%d %%\" 1}}",
              "%!!(MISSING) %!(NOVERB) %!(NOVERB) 1 %");
        check("{{printf \"%T %T %T %T %T %T\" 1 1.5 \"s\" true .List .Nil}}",
              "int float64 string bool []interface {} <nil>");
        check("{{printf \"%#v %#v\" .Labels .Nil}}",
              "map[string]interface {}{\"app\":\"web\", \"tier\":\"front\"} <nil>");
        check("{{printf \"%#08x|%.3d|%+.2e|% x|%#g|%b\" 255 7 0.0 -1 1.0 4}}",
              "0x000000ff|007|+0.00e+00|-1|1.00000|100");
        check("{{printf \"%*d\" 1.5 3}}|{{printf \"%.*d\" -1 3}}", "%!(BADWIDTH)3|%!(BADPREC)3");
        check("{{printf \"%9999999999d\" 1}}", "%!(NOVERB)%!(EXTRA int=1)");
}

static void test_missing_keys(void **state)
{
        char *err = NULL, *out;

        (void)state;
        /* a struct-like object (all keys upper case) reports a missing field, like podman's structs */
        check_err("{{.State.Nope}}", "can't evaluate field Nope");
        /* a map-like object gives <no value>, like a Go map */
        check("{{.Labels.nope}} {{.Mixed.zz}} {{.EmptyObj.X}} {{.Nil.A.B}}", "<no value> <no value> <no value> "
                                                                             "<no value>");
        check_err("{{.ID.Foo}}", "can't evaluate field Foo in type string");
        check_err("{{.List.X}}", "can't evaluate field X in type []interface {}");
        /* lax mode (header rows) never fails on a missing key */
        out = run_flags("{{.State.Nope}}|{{.ID}}", NULL, CPOD_TMPL_LAX_FIELDS, &err);
        assert_string_equal(out, "<no value>|abc123");
        free(out);
        free(err);
}

static void test_parse_errors(void **state)
{
        (void)state;
        check_err("{{.ID", "template: 1:6: unclosed action");
        check_err("{{break}}", "1:3: {{break}} outside {{range}}");
        check_err("{{range .List}}{{else}}{{break}}{{end}}", "outside {{range}}");
        check_err("{{ 1 | 2 }}", "non executable command in pipeline stage 2");
        check_err("{{ foo }}", "function \"foo\" not defined");
        check_err("{{ $y }}", "undefined variable \"$y\"");
        check_err("{{ if }}{{end}}", "missing value for if");
        check_err("{{ end }}", "unexpected {{end}}");
        check_err("{{ else }}", "unexpected {{else}}");
        check_err("{{ if 1 }}", "unexpected EOF");
        check_err("{{ \"abc }}", "unterminated quoted string");
        check_err("{{ `abc }}", "unterminated raw quoted string");
        check_err("{{ ( 1 }}", "unclosed left paren");
        check_err("{{ 1 ) }}", "unexpected right paren");
        check_err("{{ 99999999999999999999 }}", "integer overflow");
        check_err("{{ 1e999 }}", "illegal number syntax");
        check_err("{{ 1a }}", "bad number syntax");
        check_err("{{ 1+2i }}", "bad number syntax");
        check_err("{{ \"\\q\" }}", "invalid syntax");
        check_err("{{ 'ab' }}", "malformed character constant");
        check_err("{{/* x */ .ID}}", "comment ends before closing delimiter");
        check_err("x {{/* c ", "unclosed comment");
        check_err("{{ .A.B 1 . }}x{{ .C | | upper }}", "unexpected \"|\" in command");
        check_err("{{ $x, $y := .List }}", "too many declarations in command");
        check_err("{{ range $x, 1 := .List }}{{end}}", "range can only initialize variables");
        check_err("{{ \"x\".Foo }}", "unexpected . after term \"\"x\"\"");
        check_err("{{ 1.Foo }}", "bad number syntax");
        check_err("{{ define \"x\" }}{{end}}", "{{define}} is not supported");
        check_err("{{ \x01 }}", "unrecognized character in action: U+0001");
        check_err("{{ .A\x01 }}", "bad character U+0001");
        check_err("{{ .A# }}", "bad character U+0023");
        check_err("{{if 1}}{{else}}{{else}}{{end}}", "expected end; found {{else}}");
        check_err("{{range .L}}{{else if 1}}{{end}}", "unexpected <if> in input");
        check_err("line1\nline2 {{ nosuch }}", "template: 2:10: function \"nosuch\" not defined");
        check_err("{{ $x = 1 }}", "undefined variable \"$x\"");
}

static void test_exec_errors(void **state)
{
        (void)state;
        check_err("{{len 3}}", "template: 1:3: executing at <len 3>: error calling len: len of type int");
        check_err("{{len .Nil}}", "len of nil pointer");
        check_err("{{range 3}}{{.}}{{end}}", "range can't iterate over 3");
        check_err("{{nil}}", "nil is not a command");
        check_err("{{ upper 1 }}", "wrong type for value; expected string; got int");
        check_err("{{ upper nil }}", "invalid value; expected string");
        check_err("{{ index .List 5 }}", "error calling index: index out of range: 5");
        check_err("{{ index .List \"a\" }}", "cannot index slice/array with type string");
        check_err("{{ index .Labels 1 }}", "value has type int; should be string");
        check_err("{{ index .N 1 }}", "can't index item of type int");
        check_err("{{ .ID 1 }}", "can't give argument to non-function .ID");
        check_err("{{ .ID | .N }}", "can't give argument to non-function");
        check_err("{{ join .List \",\" }}", "expected []string");
        check_err("{{ upper }}", "wrong number of args for upper: want 1 got 0");
        check_err("{{ and }}", "wrong number of args for and: want at least 1 got 0");
        check_err("{{ truncate \"x\" -1 }}", "error calling truncate");
        check_err("{{ pad \"x\" -1 0 }}", "negative Repeat count");
        check_err("{{ if 0 }}{{ $x := 1 }}{{ else }}{{ $x }}{{ end }}", "undefined variable");
}

static void test_limits(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf sb = STRBUF_INIT, deep = STRBUF_INIT;
        struct cpod_tmpl *t;
        json_t *doc;

        (void)state;
        /* nesting is bounded at parse time */
        for (int i = 0; i < CPOD_TMPL_MAX_DEPTH + 5; i++)
                strbuf_addstr(&deep, "{{if 1}}");
        check_err(deep.buf, "nested more than");
        strbuf_reset(&deep);
        strbuf_addstr(&deep, "{{");
        for (int i = 0; i < 2000; i++)
                strbuf_addch(&deep, '(');
        check_err(deep.buf, "nested more than");
        strbuf_release(&deep);

        /* a large nested range stops at the step budget instead of running for hours */
        doc = json_array();
        for (int i = 0; i < 1000; i++)
                json_array_append_new(doc, json_integer(i));
        t = cpod_tmpl_parse("{{range .}}{{range $}}{{range $}}{{range $}}{{end}}{{end}}{{end}}{{end}}", &err);
        assert_non_null(t);
        cpod_tmpl_set_limits(t, 0, 100000);
        assert_true(cpod_tmpl_exec(t, doc, &sb, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "stopped after 100000 steps"));
        cpod_error_clear(&err);
        cpod_tmpl_free(t);

        /* the output is bounded, also inside printf padding */
        t = cpod_tmpl_parse("{{range .}}{{range $}}{{.}}{{end}}{{end}}", &err);
        cpod_tmpl_set_limits(t, 4096, 0);
        assert_true(cpod_tmpl_exec(t, doc, &sb, &err) < 0);
        assert_non_null(strstr(cpod_error_msg(&err), "output exceeds 4096 bytes"));
        assert_int_equal(sb.len, 0);
        cpod_error_clear(&err);
        cpod_tmpl_free(t);
        t = cpod_tmpl_parse("{{printf \"%999999v\" $}}", &err);
        cpod_tmpl_set_limits(t, 1 << 20, 0);
        assert_true(cpod_tmpl_exec(t, doc, &sb, &err) < 0);
        cpod_error_clear(&err);
        cpod_tmpl_free(t);
        json_decref(doc);
        strbuf_release(&sb);
}

static void test_nul_and_binary(void **state)
{
        cpod_error_t err = CPOD_ERROR_INIT;
        struct strbuf sb = STRBUF_INIT;
        static const char src[] = "a\0b{{\"x\\x00y\\xff\" | len}}{{printf \"%q\" \"\\x00\\xff\"}}";
        struct cpod_tmpl *t = cpod_tmpl_parse_buf(src, sizeof(src) - 1, &err);

        (void)state;
        assert_non_null(t);
        assert_int_equal(cpod_tmpl_exec(t, NULL, &sb, &err), 0);
        assert_int_equal(sb.len, 14);
        assert_memory_equal(sb.buf, "a\0b4\"\\x00\\xff\"", 14);
        cpod_tmpl_free(t);
        strbuf_release(&sb);
        cpod_tmpl_free(NULL);
}

static void test_json_go(void **state)
{
        struct strbuf sb = STRBUF_INIT;
        json_t *v = json_loads("{\"a\":[],\"b\":{},\"c\":[1,{\"d\":null}],\"e\":0.1,\"f\":1e21,\"g\":1e-7,\"h\":\"<&>"
                               "\\u2028\\u0001\\n\"}",
                               0, NULL);

        (void)state;
        json_go_append(&sb, v, NULL, 0);
        assert_string_equal(sb.buf, "{\"a\":[],\"b\":{},\"c\":[1,{\"d\":null}],\"e\":0.1,\"f\":1e+21,\"g\":1e-7,"
                                    "\"h\":\"<&>\\u2028\\u0001\\n\"}");
        strbuf_reset(&sb);
        json_go_append(&sb, v, "  ", JSON_GO_ESCAPE_HTML);
        assert_string_equal(sb.buf,
                            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": null\n    }\n"
                            "  ],\n  \"e\": 0.1,\n  \"f\": 1e+21,\n  \"g\": 1e-7,\n"
                            "  \"h\": \"\\u003c\\u0026\\u003e\\u2028\\u0001\\n\"\n}");
        json_decref(v);
        strbuf_release(&sb);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fields),       cmocka_unit_test(test_print_values),
                cmocka_unit_test(test_control),      cmocka_unit_test(test_trim_comments),
                cmocka_unit_test(test_functions),    cmocka_unit_test(test_logic),
                cmocka_unit_test(test_printf),       cmocka_unit_test(test_missing_keys),
                cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_exec_errors),
                cmocka_unit_test(test_limits),       cmocka_unit_test(test_nul_and_binary),
                cmocka_unit_test(test_json_go),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
