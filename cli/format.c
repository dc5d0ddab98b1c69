/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --format for every listing and inspect command, with podman's rules
 * (containers/common pkg/report): "json", "table ...", or a Go template run
 * per row.  The whole output is built in memory and written at the end, so
 * a template that fails half way prints nothing but the error.
 */
#include "cli/format.h"

#include <ctype.h>
#include <string.h>

#include "util/cleanup.h"
#include "format/json-go.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "format/tabwriter.h"
#include "format/template.h"
#include "format/utf8.h"
#include "util/xalloc.h"

DEFINE_CLEANUP_FUNC(struct cpod_tmpl, cpod_tmpl_free)

static const char *skip_ws(const char *s)
{
        while (*s && isspace((unsigned char)*s))
                s++;
        return s;
}

/* Match a literal word at *s, moving past it. */
static bool eat(const char **s, const char *word)
{
        size_t n = strlen(word);

        if (strncmp(*s, word, n) != 0)
                return false;
        *s += n;
        return true;
}

bool fmt_is_json(const char *format)
{
        const char *s = skip_ws(format);

        if (eat(&s, "json"))
                return !*skip_ws(s);
        if (!eat(&s, "{{"))
                return false;
        s = skip_ws(s);
        if (!eat(&s, "json"))
                return false;
        s = skip_ws(s);
        (void)eat(&s, ".");
        s = skip_ws(s);
        return eat(&s, "}}") && !*skip_ws(s);
}

/* {{range .}} ... {{end}} anywhere in the format: the template wants the whole array. */
static bool has_range_over_dot(const char *f)
{
        for (const char *p = strstr(f, "{{"); p; p = strstr(p + 2, "{{")) {
                const char *s = skip_ws(p + 2);
                if (!eat(&s, "range"))
                        continue;
                s = skip_ws(s);
                if (!eat(&s, "."))
                        continue;
                s = skip_ws(s);
                if (!eat(&s, "}}"))
                        continue;
                for (const char *e = strstr(s, "{{"); e; e = strstr(e + 2, "{{")) {
                        const char *t = skip_ws(e + 2);
                        if (eat(&t, "end")) {
                                t = skip_ws(t);
                                (void)eat(&t, "-");
                                t = skip_ws(t);
                                if (eat(&t, "}}"))
                                        return true;
                        }
                }
                return false;
        }
        return false;
}

/*
 * podman's NormalizeFormat: \t and \n escapes, in a table every space becomes
 * a tab, and a final newline is added when missing.
 */
static char *normalize(const char *f, bool table)
{
        struct strbuf sb = STRBUF_INIT;

        for (; *f; f++) {
                if (f[0] == '\\' && (f[1] == 't' || f[1] == 'n')) {
                        strbuf_addch(&sb, f[1] == 't' ? '\t' : '\n');
                        f++;
                } else {
                        strbuf_addch(&sb, table && *f == ' ' ? '\t' : *f);
                }
        }
        if (!strbuf_endswith(&sb, "\n"))
                strbuf_addch(&sb, '\n');
        return strbuf_detach(&sb, NULL);
}

static int write_out(FILE *out, const struct strbuf *sb)
{
        if (sb->len && fwrite(sb->buf, 1, sb->len, out) != sb->len)
                return -1;
        return 0;
}

static void print_pretty_json(FILE *out, const json_t *v, unsigned flags)
{
        struct strbuf sb = STRBUF_INIT;

        if (!v || (json_is_array(v) && json_array_size(v) == 0))
                strbuf_addstr(&sb, "[]");
        else
                json_go_append(&sb, v, "    ", flags);
        strbuf_addch(&sb, '\n');
        (void)write_out(out, &sb);
        strbuf_release(&sb);
}

enum rune_class { RC_LOWER, RC_UPPER, RC_DIGIT, RC_OTHER };

static enum rune_class classify(uint32_t cp)
{
        if (cp >= '0' && cp <= '9')
                return RC_DIGIT;
        if (utf8_toupper(cp) != cp || cp == 0xDF) /* ß is lower case without a one-rune upper case */
                return RC_LOWER;
        if (utf8_tolower(cp) != cp)
                return RC_UPPER;
        return RC_OTHER;
}

struct run {
        size_t start, end; /* byte offsets */
        size_t last;       /* offset of the last rune */
        enum rune_class cls;
};

/* Runs of one class, then an upper-case letter before a lower-case run moves into it ("PDFLoader"). */
static size_t camel_runs(const char *s, size_t len, struct run *runs)
{
        size_t n = 0;

        for (size_t i = 0; i < len;) {
                uint32_t cp;
                size_t w = utf8_decode(s + i, len - i, &cp);
                enum rune_class cls = classify(cp);

                if (n == 0 || runs[n - 1].cls != cls)
                        runs[n++] = (struct run){ i, i, i, cls };
                runs[n - 1].last = i;
                runs[n - 1].end = i + w;
                i += w;
        }
        for (size_t i = 0; i + 1 < n; i++) {
                uint32_t first;
                (void)utf8_decode(s + runs[i].start, runs[i].end - runs[i].start, &first);
                if (runs[i].start < runs[i].end && classify(first) == RC_UPPER && runs[i + 1].cls == RC_LOWER) {
                        runs[i + 1].start = runs[i].last;
                        runs[i].end = runs[i].last;
                }
        }
        return n;
}

