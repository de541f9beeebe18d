// sim_engine.h — the deterministic built-in engine "sim".
//
// Same threading shape as llama.cpp-omni: a decode thread emits text in chunks of
// 10 tokens into a depth-1 TTS queue, a TTS thread turns each chunk into speech tokens
// (40 ms of audio each), a T2W thread turns 25-token windows into 1 s of 24 kHz PCM.
// Stage delays come from the "timing" preset ("zero" for tests, "m4" for the seed's
// Apple M4 figures) or per-stage options. The reply depends on the input: how many
// seconds of audio were heard, how loud, which images were seen.
#pragma once

#include <memory>
#include <vector>

#include "../engine.h"

namespace omni {

const std::vector<OptionSpec> &sim_option_specs();
std::unique_ptr<Engine> create_sim_engine(const OptionValues &opts, EventSink &sink);

}  // namespace omni
