/*
 * grade_format.c - a GradeReport as text, JSON, TAP, JUnit XML or
 * Gradescope results.json (see grade.h).
 *
 * Each writer follows the published description of its format, and the
 * end-to-end tests feed each to a real consumer:
 *
 *   tap         TAP version 13 (testanything.org/tap-version-13-specification):
 *               plan, one "ok"/"not ok" line per item, a YAML block under
 *               each; read by prove(1).
 *   junit       JUnit XML as Ant, Jenkins and GitLab read it: <testsuites>,
 *               one <testsuite> per lesson, one <testcase> per item, a
 *               <failure message type> in a failed one; read by
 *               python3-junitparser.
 *   gradescope  results.json of Gradescope's autograder specification
 *               (gradescope-autograders.readthedocs.io, "Output format"):
 *               top-level score, execution_time, output, visibility,
 *               tests[] with name, number, score, max_score, status
 *               ("passed"/"failed"), output, tags, visibility.
 *   json        our own object (GRADE_FORMAT_VERSION), for scripts.
 *   text        one line per item and a score line, for people.
 *
 * Text from users (answers, ids from the answers file) passes through the
 * escaping of each format: JSON strings (util/json.c), XML character data
 * and attributes (grade_xml_escape: & < > " ' and characters XML 1.0 does
 * not allow), TAP descriptions ('#' and '\' escaped).  Invalid UTF-8
 * becomes U+FFFD everywhere.
 */
#include "config.h"

#include "grade/grade.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "util/utf8.h"

const char *const grade_visibilities[] = {"visible", "hidden", "after_due_date", "after_published",
                                          NULL};

static double grade_seconds(uint64_t ns)
{
    return (double)ns / 1e9;
}

/* The failure type of an item (JUnit's type attribute, TAP's YAML). */
static const char *grade_failure_type(const GradeItem *it)
{
    if (it->kind == GRADE_UNKNOWN) {
        return "unknown";
    }
    if (it->answer == NULL || it->answer[0] == '\0') {
        return "missing";
    }
    return it->kind == GRADE_CHALLENGE ? "not-reached" : "wrong";
}

/* ------------------------------------------------------------------ */
/* text                                                                */
/* ------------------------------------------------------------------ */

static void grade_write_text(StrBuf *out, const GradeReport *r, const char *visibility)
{
    (void)visibility;
    for (size_t i = 0; i < r->n; i++) {
        const GradeItem *it = &r->items[i];
        strbuf_addf(out, "%-4s %s/%s (%s", it->passed ? "ok" : "FAIL", it->lesson, it->id,
                    grade_kind_name(it->kind));
        if (it->line > 0) {
            strbuf_addf(out, ", line %u", it->line);
        }
        strbuf_addf(out, "): %s\n", it->message != NULL ? it->message : "");
    }
    strbuf_addf(out, "score %zu/%zu: %zu passed, %zu failed\n", r->passed, r->n, r->passed,
                r->n - r->passed);
}

/* ------------------------------------------------------------------ */
/* our JSON                                                            */
/* ------------------------------------------------------------------ */

