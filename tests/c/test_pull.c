/* test_pull.c — the pull API (omni_next_event) as a C program sees it, on the sim engine:
 * same events as the callback, buffer ownership, timeouts, the overflow rule (back-pressure,
 * nothing lost), interrupt/reset/destroy with a full queue or a blocked puller, many turns.
 * Run by ctest, also in the AddressSanitizer + UBSan build. Arg 1: a 16 kHz WAV file. */
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "omni_c.h"

/* What a sequence of events looked like, whether it came from the callback or was pulled. */
typedef struct {
    int n[16], n_events;
    int types[8192];
    char text[32768];
    size_t text_len, samples;
    double sum_sq;
    uint64_t last_seq;
    int gaps;         /* seq not exactly last_seq + 1 (an event was lost) */
    int done_status;  /* TURN_DONE's reason, -1 before it */
    char stats[2048];
} Trace;

static void trace_init(Trace *t) {
    memset(t, 0, sizeof *t);
    t->done_status = -1;
}

static void trace_add(Trace *t, const omni_event *ev) {
    if (t->last_seq && ev->seq != t->last_seq + 1) t->gaps++;
    t->last_seq = ev->seq;
    t->n[ev->type & 15]++;
    if (t->n_events < (int)(sizeof t->types / sizeof t->types[0])) t->types[t->n_events] = ev->type;
    t->n_events++;
    if (ev->type == OMNI_EVENT_TEXT && t->text_len + ev->text_len < sizeof t->text) {
        memcpy(t->text + t->text_len, ev->text, ev->text_len);
        t->text_len += ev->text_len;
        t->text[t->text_len] = 0;
    }
    if (ev->type == OMNI_EVENT_AUDIO) {
        t->samples += ev->n_samples;
        for (size_t i = 0; i < ev->n_samples; i++) t->sum_sq += (double)ev->pcm[i] * ev->pcm[i];
    }
    if (ev->type == OMNI_EVENT_STATS) snprintf(t->stats, sizeof t->stats, "%s", ev->text);
    if (ev->type == OMNI_EVENT_TURN_DONE) t->done_status = ev->status;
}

static void on_event(const omni_event *ev, void *ud) { trace_add((Trace *)ud, ev); }

static omni_event blank(void) {
    omni_event ev;
    memset(&ev, 0, sizeof ev);
    ev.size = sizeof ev;
    return ev;
}

/* Pull until TURN_DONE (10 s per event at most); returns the last status. */
static omni_status pull_turn(omni_engine *e, Trace *t) {
    for (;;) {
        omni_event ev = blank();
        omni_status st = omni_next_event(e, 10000, &ev);
        if (st != OMNI_OK) return st;
        trace_add(t, &ev);
        if (ev.type == OMNI_EVENT_TURN_DONE) return OMNI_OK;
    }
}

static omni_engine *make(omni_event_cb cb, void *ud, const char *const *k, const char *const *v, size_t n) {
    omni_engine *e = NULL;
    omni_status st = omni_create("sim", k, v, n, cb, ud, &e);
    CHECK(st == OMNI_OK && e, "omni_create(sim) -> %s", omni_status_name(st));
    return e;
}

static void prefill_tone(omni_engine *e) {
    static float pcm[8000];
    for (int i = 0; i < 8000; i++) pcm[i] = 0.3f * sinf(i * 0.05f);
    CHECK(omni_prefill_pcm_f32(e, pcm, 8000, 16000) == OMNI_OK, "prefill");
}

/* The number after "key": in omni_info()'s JSON, or -1. */
static long info_number(omni_engine *e, const char *key) {
    const char *info = omni_info(e);
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = info ? strstr(info, pat) : NULL;
    if (!p) return -1;
    p += strlen(pat);
    if (!strncmp(p, "true", 4)) return 1;
    if (!strncmp(p, "false", 5)) return 0;
    return strtol(p, NULL, 10);
}

/* Wait (polling omni_info, at most 5 s) until `key` reaches `value`; returns whether it did. */
static int info_reaches(omni_engine *e, const char *key, long value) {
    double t0 = now_ms();
    while (now_ms() - t0 < 5000) {
        if (info_number(e, key) == value) return 1;
        sched_yield();
    }
    return 0;
}

