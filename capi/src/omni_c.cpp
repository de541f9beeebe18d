// omni_c.cpp — the extern "C" entry points: argument checks, the exception wall and the
// thread-local last error. All behaviour lives in EngineHost and the engines.
#include "omni_c.h"

#include <cmath>
#include <cstddef>
#include <map>
#include <new>
#include <string>

#include "engine_host.h"
#include "media.h"

struct omni_engine {
    omni::EngineHost host;
    omni_engine(const omni::EngineKind &k, omni_event_cb cb, void *ud) : host(k, cb, ud) {}
};

namespace {

thread_local std::string tls_last_error;

omni_status fail(omni_status code, const std::string &message) {
    tls_last_error = message;
    return code;
}

// Runs `body`, turning every exception into a status; nothing escapes into C.
template <class F>
omni_status guarded(F &&body) {
    try {
        tls_last_error.clear();
        body();
        return OMNI_OK;
    } catch (const omni::Error &e) {
        return fail(e.code, e.what());
    } catch (const std::bad_alloc &) {
        return fail(OMNI_ERR_INTERNAL, "out of memory");
    } catch (const std::exception &e) {
        return fail(OMNI_ERR_INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
        return fail(OMNI_ERR_INTERNAL, "internal error: unknown exception");
    }
}

void check_engine(omni_engine *e, const char *fn) {
    if (!e) throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, std::string(fn) + ": engine is NULL");
}

// Calls that would deadlock or re-enter the engine from its own callback.
void not_from_callback(const char *fn) {
    if (omni::EngineHost::in_callback())
        throw omni::Error(OMNI_ERR_STATE, std::string(fn) +
                                              " may not be called from the event callback (only omni_interrupt may)");
}

}  // namespace

extern "C" {

uint32_t omni_abi_version(void) { return (OMNI_ABI_VERSION_MAJOR << 16) | OMNI_ABI_VERSION_MINOR; }

const char *omni_version(void) { return OMNI_C_VERSION; }

const char *omni_engines(void) {
    static const std::string names = [] {
        std::string s;
        for (const auto &k : omni::engine_kinds()) s += (s.empty() ? "" : ",") + std::string(k.name);
        return s;
    }();
    return names.c_str();
}

const char *omni_last_error(void) { return tls_last_error.c_str(); }

const char *omni_options_schema(const char *engine_kind) {
    // Built once for every kind; the strings live as long as the library.
    static const std::map<std::string, std::string> schemas = [] {
        std::map<std::string, std::string> m;
        for (const auto &k : omni::engine_kinds()) {
            auto specs = omni::host_option_specs();
            specs.insert(specs.end(), k.options->begin(), k.options->end());
            m[k.name] = omni::options_schema_json(specs);
        }
        return m;
    }();
    const char *result = nullptr;
    guarded([&] {
        if (!engine_kind) throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "engine_kind is NULL");
        auto it = schemas.find(engine_kind);
        if (it == schemas.end())
            throw omni::Error(OMNI_ERR_UNSUPPORTED, std::string("unknown engine kind '") + engine_kind +
                                                        "' (compiled in: " + omni_engines() + ")");
        result = it->second.c_str();
    });
    return result;
}

omni_status omni_create(const char *engine_kind, const char *const *keys, const char *const *values,
                        size_t n_options, omni_event_cb cb, void *user_data, omni_engine **out_engine) {
    return guarded([&] {
        if (!out_engine) throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "out_engine is NULL");
        *out_engine = nullptr;
        not_from_callback("omni_create");
        if (!engine_kind) throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "engine_kind is NULL");
        const omni::EngineKind *kind = omni::find_engine_kind(engine_kind);
        if (!kind)
            throw omni::Error(OMNI_ERR_UNSUPPORTED, std::string("engine kind '") + engine_kind +
                                                        "' is not compiled into this libomni_c (available: " +
                                                        omni_engines() + ")");
        if (n_options && (!keys || !values))
            throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "keys/values are NULL but n_options is " +
                                                             std::to_string(n_options));
        std::vector<std::pair<std::string, std::string>> opts;
        for (size_t i = 0; i < n_options; i++) {
            if (!keys[i] || !values[i])
                throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "option " + std::to_string(i) + " has a NULL key or value");
            opts.emplace_back(keys[i], values[i]);
        }
        auto *e = new omni_engine(*kind, cb, user_data);
        try {
            e->host.create(opts);
        } catch (...) {
            delete e;
            throw;
        }
        *out_engine = e;
    });
}

