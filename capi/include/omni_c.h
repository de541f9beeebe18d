/*
 * omni_c.h — the flat C ABI of libomni_c (MiniCPM-o voice chat engine).
 *
 * This header is the manual. Every function states what it copies, what it
 * borrows, which thread may call it and which statuses it returns.
 *
 * Model of use
 *   1. omni_create() an engine ("sim" or "llama-omni") with named options and
 *      one event callback. Only one "llama-omni" engine may exist per process.
 *   2. omni_prefill_*() the user's audio (and images) for the next turn.
 *   3. omni_generate() starts a turn and returns at once. Events arrive on the
 *      callback, on engine threads: TEXT, TTS_CHUNK, AUDIO, ..., END_OF_TURN,
 *      STATS and finally TURN_DONE. TURN_DONE is always the last event of a
 *      turn and is delivered exactly once per started turn.
 *      Or create it with a NULL callback and pull the same events, in the same
 *      order, with omni_next_event() from a thread of your own (see "Pull API"
 *      at the end: for languages where foreign-thread callbacks are awkward).
 *   4. omni_interrupt() (barge-in) returns at once; TURN_DONE follows quickly
 *      with reason OMNI_TURN_INTERRUPTED.
 *   5. omni_reset() starts a new conversation (system prompt kept, no reload).
 *   6. omni_destroy() is safe in any state.
 *   A complete program: capi/examples/omni_hello.c (built and run by the tests).
 *
 * Errors
 *   Every function that can fail returns an omni_status. On failure the calling
 *   thread's omni_last_error() says why, in English, naming the bad argument,
 *   option or state. No function lets a C++ exception escape, calls exit() or
 *   abort(), or blocks forever on a call made in the wrong state.
 *
 * Threads
 *   Every function may be called from any thread, also concurrently on one
 *   engine (calls are serialized inside), except omni_destroy(), which must be
 *   the last call on its engine and must not race other calls on it (one
 *   exception: a thread blocked in omni_next_event(), which it releases).
 *
 * Events
 *   Events are delivered one at a time (never two callbacks concurrently for one
 *   engine), in increasing `seq` order. The callback runs on an engine thread;
 *   it must return quickly and may call no omni_* function except
 *   omni_interrupt() and omni_last_error()/omni_status_name(); any other call
 *   made from inside the callback returns OMNI_ERR_STATE. Every pointer inside
 *   an omni_event is valid only for the duration of the callback: copy what
 *   you keep. While omni_create() loads the models, the callback may receive
 *   LOAD_PROGRESS events (turn_id 0) on the creating thread; an engine created
 *   without a callback (pull API) gets none.
 *
 * ABI stability
 *   Handles are opaque. The only public struct is omni_event; it begins with
 *   its own `size` and only ever grows at the end. A binding must check
 *   omni_abi_version() >> 16 == OMNI_ABI_VERSION_MAJOR before any other call.
 *
 * The part between OMNI_CDEF_BEGIN and OMNI_CDEF_END is read verbatim (minus
 * the OMNI_API macro) by the Python binding as its cffi cdef, so the binding
 * cannot drift from this header. Keep that part plain C declarations.
 */
#ifndef OMNI_C_H
#define OMNI_C_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(OMNI_C_BUILD)
#    define OMNI_API __declspec(dllexport)
#  else
#    define OMNI_API __declspec(dllimport)
#  endif
#else
#  define OMNI_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* OMNI_CDEF_BEGIN */

#define OMNI_ABI_VERSION_MAJOR 1
#define OMNI_ABI_VERSION_MINOR 3 /* 1.1: omni_next_event(), OMNI_ERR_CLOSED; 1.2: omni_event_type_name(), LOAD_PROGRESS;
                                    1.3: omni_truncate() */

/* Status codes. OMNI_OK is 0; every other value is an error. The library's
 * omni_status_name() is generated from this list: a new status is declared here only. */
