// llama_omni_files.h — where the "llama-omni" engine finds its files. This is the one owner
// of the model-directory layout: the engine resolves every file from `model_dir` (or the
// per-file options), says what is missing, and omni_info() reports what it loaded. Also the
// voice reference check and the private folder libomni writes its per-turn dumps into.
#pragma once

#include <string>

#include "../options.h"

namespace omni::llama {

// The layout of a model folder (the seed's; the published repository's token2wav-gguf/ too):
//   MiniCPM-o-4_5-<quant>.gguf               LLM (Q4_K_M preferred, then Q8_0, F16, any other)
//   audio/MiniCPM-o-4_5-audio-F16.gguf       audio encoder (needed in every mode)
//   vision/MiniCPM-o-4_5-vision-F16.gguf     vision encoder (media_type=omni)
//   tts/MiniCPM-o-4_5-tts-F16.gguf           TTS, with tts/MiniCPM-o-4_5-projector-F16.gguf
//   token2wav/ or token2wav-gguf/            encoder, flow_matching, flow_extra, hifigan2, prompt_cache .gguf
struct ModelFiles {
    std::string llm, audio, vision, tts, projector, token2wav_dir, ref_audio;
    bool use_tts = false;
};

// Every file the options ask for, checked to exist. Throws omni::Error naming what is wrong:
// INVALID_ARGUMENT (nothing given), MODEL (a file missing), BAD_MEDIA / TOO_LARGE (ref_audio).
ModelFiles resolve_model_files(const OptionValues &o, bool want_vision);

// [H13] A private (0700) temporary folder, on a path libomni's unquoted shell command accepts.
std::string make_private_dir();

// libomni looks for the projector AND the five token2wav files in one folder: link them into
// <tmp_dir>/tts_bin, so any layout works, and return that folder.
std::string make_tts_bin_dir(const ModelFiles &files, const std::string &tmp_dir);

// [H12][H13] libomni's per-turn dumps under tmp_dir: the flag it writes after a simplex round's
// last audio, and pruning everything but the running round's files.
std::string generation_done_flag(const std::string &tmp_dir, bool duplex, int round);
void prune_debug_files(const std::string &tmp_dir, bool duplex, int round);

// Bytes to load per part, to weigh LOAD_PROGRESS: the LLM and the TTS model (libomni reports
// their loading) and everything else it loads without a report (encoders, token2wav).
struct LoadWeights {
    double llm = 0, tts = 0, rest = 0;
};
LoadWeights load_weights(const ModelFiles &files, bool vision);

bool file_exists(const std::string &path);  // a regular file (false for "")
void remove_tree(const std::string &dir);

}  // namespace omni::llama
