// vocoder_device.cpp — see vocoder_device.h.
#include "vocoder_device.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "../engine.h"

// llama.cpp-omni headers (through LLAMA_OMNI_DIR; never copied into this project).
#include "ggml-backend.h"
#include "omni.h"
#include "token2wav/token2wav-impl.h"

namespace omni {

namespace {

// "gpu" -> 0, "gpu:N" -> N, anything else -> -1.
int gpu_index(const std::string &v) {
    if (v == "gpu") return 0;
    if (v.rfind("gpu:", 0) != 0 || v.size() == 4 || v.size() > 7) return -1;
    for (size_t i = 4; i < v.size(); i++)
        if (v[i] < '0' || v[i] > '9') return -1;
    return std::atoi(v.c_str() + 4);
}

// token2wav_device also accepts cuda:N and auto (libomni's own spellings); "" when it is the CPU.
std::string token2mel_gpu(const std::string &t2w) {
    if (t2w.rfind("gpu", 0) == 0) return t2w;
    if (t2w.rfind("cuda", 0) == 0) return "gpu" + t2w.substr(4);
    if (t2w == "auto") return "gpu";
    return "";
}

bool readable(const std::string &p) {
    std::ifstream f(p);
    return f.good();
}

void log_note(const VocoderPlacement &p) {
    std::fprintf(stderr, "omni llama-omni: vocoder_device=%s: %s; the vocoder runs on the CPU\n", p.requested.c_str(),
                 p.note.c_str());
}

}  // namespace

void check_vocoder_device_option(const std::string &v) {
    if (v == "auto" || v == "cpu" || gpu_index(v) >= 0) return;
    throw Error(OMNI_ERR_INVALID_ARGUMENT,
                "option 'vocoder_device': '" + v + "' is not one of auto, cpu, gpu, gpu:N (N a GPU number)");
}

int gpu_device_count() {
    ggml_backend_load_all();  // a no-op unless ggml loads its backends at run time
    int n = 0;
    for (size_t i = 0; i < ggml_backend_dev_count(); i++)
        if (ggml_backend_dev_type(ggml_backend_dev_get(i)) == GGML_BACKEND_DEVICE_TYPE_GPU) n++;
    return n;
}

namespace {
// `auto` moves the vocoder only to a CUDA GPU, where it was measured twice as fast as 16 CPU
// threads; on Metal upstream measured it 130x slower, and other backends are unmeasured.
bool cuda_gpu_present() {
    for (size_t i = 0; i < ggml_backend_dev_count(); i++) {
        ggml_backend_dev_t d = ggml_backend_dev_get(i);
        if (ggml_backend_dev_type(d) == GGML_BACKEND_DEVICE_TYPE_GPU && std::string(ggml_backend_dev_name(d)).rfind("CUDA", 0) == 0)
            return true;
    }
    return false;
}
}  // namespace

VocoderPlacement place_vocoder(omni_context *ctx, const std::string &requested, const std::string &token2wav_device) {
    VocoderPlacement p{requested, "cpu", ""};
    std::string want = requested;
    if (want == "auto") {  // a CUDA GPU when token2mel runs on a GPU, else where libomni put it
        want = token2mel_gpu(token2wav_device);
        if (want.empty() || gpu_device_count() == 0 || !cuda_gpu_present()) return p;
    }
    if (want == "cpu") return p;
    int idx = gpu_index(want);
    int n_gpus = gpu_device_count();
    if (!ctx || !ctx->token2wav_initialized || !ctx->token2wav_session) {
        p.note = "token2wav is not loaded (no speech output)";
        return p;  // nothing to place; not worth a warning
    }
    if (n_gpus == 0) {
        p.note = "this build of llama.cpp-omni has no GPU backend (CPU-only)";
        log_note(p);
        return p;
    }
    if (idx >= n_gpus) {
        p.note = "there is no GPU " + std::to_string(idx) + " (" + std::to_string(n_gpus) + " found)";
        log_note(p);
        return p;
    }
    const std::string dir = ctx->token2wav_model_dir;
    const std::string prompt_cache = dir + "/prompt_cache.gguf";
    if (!readable(prompt_cache)) {  // libomni's other prompt source (a CWD-relative bundle) is not rebuilt here
        p.note = "no prompt_cache.gguf in " + dir;
        log_note(p);
        return p;
    }
    std::string mel_dev = token2mel_gpu(token2wav_device);
    if (mel_dev.empty()) mel_dev = "cpu";
    // Built beside libomni's session and swapped in only when it loaded, so a failure changes nothing.
    auto session = std::make_unique<omni::flow::Token2WavSession>();
    bool ok = false;
    try {
        ok = session->init_from_prompt_cache_gguf(dir + "/encoder.gguf", dir + "/flow_matching.gguf",
                                                  dir + "/flow_extra.gguf", prompt_cache, dir + "/hifigan2.gguf",
                                                  mel_dev, "gpu:" + std::to_string(idx), -1, 1.0f);
    } catch (const std::exception &e) {
        p.note = std::string("the GPU vocoder failed to load: ") + e.what();
    } catch (...) {
        p.note = "the GPU vocoder failed to load";
    }
    if (!ok) {
        if (p.note.empty()) p.note = "the GPU vocoder failed to load (see the log above)";
        log_note(p);
        return p;
    }
    ctx->token2wav_session = std::move(session);
    p.device = "gpu:" + std::to_string(idx);
    std::fprintf(stderr, "omni llama-omni: the vocoder runs on %s (token2mel on %s)\n", p.device.c_str(), mel_dev.c_str());
    return p;
}

}  // namespace omni
