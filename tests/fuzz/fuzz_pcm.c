/* fuzz_pcm.c — omni_prefill_pcm_f32/_s16(): any sample rate, any samples (NaN, infinities,
 * denormals, empty). Input: 4 bytes of rate, 1 byte choosing the format, then the samples.
 * Promise: OK, or INVALID_ARGUMENT (rate out of range, empty, not finite) or TOO_LARGE. */
#include <math.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static omni_engine *engine;
    if (!engine) {
        const char *k[] = {"tts"};
        const char *v[] = {"false"};
        engine = fuzz_engine(k, v, 1);
    }
    if (size < 5) return 0;
    int32_t rate;
    memcpy(&rate, data, 4);
    int as_f32 = data[4] & 1;
    data += 5;
    size -= 5;
    omni_status st;
    if (as_f32) {
        size_t n = size / sizeof(float);
        float *pcm = (float *)malloc(n ? n * sizeof(float) : 1); /* aligned copy, exactly n samples */
        memcpy(pcm, data, n * sizeof(float));
        st = omni_prefill_pcm_f32(engine, n ? pcm : NULL, n, rate);
        int finite = 1;
        for (size_t i = 0; i < n; i++) finite &= isfinite(pcm[i]) != 0;
        FUZZ_REQUIRE(st != OMNI_OK || (finite && n > 0), "non-finite or empty audio accepted");
        free(pcm);
    } else {
        size_t n = size / sizeof(int16_t);
        int16_t *pcm = (int16_t *)malloc(n ? n * sizeof(int16_t) : 1);
        memcpy(pcm, data, n * sizeof(int16_t));
        st = omni_prefill_pcm_s16(engine, n ? pcm : NULL, n, rate);
        free(pcm);
    }
    FUZZ_EXPECT("omni_prefill_pcm", st, OMNI_ERR_INVALID_ARGUMENT, OMNI_ERR_TOO_LARGE);
    FUZZ_REQUIRE(st != OMNI_OK || (rate >= 4000 && rate <= 384000), "sample rate %d accepted", (int)rate);
    if (st == OMNI_OK) FUZZ_REQUIRE(omni_reset(engine) == OMNI_OK, "reset after a prefill");
    return 0;
}