typedef enum omni_status {
    OMNI_OK = 0,
    OMNI_ERR_INVALID_ARGUMENT = 1, /* NULL pointer, bad option, bad sample rate, NaN samples... */
    OMNI_ERR_STATE = 2,            /* call not allowed now (nothing prefilled, turn running, from a callback) */
    OMNI_ERR_BUSY = 3,             /* the resource is taken (one llama-omni engine per process) */
    OMNI_ERR_UNSUPPORTED = 4,      /* engine not compiled in; image without a vision model */
    OMNI_ERR_BAD_MEDIA = 5,        /* bytes are not decodable audio / image */
    OMNI_ERR_MODEL = 6,            /* model files missing or failed to load */
    OMNI_ERR_TIMEOUT = 7,          /* omni_wait() ran out of time; the turn goes on */
    OMNI_ERR_INTERNAL = 8,         /* engine failure; the message says what */
    OMNI_ERR_TOO_LARGE = 9,        /* input beyond a stated limit (audio duration, image size) */
    OMNI_ERR_CLOSED = 10           /* omni_next_event: omni_destroy() released the wait (ABI 1.1) */
} omni_status;

/* Event types. This list is the event vocabulary of every layer: the library's
 * omni_event_type_name() is generated from it, the Python binding reads it through
 * cffi, and the server passes an event it has no special rule for to its clients under
 * that name with the fields the engine filled. A new event type is declared here only
 * (plus the engine that emits it and the client that shows it). */
typedef enum omni_event_type {
    OMNI_EVENT_TEXT = 1,        /* text, text_len: a UTF-8-complete piece of the reply, special tokens removed */
    OMNI_EVENT_TTS_CHUNK = 2,   /* text of one TTS chunk, n_speech_tokens, index = chunk index */
    OMNI_EVENT_AUDIO = 3,       /* pcm (int16 mono), n_samples, sample_rate, index = wav index within the turn */
    OMNI_EVENT_LISTEN = 4,      /* duplex: the model chose to listen in this step */
    OMNI_EVENT_END_OF_TURN = 5, /* the LLM finished its text for this turn (audio may still follow) */
    OMNI_EVENT_TURN_DONE = 6,   /* last event of the turn; status = omni_turn_end reason; text = reason word */
    OMNI_EVENT_ERROR = 7,       /* status = omni_status, text = message; the turn then ends with TURN_DONE */
    OMNI_EVENT_STATS = 8,       /* text = JSON object of per-stage timings of the turn (see omni_generate) */
    OMNI_EVENT_LOAD_PROGRESS = 9 /* turn_id 0, while omni_create() loads: text = stage, index = 0..1000 done */
} omni_event_type;

/* Why a turn ended (omni_event.status of OMNI_EVENT_TURN_DONE). */
typedef enum omni_turn_end {
    OMNI_TURN_COMPLETED = 0,   /* the last audio of the turn has been delivered */
    OMNI_TURN_INTERRUPTED = 1, /* omni_interrupt(), omni_reset() or omni_destroy() cut it short */
    OMNI_TURN_FAILED = 2       /* an OMNI_EVENT_ERROR preceded it */
} omni_turn_end;

typedef struct omni_event {
    uint32_t size;            /* sizeof(omni_event) as compiled into the library; fields only ever grow at the end */
    int32_t type;             /* omni_event_type */
    uint64_t turn_id;         /* the id omni_generate() returned for this turn (starts at 1); 0: not of a turn */
    uint64_t seq;             /* per-engine sequence number, strictly increasing across turns */
    double t_ms;              /* milliseconds since omni_generate() started this turn */
    const char *text;         /* NUL-terminated UTF-8 or NULL; see the event types */
    size_t text_len;          /* bytes in text, without the NUL */
    const int16_t *pcm;       /* AUDIO: mono int16 samples, else NULL */
    size_t n_samples;         /* AUDIO: number of samples in pcm */
    int32_t sample_rate;      /* AUDIO: samples per second (24000 for MiniCPM-o) */
    int32_t index;            /* TTS_CHUNK: chunk index; AUDIO: wav index within the turn (0, 1, ...);
                                 LOAD_PROGRESS: how much of the loading is done, 0..1000 */
    int32_t n_speech_tokens;  /* TTS_CHUNK: speech tokens in the chunk (40 ms of audio each) */
    int32_t status;           /* ERROR: omni_status; TURN_DONE: omni_turn_end */
} omni_event;

