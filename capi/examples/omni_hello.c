/* omni_hello.c — one voice turn through libomni_c, from C. Usage: omni_hello question.wav */
#include <stdio.h>
#include <stdlib.h>
#include "omni_c.h"

static void on_event(const omni_event *ev, void *user) {
    if (ev->type == OMNI_EVENT_TEXT) printf("%s", ev->text);               /* streamed reply text */
    if (ev->type == OMNI_EVENT_AUDIO) *(size_t *)user += ev->n_samples;     /* 24 kHz int16 PCM */
    if (ev->type == OMNI_EVENT_TURN_DONE) printf("\nTURN_DONE %s\n", ev->text);
}

int main(int argc, char **argv) {
    if (argc < 2) return fprintf(stderr, "usage: %s question.wav\n", argv[0]), 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f) return perror(argv[1]), 1;
    static unsigned char wav[1 << 24];
    size_t n = fread(wav, 1, sizeof wav, f), samples = 0;
    fclose(f);
    const char *keys[] = {"language"}, *values[] = {"en"};
    omni_engine *engine;
    if (omni_create("sim", keys, values, 1, on_event, &samples, &engine) != OMNI_OK ||
        omni_prefill_audio_file(engine, wav, n) != OMNI_OK || omni_generate(engine, NULL) != OMNI_OK ||
        omni_wait(engine, -1) != OMNI_OK)
        return fprintf(stderr, "omni: %s\n", omni_last_error()), 1;
    printf("%zu samples of reply audio\n", samples);
    omni_destroy(engine);
    return 0;
}
