/* test_threads.c — the C ABI under concurrent use, on the sim engine: several threads
 * prefill, generate, interrupt, wait, reset, set options and read omni_info on one engine
 * at once; callbacks re-enter the library; a puller races interrupts and back-pressure; an
 * engine is destroyed from another thread while its turn runs or while a puller waits; many
 * engines live side by side. The invariants are the header's promises: every started turn
 * gets exactly one TURN_DONE, seq strictly increases, callbacks never overlap, calls from a
 * callback other than omni_interrupt return OMNI_ERR_STATE, and a normal turn works after
 * the storm. Built and run by ctest in every build; its real job is the ThreadSanitizer
 * build (-DOMNI_TSAN=ON), where any data race or lock-order inversion fails the test.
 * Arg 1 (optional): a scale factor for the iteration counts (default 1). */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "omni_c.h"

#define MAX_TURNS 4096

static int scale = 1;

/* What one engine's events looked like. Guarded by mu: the callback and the puller write,
 * the test thread reads after the engine is idle. */
typedef struct {
    pthread_mutex_t mu;
    omni_engine *engine; /* for re-entry from the callback */
    int in_callback, overlaps;
    uint64_t last_seq;
    int seq_errors;
    int done[MAX_TURNS];      /* TURN_DONE count per turn id */
    int started[MAX_TURNS];   /* omni_generate returned this id */
    int done_interrupted;
    int events;
    int reentry_wrong;        /* a call from the callback answered other than promised */
    int reenter_every;        /* 0: no re-entry */
    int interrupt_on_audio;   /* the callback barges in on the first AUDIO of every turn */
} Shared;

static void shared_init(Shared *s) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
}

static void note_event(Shared *s, const omni_event *ev) {
    pthread_mutex_lock(&s->mu);
    if (ev->seq <= s->last_seq) s->seq_errors++;
    s->last_seq = ev->seq;
    s->events++;
    if (ev->type == OMNI_EVENT_TURN_DONE && ev->turn_id < MAX_TURNS) {
        s->done[ev->turn_id]++;
        if (ev->status == OMNI_TURN_INTERRUPTED) s->done_interrupted++;
    }
    pthread_mutex_unlock(&s->mu);
}

static void note_started(Shared *s, uint64_t id) {
    pthread_mutex_lock(&s->mu);
    if (id < MAX_TURNS) s->started[id]++;
    pthread_mutex_unlock(&s->mu);
}

/* The header's rule for calls made from inside the callback. */
static int reentry_ok(omni_engine *e) {
    int ok = 1;
    int16_t pcm[160] = {0};
    ok &= omni_interrupt(e) == OMNI_OK;
    ok &= omni_generate(e, NULL) == OMNI_ERR_STATE;
    ok &= omni_prefill_pcm_s16(e, pcm, 160, 16000) == OMNI_ERR_STATE;
    ok &= omni_wait(e, 0) == OMNI_ERR_STATE;
    ok &= omni_reset(e) == OMNI_ERR_STATE;
    ok &= omni_destroy(e) == OMNI_ERR_STATE;
    ok &= omni_last_error()[0] != 0;
    return ok;
}

static void on_event(const omni_event *ev, void *ud) {
    Shared *s = (Shared *)ud;
    pthread_mutex_lock(&s->mu);
    if (s->in_callback) s->overlaps++;
    s->in_callback = 1;
    omni_engine *e = s->engine;
    int every = s->reenter_every, barge = s->interrupt_on_audio;
    int n = s->events;
    pthread_mutex_unlock(&s->mu);

    note_event(s, ev);
    int wrong = 0;
    if (e && every && n % every == 0 && !reentry_ok(e)) wrong = 1;
    if (e && barge && ev->type == OMNI_EVENT_AUDIO && omni_interrupt(e) != OMNI_OK) wrong = 1;

    pthread_mutex_lock(&s->mu);
    s->reentry_wrong += wrong;
    s->in_callback = 0;
    pthread_mutex_unlock(&s->mu);
}