/* The same turn pulled and through the callback: identical events. */
static void test_same_as_callback(const unsigned char *wav, size_t wav_n) {
    static Trace cbt, pt;
    trace_init(&cbt);
    trace_init(&pt);
    omni_engine *c = make(on_event, &cbt, NULL, NULL, 0);
    CHECK(omni_prefill_audio_file(c, wav, wav_n) == OMNI_OK && omni_generate(c, NULL) == OMNI_OK &&
              omni_wait(c, 10000) == OMNI_OK, "callback turn");
    omni_destroy(c);

    omni_engine *e = make(NULL, NULL, NULL, NULL, 0);
    CHECK(omni_abi_version() >> 16 == 1 && (omni_abi_version() & 0xFFFF) >= 1, "ABI 1.1 or later (got %x)",
          omni_abi_version());
    CHECK(info_number(e, "capacity") == 1024 && info_number(e, "queued") == 0, "info: %s", omni_info(e));
    CHECK(omni_prefill_audio_file(e, wav, wav_n) == OMNI_OK, "prefill wav");
    uint64_t turn = 0;
    CHECK(omni_generate(e, &turn) == OMNI_OK && turn == 1, "generate");
    CHECK(pull_turn(e, &pt) == OMNI_OK, "pulled to TURN_DONE");
    CHECK(strncmp(pt.text, "Turn 1. I heard ", 16) == 0, "text: %s", pt.text);
    CHECK(strcmp(pt.text, cbt.text) == 0, "same text as the callback: %s | %s", pt.text, cbt.text);
    CHECK(pt.samples == cbt.samples && pt.samples > 0, "same audio (%zu vs %zu samples)", pt.samples, cbt.samples);
    CHECK(sqrt(pt.sum_sq / (double)pt.samples) / 32768.0 > 0.05, "audible");
    /* The engine's threads interleave TEXT, TTS_CHUNK and AUDIO freely, so compare counts per type. */
    CHECK(pt.n_events == cbt.n_events && !memcmp(pt.n, cbt.n, sizeof pt.n), "same events (%d vs %d)", pt.n_events,
          cbt.n_events);
    CHECK(pt.gaps == 0 && pt.types[pt.n_events - 2] == OMNI_EVENT_STATS, "seq contiguous, STATS before TURN_DONE");
    CHECK(pt.done_status == OMNI_TURN_COMPLETED, "completed");
    CHECK(strstr(pt.stats, "\"event_queue_wait_ms\":") != NULL, "stats: %s", pt.stats);
    CHECK(strstr(cbt.stats, "event_queue") == NULL, "callback stats unchanged: %s", cbt.stats);
    omni_event ev = blank();
    CHECK(omni_next_event(e, 0, &ev) == OMNI_ERR_TIMEOUT, "nothing after TURN_DONE");
    CHECK(omni_destroy(e) == OMNI_OK, "destroy");
}

/* Pointers stay valid until the next omni_next_event, however much the engine makes meanwhile. */
static void test_ownership(void) {
    omni_engine *e = make(NULL, NULL, NULL, NULL, 0);
    int kinds[] = {OMNI_EVENT_TEXT, OMNI_EVENT_AUDIO};
    for (int k = 0; k < 2; k++) {
        prefill_tone(e);
        CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
        omni_event held = blank();
        Trace rest;
        trace_init(&rest);
        while (omni_next_event(e, 10000, &held) == OMNI_OK && held.type != kinds[k]) held.size = sizeof held;
        CHECK(held.type == kinds[k], "got a %s event", k ? "AUDIO" : "TEXT");
        size_t bytes = k ? held.n_samples * 2 : held.text_len + 1;
        const void *p = k ? (const void *)held.pcm : (const void *)held.text;
        void *copy = malloc(bytes);
        memcpy(copy, p, bytes);
        CHECK(omni_wait(e, 10000) == OMNI_OK, "the rest of the turn queued meanwhile");
        CHECK(memcmp(p, copy, bytes) == 0, "held buffer unchanged after the engine made more events");
        CHECK(k || held.text[held.text_len] == 0, "text NUL-terminated");
        free(copy);
        CHECK(pull_turn(e, &rest) == OMNI_OK && rest.done_status == OMNI_TURN_COMPLETED, "rest pulled");
    }
    /* out->size: too small is refused, larger (a newer header) gets what the library knows. */
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    omni_event small = blank();
    small.size = 0;
    CHECK(omni_next_event(e, 1000, &small) == OMNI_ERR_INVALID_ARGUMENT && strstr(omni_last_error(), "out->size"),
          "size 0 refused");
    small.size = 16;
    CHECK(omni_next_event(e, 1000, &small) == OMNI_ERR_INVALID_ARGUMENT, "size 16 refused");
    struct {
        omni_event ev;
        unsigned char future[32];
    } big;
    memset(&big, 0xAB, sizeof big);
    big.ev.size = sizeof big;
    CHECK(omni_next_event(e, 1000, &big.ev) == OMNI_OK && big.ev.size == sizeof(omni_event), "bigger struct: size %u",
          big.ev.size);
    int untouched = 1;
    for (size_t i = 0; i < sizeof big.future; i++) untouched &= big.future[i] == 0xAB;
    CHECK(untouched && big.ev.seq > 0, "bytes past the library's struct untouched");
    CHECK(omni_next_event(e, 1000, NULL) == OMNI_ERR_INVALID_ARGUMENT, "NULL out");
    CHECK(omni_destroy(e) == OMNI_OK, "destroy with events unpulled");
}

