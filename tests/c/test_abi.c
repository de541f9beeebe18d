/* test_abi.c — the C ABI as a C program sees it, on the sim engine.
 * Run by ctest, also in the AddressSanitizer + UBSan build. Arg 1: a 16 kHz WAV file;
 * arg 2: the test media folder (tests/data), for the audio-file and image decoders. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "omni_c.h"

/* Everything the callback saw, for assertions after the turn. */
typedef struct {
    pthread_mutex_t mu;
    int n[16];
    uint64_t last_seq, last_turn;
    int last_index;
    int seq_ok, done_last, events_after_done;
    int done_status;
    char text[8192];
    size_t text_len;
    size_t audio_samples;
    double sum_sq;
    char stats[2048];
    int n_chunks, chunk_tokens[64];
    size_t chunk_bytes[64];
    int slow_ms;
    omni_engine *interrupt_target; /* interrupt from inside the callback at the first AUDIO */
} Seen;

static void seen_init(Seen *s) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->seq_ok = 1;
}

static void on_event(const omni_event *ev, void *ud) {
    Seen *s = (Seen *)ud;
    pthread_mutex_lock(&s->mu);
    if (ev->size < sizeof(omni_event)) s->seq_ok = 0;
    if (ev->seq <= s->last_seq) s->seq_ok = 0;
    s->last_seq = ev->seq;
    if (s->done_last && ev->turn_id == s->last_turn) s->events_after_done++;
    s->last_turn = ev->turn_id;
    s->last_index = ev->index;
    s->n[ev->type]++;
    switch (ev->type) {
    case OMNI_EVENT_TEXT:
        if (s->text_len + ev->text_len < sizeof s->text) {
            memcpy(s->text + s->text_len, ev->text, ev->text_len);
            s->text_len += ev->text_len;
            s->text[s->text_len] = 0;
        }
        break;
    case OMNI_EVENT_AUDIO:
        s->audio_samples += ev->n_samples;
        for (size_t i = 0; i < ev->n_samples; i++) s->sum_sq += (double)ev->pcm[i] * ev->pcm[i];
        if (s->interrupt_target) {
            omni_interrupt(s->interrupt_target);
            s->interrupt_target = NULL;
        }
        break;
    case OMNI_EVENT_TTS_CHUNK:
        if (s->n_chunks < 64) {
            s->chunk_tokens[s->n_chunks] = ev->n_speech_tokens;
            s->chunk_bytes[s->n_chunks++] = ev->text_len;
        }
        break;
    case OMNI_EVENT_STATS:
        snprintf(s->stats, sizeof s->stats, "%s", ev->text);
        break;
    case OMNI_EVENT_TURN_DONE:
        s->done_last = 1;
        s->done_status = ev->status;
        break;
    default:
        break;
    }
    if (ev->type != OMNI_EVENT_TURN_DONE) s->done_last = 0;
    pthread_mutex_unlock(&s->mu);
    if (s->slow_ms) usleep((useconds_t)s->slow_ms * 1000);
}

static omni_engine *make(const char *const *k, const char *const *v, size_t n, Seen *s) {
    omni_engine *e = NULL;
    omni_status st = omni_create("sim", k, v, n, on_event, s, &e);
    CHECK(st == OMNI_OK && e, "omni_create(sim) -> %s", omni_status_name(st));
    return e;
}

static void test_version(void) {
    CHECK(omni_abi_version() >> 16 == OMNI_ABI_VERSION_MAJOR, "abi major");
    CHECK(OMNI_ABI_VERSION_MINOR >= 3, "abi 1.3: omni_truncate");
    CHECK(strstr(omni_engines(), "sim") != NULL, "engines: %s", omni_engines());
    CHECK(strstr(omni_options_schema("sim"), "\"reply_tokens\"") != NULL, "schema lists reply_tokens");
    CHECK(omni_options_schema("nope") == NULL && strstr(omni_last_error(), "nope"), "unknown kind schema");
    /* the names come from the header's own enum lists */
    CHECK(strcmp(omni_status_name(OMNI_ERR_TOO_LARGE), "OMNI_ERR_TOO_LARGE") == 0, "status name");
    CHECK(strcmp(omni_status_name(12345), "OMNI_ERR_UNKNOWN") == 0, "unknown status name");
    CHECK(strcmp(omni_event_type_name(OMNI_EVENT_TTS_CHUNK), "tts_chunk") == 0, "tts_chunk name");
    CHECK(strcmp(omni_event_type_name(OMNI_EVENT_TURN_DONE), "turn_done") == 0, "turn_done name");
    CHECK(strcmp(omni_event_type_name(0), "unknown") == 0, "event 0 is no event");
    CHECK((omni_abi_version() & 0xFFFF) == OMNI_ABI_VERSION_MINOR, "abi minor %u", omni_abi_version() & 0xFFFF);
}