/* Every turn that omni_generate started got exactly one TURN_DONE, and no other turn did. */
static void check_turns(Shared *s, const char *what) {
    int bad = 0, started = 0;
    pthread_mutex_lock(&s->mu);
    for (int i = 0; i < MAX_TURNS; i++) {
        started += s->started[i];
        if (s->done[i] != s->started[i] || s->started[i] > 1) bad++;
    }
    CHECK(bad == 0, "%s: %d turn ids without exactly one TURN_DONE (of %d started)", what, bad, started);
    CHECK(s->seq_errors == 0, "%s: seq did not increase %d times", what, s->seq_errors);
    CHECK(s->overlaps == 0, "%s: %d callbacks ran concurrently", what, s->overlaps);
    CHECK(s->reentry_wrong == 0, "%s: %d calls from the callback broke the rule", what, s->reentry_wrong);
    pthread_mutex_unlock(&s->mu);
    printf("  %s: %d turns started, all ended exactly once\n", what, started);
}

static omni_engine *make(Shared *s, omni_event_cb cb, const char *const *k, const char *const *v, size_t n) {
    omni_engine *e = NULL;
    omni_status st = omni_create("sim", k, v, n, cb, s, &e);
    CHECK(st == OMNI_OK && e, "omni_create(sim) -> %s", omni_status_name(st));
    pthread_mutex_lock(&s->mu);
    s->engine = e;
    pthread_mutex_unlock(&s->mu);
    return e;
}

static omni_status prefill(omni_engine *e) {
    static const int16_t tone[1600] = {1000, -1000, 1000, -1000}; /* 0.1 s at 16 kHz; read-only */
    return omni_prefill_pcm_s16(e, tone, 1600, 16000);
}

/* A normal turn, start to finish: the engine still works. */
static void normal_turn(omni_engine *e, Shared *s, const char *what) {
    int before;
    pthread_mutex_lock(&s->mu);
    before = s->done_interrupted;
    s->reenter_every = 0;
    s->interrupt_on_audio = 0;
    pthread_mutex_unlock(&s->mu);
    CHECK(omni_wait(e, 10000) == OMNI_OK, "%s: engine idle", what);
    CHECK(prefill(e) == OMNI_OK, "%s: prefill after the storm", what);
    uint64_t id = 0;
    omni_status st = omni_generate(e, &id);
    CHECK(st == OMNI_OK, "%s: generate after the storm -> %s", what, omni_status_name(st));
    if (st == OMNI_OK) note_started(s, id);
    CHECK(omni_wait(e, 20000) == OMNI_OK, "%s: the normal turn ends", what);
    pthread_mutex_lock(&s->mu);
    int done = id < MAX_TURNS ? s->done[id] : 0;
    int interrupted = s->done_interrupted - before;
    pthread_mutex_unlock(&s->mu);
    CHECK(done == 1 && interrupted == 0, "%s: the normal turn completed (done %d, interrupted %d)", what, done,
          interrupted);
}

/* ---- 1. many threads, one engine, every call at once ---------------------------------- */

typedef struct {
    omni_engine *e;
    Shared *s;
    unsigned seed;
    int iterations;
    int unexpected;
} Worker;

static void *worker(void *arg) {
    Worker *w = (Worker *)arg;
    char num[32];
    for (int i = 0; i < w->iterations; i++) {
        omni_status st;
        uint64_t id = 0;
        switch (rand_r(&w->seed) % 12) {
        case 0: case 1: case 2:
            st = prefill(w->e);
            w->unexpected += st != OMNI_OK;
            break;
        case 3: case 4:
            st = omni_generate(w->e, &id);
            if (st == OMNI_OK) note_started(w->s, id);
            w->unexpected += st != OMNI_OK && st != OMNI_ERR_STATE;
            break;
        case 5: case 6:
            w->unexpected += omni_interrupt(w->e) != OMNI_OK;
            break;
        case 7:
            st = omni_wait(w->e, (int32_t)(rand_r(&w->seed) % 20));
            w->unexpected += st != OMNI_OK && st != OMNI_ERR_TIMEOUT;
            break;
        case 8:
            snprintf(num, sizeof num, "%d", 5 + (int)(rand_r(&w->seed) % 40));
            w->unexpected += omni_set_option(w->e, "reply_tokens", num) != OMNI_OK;
            w->unexpected += omni_set_option(w->e, "length_penalty", "1.3") != OMNI_OK;
            w->unexpected += omni_set_option(w->e, "mode", "duplex") != OMNI_ERR_INVALID_ARGUMENT;
            break;
        case 9: case 10: {
            const char *info = omni_info(w->e);
            w->unexpected += !info || !strstr(info, "\"kind\":\"sim\"");
            break;
        }
        default:
            if (rand_r(&w->seed) % 4 == 0) w->unexpected += omni_reset(w->e) != OMNI_OK;
        }
    }
    return NULL;
}

