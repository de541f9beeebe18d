/* fuzz_image.c — omni_prefill_image(): any bytes as an encoded image, on an engine that takes
 * images. Promise: OK, or INVALID_ARGUMENT (empty), BAD_MEDIA (not a whole image) or TOO_LARGE
 * (side or aspect ratio beyond the limits), with a message. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static omni_engine *engine;
    if (!engine) {
        const char *k[] = {"media_type", "tts"};
        const char *v[] = {"omni", "false"};
        engine = fuzz_engine(k, v, 2);
    }
    omni_status st = omni_prefill_image(engine, data, size);
    FUZZ_EXPECT("omni_prefill_image", st, OMNI_ERR_INVALID_ARGUMENT, OMNI_ERR_BAD_MEDIA, OMNI_ERR_TOO_LARGE);
    FUZZ_REQUIRE(st != OMNI_ERR_INVALID_ARGUMENT || size == 0, "INVALID_ARGUMENT for %zu bytes", size);
    if (st == OMNI_OK) FUZZ_REQUIRE(omni_reset(engine) == OMNI_OK, "reset after a prefill");
    return 0;
}
