/* fuzz_options.c — the named options: omni_create() with any keys and values, then
 * omni_set_option() on the engine it made. Keys and values are drawn from the engine's own
 * schema (omni_options_schema) or taken raw from the input, so the fuzzer reaches both the
 * value parsers (integers, numbers, booleans, enums, ranges) and unknown names.
 * Promise: create gives OK, INVALID_ARGUMENT naming one of the keys, or UNSUPPORTED (unknown
 * engine kind); set_option gives OK or INVALID_ARGUMENT; omni_info lists what was accepted. */
#include "fuzz.h"

#define MAX_WORDS 256
static char *names[MAX_WORDS], *values[MAX_WORDS];
static int n_names, n_values;

/* Every "name":"..." and every string inside "values":[...] of the sim schema, plus numbers
 * that sit on and around the ranges' edges. */
static void learn_schema(void) {
    const char *s = omni_options_schema("sim");
    FUZZ_REQUIRE(s != NULL, "no schema for sim");
    for (const char *p = s; (p = strstr(p, "\"name\":\"")) && n_names < MAX_WORDS;) {
        p += 8;
        const char *q = strchr(p, '"');
        names[n_names++] = strndup(p, (size_t)(q - p));
        p = q;
    }
    for (const char *p = s; (p = strstr(p, "\"values\":[")) && n_values < MAX_WORDS - 32;) {
        const char *end = strchr(p, ']');
        for (p += 10; p < end && (p = strchr(p, '"')) && p < end && n_values < MAX_WORDS - 32;) {
            const char *q = strchr(p + 1, '"');
            values[n_values++] = strndup(p + 1, (size_t)(q - p - 1));
            p = q + 1;
        }
    }
    static const char *const extra[] = {"0", "1", "-1", "true", "false", "yes", "off", "1e308", "-1e308", "1e999",
                                        "nan", "inf", "0x10", " 1", "1 ", "", "9223372036854775807",
                                        "9223372036854775808", "-0", "0.5", "600", "36000", "36000.0001",
                                        "10000000", "10000001"};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) values[n_values++] = strdup(extra[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    learn_schema();
    return 0;
}

typedef struct {
    const uint8_t *p, *end;
} Reader;

/* A NUL-terminated string from the input (at most 200 bytes), copied into buf. */
static const char *raw(Reader *r, char *buf) {
    size_t n = 0;
    while (r->p < r->end && *r->p && n < 200) buf[n++] = (char)*r->p++;
    if (r->p < r->end) r->p++;
    buf[n] = 0;
    return buf;
}

static const char *word(Reader *r, char *const *known, int n_known, char *buf) {
    if (r->p >= r->end) return "";
    uint8_t b = *r->p++;
    if ((b & 0x80) || n_known == 0) return raw(r, buf);
    return known[b % n_known];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    Reader r = {data + 2, data + size};
    char kind_buf[256];
    const char *kind = data[0] < 248 ? "sim" : raw(&r, kind_buf);
    size_t n_create = data[1] % 12;

    char kbuf[12][256], vbuf[12][256];
    const char *keys[12], *vals[12];
    for (size_t i = 0; i < n_create; i++) {
        keys[i] = word(&r, names, n_names, kbuf[i]);
        vals[i] = word(&r, values, n_values, vbuf[i]);
        /* Two options cost time by design and parse like the others (their parsers are the
         * ones every number and enum option uses, fuzzed through those): the sim's load_ms
         * hook makes omni_create wait up to 10 minutes, and isolate=process starts a process
         * (~100 ms here, against ~1 ms for a whole create; tests/c/test_isolation.c covers it). */
        if (strcmp(keys[i], "load_ms") == 0) vals[i] = "0";
        if (strcmp(keys[i], "isolate") == 0) vals[i] = "none";
    }
    omni_engine *e = NULL;
    omni_status st = omni_create(kind, keys, vals, n_create, NULL, NULL, &e);
    FUZZ_EXPECT("omni_create", st, OMNI_ERR_INVALID_ARGUMENT, OMNI_ERR_UNSUPPORTED);
    FUZZ_REQUIRE((st == OMNI_OK) == (e != NULL), "handle and status disagree");
    if (st == OMNI_ERR_INVALID_ARGUMENT) {
        int named = 0;
        for (size_t i = 0; i < n_create; i++) named |= strstr(omni_last_error(), keys[i]) != NULL;
        FUZZ_REQUIRE(named, "the error names none of the %zu options given", n_create);
    }
    if (st != OMNI_OK) return 0;

    const char *info = omni_info(e);
    FUZZ_REQUIRE(info && info[0] == '{', "omni_info -> %s", info ? info : "NULL");
    for (const char *c = info; *c; c++) FUZZ_REQUIRE((unsigned char)*c >= 0x20, "raw control byte in omni_info");

    char k[256], v[256];
    while (r.p < r.end) {
        const char *key = word(&r, names, n_names, k);
        const char *value = word(&r, values, n_values, v);
        st = omni_set_option(e, key, value);
        FUZZ_EXPECT("omni_set_option", st, OMNI_ERR_INVALID_ARGUMENT);
    }
    FUZZ_REQUIRE(omni_destroy(e) == OMNI_OK, "destroy");
    return 0;
}