static void grade_write_json(StrBuf *out, const GradeReport *r, const char *visibility)
{
    JsonWriter w;
    (void)visibility;
    json_init(&w, json_sink_strbuf, out, 2);
    json_begin_object(&w);
    json_kv_string(&w, "interleave", PACKAGE_VERSION);
    json_kv_int(&w, "format", GRADE_FORMAT_VERSION);
    json_kv_string(&w, "answers", r->answers_path);
    json_kv_uint(&w, "score", r->passed);
    json_kv_uint(&w, "max_score", r->n);
    json_kv_uint(&w, "passed", r->passed);
    json_kv_uint(&w, "failed", r->n - r->passed);
    json_kv_uint(&w, "not_checked", (uint64_t)r->internal);
    json_kv_double(&w, "seconds", grade_seconds(r->ns), 6);
    json_key(&w, "tests");
    json_begin_array(&w);
    for (size_t i = 0; i < r->n; i++) {
        const GradeItem *it = &r->items[i];
        json_begin_object(&w);
        json_kv_string(&w, "lesson", it->lesson);
        json_kv_string(&w, "id", it->id);
        json_kv_string(&w, "kind", grade_kind_name(it->kind));
        json_kv_bool(&w, "passed", it->passed);
        json_kv_string(&w, "answer", it->answer);
        json_key(&w, "line");
        if (it->line > 0) {
            json_uint(&w, it->line);
        } else {
            json_null(&w);
        }
        json_kv_string(&w, "message", it->message);
        json_kv_string(&w, "prompt", it->prompt);
        json_kv_string(&w, "explain", it->explain);
        json_kv_double(&w, "seconds", grade_seconds(it->ns), 6);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_end_object(&w);
    json_newline(&w);
    if (json_flush(&w) < 0) {
        out->failed = true; /* the caller sees it and reports running out of memory */
    }
}

/* ------------------------------------------------------------------ */
/* TAP version 13                                                      */
/* ------------------------------------------------------------------ */

/* A TAP description: '#' starts a directive and '\' escapes, so both are
 * escaped (TAP 13, "Test Line"); a line break would end the line. */
static void grade_tap_desc(StrBuf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '#' || *s == '\\') {
            strbuf_addf(out, "\\%c", *s);
        } else if (*s == '\n' || *s == '\r') {
            strbuf_add(out, " ");
        } else {
            char c[2] = {*s, '\0'};
            strbuf_add(out, c);
        }
    }
}

/* "  key: "value"" in the YAML block; JSON's string escapes are valid in
 * a YAML double-quoted scalar. */
static void grade_tap_yaml(StrBuf *out, const char *key, const char *value)
{
    if (value == NULL) {
        return;
    }
    strbuf_addf(out, "  %s: \"", key);
    json_escape_to(out, value, strlen(value));
    strbuf_add(out, "\"\n");
}

static void grade_write_tap(StrBuf *out, const GradeReport *r, const char *visibility)
{
    (void)visibility;
    strbuf_add(out, "TAP version 13\n");
    if (r->n == 0) {
        strbuf_add(out, "1..0 # SKIP nothing to grade\n");
        return;
    }
    strbuf_addf(out, "1..%zu\n", r->n);
    for (size_t i = 0; i < r->n; i++) {
        const GradeItem *it = &r->items[i];
        char line[32];
        strbuf_addf(out, "%s %zu - ", it->passed ? "ok" : "not ok", i + 1);
        grade_tap_desc(out, it->lesson);
        strbuf_add(out, "/");
        grade_tap_desc(out, it->id);
        strbuf_add(out, "\n  ---\n");
        grade_tap_yaml(out, "kind", grade_kind_name(it->kind));
        grade_tap_yaml(out, "message", it->message);
        grade_tap_yaml(out, "answer", it->answer);
        if (it->line > 0) {
            snprintf(line, sizeof(line), "%u", it->line);
            strbuf_addf(out, "  line: %s\n", line);
        }
        if (!it->passed) {
            grade_tap_yaml(out, "failure", grade_failure_type(it));
        }
        strbuf_add(out, "  ...\n");
    }
}

/* ------------------------------------------------------------------ */
/* JUnit XML                                                           */
/* ------------------------------------------------------------------ */

/* XML character data or attribute value: the five special characters as
 * entities, line breaks and tabs as character references (kept in
 * attributes), and what XML 1.0 does not allow (other control
 * characters, U+FFFE, U+FFFF, invalid UTF-8) as U+FFFD. */
static void grade_xml_escape(StrBuf *out, const char *s)
{
    size_t n = strlen(s);
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t len;
        switch (c) {
        case '&':
            strbuf_add(out, "&amp;");
            i++;
            continue;
        case '<':
            strbuf_add(out, "&lt;");
            i++;
            continue;
        case '>':
            strbuf_add(out, "&gt;");
            i++;
            continue;
        case '"':
            strbuf_add(out, "&quot;");
            i++;
            continue;
        case '\'':
            strbuf_add(out, "&apos;");
            i++;
            continue;
        case '\n':
            strbuf_add(out, "&#10;");
            i++;
            continue;
        case '\r':
            strbuf_add(out, "&#13;");
            i++;
            continue;
        case '\t':
            strbuf_add(out, "&#9;");
            i++;
            continue;
        default:
            break;
        }
        len = utf8_seq_len(s + i, n - i, &cp);
        if (len == 0 || cp < 0x20 || cp == 0xfffe || cp == 0xffff) {
            strbuf_add(out, UTF8_REPLACEMENT);
            i += len == 0 ? 1 : len;
            continue;
        }
        {
            char seq[5];
            memcpy(seq, s + i, len);
            seq[len] = '\0';
            strbuf_add(out, seq);
        }
        i += len;
    }
}