static void test_turn(const unsigned char *wav, size_t wav_n) {
    Seen s;
    seen_init(&s);
    omni_engine *e = make(NULL, NULL, 0, &s);
    CHECK(omni_prefill_audio_file(e, wav, wav_n) == OMNI_OK, "prefill wav");
    uint64_t turn = 0;
    CHECK(omni_generate(e, &turn) == OMNI_OK && turn == 1, "generate turn %llu", (unsigned long long)turn);
    CHECK(omni_wait(e, 10000) == OMNI_OK, "wait");
    CHECK(s.n[OMNI_EVENT_TEXT] >= 2, "text events %d", s.n[OMNI_EVENT_TEXT]);
    CHECK(s.n[OMNI_EVENT_TTS_CHUNK] >= 1, "tts chunks %d", s.n[OMNI_EVENT_TTS_CHUNK]);
    CHECK(s.n[OMNI_EVENT_AUDIO] >= 1, "audio events %d", s.n[OMNI_EVENT_AUDIO]);
    CHECK(s.n[OMNI_EVENT_END_OF_TURN] == 1, "end of turn %d", s.n[OMNI_EVENT_END_OF_TURN]);
    CHECK(s.n[OMNI_EVENT_STATS] == 1 && s.n[OMNI_EVENT_TURN_DONE] == 1, "stats/done once");
    CHECK(s.done_last && s.done_status == OMNI_TURN_COMPLETED, "TURN_DONE last and completed");
    CHECK(s.seq_ok, "seq strictly increasing and size set");
    CHECK(strncmp(s.text, "Turn 1. I heard ", 16) == 0, "reply text: %s", s.text);
    double rms = sqrt(s.sum_sq / (double)(s.audio_samples ? s.audio_samples : 1)) / 32768.0;
    CHECK(rms > 0.05, "audio is audible (rms %.3f)", rms);
    CHECK(strstr(s.stats, "\"reason\":\"completed\"") != NULL, "stats: %s", s.stats);
    /* A second turn needs new input. */
    CHECK(omni_generate(e, NULL) == OMNI_ERR_STATE && strstr(omni_last_error(), "prefill"), "generate w/o input");
    CHECK(omni_destroy(e) == OMNI_OK, "destroy");
}

/* While omni_create loads, the callback gets LOAD_PROGRESS (turn 0) up to 1000; a pull
 * engine gets none (nobody could pull them before omni_create returns). */
static void test_load_progress(void) {
    Seen s;
    seen_init(&s);
    const char *k[] = {"load_ms"}, *v[] = {"60"};
    omni_engine *e = make(k, v, 1, &s);
    CHECK(s.n[OMNI_EVENT_LOAD_PROGRESS] >= 5 && s.last_turn == 0, "load progress events %d",
          s.n[OMNI_EVENT_LOAD_PROGRESS]);
    CHECK(s.last_index == 1000 && s.seq_ok, "loading ends at 1000 (%d)", s.last_index);
    CHECK(omni_destroy(e) == OMNI_OK, "destroy");
    omni_engine *pull = NULL;
    CHECK(omni_create("sim", k, v, 1, NULL, NULL, &pull) == OMNI_OK && pull, "pull engine with load_ms");
    CHECK(strstr(omni_info(pull), "\"queued\":0") != NULL, "nothing queued by loading: %s", omni_info(pull));
    CHECK(omni_destroy(pull) == OMNI_OK, "destroy pull engine");
}

static void test_zh_utf8(void) {
    Seen s;
    seen_init(&s);
    const char *k[] = {"language"}, *v[] = {"zh"};
    omni_engine *e = make(k, v, 1, &s);
    float pcm[16000];
    for (int i = 0; i < 16000; i++) pcm[i] = 0.3f * sinf(i * 0.05f);
    CHECK(omni_prefill_pcm_f32(e, pcm, 16000, 16000) == OMNI_OK, "prefill f32");
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    CHECK(omni_wait(e, 10000) == OMNI_OK, "wait");
    CHECK(strstr(s.text, "第1轮。我听到了1.0秒的音频") == s.text, "zh text: %s", s.text);
    /* Every TEXT event was complete UTF-8, so the concatenation is valid UTF-8. */
    int valid = 1;
    for (size_t i = 0; i < s.text_len;) {
        unsigned char c = (unsigned char)s.text[i];
        size_t need = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!need || i + need > s.text_len) { valid = 0; break; }
        for (size_t j = 1; j < need; j++) if (((unsigned char)s.text[i + j] & 0xC0) != 0x80) valid = 0;
        i += need;
    }
    CHECK(valid, "valid utf-8");
    omni_destroy(e);
}