/* The one event callback. Runs on engine threads; see "Events" above.
 * `ev` and everything it points to is valid only during the call. */
typedef void (*omni_event_cb)(const omni_event *ev, void *user_data);

typedef struct omni_engine omni_engine;

/* (OMNI_ABI_VERSION_MAJOR << 16) | OMNI_ABI_VERSION_MINOR of the library. Any thread. */
OMNI_API uint32_t omni_abi_version(void);

/* Library version, e.g. "0.1.0". Static storage. Any thread. */
OMNI_API const char *omni_version(void);

/* Engines compiled into this library, comma separated, e.g. "sim,llama-omni".
 * Static storage. Any thread. */
OMNI_API const char *omni_engines(void);

/* Why the last failing omni_* call on THIS thread failed ("" if none has).
 * Thread-local storage, valid until the next omni_* call on this thread. */
OMNI_API const char *omni_last_error(void);

/* Stable name of a status, e.g. "OMNI_ERR_STATE"; "OMNI_ERR_UNKNOWN" for a value
 * this library does not define. Static storage. Any thread. */
OMNI_API const char *omni_status_name(int status);

/* Stable short name of an event type: its constant without OMNI_EVENT_, in lower case
 * ("text", "tts_chunk", ..., "turn_done"); "unknown" for a value this library does not
 * define. Servers and bindings use it as the event's name. Static storage. Any thread.
 * Since ABI 1.2. */
OMNI_API const char *omni_event_type_name(int type);

/* JSON array describing every option of `engine_kind`: name, type, default,
 * allowed values or range, whether it can be changed at run time, and help.
 * Static storage. Returns NULL (and sets the last error) for an unknown kind. */
OMNI_API const char *omni_options_schema(const char *engine_kind);

/* Create an engine and load its models (may take seconds for "llama-omni").
 *   engine_kind   "sim" or "llama-omni" (see omni_engines()).
 *   keys, values  n_options option names and values, as strings; copied.
 *                 Both may be NULL when n_options is 0. Unknown keys and
 *                 malformed values fail with OMNI_ERR_INVALID_ARGUMENT naming
 *                 the option. See omni_options_schema().
 *   cb, user_data the event callback and its opaque argument. cb NULL (ABI 1.1):
 *                 events queue for omni_next_event() instead (see "Pull API").
 *   out_engine    receives the handle; set to NULL on failure.
 * Errors: INVALID_ARGUMENT, UNSUPPORTED (kind not compiled in), BUSY (a second
 * llama-omni engine), MODEL (files missing or unloadable), INTERNAL. */
OMNI_API omni_status omni_create(const char *engine_kind,
                                 const char *const *keys, const char *const *values, size_t n_options,
                                 omni_event_cb cb, void *user_data,
                                 omni_engine **out_engine);

/* Queue user audio for the next turn, as PCM. Samples are copied before the
 * call returns. Any rate from 4000 to 384000 Hz is accepted (the engine
 * resamples to 16 kHz); samples must be finite. n_samples may not be 0.
 * Audio is accepted while a turn runs (duplex streaming).
 * Errors: INVALID_ARGUMENT (NULL, empty, NaN/Inf, bad rate), TOO_LARGE (more
 * than max_audio_seconds of audio queued), STATE (from a callback). */
OMNI_API omni_status omni_prefill_pcm_f32(omni_engine *engine, const float *samples, size_t n_samples,
                                          int32_t sample_rate);
OMNI_API omni_status omni_prefill_pcm_s16(omni_engine *engine, const int16_t *samples, size_t n_samples,
                                          int32_t sample_rate);

/* Queue user audio given as a complete encoded file in memory: WAV (PCM 8/16/
 * 24/32-bit or float), FLAC, OGG (Vorbis, Opus) or MP3, decoded with libsndfile;
 * multichannel is down-mixed. Copied.
 * Errors: INVALID_ARGUMENT (NULL/empty), BAD_MEDIA (not decodable, a WAV cut
 * short, a sample rate outside 4-384 kHz, or no samples), TOO_LARGE, STATE. */
