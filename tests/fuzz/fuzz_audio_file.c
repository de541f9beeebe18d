/* fuzz_audio_file.c — omni_prefill_audio_file(): any bytes as a WAV/FLAC/OGG/MP3 file.
 * Promise: OK, or INVALID_ARGUMENT (empty), BAD_MEDIA (not such a file, cut short, does not
 * decode) or TOO_LARGE, with a message; never a crash, a hang or an out-of-bounds access. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static omni_engine *engine;
    if (!engine) {
        const char *k[] = {"max_audio_seconds", "tts"};
        const char *v[] = {"36000", "false"};
        engine = fuzz_engine(k, v, 2);
    }
    omni_status st = omni_prefill_audio_file(engine, data, size);
    FUZZ_EXPECT("omni_prefill_audio_file", st, OMNI_ERR_INVALID_ARGUMENT, OMNI_ERR_BAD_MEDIA, OMNI_ERR_TOO_LARGE);
    FUZZ_REQUIRE(st != OMNI_ERR_INVALID_ARGUMENT || size == 0, "INVALID_ARGUMENT for %zu bytes", size);
    if (st == OMNI_OK) FUZZ_REQUIRE(omni_reset(engine) == OMNI_OK, "reset after a prefill");  /* keep the queue empty */
    return 0;
}