static void test_interrupt(void) {
    Seen s;
    seen_init(&s);
    const char *k[] = {"timing", "reply_tokens"}, *v[] = {"m4", "200"};
    omni_engine *e = make(k, v, 2, &s);
    int16_t pcm[8000] = {0};
    CHECK(omni_interrupt(e) == OMNI_OK, "interrupt when idle is a no-op");
    CHECK(omni_prefill_pcm_s16(e, pcm, 8000, 16000) == OMNI_OK, "prefill s16");
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    CHECK(omni_generate(e, NULL) == OMNI_ERR_STATE && strstr(omni_last_error(), "still running"), "second generate");
    usleep(400 * 1000);
    double t0 = now_ms();
    CHECK(omni_interrupt(e) == OMNI_OK, "interrupt");
    double t_ret = now_ms() - t0;
    CHECK(omni_wait(e, 2000) == OMNI_OK, "wait after interrupt");
    double t_done = now_ms() - t0;
    printf("interrupt returned in %.2f ms, TURN_DONE after %.2f ms\n", t_ret, t_done);
    CHECK(t_ret < 5 && t_done < 50, "interrupt fast (%.1f / %.1f ms)", t_ret, t_done);
    CHECK(s.done_status == OMNI_TURN_INTERRUPTED, "reason interrupted");
    /* The next turn works. */
    omni_set_option(e, "timing", "zero"); /* fixed at creation: must fail */
    CHECK(strstr(omni_last_error(), "fixed") != NULL, "timing is not runtime");
    const char *zero[] = {"llm_ms_per_token", "tts_ms_per_token", "t2w_ms_per_window", "first_token_ms"};
    for (int i = 0; i < 4; i++) CHECK(omni_set_option(e, zero[i], "0") == OMNI_OK, "set %s", zero[i]);
    CHECK(omni_prefill_pcm_s16(e, pcm, 8000, 16000) == OMNI_OK, "prefill again");
    CHECK(omni_generate(e, NULL) == OMNI_OK && omni_wait(e, 10000) == OMNI_OK, "next turn");
    CHECK(s.done_status == OMNI_TURN_COMPLETED, "next turn completed");
    CHECK(strstr(s.text, "Turn 2.") != NULL, "history kept: %s", s.text);
    CHECK(omni_reset(e) == OMNI_OK, "reset");
    s.text_len = 0;
    CHECK(omni_prefill_pcm_s16(e, pcm, 8000, 16000) == OMNI_OK && omni_generate(e, NULL) == OMNI_OK &&
              omni_wait(e, 10000) == OMNI_OK, "turn after reset");
    CHECK(strncmp(s.text, "Turn 1.", 7) == 0, "reset starts a new conversation: %s", s.text);
    omni_destroy(e);
}

static void test_interrupt_from_callback_and_slow_callback(void) {
    Seen s;
    seen_init(&s);
    const char *k[] = {"reply_tokens"}, *v[] = {"300"};
    omni_engine *e = make(k, v, 1, &s);
    float pcm[1600] = {0};
    s.interrupt_target = e;
    omni_prefill_pcm_f32(e, pcm, 1600, 16000);
    CHECK(omni_generate(e, NULL) == OMNI_OK && omni_wait(e, 5000) == OMNI_OK, "turn");
    CHECK(s.done_status == OMNI_TURN_INTERRUPTED && s.n[OMNI_EVENT_AUDIO] < 10, "interrupt from callback (%d audio)",
          s.n[OMNI_EVENT_AUDIO]);
    /* A slow callback slows the turn but breaks nothing; destroy mid-turn is safe. */
    s.slow_ms = 20;
    omni_prefill_pcm_f32(e, pcm, 1600, 16000);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "slow turn");
    usleep(100 * 1000);
    double t0 = now_ms();
    CHECK(omni_destroy(e) == OMNI_OK, "destroy while running");
    printf("destroy mid-turn with a 20 ms callback took %.1f ms\n", now_ms() - t0);
    CHECK(s.n[OMNI_EVENT_TURN_DONE] == 2 && s.done_last, "destroy delivered TURN_DONE last (%d)",
          s.n[OMNI_EVENT_TURN_DONE]);
}

