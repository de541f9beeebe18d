/* fuzz_next_event.c — the one struct the library reads from its caller: omni_event as
 * passed to omni_next_event(), whose `size` says how much the caller's copy holds (older or
 * newer headers). The buffer is allocated at exactly the size the input claims, so AddressSanitizer
 * sees any write past it. Input: 2 bytes of claimed size, then actions (pull, interrupt, start a
 * turn). Promise: INVALID_ARGUMENT below the ABI 1.0 size, otherwise OK/TIMEOUT/STATE, and on OK
 * out->size = min(claimed, the library's size). */
#include <stddef.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static omni_engine *engine;
    if (!engine) {
        const char *k[] = {"event_queue_size", "reply_tokens", "tts"};
        const char *v[] = {"8", "12", "true"};
        engine = fuzz_engine(k, v, 3);
    }
    if (size < 2) return 0;
    size_t claimed = (size_t)(data[0] | (data[1] << 8)) % 1024;
    if (claimed < sizeof(uint32_t)) claimed = sizeof(uint32_t); /* the size field itself */
    const size_t v1_0 = offsetof(omni_event, status) + sizeof(int32_t);
    for (size_t i = 2; i < size; i++) {
        switch (data[i] % 4) {
        case 0: { /* start a turn; STATE while one runs */
            int16_t pcm[320] = {0};
            FUZZ_EXPECT("omni_prefill_pcm_s16", omni_prefill_pcm_s16(engine, pcm, 320, 16000), OMNI_ERR_TOO_LARGE);
            FUZZ_EXPECT("omni_generate", omni_generate(engine, NULL), OMNI_ERR_STATE);
            break;
        }
        case 1:
            FUZZ_REQUIRE(omni_interrupt(engine) == OMNI_OK, "interrupt");
            break;
        default: {
            omni_event *out = (omni_event *)malloc(claimed);
            memset(out, 0xAB, claimed);
            out->size = (uint32_t)claimed;
            omni_status st = omni_next_event(engine, 0, out);
            if (claimed < v1_0) {
                FUZZ_REQUIRE(st == OMNI_ERR_INVALID_ARGUMENT, "size %zu accepted -> %s", claimed, omni_status_name(st));
            } else {
                FUZZ_EXPECT("omni_next_event", st, OMNI_ERR_TIMEOUT);
                size_t want = claimed < sizeof(omni_event) ? claimed : sizeof(omni_event);
                FUZZ_REQUIRE(st != OMNI_OK || out->size == want, "out->size %u, expected %zu", out->size, want);
                if (st == OMNI_OK && out->type == OMNI_EVENT_AUDIO && out->n_samples) {
                    volatile int16_t last = out->pcm[out->n_samples - 1]; /* ours until the next pull */
                    (void)last;
                }
                if (st == OMNI_OK && out->text) FUZZ_REQUIRE(strlen(out->text) == out->text_len, "text_len");
            }
            free(out);
        }
        }
    }
    return 0;
}