omni_status omni_prefill_pcm_f32(omni_engine *engine, const float *samples, size_t n_samples, int32_t sample_rate) {
    return guarded([&] {
        check_engine(engine, "omni_prefill_pcm_f32");
        not_from_callback("omni_prefill_pcm_f32");
        engine->host.prefill_audio(omni::audio_from_f32(samples, n_samples, sample_rate));
    });
}

omni_status omni_prefill_pcm_s16(omni_engine *engine, const int16_t *samples, size_t n_samples, int32_t sample_rate) {
    return guarded([&] {
        check_engine(engine, "omni_prefill_pcm_s16");
        not_from_callback("omni_prefill_pcm_s16");
        engine->host.prefill_audio(omni::audio_from_s16(samples, n_samples, sample_rate));
    });
}

omni_status omni_prefill_audio_file(omni_engine *engine, const void *bytes, size_t n_bytes) {
    return guarded([&] {
        check_engine(engine, "omni_prefill_audio_file");
        not_from_callback("omni_prefill_audio_file");
        engine->host.prefill_audio(omni::audio_from_file_bytes(bytes, n_bytes));
    });
}

omni_status omni_prefill_image(omni_engine *engine, const void *bytes, size_t n_bytes) {
    return guarded([&] {
        check_engine(engine, "omni_prefill_image");
        not_from_callback("omni_prefill_image");
        engine->host.require_images();
        engine->host.prefill_image(omni::image_from_bytes(bytes, n_bytes));
    });
}

omni_status omni_generate(omni_engine *engine, uint64_t *out_turn_id) {
    return guarded([&] {
        check_engine(engine, "omni_generate");
        not_from_callback("omni_generate");
        uint64_t id = engine->host.generate();
        if (out_turn_id) *out_turn_id = id;
    });
}

omni_status omni_wait(omni_engine *engine, int32_t timeout_ms) {
    return guarded([&] {
        check_engine(engine, "omni_wait");
        not_from_callback("omni_wait");
        if (!engine->host.wait(timeout_ms))
            throw omni::Error(OMNI_ERR_TIMEOUT, "the turn did not end within " + std::to_string(timeout_ms) + " ms");
    });
}

omni_status omni_interrupt(omni_engine *engine) {
    return guarded([&] {
        check_engine(engine, "omni_interrupt");
        engine->host.interrupt();
    });
}

omni_status omni_reset(omni_engine *engine) {
    return guarded([&] {
        check_engine(engine, "omni_reset");
        not_from_callback("omni_reset");
        engine->host.reset();
    });
}

omni_status omni_truncate(omni_engine *engine, uint64_t turn_id, double played_ms, const char **out_heard) {
    thread_local std::string heard;
    if (out_heard) *out_heard = nullptr;
    return guarded([&] {
        check_engine(engine, "omni_truncate");
        not_from_callback("omni_truncate");
        if (!std::isfinite(played_ms) || played_ms < 0)
            throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "omni_truncate: played_ms must be a finite number >= 0");
        heard = engine->host.truncate(turn_id, played_ms);
        if (out_heard) *out_heard = heard.c_str();
    });
}

omni_status omni_set_option(omni_engine *engine, const char *key, const char *value) {
    return guarded([&] {
        check_engine(engine, "omni_set_option");
        if (!key || !value) throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "omni_set_option: key or value is NULL");
        engine->host.set_option(key, value);
    });
}

const char *omni_info(omni_engine *engine) {
    // Per thread, so concurrent callers (e.g. a server's request threads) never share it.
    thread_local std::string info;
    const char *out = nullptr;
    guarded([&] {
        check_engine(engine, "omni_info");
        info = engine->host.info();
        out = info.c_str();
    });
    return out;
}

omni_status omni_next_event(omni_engine *engine, int32_t timeout_ms, omni_event *out) {
    // The omni_event of ABI 1.0; a caller's struct is never smaller.
    constexpr size_t kEventSize_1_0 = offsetof(omni_event, status) + sizeof(int32_t);
    return guarded([&] {
        check_engine(engine, "omni_next_event");
        not_from_callback("omni_next_event");
        if (!out) throw omni::Error(OMNI_ERR_INVALID_ARGUMENT, "omni_next_event: out is NULL");
        if (out->size < kEventSize_1_0)
            throw omni::Error(OMNI_ERR_INVALID_ARGUMENT,
                              "omni_next_event: out->size is " + std::to_string(out->size) +
                                  "; set it to sizeof(omni_event) (" + std::to_string(sizeof(omni_event)) +
                                  " in this library) before the call");
        engine->host.next_event(timeout_ms, out);
    });
}

omni_status omni_destroy(omni_engine *engine) {
    if (!engine) return OMNI_OK;
    return guarded([&] {
        not_from_callback("omni_destroy");
        engine->host.shutdown();
        delete engine;
    });
}

}  // extern "C"