static void cb_reenter(const omni_event *ev, void *ud) {
    omni_engine **e = (omni_engine **)ud;
    if (ev->type == OMNI_EVENT_TEXT && *e) {
        int16_t x[160] = {0};
        omni_status st = omni_prefill_pcm_s16(*e, x, 160, 16000);
        if (st != OMNI_ERR_STATE) abort();
        if (omni_destroy(*e) != OMNI_ERR_STATE) abort();
    }
}

static void test_bad_input(const unsigned char *wav, size_t wav_n) {
    omni_engine *e = NULL;
    const char *bk[] = {"colour"}, *bv[] = {"blue"};
    CHECK(omni_create("sim", bk, bv, 1, NULL, NULL, &e) == OMNI_ERR_INVALID_ARGUMENT && !e &&
              strstr(omni_last_error(), "colour"), "unknown option named");
    const char *mk[] = {"reply_tokens"}, *mv[] = {"many"};
    CHECK(omni_create("sim", mk, mv, 1, NULL, NULL, &e) == OMNI_ERR_INVALID_ARGUMENT &&
              strstr(omni_last_error(), "reply_tokens"), "bad value named");
    const char *ek[] = {"mode"}, *ev2[] = {"triplex"};
    CHECK(omni_create("sim", ek, ev2, 1, NULL, NULL, &e) == OMNI_ERR_INVALID_ARGUMENT &&
              strstr(omni_last_error(), "simplex"), "enum values listed");
    CHECK(omni_create("sim", NULL, NULL, 2, NULL, NULL, &e) == OMNI_ERR_INVALID_ARGUMENT, "NULL keys");
    CHECK(omni_create(NULL, NULL, NULL, 0, NULL, NULL, &e) == OMNI_ERR_INVALID_ARGUMENT, "NULL kind");
    CHECK(omni_create("warp", NULL, NULL, 0, NULL, NULL, &e) == OMNI_ERR_UNSUPPORTED, "unknown kind");
    CHECK(omni_create("sim", NULL, NULL, 0, NULL, NULL, NULL) == OMNI_ERR_INVALID_ARGUMENT, "NULL out");
    CHECK(omni_prefill_pcm_f32(NULL, NULL, 0, 16000) == OMNI_ERR_INVALID_ARGUMENT, "NULL engine");
    CHECK(omni_generate(NULL, NULL) == OMNI_ERR_INVALID_ARGUMENT, "NULL engine generate");
    CHECK(omni_destroy(NULL) == OMNI_OK, "destroy NULL");

    omni_engine *holder = NULL;
    CHECK(omni_create("sim", NULL, NULL, 0, cb_reenter, &holder, &e) == OMNI_OK, "create");
    float pcm[1600];
    for (int i = 0; i < 1600; i++) pcm[i] = 0.1f;
    CHECK(omni_prefill_pcm_f32(e, pcm, 0, 16000) == OMNI_ERR_INVALID_ARGUMENT, "zero-length audio");
    CHECK(omni_prefill_pcm_f32(e, NULL, 10, 16000) == OMNI_ERR_INVALID_ARGUMENT, "NULL samples");
    pcm[7] = NAN;
    CHECK(omni_prefill_pcm_f32(e, pcm, 1600, 16000) == OMNI_ERR_INVALID_ARGUMENT &&
              strstr(omni_last_error(), "sample 7"), "NaN named");
    pcm[7] = INFINITY;
    CHECK(omni_prefill_pcm_f32(e, pcm, 1600, 16000) == OMNI_ERR_INVALID_ARGUMENT, "Inf");
    pcm[7] = 0.1f;
    CHECK(omni_prefill_pcm_f32(e, pcm, 1600, 0) == OMNI_ERR_INVALID_ARGUMENT && strstr(omni_last_error(), "0 Hz"),
          "rate 0");
    CHECK(omni_prefill_pcm_f32(e, pcm, 1600, 1000000000) == OMNI_ERR_INVALID_ARGUMENT, "rate 1e9");
    CHECK(omni_prefill_audio_file(e, "garbage!", 8) == OMNI_ERR_BAD_MEDIA, "garbage wav");
    CHECK(omni_prefill_audio_file(e, wav, 30) == OMNI_ERR_BAD_MEDIA, "truncated wav header");
    CHECK(omni_prefill_audio_file(e, wav, 0) == OMNI_ERR_INVALID_ARGUMENT, "empty file");
    CHECK(omni_prefill_image(e, "not an image", 12) == OMNI_ERR_UNSUPPORTED, "image without vision");
    CHECK(omni_generate(e, NULL) == OMNI_ERR_STATE, "generate with nothing prefilled");
    CHECK(omni_wait(e, 10) == OMNI_OK, "wait when idle");
    CHECK(omni_set_option(e, "reply_tokens", "-5") == OMNI_ERR_INVALID_ARGUMENT, "runtime bad value");
    CHECK(omni_set_option(e, "nope", "1") == OMNI_ERR_INVALID_ARGUMENT, "runtime unknown");
    CHECK(omni_set_option(e, "max_audio_seconds", "2") == OMNI_OK, "max audio");
    float *three = calloc(48000, sizeof(float));
    CHECK(omni_prefill_pcm_f32(e, three, 48000, 16000) == OMNI_ERR_TOO_LARGE, "over max_audio_seconds");
    free(three);
    /* Still works: the callback tries to re-enter, which is refused (it aborts otherwise). */
    holder = e;
    CHECK(omni_prefill_pcm_f32(e, pcm, 1600, 16000) == OMNI_OK, "valid prefill after errors");
    CHECK(omni_generate(e, NULL) == OMNI_OK && omni_wait(e, 10000) == OMNI_OK, "valid turn after errors");
    holder = NULL;
    const char *info = omni_info(e);
    CHECK(info && strstr(info, "\"engine\":\"sim\"") && strstr(info, "\"busy\":false"), "info: %s", info);
    omni_destroy(e);

    /* Images, with vision. */
    const char *vk[] = {"media_type"}, *vv[] = {"omni"};
    CHECK(omni_create("sim", vk, vv, 1, NULL, NULL, &e) == OMNI_OK, "create omni");
    CHECK(omni_prefill_image(e, "not an image", 12) == OMNI_ERR_BAD_MEDIA, "not an image");
    static const unsigned char jpeg_head[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
    CHECK(omni_prefill_image(e, jpeg_head, sizeof jpeg_head) == OMNI_ERR_BAD_MEDIA, "truncated jpeg");
    omni_destroy(e);
}

/* Every decoder on real files (libsndfile, libjpeg, libpng), good and broken: under ASan too. */
static void test_media_files(const char *dir) {
    static const struct {
        const char *file;
        int image;
        omni_status want;
        const char *says; /* in the error message */
    } cases[] = {
        {"speech_en.wav", 0, OMNI_OK, NULL},
        {"speech_en.flac", 0, OMNI_OK, NULL},
        {"speech_en.mp3", 0, OMNI_OK, NULL},
        {"bad_truncated.wav", 0, OMNI_ERR_BAD_MEDIA, "cut short"},
        {"bad_garbage.bin", 0, OMNI_ERR_BAD_MEDIA, "not a decodable"},
        {"picture.jpg", 0, OMNI_ERR_BAD_MEDIA, "not a decodable"},
        {"picture.jpg", 1, OMNI_OK, NULL},
        {"picture_2.jpg", 1, OMNI_OK, NULL},
        {"picture.png", 1, OMNI_OK, NULL},
        {"bad_truncated.jpg", 1, OMNI_ERR_BAD_MEDIA, "Premature end"},
        {"bad_garbage.bin", 1, OMNI_ERR_BAD_MEDIA, "JPEG or PNG"},
    };
    const char *vk[] = {"media_type"}, *vv[] = {"omni"};
    omni_engine *e = NULL;
    CHECK(omni_create("sim", vk, vv, 1, NULL, NULL, &e) == OMNI_OK, "create omni");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[4096];
        size_t n = 0;
        snprintf(path, sizeof path, "%s/%s", dir, cases[i].file);
        unsigned char *b = read_file(path, &n);
        CHECK(b != NULL, "read %s", path);
        if (!b) continue;
        omni_status st = cases[i].image ? omni_prefill_image(e, b, n) : omni_prefill_audio_file(e, b, n);
        CHECK(st == cases[i].want && (!cases[i].says || strstr(omni_last_error(), cases[i].says)),
              "%s as %s -> %s", cases[i].file, cases[i].image ? "image" : "audio", omni_status_name(st));
        if (cases[i].image && strcmp(cases[i].file, "picture.jpg") == 0) {
            /* A JPEG's head followed by garbage: the old, lenient decoder let this through. */
            unsigned char broken[200 + 1024];
            memcpy(broken, b, 200);
            for (int k = 0; k < 1024; k++) broken[200 + k] = (unsigned char)k;
            CHECK(omni_prefill_image(e, broken, sizeof broken) == OMNI_ERR_BAD_MEDIA, "JPEG head + garbage");
        }
        free(b);
    }
    CHECK(omni_generate(e, NULL) == OMNI_OK && omni_wait(e, 10000) == OMNI_OK, "a turn on what was accepted");
    omni_destroy(e);
}