OMNI_API omni_status omni_prefill_audio_file(omni_engine *engine, const void *bytes, size_t n_bytes);

/* Queue an image (an encoded JPEG or PNG, decoded in full once to check it) for
 * the next turn. Copied.
 * Errors: INVALID_ARGUMENT, BAD_MEDIA (not a whole, undamaged JPEG/PNG, or one
 * the engine's own decoder cannot read), TOO_LARGE (side over
 * 8192 px or aspect ratio over 64:1), UNSUPPORTED (engine created without
 * vision: media_type=audio, or vision model missing), STATE. */
OMNI_API omni_status omni_prefill_image(omni_engine *engine, const void *bytes, size_t n_bytes);

/* Start a turn on what was prefilled since the last turn and return at once.
 *   out_turn_id  may be NULL; receives the id carried by the turn's events.
 * The turn ends with exactly one TURN_DONE event. Its STATS event (just before
 * TURN_DONE) is a JSON object with at least: turn_id, reason, prefill_audio_ms,
 * first_text_ms, first_audio_ms, end_of_turn_ms, done_ms, text_chars,
 * text_events, audio_samples, audio_ms, rtf (done_ms / audio_ms, null if no
 * audio); times are ms since omni_generate(), null when it did not happen.
 * Errors: STATE (a turn is running, or nothing was prefilled since the last
 * turn), INVALID_ARGUMENT, INTERNAL. */
OMNI_API omni_status omni_generate(omni_engine *engine, uint64_t *out_turn_id);

/* Block until the current turn's TURN_DONE has been delivered, or timeout_ms
 * passes (negative: no limit). Returns OK at once when no turn runs. In pull
 * mode "delivered" means queued for omni_next_event(); see "Pull API" for why
 * the thread that pulls should not omni_wait().
 * Errors: TIMEOUT, STATE (called from the callback), INVALID_ARGUMENT. */
OMNI_API omni_status omni_wait(omni_engine *engine, int32_t timeout_ms);

/* Barge-in: stop the running turn. Returns at once; TURN_DONE with reason
 * INTERRUPTED follows (within 50 ms for "sim"). OK and a no-op when idle
 * (the user may press stop after the audio ended). Any thread, also the
 * callback. */
OMNI_API omni_status omni_interrupt(omni_engine *engine);

/* Start a new conversation: interrupts a running turn, waits for its
 * TURN_DONE, drops queued input and the dialogue history, keeps the system
 * prompt and the loaded models. Errors: STATE (from a callback), INTERNAL. */
OMNI_API omni_status omni_reset(omni_engine *engine);

/* Change a run-time option (see omni_options_schema(): "runtime": true), e.g.
 * "length_penalty". Copied. Errors: INVALID_ARGUMENT (unknown key, bad value,
 * or an option fixed at creation). */
OMNI_API omni_status omni_set_option(omni_engine *engine, const char *key, const char *value);

/* JSON object describing the engine as it is: kind, options in effect, models
 * loaded, mode, language, vision/tts availability, busy. The string is
 * thread-local storage, valid until the next omni_info() call on the same
 * thread. Returns NULL (and sets the last error) on error. */
OMNI_API const char *omni_info(omni_engine *engine);

/* Stop any running turn (its TURN_DONE is delivered first), join every engine
 * thread and free everything. NULL is a no-op. Must not be called from the
 * callback (returns STATE). After it returns no callback runs any more.
 * Pull mode: events not yet pulled are discarded; a thread blocked in
 * omni_next_event() returns OMNI_ERR_CLOSED before omni_destroy() returns. */
OMNI_API omni_status omni_destroy(omni_engine *engine);

