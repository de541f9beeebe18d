/* test_llama_omni.c — the "llama-omni" engine through the C ABI, on tiny generated model sets.
 * Built only when CMake got LLAMA_OMNI_DIR. Args: speech.wav image.jpg voice.wav (the voice
 * reference every engine here speaks with, unless a test sets ref_audio itself).
 * Model sets: $OMNI_TINY_ROOT (default ~/.cache/omni/tiny)/<tier>, made by
 * `python -m models.tiny --tier <tier> [--scripted]`; a missing tier is skipped with a message.
 * Exit 77 (ctest: skipped) when the library lacks llama-omni or no tier exists. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jpeglib.h>

#include "check.h"
#include "omni_c.h"

typedef struct {
    pthread_mutex_t mu;
    int n[16];
    int done_status;
    char text[4096];
    size_t text_len;
    size_t audio_samples;
    double sum_sq;
    double first_text_ms, done_ms, interrupt_ms;
    char stats[2048];
    omni_engine *interrupt_at_text; /* interrupt from inside the callback at the first TEXT */
} Seen;

static void seen_init(Seen *s) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->first_text_ms = s->done_ms = -1;
}

static void on_event(const omni_event *ev, void *ud) {
    Seen *s = (Seen *)ud;
    pthread_mutex_lock(&s->mu);
    s->n[ev->type]++;
    if (ev->type == OMNI_EVENT_TEXT) {
        if (s->first_text_ms < 0) s->first_text_ms = ev->t_ms;
        if (s->text_len + ev->text_len < sizeof s->text) {
            memcpy(s->text + s->text_len, ev->text, ev->text_len);
            s->text_len += ev->text_len;
            s->text[s->text_len] = 0;
        }
        if (s->interrupt_at_text) {
            s->interrupt_ms = now_ms();
            omni_interrupt(s->interrupt_at_text);
            s->interrupt_at_text = NULL;
        }
    } else if (ev->type == OMNI_EVENT_AUDIO) {
        s->audio_samples += ev->n_samples;
        for (size_t i = 0; i < ev->n_samples; i++) s->sum_sq += (double)ev->pcm[i] * ev->pcm[i];
    } else if (ev->type == OMNI_EVENT_STATS) {
        snprintf(s->stats, sizeof s->stats, "%s", ev->text);
    } else if (ev->type == OMNI_EVENT_TURN_DONE) {
        s->done_status = ev->status;
        s->done_ms = ev->t_ms;
        if (s->interrupt_ms > 0) s->interrupt_ms = now_ms() - s->interrupt_ms; /* latency */
    }
    pthread_mutex_unlock(&s->mu);
}

static char tiny_root[1024];
static const unsigned char *g_wav, *g_jpg;
static size_t g_wav_n, g_jpg_n;
static const char *g_voice;

static int tier_dir(const char *tier, char *out, size_t n) {
    char marker[1200];
    snprintf(out, n, "%s/%s", tiny_root, tier);
    snprintf(marker, sizeof marker, "%s/tiny-complete.json", out);
    struct stat st;
    if (stat(marker, &st) != 0) {
        printf("SKIP tier %s: no model set at %s (python -m models.tiny --tier ...)\n", tier, out);
        return 0;
    }
    return 1;
}

/* create "llama-omni" with model_dir + extra key/value pairs (NULL-terminated); ref_audio is
 * the suite's voice unless extra sets it */
static omni_status create(const char *dir, Seen *s, omni_engine **e, const char *const *extra) {
    const char *k[16], *v[16];
    size_t n = 0;
    int own_ref = 0;
    if (dir) k[n] = "model_dir", v[n++] = dir;
    for (; extra && extra[0]; extra += 2) {
        own_ref |= strcmp(extra[0], "ref_audio") == 0;
        k[n] = extra[0], v[n++] = extra[1];
    }
    if (!own_ref) k[n] = "ref_audio", v[n++] = g_voice;
    return omni_create("llama-omni", k, v, n, on_event, s, e);
}

/* 16 kHz mono PCM16 WAV of `seconds` of a quiet tone */
static void write_wav(const char *path, double seconds) {
    FILE *f = fopen(path, "wb");
    uint32_t rate = 16000, n = (uint32_t)(seconds * rate), bytes = n * 2, riff = 36 + bytes, fmt = 16, byte_rate = rate * 2;
    uint16_t pcm = 1, ch = 1, align = 2, bits = 16;
    fwrite("RIFF", 1, 4, f), fwrite(&riff, 4, 1, f), fwrite("WAVEfmt ", 1, 8, f), fwrite(&fmt, 4, 1, f);
    fwrite(&pcm, 2, 1, f), fwrite(&ch, 2, 1, f), fwrite(&rate, 4, 1, f), fwrite(&byte_rate, 4, 1, f);
    fwrite(&align, 2, 1, f), fwrite(&bits, 2, 1, f), fwrite("data", 1, 4, f), fwrite(&bytes, 4, 1, f);
    for (uint32_t i = 0; i < n; i++) {
        int16_t x = (int16_t)(3000 * sin(2 * M_PI * 220 * i / rate));
        fwrite(&x, 2, 1, f);
    }
    fclose(f);
}