static void grade_xml_attr(StrBuf *out, const char *name, const char *value)
{
    strbuf_addf(out, " %s=\"", name);
    grade_xml_escape(out, value != NULL ? value : "");
    strbuf_add(out, "\"");
}

static void grade_write_junit(StrBuf *out, const GradeReport *r, const char *visibility)
{
    char num[64];
    (void)visibility;
    strbuf_add(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    grade_xml_attr(out, "name", "interleave grade");
    snprintf(num, sizeof(num), "%zu", r->n);
    grade_xml_attr(out, "tests", num);
    snprintf(num, sizeof(num), "%zu", r->n - r->passed);
    grade_xml_attr(out, "failures", num);
    grade_xml_attr(out, "errors", "0");
    snprintf(num, sizeof(num), "%.6f", grade_seconds(r->ns));
    grade_xml_attr(out, "time", num);
    strbuf_add(out, ">\n");
    /* one suite per lesson, in order of first appearance */
    for (size_t i = 0; i < r->n; i++) {
        const char *lesson = r->items[i].lesson;
        size_t tests = 0, failures = 0;
        uint64_t ns = 0;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            seen = strcmp(r->items[j].lesson, lesson) == 0;
        }
        if (seen) {
            continue;
        }
        for (size_t j = i; j < r->n; j++) {
            if (strcmp(r->items[j].lesson, lesson) == 0) {
                tests++;
                failures += r->items[j].passed ? 0 : 1;
                ns += r->items[j].ns;
            }
        }
        strbuf_add(out, "  <testsuite");
        grade_xml_attr(out, "name", lesson);
        snprintf(num, sizeof(num), "%zu", tests);
        grade_xml_attr(out, "tests", num);
        snprintf(num, sizeof(num), "%zu", failures);
        grade_xml_attr(out, "failures", num);
        grade_xml_attr(out, "errors", "0");
        grade_xml_attr(out, "skipped", "0");
        snprintf(num, sizeof(num), "%.6f", grade_seconds(ns));
        grade_xml_attr(out, "time", num);
        strbuf_add(out, ">\n");
        for (size_t j = i; j < r->n; j++) {
            const GradeItem *it = &r->items[j];
            char classname[256];
            if (strcmp(it->lesson, lesson) != 0) {
                continue;
            }
            strbuf_add(out, "    <testcase");
            grade_xml_attr(out, "name", it->id);
            snprintf(classname, sizeof(classname), "%s.%s", it->lesson, grade_kind_name(it->kind));
            grade_xml_attr(out, "classname", classname);
            snprintf(num, sizeof(num), "%.6f", grade_seconds(it->ns));
            grade_xml_attr(out, "time", num);
            strbuf_add(out, ">\n");
            if (!it->passed) {
                strbuf_add(out, "      <failure");
                grade_xml_attr(out, "message", it->message);
                grade_xml_attr(out, "type", grade_failure_type(it));
                strbuf_add(out, ">");
                if (it->answer != NULL) {
                    strbuf_add(out, "answer: ");
                    grade_xml_escape(out, it->answer);
                    if (it->line > 0) {
                        strbuf_addf(out, " (line %u)", it->line);
                    }
                    strbuf_add(out, "&#10;");
                }
                grade_xml_escape(out, it->message != NULL ? it->message : "");
                strbuf_add(out, "</failure>\n");
            } else {
                strbuf_add(out, "      <system-out>");
                grade_xml_escape(out, it->message != NULL ? it->message : "");
                strbuf_add(out, "</system-out>\n");
            }
            strbuf_add(out, "    </testcase>\n");
        }
        strbuf_add(out, "  </testsuite>\n");
    }
    strbuf_add(out, "</testsuites>\n");
}