static void test_timeout(void) {
    omni_engine *e = make(NULL, NULL, NULL, NULL, 0);
    omni_event ev = blank();
    ev.type = 99;
    double t0 = now_ms();
    CHECK(omni_next_event(e, 0, &ev) == OMNI_ERR_TIMEOUT && ev.type == 99, "poll: TIMEOUT, out untouched");
    double t_poll = now_ms() - t0;
    t0 = now_ms();
    CHECK(omni_next_event(e, 50, &ev) == OMNI_ERR_TIMEOUT && strstr(omni_last_error(), "50 ms"), "timeout: %s",
          omni_last_error());
    double t_wait = now_ms() - t0;
    printf("poll returned in %.3f ms, a 50 ms timeout in %.1f ms\n", t_poll, t_wait);
    CHECK(t_wait >= 49, "a timeout does not end early (%.1f ms)", t_wait);
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    ev = blank();
    CHECK(omni_next_event(e, 10000, &ev) == OMNI_OK && ev.type == OMNI_EVENT_TEXT && ev.turn_id == 1,
          "an event arrives within the timeout");
    omni_destroy(e);
}

/* A full queue holds the turn back (nothing dropped); pulling lets it finish. */
static void test_overflow(void) {
    static Trace ref, pt;
    trace_init(&ref);
    trace_init(&pt);
    const char *k[] = {"reply_tokens", "event_queue_size"}, *v[] = {"200", "4"};
    omni_engine *c = make(on_event, &ref, k, v, 1);
    prefill_tone(c);
    CHECK(omni_generate(c, NULL) == OMNI_OK && omni_wait(c, 10000) == OMNI_OK, "reference turn");
    omni_destroy(c);

    omni_engine *e = make(NULL, NULL, k, v, 2);
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    CHECK(info_reaches(e, "queued", 4), "queue fills to its capacity: %s", omni_info(e));
    CHECK(omni_wait(e, 200) == OMNI_ERR_TIMEOUT, "the turn waits for the puller");
    CHECK(info_number(e, "queued") == 4, "still 4 queued, none dropped or added: %s", omni_info(e));
    CHECK(pull_turn(e, &pt) == OMNI_OK, "pulled");
    printf("overflow: %d events through a 4-event queue; %s\n", pt.n_events, strstr(pt.stats, "\"event_queue"));
    CHECK(pt.gaps == 0 && pt.n_events == ref.n_events && pt.n_events > 20, "nothing lost (%d events, ref %d)",
          pt.n_events, ref.n_events);
    CHECK(strcmp(pt.text, ref.text) == 0 && pt.samples == ref.samples, "same text and audio as the callback");
    CHECK(pt.done_status == OMNI_TURN_COMPLETED, "completed");
    CHECK(strstr(pt.stats, "\"event_queue_wait_ms\":0,") == NULL, "the wait is reported: %s", pt.stats);
    omni_destroy(e);
}