static void storm(const char *mode, int n_threads) {
    Shared s;
    shared_init(&s);
    s.reenter_every = 7;
    const char *k[] = {"mode", "llm_ms_per_token", "tts_ms_per_token", "reply_tokens"};
    const char *v[] = {mode, "0.2", "0.05", "20"};
    omni_engine *e = make(&s, on_event, k, v, 4);
    if (!e) return;
    pthread_t th[8];
    Worker w[8];
    for (int i = 0; i < n_threads; i++) {
        w[i] = (Worker){e, &s, 1234u + (unsigned)i, 150 * scale, 0};
        pthread_create(&th[i], NULL, worker, &w[i]);
    }
    int unexpected = 0;
    for (int i = 0; i < n_threads; i++) {
        pthread_join(th[i], NULL);
        unexpected += w[i].unexpected;
    }
    CHECK(unexpected == 0, "storm(%s): %d calls returned a status the header does not allow", mode, unexpected);
    CHECK(omni_wait(e, 20000) == OMNI_OK, "storm(%s): the last turn ends", mode);
    char what[64];
    snprintf(what, sizeof what, "storm %s x%d threads", mode, n_threads);
    if (strcmp(mode, "simplex") == 0) normal_turn(e, &s, what);
    check_turns(&s, what);
    CHECK(omni_destroy(e) == OMNI_OK, "destroy after the storm");
}

/* ---- 2. the callback barges in on its own turn ------------------------------------------ */

static void callback_barge_in(void) {
    Shared s;
    shared_init(&s);
    s.interrupt_on_audio = 1;
    const char *k[] = {"reply_tokens"};
    const char *v[] = {"60"};
    omni_engine *e = make(&s, on_event, k, v, 1);
    if (!e) return;
    for (int i = 0; i < 5 * scale; i++) {
        uint64_t id = 0;
        CHECK(prefill(e) == OMNI_OK && omni_generate(e, &id) == OMNI_OK, "barge-in turn %d starts", i);
        note_started(&s, id);
        CHECK(omni_wait(e, 10000) == OMNI_OK, "barge-in turn %d ends", i);
    }
    pthread_mutex_lock(&s.mu);
    int interrupted = s.done_interrupted;
    pthread_mutex_unlock(&s.mu);
    CHECK(interrupted == 5 * scale, "every turn was cut by its own callback (%d of %d)", interrupted, 5 * scale);
    normal_turn(e, &s, "callback barge-in");
    check_turns(&s, "callback barge-in");
    omni_destroy(e);
}

/* ---- 3. destroy from another thread while the turn runs ---------------------------------- */

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    omni_engine *handoff;
    omni_status destroyed;
} Handoff;

static void *destroyer(void *arg) {
    Handoff *h = (Handoff *)arg;
    pthread_mutex_lock(&h->mu);
    while (!h->handoff) pthread_cond_wait(&h->cv, &h->mu);
    omni_engine *e = h->handoff;
    pthread_mutex_unlock(&h->mu);
    omni_status st = omni_destroy(e);
    pthread_mutex_lock(&h->mu);
    h->destroyed = st;
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

static void destroy_mid_turn(void) {
    int bad = 0;
    for (int i = 0; i < 10 * scale; i++) {
        Shared s;
        shared_init(&s);
        const char *k[] = {"reply_tokens", "llm_ms_per_token"};
        const char *v[] = {"400", "1"};
        omni_engine *e = make(&s, on_event, k, v, 2);
        if (!e) return;
        Handoff h = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, -1};
        pthread_t th;
        pthread_create(&th, NULL, destroyer, &h);
        uint64_t id = 0;
        if (prefill(e) == OMNI_OK && omni_generate(e, &id) == OMNI_OK) note_started(&s, id);
        pthread_mutex_lock(&h.mu);
        h.handoff = e; /* the last call this thread makes on e */
        pthread_cond_signal(&h.cv);
        pthread_mutex_unlock(&h.mu);
        pthread_join(th, NULL);
        pthread_mutex_lock(&s.mu);
        bad += h.destroyed != OMNI_OK || id == 0 || s.done[id] != 1;
        pthread_mutex_unlock(&s.mu);
    }
    CHECK(bad == 0, "destroy from another thread mid-turn: %d of %d rounds without exactly one TURN_DONE", bad,
          10 * scale);
}