/* An arithmetic-coded JPEG: libjpeg reads and writes them, libomni's stb_image cannot read
 * them. NULL when this libjpeg was built without arithmetic coding. free() the result. */
typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
} JpegErr;
static void jpeg_err_exit(j_common_ptr c) { longjmp(((JpegErr *)c->err)->jump, 1); }
static unsigned char *arith_out;
static unsigned long arith_n;
static unsigned char *arithmetic_jpeg(size_t *n) {
    struct jpeg_compress_struct c;
    JpegErr err;
    c.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_err_exit;
    arith_out = NULL, arith_n = 0;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&c);
        free(arith_out);
        return NULL;
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &arith_out, &arith_n);
    c.image_width = 64, c.image_height = 48, c.input_components = 3, c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    c.arith_code = TRUE;
    jpeg_start_compress(&c, TRUE);
    unsigned char row[64 * 3];
    for (int i = 0; i < 64 * 3; i++) row[i] = (unsigned char)(i * 3);
    JSAMPROW r = row;
    while (c.next_scanline < c.image_height) jpeg_write_scanlines(&c, &r, 1);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *n = arith_n;
    return arith_out;
}

/* Images libomni's decoder would choke on are refused up front, with the engine still working. */
static void check_bad_images(omni_engine *e, const char *tier) {
    CHECK(omni_prefill_image(e, g_jpg, g_jpg_n / 2) == OMNI_ERR_BAD_MEDIA, "%s: half a JPEG refused", tier);
    size_t an = 0;
    unsigned char *arith = arithmetic_jpeg(&an);
    if (!arith) {
        printf("this libjpeg writes no arithmetic-coded JPEG: the check with libomni's own decoder is not run\n");
        return;
    }
    omni_status st = omni_prefill_image(e, arith, an);
    CHECK(st == OMNI_ERR_BAD_MEDIA && strstr(omni_last_error(), "stb_image"),
          "%s: arithmetic-coded JPEG refused by libomni's decoder, up front -> %s", tier, omni_status_name(st));
    /* The sim decodes with libjpeg alone, which reads it. */
    omni_engine *sim = NULL;
    const char *k[] = {"media_type"}, *v[] = {"omni"};
    CHECK(omni_create("sim", k, v, 1, NULL, NULL, &sim) == OMNI_OK && omni_prefill_image(sim, arith, an) == OMNI_OK,
          "the sim takes the arithmetic-coded JPEG");
    omni_destroy(sim);
    free(arith);
}

/* One turn per tier: END_OF_TURN, TURN_DONE completed, "Hi" without special tokens; PCM for full. */
static int test_tier(const char *tier, int vision, int expect_audio) {
    char dir[1100];
    if (!tier_dir(tier, dir, sizeof dir)) return 0;
    Seen s;
    seen_init(&s);
    omni_engine *e = NULL;
    const char *opts[] = {"media_type", vision ? "omni" : "audio", "n_predict", "64", "temperature", "0", "seed", "1", NULL};
    double t0 = now_ms();
    omni_status st = create(dir, &s, &e, opts);
    CHECK(st == OMNI_OK, "create %s -> %s", tier, omni_status_name(st));
    if (st != OMNI_OK) return 0;
    double load_ms = now_ms() - t0;
    CHECK(omni_prefill_audio_file(e, g_wav, g_wav_n) == OMNI_OK, "%s: prefill audio", tier);
    if (vision) check_bad_images(e, tier);
    if (vision) CHECK(omni_prefill_image(e, g_jpg, g_jpg_n) == OMNI_OK, "%s: prefill image", tier);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "%s: generate", tier);
    CHECK(omni_wait(e, 600000) == OMNI_OK, "%s: wait", tier);
    CHECK(s.n[OMNI_EVENT_END_OF_TURN] == 1, "%s: END_OF_TURN %d", tier, s.n[OMNI_EVENT_END_OF_TURN]);
    CHECK(s.n[OMNI_EVENT_TURN_DONE] == 1 && s.done_status == OMNI_TURN_COMPLETED, "%s: TURN_DONE %d", tier,
          s.done_status);
    CHECK(strcmp(s.text, "Hi") == 0, "%s: scripted reply 'Hi' without special tokens: '%s'", tier, s.text);
    if (expect_audio) CHECK(s.audio_samples > 0 && s.sum_sq > 0, "%s: PCM produced (%zu samples)", tier, s.audio_samples);
    printf("tier %-16s load %.0f ms, first text %.1f ms, TURN_DONE %.1f ms, tts chunks %d, audio %zu samples (%.2f s, rms %.0f)\n",
           tier, load_ms, s.first_text_ms, s.done_ms, s.n[OMNI_EVENT_TTS_CHUNK], s.audio_samples,
           s.audio_samples / 24000.0, sqrt(s.sum_sq / (double)(s.audio_samples ? s.audio_samples : 1)));
    printf("  stats %s\n", s.stats);
    CHECK(omni_destroy(e) == OMNI_OK, "%s: destroy", tier);
    return 1;
}

