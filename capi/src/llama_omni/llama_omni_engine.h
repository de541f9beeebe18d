// llama_omni_engine.h — the "llama-omni" engine: an adapter over llama.cpp-omni's libomni
// (tools/omni, pinned commit ede7fc1), compiled only when CMake is given LLAMA_OMNI_DIR.
//
// libomni's C++ API has hazards a flat C ABI must never expose (docs/engine-hazards.md,
// with the upstream file:line of each): process-global state, parameters held by pointer,
// callbacks on three threads, uncaught exceptions, exit()/segfault paths, a decode handshake
// that races queued prefill, and no "audio finished" callback. The engine guards each one;
// the index is in llama_omni_internal.h.
#pragma once

#include <memory>
#include <vector>

#include "../engine.h"

namespace omni {

const std::vector<OptionSpec> &llama_omni_option_specs();
std::unique_ptr<Engine> create_llama_omni_engine(const OptionValues &opts, EventSink &sink);

}  // namespace omni