/* ---- 4. pull API: a puller, a generator and an interrupter at once ---------------------- */

typedef struct {
    omni_engine *e;
    Shared *s;
    pthread_mutex_t mu;
    int stop;           /* set by the test thread; the puller then drains and leaves */
    uint64_t last_started;
    int unexpected;
} Pull;

static int pull_stopping(Pull *p, uint64_t *last) {
    pthread_mutex_lock(&p->mu);
    int stop = p->stop;
    *last = p->last_started;
    pthread_mutex_unlock(&p->mu);
    return stop;
}

static void *puller(void *arg) {
    Pull *p = (Pull *)arg;
    for (;;) {
        omni_event ev;
        memset(&ev, 0, sizeof ev);
        ev.size = sizeof ev;
        omni_status st = omni_next_event(p->e, 20, &ev);
        if (st == OMNI_OK) {
            note_event(p->s, &ev);
            if (ev.type == OMNI_EVENT_AUDIO && ev.n_samples) {
                volatile int16_t last = ev.pcm[ev.n_samples - 1]; /* the buffer is ours until the next pull */
                (void)last;
            }
            continue;
        }
        if (st != OMNI_ERR_TIMEOUT) {
            p->unexpected++;
            return NULL;
        }
        uint64_t last;
        if (pull_stopping(p, &last)) {
            /* Idle and stopping: leave once the last started turn has ended. */
            pthread_mutex_lock(&p->s->mu);
            int ended = last == 0 || (last < MAX_TURNS && p->s->done[last] > 0);
            pthread_mutex_unlock(&p->s->mu);
            if (ended) return NULL;
        }
    }
}

static void *pull_generator(void *arg) {
    Pull *p = (Pull *)arg;
    for (int i = 0; i < 100 * scale; i++) {
        uint64_t id = 0;
        if (prefill(p->e) != OMNI_OK) p->unexpected++;
        omni_status st = omni_generate(p->e, &id);
        if (st == OMNI_OK) {
            note_started(p->s, id);
            pthread_mutex_lock(&p->mu);
            p->last_started = id;
            pthread_mutex_unlock(&p->mu);
        } else if (st != OMNI_ERR_STATE) {
            p->unexpected++;
        } else if (omni_wait(p->e, 5) == OMNI_ERR_INVALID_ARGUMENT) { /* busy: let the turn run a little */
            p->unexpected++;
        }
    }
    return NULL;
}

static void *pull_interrupter(void *arg) {
    Pull *p = (Pull *)arg;
    unsigned seed = 99;
    for (int i = 0; i < 200 * scale; i++) {
        if (omni_interrupt(p->e) != OMNI_OK) p->unexpected++;
        if (rand_r(&seed) % 8 == 0 && !omni_info(p->e)) p->unexpected++;
        for (int y = rand_r(&seed) % 50; y > 0; y--) sched_yield();
    }
    return NULL;
}

static void pull_races(void) {
    Shared s;
    shared_init(&s);
    const char *k[] = {"event_queue_size", "reply_tokens", "llm_ms_per_token"};
    const char *v[] = {"4", "30", "0.1"};
    omni_engine *e = make(&s, NULL, k, v, 3); /* NULL callback: pull mode, a tiny queue */
    if (!e) return;
    Pull p;
    memset(&p, 0, sizeof p);
    p.e = e;
    p.s = &s;
    pthread_mutex_init(&p.mu, NULL);
    pthread_t tp, tg, ti;
    pthread_create(&tp, NULL, puller, &p);
    pthread_create(&tg, NULL, pull_generator, &p);
    pthread_create(&ti, NULL, pull_interrupter, &p);
    pthread_join(tg, NULL);
    pthread_join(ti, NULL);
    pthread_mutex_lock(&p.mu);
    p.stop = 1;
    pthread_mutex_unlock(&p.mu);
    pthread_join(tp, NULL);
    CHECK(p.unexpected == 0, "pull races: %d unexpected statuses", p.unexpected);
    check_turns(&s, "pull: puller + generator + interrupter");
    omni_destroy(e);
}

