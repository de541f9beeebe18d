/* test_isolation.c — an engine in a process of its own (isolate=process), on the sim engine:
 * the same turn as in-process; an engine process that aborts mid-turn costs that turn an ERROR
 * event and TURN_DONE (failed), then the engine restarts and the next turn completes; a process
 * killed from outside while idle is replaced; too many deaths in a minute leave the engine down
 * with a clear error; barge-in, the pull API, truncation and destroy work through the process boundary.
 * Arg 1: a 16 kHz WAV file. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "check.h"
#include "omni_c.h"

typedef struct {
    char text[4096];
    size_t text_len;
    int errors, done, done_status, audio;
    char error[512];
    int error_status;
    double first_text_ms;
    int texts; /* TEXT events so far: polled by the test's thread (atomic) */
} Turn;

static void on_event(const omni_event *ev, void *ud) {
    Turn *t = (Turn *)ud;
    if (ev->type == OMNI_EVENT_TEXT && t->text_len + ev->text_len < sizeof t->text) {
        if (t->text_len == 0) t->first_text_ms = ev->t_ms;
        memcpy(t->text + t->text_len, ev->text, ev->text_len);
        t->text_len += ev->text_len;
        t->text[t->text_len] = 0;
        __atomic_fetch_add(&t->texts, 1, __ATOMIC_RELEASE);
    }
    if (ev->type == OMNI_EVENT_AUDIO) t->audio++;
    if (ev->type == OMNI_EVENT_ERROR) {
        t->errors++;
        t->error_status = ev->status;
        snprintf(t->error, sizeof t->error, "%s", ev->text ? ev->text : "");
    }
    if (ev->type == OMNI_EVENT_TURN_DONE) {
        t->done++;
        t->done_status = ev->status;
    }
}

static unsigned char *wav;
static size_t wav_n;

static omni_engine *make(Turn *t, const char *isolate, const char *crash_at) {
    const char *k[] = {"isolate", "reply_tokens", "crash_at_token"};
    const char *v[] = {isolate, "30", crash_at};
    omni_engine *e = NULL;
    omni_status st = omni_create("sim", k, v, 3, on_event, t, &e);
    CHECK(st == OMNI_OK && e, "create isolate=%s -> %s", isolate, omni_status_name(st));
    return e;
}

static omni_status turn(omni_engine *e, Turn *t) {
    memset(t, 0, sizeof *t);
    omni_status st = omni_prefill_audio_file(e, wav, wav_n);
    if (st != OMNI_OK) return st;
    st = omni_generate(e, NULL);
    if (st != OMNI_OK) return st;
    return omni_wait(e, 20000);
}

/* The engine's process id and state from omni_info ("isolation": {...}). */
static int isolation_info(omni_engine *e, char *state, size_t n, int *restarts) {
    const char *info = omni_info(e);
    const char *iso = info ? strstr(info, "\"isolation\":") : NULL;
    if (!iso) return -1;
    int pid = -1;
    const char *p = strstr(iso, "\"pid\":");
    if (p) pid = atoi(p + 6);
    p = strstr(iso, "\"restarts\":");
    if (p && restarts) *restarts = atoi(p + 11);
    p = strstr(iso, "\"state\":\"");
    if (p && state) {
        p += 9;
        size_t i = 0;
        while (p[i] && p[i] != '"' && i + 1 < n) state[i] = p[i], i++;
        state[i] = 0;
    }
    return pid;
}

/* Wait (polling omni_info) until the engine process is running again after a restart. */
static int wait_running(omni_engine *e, int min_restarts) {
    double t0 = now_ms();
    char state[32] = "";
    int restarts = 0;
    while (now_ms() - t0 < 20000) {
        int pid = isolation_info(e, state, sizeof state, &restarts);
        if (pid > 0 && strcmp(state, "running") == 0 && restarts >= min_restarts) return pid;
        usleep(10000);
    }
    return -1;
}

static void same_turn_as_in_process(void) {
    Turn a, b;
    omni_engine *in = make(&a, "none", "-1"), *out = make(&b, "process", "-1");
    if (!in || !out) return;
    CHECK(turn(in, &a) == OMNI_OK && turn(out, &b) == OMNI_OK, "a turn each");
    CHECK(a.done == 1 && b.done == 1 && b.done_status == OMNI_TURN_COMPLETED, "both completed");
    CHECK(strcmp(a.text, b.text) == 0 && b.text_len > 0, "same reply: '%s' vs '%s'", a.text, b.text);
    CHECK(a.audio == b.audio && b.audio > 0, "same audio events: %d vs %d", a.audio, b.audio);
    char state[32];
    int pid = isolation_info(out, state, sizeof state, NULL);
    CHECK(pid > 0 && pid != getpid() && strcmp(state, "running") == 0, "engine process %d, %s", pid, state);
    CHECK(isolation_info(in, NULL, 0, NULL) == -1, "in-process engine: no isolation member");
    omni_destroy(in);
    omni_destroy(out);
    CHECK(kill(pid, 0) != 0, "the engine process is gone after destroy");
}