/* omni_info from several threads at once while a turn runs (a server's request threads). */
static void *info_hammer(void *arg) {
    omni_engine *e = (omni_engine *)arg;
    for (int i = 0; i < 2000; i++) {
        const char *s = omni_info(e);
        if (!s || !strstr(s, "\"kind\":\"sim\"")) return (void *)1;
    }
    return NULL;
}

static void test_info_concurrent(void) {
    Seen s;
    seen_init(&s);
    const char *k[] = {"reply_tokens"}, *v[] = {"2000"};
    omni_engine *e = make(k, v, 1, &s);
    float pcm[1600] = {0};
    omni_prefill_pcm_f32(e, pcm, 1600, 16000);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, info_hammer, e);
    int bad = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += r != NULL;
    }
    CHECK(bad == 0, "omni_info from 4 threads: %d threads saw a bad string", bad);
    CHECK(omni_wait(e, 20000) == OMNI_OK, "turn ends");
    omni_destroy(e);
}

/* omni_truncate: the next turn's context no longer holds what was not heard (the sim's reply
 * says how many characters of its earlier replies it remembers). */
static void test_truncate(void) {
    Seen s;
    seen_init(&s);
    omni_engine *e = make(NULL, NULL, 0, &s);
    int16_t pcm[8000] = {0};
    uint64_t turn = 0;
    const char *heard = NULL;
    CHECK(omni_prefill_pcm_s16(e, pcm, 8000, 16000) == OMNI_OK && omni_generate(e, &turn) == OMNI_OK &&
              omni_wait(e, 10000) == OMNI_OK, "turn 1");
    CHECK(s.n_chunks >= 2, "tts chunks %d", s.n_chunks);
    CHECK(omni_truncate(e, turn, -1, &heard) == OMNI_ERR_INVALID_ARGUMENT && heard == NULL, "negative played_ms");
    CHECK(omni_truncate(e, turn, NAN, NULL) == OMNI_ERR_INVALID_ARGUMENT, "NaN played_ms");
    CHECK(omni_truncate(e, turn + 1, 0, NULL) == OMNI_ERR_STATE && strstr(omni_last_error(), "most recent"),
          "only the latest turn: %s", omni_last_error());
    /* exactly the first TTS chunk's audio was played: its words stay, the rest goes */
    double played = 40.0 * s.chunk_tokens[0];
    CHECK(omni_truncate(e, turn, played, &heard) == OMNI_OK && heard, "truncate: %s", omni_last_error());
    CHECK(strlen(heard) == s.chunk_bytes[0] && strncmp(heard, s.text, s.chunk_bytes[0]) == 0, "heard '%s'", heard);
    size_t kept = strlen(heard);
    s.text_len = 0;
    CHECK(omni_prefill_pcm_s16(e, pcm, 8000, 16000) == OMNI_OK, "prefill turn 2");
    CHECK(omni_truncate(e, turn, 0, NULL) == OMNI_ERR_STATE && strstr(omni_last_error(), "prefilled after"),
          "truncate after the next input: %s", omni_last_error());
    CHECK(omni_generate(e, &turn) == OMNI_OK && omni_wait(e, 10000) == OMNI_OK, "turn 2");
    char want[96];
    snprintf(want, sizeof want, "I remember %zu characters", kept);
    CHECK(strstr(s.text, want) != NULL, "turn 2 remembers only what was heard (%s): %s", want, s.text);
    omni_destroy(e);
}

int main(int argc, char **argv) {
    size_t wav_n = 0;
    unsigned char *wav = read_arg_file(argc, argv, 1, "WAV", &wav_n);
    if (!wav) return 2;
    test_version();
    test_turn(wav, wav_n);
    test_zh_utf8();
    test_load_progress();
    test_interrupt();
    test_interrupt_from_callback_and_slow_callback();
    test_bad_input(wav, wav_n);
    if (argc > 2) test_media_files(argv[2]);
    else printf("no media folder given as argument 2: decoder checks on files not run\n");
    test_info_concurrent();
    test_truncate();
    free(wav);
    return report();
}
