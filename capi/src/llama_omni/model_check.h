// model_check.h — model files checked before libomni loads them.
//
// libomni and ggml trust their model files: a metadata key of the wrong GGUF type, a missing
// mel filter bank, an n_fft other than 201, a tensor of the wrong shape or type, or a file cut
// short end in a GGML_ASSERT, a segfault or an out-of-bounds read, which takes the whole host
// process down (docs/engine-hazards.md lists the conditions and where upstream trips on them).
// These checks read only the GGUF headers (ggml's own reader, no tensor data) and turn each of
// those conditions into OMNI_ERR_MODEL naming the file and the problem, before omni_init.
#pragma once

#include <string>

namespace omni::llama {

// What omni_init is about to load; an empty path is a file that will not be loaded.
struct ModelSet {
    std::string llm, audio, vision, tts, projector, token2wav_dir;
    bool vision_on = false;  // media_type=omni: the vision encoder is loaded
    bool tts_on = false;     // use_tts: TTS, projector and token2wav are loaded
};

// Throws omni::Error(OMNI_ERR_MODEL, "<file>: <what is wrong>") for the first problem found.
void check_model_set(const ModelSet &set);

// The kinds of file, for checking one on its own (tests, the fuzz target).
enum class ModelRole {
    llm, audio, vision, tts, projector,
    t2w_encoder, t2w_flow_matching, t2w_flow_extra, t2w_hifigan2, t2w_prompt_cache
};

// One file in one role. `llm_width` is the LLM's n_embd the encoders must project to
// (0: not known, not checked). Returns the file's width where it has one (LLM: n_embd).
long check_model_file(const std::string &path, ModelRole role, long llm_width = 0);

}  // namespace omni::llama