static void abort_mid_turn_then_restart(void) {
    Turn t;
    omni_engine *e = make(&t, "process", "5");
    if (!e) return;
    int pid0 = isolation_info(e, NULL, 0, NULL);
    CHECK(turn(e, &t) == OMNI_OK, "the crashing turn still ends (omni_wait)");
    CHECK(t.errors == 1 && t.error_status == OMNI_ERR_INTERNAL, "ERROR event (%d, status %d)", t.errors, t.error_status);
    CHECK(strstr(t.error, "signal") != NULL && strstr(t.error, "restarts") != NULL, "message: %s", t.error);
    CHECK(t.done == 1 && t.done_status == OMNI_TURN_FAILED, "TURN_DONE failed (%d, %d)", t.done, t.done_status);
    printf("  crash reported as: %s\n", t.error);
    double t0 = now_ms();
    int pid1 = wait_running(e, 1);
    printf("  engine process restarted in %.0f ms (pid %d -> %d)\n", now_ms() - t0, pid0, pid1);
    CHECK(pid1 > 0 && pid1 != pid0, "a new engine process");
    CHECK(omni_set_option(e, "crash_at_token", "-1") == OMNI_OK, "crash hook off");
    CHECK(turn(e, &t) == OMNI_OK && t.done_status == OMNI_TURN_COMPLETED && t.text_len > 0,
          "the next turn completes after the restart");
    omni_destroy(e);
}

static void killed_while_idle(void) {
    Turn t;
    omni_engine *e = make(&t, "process", "-1");
    if (!e) return;
    int pid0 = isolation_info(e, NULL, 0, NULL);
    CHECK(kill(pid0, SIGKILL) == 0, "kill the engine process");
    int pid1 = wait_running(e, 1);
    CHECK(pid1 > 0 && pid1 != pid0, "replaced (%d -> %d)", pid0, pid1);
    CHECK(turn(e, &t) == OMNI_OK && t.done_status == OMNI_TURN_COMPLETED, "a turn on the new process");
    omni_destroy(e);
}

static void too_many_deaths(void) {
    Turn t;
    omni_engine *e = make(&t, "process", "2");
    if (!e) return;
    int restarts = 0;
    for (int i = 0; i < 4; i++) {
        omni_status st = turn(e, &t);
        CHECK(st == OMNI_OK && t.done_status == OMNI_TURN_FAILED, "crash %d: ended failed (%s)", i, omni_status_name(st));
        if (i < 3) CHECK(wait_running(e, i + 1) > 0, "restart %d", i + 1);
    }
    char state[32] = "";
    double t0 = now_ms();
    while (now_ms() - t0 < 5000 && (isolation_info(e, state, sizeof state, &restarts), strcmp(state, "down") != 0))
        usleep(10000);
    CHECK(strcmp(state, "down") == 0 && restarts == 3, "down after the 4th death in a minute (%s, %d)", state, restarts);
    omni_status st = omni_prefill_audio_file(e, wav, wav_n);
    CHECK(st == OMNI_ERR_INTERNAL && strstr(omni_last_error(), "not restarted again"), "a clear error: %s",
          omni_last_error());
    CHECK(omni_destroy(e) == OMNI_OK, "destroy a down engine");
}

static void interrupt_and_destroy_across(void) {
    Turn t;
    const char *k[] = {"isolate", "reply_tokens", "llm_ms_per_token"};
    const char *v[] = {"process", "400", "10"};
    omni_engine *e = NULL;
    CHECK(omni_create("sim", k, v, 3, on_event, &t, &e) == OMNI_OK, "create a slow isolated engine");
    if (!e) return;
    memset(&t, 0, sizeof t);
    CHECK(omni_prefill_audio_file(e, wav, wav_n) == OMNI_OK && omni_generate(e, NULL) == OMNI_OK, "start");
    double t0 = now_ms();
    while (__atomic_load_n(&t.texts, __ATOMIC_ACQUIRE) == 0 && now_ms() - t0 < 10000) usleep(1000);
    double t1 = now_ms();
    CHECK(omni_interrupt(e) == OMNI_OK && omni_wait(e, 5000) == OMNI_OK, "interrupt");
    printf("  barge-in through the process boundary: TURN_DONE after %.1f ms\n", now_ms() - t1);
    CHECK(t.done == 1 && t.done_status == OMNI_TURN_INTERRUPTED, "interrupted");
    int pid = isolation_info(e, NULL, 0, NULL);
    memset(&t, 0, sizeof t);
    CHECK(omni_prefill_audio_file(e, wav, wav_n) == OMNI_OK && omni_generate(e, NULL) == OMNI_OK, "start again");
    CHECK(omni_destroy(e) == OMNI_OK, "destroy mid-turn");
    CHECK(t.done == 1 && t.done_status == OMNI_TURN_INTERRUPTED, "TURN_DONE before destroy returned");
    CHECK(kill(pid, 0) != 0, "the engine process is gone");
}

