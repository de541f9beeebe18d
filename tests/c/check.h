/* check.h — the tiny test harness shared by the C tests: CHECK() counts and reports,
 * main() ends with "N passed, N failed". */
#ifndef OMNI_TEST_CHECK_H
#define OMNI_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "omni_c.h"

static int failures = 0, checks = 0;
#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            printf("FAIL %s:%d: %s -- ", __FILE__, __LINE__, #cond);       \
            printf(__VA_ARGS__);                                           \
            printf(" (last error: %s)\n", omni_last_error());              \
        }                                                                  \
    } while (0)

static inline double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The whole file, malloc'ed (caller frees), or NULL. */
static inline unsigned char *read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = (unsigned char *)malloc(len > 0 ? (size_t)len : 1);
    *n = buf ? fread(buf, 1, (size_t)len, f) : 0;
    fclose(f);
    return buf;
}

/* The file named by argv[i] (a test's input), or NULL after saying which argument is missing. */
static inline unsigned char *read_arg_file(int argc, char **argv, int i, const char *what, size_t *n) {
    unsigned char *buf = argc > i ? read_file(argv[i], n) : NULL;
    if (!buf) printf("cannot read the %s given as argument %d\n", what, i);
    return buf;
}

static inline int report(void) {
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}

#endif