/* ------------------------------------------------------------------ */
/* Gradescope results.json                                             */
/* ------------------------------------------------------------------ */

static void grade_write_gradescope(StrBuf *out, const GradeReport *r, const char *visibility)
{
    JsonWriter w;
    StrBuf text;
    const char *vis = visibility != NULL ? visibility : "visible";

    json_init(&w, json_sink_strbuf, out, 2);
    json_begin_object(&w);
    json_kv_double(&w, "score", (double)r->passed, 1);
    /* whole seconds, as the specification's example */
    json_kv_uint(&w, "execution_time", (uint64_t)ceil(grade_seconds(r->ns)));
    strbuf_init(&text);
    strbuf_addf(&text, "%zu of %zu passed (interleave %s)", r->passed, r->n, PACKAGE_VERSION);
    json_kv_string(&w, "output", strbuf_str(&text));
    strbuf_fini(&text);
    json_kv_string(&w, "visibility", vis);
    json_key(&w, "tests");
    json_begin_array(&w);
    for (size_t i = 0; i < r->n; i++) {
        const GradeItem *it = &r->items[i];
        char number[32];
        json_begin_object(&w);
        strbuf_init(&text);
        strbuf_addf(&text, "%s/%s", it->lesson, it->id);
        json_kv_string(&w, "name", strbuf_str(&text));
        strbuf_fini(&text);
        snprintf(number, sizeof(number), "%zu", i + 1);
        json_kv_string(&w, "number", number);
        json_kv_double(&w, "score", it->passed ? 1.0 : 0.0, 1);
        json_kv_double(&w, "max_score", 1.0, 1);
        json_kv_string(&w, "status", it->passed ? "passed" : "failed");
        strbuf_init(&text);
        if (it->prompt != NULL) {
            strbuf_addf(&text, "%s\n\n", it->prompt);
        }
        if (it->answer != NULL) {
            strbuf_addf(&text, "your answer: %s\n", it->answer);
        }
        strbuf_addf(&text, "%s\n", it->message != NULL ? it->message : "");
        if (it->passed && it->explain != NULL) {
            strbuf_addf(&text, "\n%s\n", it->explain); /* explaining a failure would give it away */
        }
        json_kv_string(&w, "output", strbuf_str(&text));
        strbuf_fini(&text);
        json_kv_string(&w, "output_format", "text");
        json_key(&w, "tags");
        json_begin_array(&w);
        json_string(&w, it->lesson);
        json_string(&w, grade_kind_name(it->kind));
        json_end_array(&w);
        json_kv_string(&w, "visibility", vis);
        json_end_object(&w);
    }
    json_end_array(&w);
    json_end_object(&w);
    json_newline(&w);
    if (json_flush(&w) < 0) {
        out->failed = true;
    }
}

void grade_gradescope_error(StrBuf *out, const char *message, const char *visibility)
{
    JsonWriter w;
    json_init(&w, json_sink_strbuf, out, 2);
    json_begin_object(&w);
    json_kv_double(&w, "score", 0.0, 1);
    json_kv_uint(&w, "execution_time", 0);
    json_kv_string(&w, "output", message);
    json_kv_string(&w, "output_format", "text");
    json_kv_string(&w, "visibility", visibility != NULL ? visibility : "visible");
    json_key(&w, "tests");
    json_begin_array(&w);
    json_end_array(&w);
    json_end_object(&w);
    json_newline(&w);
    if (json_flush(&w) < 0) {
        out->failed = true;
    }
}

/* ------------------------------------------------------------------ */

const GradeFormat grade_formats[] = {
    {"text", "one line per question and challenge, then the score", grade_write_text},
    {"json", "a JSON object (format in interleave(1))", grade_write_json},
    {"tap", "TAP version 13, for prove(1) and TAP harnesses", grade_write_tap},
    {"junit", "JUnit XML, for CI servers", grade_write_junit},
    {"gradescope", "Gradescope's results.json", grade_write_gradescope},
    {NULL, NULL, NULL},
};

const GradeFormat *grade_format_find(const char *name)
{
    for (const GradeFormat *f = grade_formats; f->name != NULL; f++) {
        if (strcmp(f->name, name) == 0) {
            return f;
        }
    }
    return NULL;
}