/* LOAD_PROGRESS crosses the boundary as it is in-process: up to 1000, on the thread that
 * called omni_create(), all of it before omni_create() returns. */
typedef struct {
    int n, last_index, other_thread;
    pthread_t creator;
} Progress;

static void on_progress(const omni_event *ev, void *ud) {
    Progress *p = (Progress *)ud;
    if (ev->type != OMNI_EVENT_LOAD_PROGRESS) return;
    p->n++;
    p->last_index = ev->index;
    if (!pthread_equal(pthread_self(), p->creator)) p->other_thread++;
}

static void load_progress_across(void) {
    Progress p = {0, -1, 0, pthread_self()};
    const char *k[] = {"isolate", "load_ms"};
    const char *v[] = {"process", "60"};
    omni_engine *e = NULL;
    CHECK(omni_create("sim", k, v, 2, on_progress, &p, &e) == OMNI_OK && e, "create isolated with load_ms");
    CHECK(p.n >= 5 && p.last_index == 1000, "load progress through the process: %d events, last %d", p.n, p.last_index);
    CHECK(p.other_thread == 0, "%d of them on another thread than omni_create()'s", p.other_thread);
    omni_destroy(e);
}

static void pull_mode(void) {
    const char *k[] = {"isolate"};
    const char *v[] = {"process"};
    omni_engine *e = NULL;
    CHECK(omni_create("sim", k, v, 1, NULL, NULL, &e) == OMNI_OK, "create isolated, pull mode");
    if (!e) return;
    CHECK(omni_prefill_audio_file(e, wav, wav_n) == OMNI_OK && omni_generate(e, NULL) == OMNI_OK, "start");
    int n = 0, done = -1;
    for (;;) {
        omni_event ev;
        memset(&ev, 0, sizeof ev);
        ev.size = sizeof ev;
        if (omni_next_event(e, 10000, &ev) != OMNI_OK) break;
        n++;
        if (ev.type == OMNI_EVENT_TURN_DONE) {
            done = ev.status;
            break;
        }
    }
    CHECK(done == OMNI_TURN_COMPLETED && n > 5, "pulled %d events to TURN_DONE", n);
    omni_destroy(e);
}

/* omni_truncate crosses the boundary: the same words kept as in-process, and the isolated
 * engine's next reply remembers only those (the sim says how many characters it remembers). */
static void truncate_across(void) {
    Turn a, b;
    omni_engine *in = make(&a, "none", "-1"), *out = make(&b, "process", "-1");
    if (!in || !out) return;
    CHECK(turn(in, &a) == OMNI_OK && turn(out, &b) == OMNI_OK, "a turn each");
    const char *heard = NULL;
    char kept[4096];
    CHECK(omni_truncate(in, 1, 400, &heard) == OMNI_OK && heard, "truncate in-process: %s", omni_last_error());
    snprintf(kept, sizeof kept, "%s", heard);
    CHECK(omni_truncate(out, 1, 400, &heard) == OMNI_OK && heard, "truncate isolated: %s", omni_last_error());
    CHECK(strcmp(kept, heard) == 0 && strlen(heard) > 0 && strlen(heard) < b.text_len, "same words kept: '%s' vs '%s'",
          kept, heard);
    CHECK(omni_truncate(out, 2, 0, NULL) == OMNI_ERR_STATE, "only the latest turn, isolated too");
    char want[64];
    snprintf(want, sizeof want, "I remember %zu characters", strlen(heard));
    CHECK(turn(out, &b) == OMNI_OK && strstr(b.text, want) != NULL, "the next reply remembers what was heard: %s",
          b.text);
    omni_destroy(in);
    omni_destroy(out);
}

int main(int argc, char **argv) {
    if (!(wav = read_arg_file(argc, argv, 1, "16 kHz WAV", &wav_n))) return 2;
    printf("same turn as in-process\n");
    same_turn_as_in_process();
    printf("abort mid-turn, then restart\n");
    abort_mid_turn_then_restart();
    printf("killed while idle\n");
    killed_while_idle();
    printf("too many deaths\n");
    too_many_deaths();
    printf("interrupt and destroy across the boundary\n");
    interrupt_and_destroy_across();
    printf("load progress\n");
    load_progress_across();
    printf("pull mode\n");
    pull_mode();
    printf("truncate across the boundary\n");
    truncate_across();
    free(wav);
    return report();
}