char *fmt_header_from_field(const char *field)
{
        size_t len = strlen(field), n;
        _cleanup_free_ struct run *runs = xnew0(struct run, len + 1);
        struct strbuf sb = STRBUF_INIT;

        n = camel_runs(field, len, runs);
        for (size_t i = 0; i < n; i++) {
                if (runs[i].start == runs[i].end)
                        continue;
                if (sb.len)
                        strbuf_addch(&sb, ' ');
                for (size_t k = runs[i].start; k < runs[i].end;) {
                        uint32_t cp;
                        size_t w = utf8_decode(field + k, runs[i].end - k, &cp);
                        if (w == 1 && cp == UTF8_RUNE_ERROR)
                                strbuf_addch(&sb, field[k]);
                        else
                                utf8_encode(&sb, utf8_toupper(cp));
                        k += w;
                }
        }
        return strbuf_detach(&sb, NULL);
}

static const char *header_lookup(const struct fmt_header *headers, const char *field, bool *found)
{
        *found = false;
        for (const struct fmt_header *h = headers; h && h->field; h++) {
                if (strcmp(h->field, field) == 0) {
                        *found = true;
                        return h->header;
                }
        }
        return NULL;
}

static void set_header(json_t *obj, const struct fmt_header *headers, const char *field)
{
        bool found;
        const char *h = header_lookup(headers, field, &found);

        if (h) {
                json_object_set_new(obj, field, json_string(h));
        } else {
                _cleanup_free_ char *derived = fmt_header_from_field(field);
                json_object_set_new(obj, field, json_string(derived));
        }
}

/* The object the header row is rendered from: every known field mapped to its column title. */
static json_t *header_object(const struct fmt_header *headers, json_t *rows)
{
        json_t *obj = json_object(), *first = json_is_array(rows) ? json_array_get(rows, 0) : rows, *v;
        const char *k;

        json_object_foreach(first, k, v)
                set_header(obj, headers, k);
        for (const struct fmt_header *h = headers; h && h->field; h++)
                if (!json_object_get(obj, h->field))
                        set_header(obj, headers, h->field);
        return obj;
}

/* Run t over each row (or once over rows itself), appending to sb. */
static int exec_rows(const struct cpod_tmpl *t, json_t *rows, bool whole, struct strbuf *sb, cpod_error_t *err)
{
        size_t i;
        json_t *row;

        if (whole || !json_is_array(rows))
                return cpod_tmpl_exec(t, rows, sb, err);
        json_array_foreach(rows, i, row)
                if (cpod_tmpl_exec(t, row, sb, err) < 0)
                        return -1;
        return 0;
}

static int print_table(FILE *out, const char *body, const struct fmt_header *headers, json_t *rows, cpod_error_t *err)
{
        _cleanup_free_ char *text = normalize(body, true);
        _cleanup_(cpod_tmpl_freep) struct cpod_tmpl *t = cpod_tmpl_parse(text, err);
        _cleanup_json_ json_t *hdr = NULL;
        struct strbuf sb = STRBUF_INIT, aligned = STRBUF_INIT;
        int r = -1;

        if (!t)
                return -1;
        hdr = header_object(headers, rows);
        if (cpod_tmpl_exec_flags(t, hdr, CPOD_TMPL_LAX_FIELDS, &sb, err) < 0 || exec_rows(t, rows, false, &sb, err) < 0)
                goto out;
        cpod_tabwrite(sb.buf, sb.len, &aligned);
        (void)write_out(out, &aligned);
        r = 0;
out:
        strbuf_release(&sb);
        strbuf_release(&aligned);
        return r;
}

static int print_template(FILE *out, const char *format, json_t *rows, cpod_error_t *err)
{
        _cleanup_free_ char *text = normalize(format, false);
        _cleanup_(cpod_tmpl_freep) struct cpod_tmpl *t = cpod_tmpl_parse(text, err);
        struct strbuf sb = STRBUF_INIT;
        int r = -1;

        if (t && exec_rows(t, rows, has_range_over_dot(format), &sb, err) == 0) {
                (void)write_out(out, &sb);
                r = 0;
        }
        strbuf_release(&sb);
        return r;
}

static bool is_table(const char *f)
{
        return strncmp(f, "table", 5) == 0 && (f[5] == '\0' || isspace((unsigned char)f[5]));
}

int cli_print_list(FILE *out, const char *format, const char *default_fmt, const struct fmt_header *headers,
                   json_t *rows, json_t *json_value, cpod_error_t *err)
{
        const char *f = format && *format ? format : default_fmt ? default_fmt : "";

        if (fmt_is_json(f)) {
                print_pretty_json(out, json_value ? json_value : rows, JSON_GO_ESCAPE_HTML);
                return 0;
        }
        if (strcmp(f, "table") == 0) {
                f = default_fmt ? default_fmt : "";
                if (!is_table(f))
                        return print_table(out, f, headers, rows, err);
        }
        if (is_table(f))
                return print_table(out, f[5] ? f + 6 : f + 5, headers, rows, err);
        return print_template(out, f, rows, err);
}

int cli_print_inspect(FILE *out, const char *format, json_t *objs, cpod_error_t *err)
{
        if (!format || !*format || fmt_is_json(format)) {
                print_pretty_json(out, objs, 0);
                return 0;
        }
        return print_template(out, format, objs, err);
}