/* ---- 5. destroy releases a puller blocked with no time limit ---------------------------- */

typedef struct {
    omni_engine *e;
    omni_status st;
} Blocked;

static void *blocked_puller(void *arg) {
    Blocked *b = (Blocked *)arg;
    omni_event ev;
    memset(&ev, 0, sizeof ev);
    ev.size = sizeof ev;
    b->st = omni_next_event(b->e, -1, &ev); /* read by the test thread after join */
    return NULL;
}

static void destroy_blocked_puller(void) {
    int released = 0;
    for (int i = 0; i < 5 * scale; i++) {
        omni_engine *e = NULL;
        if (omni_create("sim", NULL, NULL, 0, NULL, NULL, &e) != OMNI_OK) break;
        Blocked b = {e, OMNI_OK};
        pthread_t th;
        pthread_create(&th, NULL, blocked_puller, &b);
        /* omni_destroy may only meet a puller that is already waiting: poll until it is. */
        double t0 = now_ms();
        for (;;) {
            const char *info = omni_info(e);
            if (info && strstr(info, "\"puller_waiting\":true")) break;
            if (now_ms() - t0 > 10000) break;
            sched_yield();
        }
        omni_destroy(e);
        pthread_join(th, NULL);
        released += b.st == OMNI_ERR_CLOSED;
    }
    CHECK(released == 5 * scale, "destroy released every blocked puller with CLOSED (%d of %d)", released,
          5 * scale);
}

/* ---- 6. many engines side by side, each on its own thread -------------------------------- */

static void *engine_life(void *arg) {
    int *bad = (int *)arg;
    for (int i = 0; i < 8 * scale; i++) {
        /* Process-wide tables and the thread-local last error, from every thread at once. */
        if (!omni_options_schema("sim") || !strstr(omni_engines(), "sim")) (*bad)++;
        omni_engine *e = NULL;
        const char *k[] = {"no_such_option"};
        const char *v[] = {"1"};
        if (omni_create("sim", k, v, 1, NULL, NULL, &e) != OMNI_ERR_INVALID_ARGUMENT ||
            !strstr(omni_last_error(), "no_such_option"))
            (*bad)++;
        Shared s;
        shared_init(&s);
        const char *k2[] = {"reply_tokens"};
        const char *v2[] = {"15"};
        if (omni_create("sim", k2, v2, 1, on_event, &s, &e) != OMNI_OK) {
            (*bad)++;
            continue;
        }
        uint64_t id = 0;
        if (prefill(e) != OMNI_OK || omni_generate(e, &id) != OMNI_OK || omni_wait(e, 10000) != OMNI_OK) (*bad)++;
        pthread_mutex_lock(&s.mu);
        if (id >= MAX_TURNS || s.done[id] != 1 || s.overlaps) (*bad)++;
        pthread_mutex_unlock(&s.mu);
        omni_destroy(e);
    }
    return NULL;
}

static void many_engines(void) {
    pthread_t th[4];
    int bad[4] = {0};
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, engine_life, &bad[i]);
    int total = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        total += bad[i];
    }
    CHECK(total == 0, "4 threads x %d engine lifetimes: %d went wrong", 8 * scale, total);
}

int main(int argc, char **argv) {
    if (argc > 1) scale = atoi(argv[1]) > 0 ? atoi(argv[1]) : 1;
    double t0 = now_ms();
    printf("storm: 4 threads on one simplex engine\n");
    storm("simplex", 4);
    printf("storm: 3 threads on one duplex engine\n");
    storm("duplex", 3);
    printf("the callback interrupts its own turn\n");
    callback_barge_in();
    printf("destroy from another thread mid-turn\n");
    destroy_mid_turn();
    printf("pull API: puller, generator and interrupter\n");
    pull_races();
    printf("destroy releases a blocked puller\n");
    destroy_blocked_puller();
    printf("engines side by side\n");
    many_engines();
    printf("(%.1f s)\n", (now_ms() - t0) / 1000);
    return report();
}