/* Barge-in: from the puller, and with a full queue that nobody pulls. */
static void test_interrupt(void) {
    const char *k[] = {"reply_tokens", "event_queue_size"}, *v[] = {"400", "8"};
    omni_engine *e = make(NULL, NULL, k, v, 2);
    /* The puller interrupts at the first AUDIO and drains to TURN_DONE. */
    Trace t;
    trace_init(&t);
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    omni_event ev = blank();
    while (omni_next_event(e, 10000, &ev) == OMNI_OK && ev.type != OMNI_EVENT_AUDIO) ev.size = sizeof ev;
    double t0 = now_ms();
    CHECK(omni_interrupt(e) == OMNI_OK, "interrupt");
    CHECK(pull_turn(e, &t) == OMNI_OK && t.done_status == OMNI_TURN_INTERRUPTED, "TURN_DONE interrupted (%d)",
          t.done_status);
    printf("interrupt by the puller: TURN_DONE pulled after %.2f ms, %d events drained\n", now_ms() - t0, t.n_events);
    CHECK(t.n_events < 40, "the turn stopped (%d events after the interrupt)", t.n_events);

    /* Nobody pulls: the queue is full and the engine waits; interrupt releases it. */
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate 2");
    CHECK(info_reaches(e, "queued", 8), "full");
    t0 = now_ms();
    CHECK(omni_interrupt(e) == OMNI_OK && omni_wait(e, 2000) == OMNI_OK, "interrupt with a full queue ends the turn");
    printf("interrupt with a full queue: TURN_DONE queued after %.2f ms\n", now_ms() - t0);
    trace_init(&t);
    CHECK(pull_turn(e, &t) == OMNI_OK && t.done_status == OMNI_TURN_INTERRUPTED && t.gaps == 0,
          "all queued events, then TURN_DONE interrupted");

    /* reset with a full queue: no hang, history gone. */
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate 3");
    CHECK(info_reaches(e, "queued", 8), "full again");
    t0 = now_ms();
    CHECK(omni_reset(e) == OMNI_OK, "reset with a full queue");
    printf("reset with a full queue took %.2f ms\n", now_ms() - t0);
    trace_init(&t);
    CHECK(pull_turn(e, &t) == OMNI_OK && t.done_status == OMNI_TURN_INTERRUPTED, "its TURN_DONE is pulled");
    omni_set_option(e, "reply_tokens", "20");
    trace_init(&t);
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK && pull_turn(e, &t) == OMNI_OK, "turn after reset");
    CHECK(strncmp(t.text, "Turn 1.", 7) == 0 && t.done_status == OMNI_TURN_COMPLETED, "new conversation: %s", t.text);
    omni_destroy(e);
}

/* Another thread interrupts while the puller is blocked waiting for the next event. */
typedef struct {
    omni_engine *e;
    int ok;
} Helper;

static void *interrupt_when_waiting(void *arg) {
    Helper *h = (Helper *)arg;
    h->ok = info_reaches(h->e, "puller_waiting", 1) && omni_interrupt(h->e) == OMNI_OK;
    return NULL;
}

static void test_interrupt_other_thread(void) {
    const char *k[] = {"reply_tokens", "llm_ms_per_token"}, *v[] = {"400", "20"};
    omni_engine *e = make(NULL, NULL, k, v, 2);
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate (8 s of LLM time)");
    Helper h = {e, 0};
    pthread_t th;
    pthread_create(&th, NULL, interrupt_when_waiting, &h);
    Trace t;
    trace_init(&t);
    double t0 = now_ms();
    CHECK(pull_turn(e, &t) == OMNI_OK && t.done_status == OMNI_TURN_INTERRUPTED, "interrupted from another thread");
    pthread_join(th, NULL);
    printf("interrupt from another thread: turn over after %.1f ms\n", now_ms() - t0);
    CHECK(h.ok, "the helper saw the puller waiting and interrupted");
    omni_destroy(e);
}

/* omni_destroy releases a blocked puller with OMNI_ERR_CLOSED; a full queue never blocks it. */
typedef struct {
    omni_engine *e;
    omni_status st;
    double returned_ms;
    char error[256];
} Puller;

static void *pull_forever(void *arg) {
    Puller *p = (Puller *)arg;
    omni_event ev = blank();
    p->st = omni_next_event(p->e, -1, &ev);
    p->returned_ms = now_ms();
    snprintf(p->error, sizeof p->error, "%s", omni_last_error());
    return NULL;
}

static void test_destroy(void) {
    Puller p = {make(NULL, NULL, NULL, NULL, 0), OMNI_OK, 0, ""};
    pthread_t th;
    pthread_create(&th, NULL, pull_forever, &p);
    CHECK(info_reaches(p.e, "puller_waiting", 1), "the puller is waiting");
    /* A second puller meanwhile is refused. */
    omni_event ev = blank();
    CHECK(omni_next_event(p.e, 0, &ev) == OMNI_ERR_STATE && strstr(omni_last_error(), "another thread"),
          "second puller: %s", omni_last_error());
    double t0 = now_ms();
    CHECK(omni_destroy(p.e) == OMNI_OK, "destroy while a thread waits");
    double t_destroy = now_ms() - t0;
    pthread_join(th, NULL);
    printf("destroy with a blocked puller: %.2f ms, the puller returned %s\n", t_destroy, omni_status_name(p.st));
    CHECK(p.st == OMNI_ERR_CLOSED && strstr(p.error, "omni_destroy"), "puller got CLOSED: %s", p.error);
    CHECK(p.returned_ms <= t0 + t_destroy, "the puller returned before omni_destroy did");

    /* Mid-turn with a full queue and nobody pulling. */
    const char *k[] = {"reply_tokens", "event_queue_size"}, *v[] = {"400", "2"};
    omni_engine *e = make(NULL, NULL, k, v, 2);
    prefill_tone(e);
    CHECK(omni_generate(e, NULL) == OMNI_OK, "generate");
    CHECK(info_reaches(e, "queued", 2), "full");
    t0 = now_ms();
    CHECK(omni_destroy(e) == OMNI_OK, "destroy with a full queue");
    printf("destroy with a full queue: %.2f ms\n", now_ms() - t0);
}