/* Interrupt inside the decode loop (from the callback at the first TEXT) of a random model that
 * would otherwise talk for thousands of tokens; TURN_DONE within 500 ms; the next turn works. */
static void test_interrupt(void) {
    char dir[1100];
    if (!tier_dir("text", dir, sizeof dir)) return;
    Seen s;
    seen_init(&s);
    omni_engine *e = NULL;
    const char *opts[] = {"n_predict", "3000", "n_ctx", "8192", "temperature", "0", "seed", "3", NULL};
    CHECK(create(dir, &s, &e, opts) == OMNI_OK, "create text");
    if (!e) return;
    s.interrupt_at_text = e;
    CHECK(omni_prefill_audio_file(e, g_wav, g_wav_n) == OMNI_OK, "prefill");
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    CHECK(omni_wait(e, 5000) == OMNI_OK, "wait after interrupt");
    CHECK(s.done_status == OMNI_TURN_INTERRUPTED, "reason %d", s.done_status);
    CHECK(s.interrupt_ms >= 0 && s.interrupt_ms < 500, "interrupt -> TURN_DONE %.1f ms", s.interrupt_ms);
    CHECK(s.n[OMNI_EVENT_END_OF_TURN] == 0, "no END_OF_TURN for an interrupted turn");
    printf("interrupt: TURN_DONE %.1f ms after omni_interrupt (text events before: %d)\n", s.interrupt_ms,
           s.n[OMNI_EVENT_TEXT]);
    seen_init(&s);
    CHECK(omni_prefill_audio_file(e, g_wav, g_wav_n) == OMNI_OK, "prefill 2");
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate 2");
    CHECK(omni_wait(e, 120000) == OMNI_OK, "wait 2");
    CHECK(s.done_status == OMNI_TURN_COMPLETED && s.n[OMNI_EVENT_END_OF_TURN] == 1, "next turn completes");
    CHECK(omni_destroy(e) == OMNI_OK, "destroy");
}

