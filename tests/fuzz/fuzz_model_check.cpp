// fuzz_model_check.cpp — the model-file checks of the llama-omni adapter
// (capi/src/llama_omni/model_check.cpp) on any bytes as a GGUF file of any role. Input: one
// byte choosing the role (and whether the file is padded so that its tensor data "exists"),
// then the file's bytes. Promise: the check passes or throws OMNI_ERR_MODEL with a message;
// never an abort (a ggml getter asked for the wrong type), a crash or a read out of bounds.
// Built only when LLAMA_OMNI_DIR names a built llama.cpp-omni (ggml's GGUF reader).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ggml.h"
#include "engine.h"
#include "llama_omni/model_check.h"

using omni::llama::ModelRole;

static int g_fd = -1;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    ggml_log_set([](ggml_log_level, const char *, void *) {}, nullptr);  // a refusal is logged: not here
    g_fd = memfd_create("gguf", 0);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || g_fd < 0) return 0;
    static const ModelRole roles[] = {ModelRole::llm, ModelRole::audio, ModelRole::vision, ModelRole::tts,
                                      ModelRole::projector, ModelRole::t2w_encoder, ModelRole::t2w_flow_matching,
                                      ModelRole::t2w_flow_extra, ModelRole::t2w_hifigan2,
                                      ModelRole::t2w_prompt_cache};
    const ModelRole role = roles[(data[0] & 0x0F) % 10];
    // Headers announce gigabytes of tensor data; a sparse tail lets the checks past the
    // file-size test without writing it (they read headers only).
    const off_t pad = (data[0] & 0x40) ? 0 : off_t(1) << 32;
    if (ftruncate(g_fd, 0) != 0 || pwrite(g_fd, data + 1, size - 1, 0) != ssize_t(size - 1) ||
        ftruncate(g_fd, off_t(size - 1) + pad) != 0)
        return 0;
    const std::string path = "/proc/self/fd/" + std::to_string(g_fd);
    try {
        omni::llama::check_model_file(path, role, (data[0] & 0x80) ? 128 : 0);
    } catch (const omni::Error &e) {
        if (e.code != OMNI_ERR_MODEL || !*e.what()) {
            std::fprintf(stderr, "model check threw status %d: %s\n", int(e.code), e.what());
            std::abort();
        }
    }
    return 0;
}
