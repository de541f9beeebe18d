/* fuzz.h — shared by the libFuzzer targets in this folder. Each target feeds hostile bytes to
 * one parser behind the C ABI and holds the library to the header's promise: a status from
 * the documented list, a non-empty omni_last_error() on failure, and the process still alive.
 * A broken promise aborts, so libFuzzer saves the input as a crash (tests/fuzz/regressions/). */
#ifndef OMNI_FUZZ_H
#define OMNI_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omni_c.h"

#define FUZZ_REQUIRE(cond, ...)                                                    \
    do {                                                                           \
        if (!(cond)) {                                                             \
            fprintf(stderr, "fuzz invariant broken at %s:%d: %s -- ", __FILE__,    \
                    __LINE__, #cond);                                              \
            fprintf(stderr, __VA_ARGS__);                                          \
            fprintf(stderr, " (last error: %s)\n", omni_last_error());             \
            abort();                                                               \
        }                                                                          \
    } while (0)

/* `st` is OK or one of the n statuses listed; a failure says why. */
static inline void fuzz_expect(const char *call, omni_status st, int n, const omni_status *allowed) {
    if (st == OMNI_OK) return;
    int ok = 0;
    for (int i = 0; i < n; i++) ok |= st == allowed[i];
    FUZZ_REQUIRE(ok, "%s returned %s, which its documentation does not list", call, omni_status_name(st));
    FUZZ_REQUIRE(omni_last_error()[0] != 0, "%s failed with %s but left no message", call, omni_status_name(st));
}
#define FUZZ_EXPECT(call, st, ...)                                                               \
    do {                                                                                         \
        const omni_status allowed_[] = {__VA_ARGS__};                                            \
        fuzz_expect(call, st, (int)(sizeof allowed_ / sizeof allowed_[0]), allowed_);            \
    } while (0)

/* One sim engine per fuzzing process, created on first use and kept (creating one per input
 * would measure thread start-up, not parsing). */
static inline omni_engine *fuzz_engine(const char *const *keys, const char *const *values, size_t n) {
    omni_engine *e = NULL;
    omni_status st = omni_create("sim", keys, values, n, NULL, NULL, &e);
    FUZZ_REQUIRE(st == OMNI_OK && e, "omni_create(sim) -> %s", omni_status_name(st));
    return e;
}

#endif