/* ==== Pull API (ABI 1.1) ==========================================================
 *
 * An engine created with a NULL callback keeps its events in a queue, and the
 * application takes them one at a time with omni_next_event(): no code of the
 * application runs on engine threads. Same events, same order, same rules as
 * for the callback (TURN_DONE last, exactly once per turn, seq increasing).
 *
 * Capacity and overflow: the queue holds up to the option "event_queue_size"
 * events (default 1024: minutes of speech). When it is full, the engine
 * thread delivering the next event waits for the puller: back-pressure, the
 * turn slows down to the pace of the reader, exactly as with a slow callback.
 * Nothing is ever dropped: for a voice app a dropped AUDIO event is an audible
 * gap and a dropped TEXT event a wrong transcript, while an app that pulls from
 * its audio or frame loop never lets the queue fill. The turn's STATS report
 * "event_queue_wait_ms", the time the engine spent waiting for the puller.
 * ERROR, STATS and TURN_DONE never wait, and omni_interrupt(), omni_reset()
 * and omni_destroy() release a waiting engine thread at once (the events of a
 * turn cut short may exceed the capacity, by the few the engine makes while it
 * stops), so barge-in stays prompt even when nobody pulls.
 *
 * Because a full queue holds the turn back, omni_wait() on the thread that
 * pulls can only return if the whole turn fits in the queue: pull until
 * TURN_DONE instead. omni_info() reports "event_queue": queued, capacity,
 * puller_waiting. */

/* Take the next event, waiting up to timeout_ms for one (0: do not wait;
 * negative: no limit).
 *   out  the caller's omni_event. Set out->size = sizeof(omni_event) before the
 *        call (a binding: the size of its copy of the struct). The library
 *        writes min(out->size, its own sizeof(omni_event)) bytes and stores that
 *        number in out->size, so a caller built against an older or newer header
 *        gets the fields both know.
 * Ownership: out->text and out->pcm point into the engine and stay valid until
 * the next omni_next_event() call on this engine (whatever it returns) or
 * omni_destroy(): copy what you keep.
 * Threads: pull from one thread at a time (the last event's buffers belong to
 * it); a call made while another thread waits here returns STATE.
 * omni_destroy() may run while a thread is blocked here: that call
 * returns CLOSED promptly, and the thread must make no further call on the
 * engine. A call that starts after omni_destroy() began uses a freed handle,
 * so stop your puller first (pull with a finite timeout and check a flag of
 * yours, then join it) or pull and destroy on the same thread.
 * Errors: TIMEOUT (no event within timeout_ms; *out untouched), CLOSED,
 * STATE (engine created with a callback, another thread is pulling, or called
 * from a callback), INVALID_ARGUMENT (NULL, out->size too small). */
OMNI_API omni_status omni_next_event(omni_engine *engine, int32_t timeout_ms, omni_event *out);

/* ==== Truncation (ABI 1.3) ========================================================
 * When the user interrupts a spoken reply, what they did not hear must leave the
 * conversation, or the model goes on as if it had said it.
 *
 * Cut turn `turn_id`'s reply in the engine's conversation history to what was heard
 * in the first `played_ms` milliseconds of its audio. The words kept are those of
 * the TTS chunks whose audio was played (each speech token is 40 ms of audio), the
 * last one cut in proportion to the part of its audio that was played; audio played
 * beyond the chunks reported so far (a chunk's audio streams before its TTS_CHUNK)
 * keeps the words that follow at the reported chunks' pace. played_ms is clamped to
 * the audio the turn delivered. The "sim" engine cuts its transcript; the
 * "llama-omni" engine rewinds the model's context (KV cache) to the end of the words
 * kept and closes the assistant turn there, as an interrupted turn is closed.
 * A turn that delivered neither audio nor TTS chunks (a text-only engine) is left as
 * it is (out_heard: its text).
 *   turn_id    the most recent turn; a turn still running is interrupted first and
 *              its TURN_DONE awaited (like omni_reset()).
 *   played_ms  >= 0.
 *   out_heard  may be NULL; receives the reply text that remains (UTF-8, NUL-
 *              terminated), thread-local storage valid until the next
 *              omni_truncate() on the same thread.
 * Errors: INVALID_ARGUMENT (played_ms negative or not finite), STATE (not the most
 * recent turn, input prefilled since that turn started, or called from the
 * callback), INTERNAL. */
OMNI_API omni_status omni_truncate(omni_engine *engine, uint64_t turn_id, double played_ms, const char **out_heard);

/* OMNI_CDEF_END */

#ifdef __cplusplus
}
#endif

#endif /* OMNI_C_H */