static void on_event_pulls(const omni_event *ev, void *ud) {
    omni_engine *pull_engine = *(omni_engine **)ud;
    omni_event out = blank();
    if (ev->type == OMNI_EVENT_TEXT && pull_engine && omni_next_event(pull_engine, 0, &out) != OMNI_ERR_STATE)
        abort();
}

static void test_bad_calls(void) {
    omni_event ev = blank();
    CHECK(omni_next_event(NULL, 0, &ev) == OMNI_ERR_INVALID_ARGUMENT, "NULL engine");
    omni_engine *pull = make(NULL, NULL, NULL, NULL, 0);
    omni_engine *cb = make(on_event_pulls, &pull, NULL, NULL, 0);
    CHECK(omni_next_event(cb, 0, &ev) == OMNI_ERR_STATE && strstr(omni_last_error(), "callback"),
          "engine with a callback: %s", omni_last_error());
    prefill_tone(cb);
    CHECK(omni_generate(cb, NULL) == OMNI_OK && omni_wait(cb, 10000) == OMNI_OK,
          "a callback that pulls is refused (it aborts otherwise)");
    omni_destroy(cb);
    omni_destroy(pull);
    const char *k[] = {"event_queue_size"}, *v[] = {"0"};
    omni_engine *e = NULL;
    CHECK(omni_create("sim", k, v, 1, NULL, NULL, &e) == OMNI_ERR_INVALID_ARGUMENT &&
              strstr(omni_last_error(), "event_queue_size"), "capacity 0 refused: %s", omni_last_error());
    CHECK(strcmp(omni_status_name(OMNI_ERR_CLOSED), "OMNI_ERR_CLOSED") == 0, "status name");
}

/* Many turns, some interrupted by the puller: every one ends once, nothing lost across them. */
static void test_many_turns(void) {
    /* 60 tokens make ~17 events; through a 4-event queue the engine cannot finish a turn
     * before its first TEXT is pulled, so two turns in three are interrupted for sure. */
    const char *k[] = {"reply_tokens", "event_queue_size"}, *v[] = {"60", "4"};
    omni_engine *e = make(NULL, NULL, k, v, 2);
    static Trace t;
    trace_init(&t);
    int turns = 150, completed = 0, interrupted = 0, ids_ok = 1;
    double t0 = now_ms();
    for (int i = 1; i <= turns; i++) {
        prefill_tone(e);
        uint64_t id = 0;
        omni_generate(e, &id);
        ids_ok &= id == (uint64_t)i;
        int cut = i % 3 != 0;
        for (;;) {
            omni_event ev = blank();
            if (omni_next_event(e, 10000, &ev) != OMNI_OK) break;
            trace_add(&t, &ev);
            if (cut && ev.type == OMNI_EVENT_TEXT) omni_interrupt(e);
            if (ev.type == OMNI_EVENT_TURN_DONE) {
                completed += ev.status == OMNI_TURN_COMPLETED;
                interrupted += ev.status == OMNI_TURN_INTERRUPTED;
                break;
            }
        }
    }
    printf("%d pulled turns (%d events) in %.0f ms\n", turns, t.n_events, now_ms() - t0);
    CHECK(ids_ok && completed + interrupted == turns && t.n[OMNI_EVENT_TURN_DONE] == turns, "every turn ended once");
    CHECK(completed == turns / 3 && interrupted == turns - turns / 3, "%d completed, %d interrupted", completed,
          interrupted);
    CHECK(t.gaps == 0, "seq contiguous across all turns (%d gaps)", t.gaps);
    omni_destroy(e);
}

int main(int argc, char **argv) {
    size_t wav_n = 0;
    unsigned char *wav = read_arg_file(argc, argv, 1, "WAV", &wav_n);
    if (!wav) return 2;
    test_same_as_callback(wav, wav_n);
    test_ownership();
    test_timeout();
    test_overflow();
    test_interrupt();
    test_interrupt_other_thread();
    test_destroy();
    test_bad_calls();
    test_many_turns();
    free(wav);
    return report();
}