/* Hazards driven on purpose; each answered with a status. */
static void test_hazards(void) {
    char dir[1100];
    if (!tier_dir("text-scripted", dir, sizeof dir)) return;
    Seen s;
    seen_init(&s);
    omni_engine *e = NULL, *e2 = NULL;
    const char *base[] = {"n_predict", "64", NULL};

    /* files and options refused before anything loads */
    omni_status st = create("/nonexistent/models", &s, &e2, NULL);
    CHECK(st == OMNI_ERR_MODEL && e2 == NULL, "missing model dir -> %s", omni_status_name(st));
    const char *tts_on[] = {"use_tts", "true", NULL};
    st = create(dir, &s, &e2, tts_on);
    CHECK(st == OMNI_ERR_MODEL && strstr(omni_last_error(), "TTS"), "use_tts without TTS model -> %s", omni_status_name(st));
    write_wav("/tmp/omni_test_ref31.wav", 31.0);
    const char *long_ref[] = {"ref_audio", "/tmp/omni_test_ref31.wav", NULL};
    st = create(dir, &s, &e2, long_ref);
    CHECK(st == OMNI_ERR_TOO_LARGE && strstr(omni_last_error(), "30 s"), "31 s ref_audio -> %s", omni_status_name(st));
    const char *bad[] = {"n_ctx", "lots", NULL};
    st = create(dir, &s, &e2, bad);
    CHECK(st == OMNI_ERR_INVALID_ARGUMENT && strstr(omni_last_error(), "n_ctx"), "bad option -> %s", omni_status_name(st));
    const char *no_vision[] = {"media_type", "omni", NULL};
    st = create(dir, &s, &e2, no_vision);
    CHECK(st == OMNI_ERR_MODEL && strstr(omni_last_error(), "vision"), "omni without vision model -> %s", omni_status_name(st));

    st = create(dir, &s, &e, base);
    CHECK(st == OMNI_OK, "create -> %s", omni_status_name(st));
    if (!e) return;
    /* libomni allows one engine per process: a second one in this process is refused, while
     * an engine in a process of its own (isolate=process, the default) is another process's */
    const char *in_this_process[] = {"isolate", "none", NULL};
    st = create(dir, &s, &e2, in_this_process);
    if (st == OMNI_OK) omni_destroy(e2), e2 = NULL;
    CHECK(st == OMNI_OK, "an engine in this process beside the isolated one -> %s", omni_status_name(st));
    omni_engine *e3 = NULL;
    st = create(dir, &s, &e2, in_this_process);
    if (st == OMNI_OK) {
        st = create(dir, &s, &e3, in_this_process);
        CHECK(st == OMNI_ERR_BUSY && e3 == NULL, "second engine in this process -> %s", omni_status_name(st));
        omni_destroy(e2);
        e2 = NULL;
    }
    /* image without vision */
    st = omni_prefill_image(e, g_jpg, g_jpg_n);
    CHECK(st == OMNI_ERR_UNSUPPORTED, "image in audio-only mode -> %s", omni_status_name(st));
    /* 31 s of audio: split, never thrown out of libomni */
    size_t n31 = 31 * 16000;
    float *pcm = malloc(n31 * sizeof(float));
    for (size_t i = 0; i < n31; i++) pcm[i] = 0.1f * (float)sin(2 * M_PI * 200 * i / 16000.0);
    st = omni_prefill_pcm_f32(e, pcm, n31, 16000);
    CHECK(st == OMNI_OK, "31 s audio -> %s", omni_status_name(st));
    free(pcm);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate after 31 s");
    CHECK(omni_generate(e, NULL) == OMNI_ERR_STATE, "second generate while running -> STATE");
    CHECK(omni_wait(e, 60000) == OMNI_OK, "wait");
    CHECK(s.done_status == OMNI_TURN_COMPLETED && strcmp(s.text, "Hi") == 0, "31 s turn: '%s'", s.text);
    const char *info = omni_info(e);
    CHECK(info && strstr(info, "\"split_audio_pieces\":2"), "info shows the split: %s", info ? info : "");
    /* several turns, reset, runtime option */
    for (int t = 0; t < 3; t++) {
        seen_init(&s);
        CHECK(omni_prefill_audio_file(e, g_wav, g_wav_n) == OMNI_OK, "prefill %d", t);
        CHECK(omni_generate(e, NULL) == OMNI_OK && omni_wait(e, 60000) == OMNI_OK, "turn %d", t);
        CHECK(s.done_status == OMNI_TURN_COMPLETED && strcmp(s.text, "Hi") == 0, "turn %d: '%s'", t, s.text);
    }
    CHECK(omni_reset(e) == OMNI_OK, "reset");
    CHECK(omni_set_option(e, "length_penalty", "1.5") == OMNI_OK, "length_penalty at run time");
    seen_init(&s);
    CHECK(omni_prefill_audio_file(e, g_wav, g_wav_n) == OMNI_OK && omni_generate(e, NULL) == OMNI_OK &&
              omni_wait(e, 60000) == OMNI_OK && s.done_status == OMNI_TURN_COMPLETED,
          "turn after reset");
    /* destroy with a turn running, then a new engine may be created (busy flag released) */
    CHECK(omni_prefill_audio_file(e, g_wav, g_wav_n) == OMNI_OK && omni_generate(e, NULL) == OMNI_OK, "start");
    CHECK(omni_destroy(e) == OMNI_OK, "destroy mid-turn");
    e = NULL;
    st = create(dir, &s, &e, base);
    CHECK(st == OMNI_OK, "create again after destroy -> %s", omni_status_name(st));
    if (e) omni_destroy(e);
}

int main(int argc, char **argv) {
    if (argc < 4) return fprintf(stderr, "usage: %s speech.wav image.jpg voice.wav\n", argv[0]), 2;
    g_voice = argv[3];
    if (!strstr(omni_engines(), "llama-omni")) {
        printf("SKIP: this libomni_c has no llama-omni engine (engines: %s); configure with -DLLAMA_OMNI_DIR\n",
               omni_engines());
        return 77;
    }
    const char *r = getenv("OMNI_TINY_ROOT");
    if (r && *r) snprintf(tiny_root, sizeof tiny_root, "%s", r);
    else snprintf(tiny_root, sizeof tiny_root, "%s/.cache/omni/tiny", getenv("HOME") ? getenv("HOME") : "/root");
    g_wav = read_file(argv[1], &g_wav_n);
    g_jpg = read_file(argv[2], &g_jpg_n);
    if (!g_wav || !g_jpg) return fprintf(stderr, "cannot read %s or %s\n", argv[1], argv[2]), 2;

    int ran = 0;
    ran += test_tier("text-scripted", 0, 0);
    ran += test_tier("vision-scripted", 1, 0);
    ran += test_tier("tts-scripted", 0, 0);
    ran += test_tier("full-scripted", 0, 1);
    if (!ran) {
        printf("SKIP: no tiny model set under %s\n", tiny_root);
        return 77;
    }
    test_interrupt();
    test_hazards();
    return report();
}
