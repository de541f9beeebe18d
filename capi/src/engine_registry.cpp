// engine_registry.cpp — the engine kinds compiled into this library.
#include "engine.h"
#include "sim/sim_engine.h"

#ifdef OMNI_WITH_LLAMA_OMNI
#include "llama_omni/llama_omni_engine.h"
#endif

namespace omni {

const std::vector<EngineKind> &engine_kinds() {
    static const std::vector<EngineKind> kinds = {
        {"sim", &sim_option_specs(), &create_sim_engine, false},
#ifdef OMNI_WITH_LLAMA_OMNI
        {"llama-omni", &llama_omni_option_specs(), &create_llama_omni_engine, true},
#endif
    };
    return kinds;
}

const EngineKind *find_engine_kind(const std::string &name) {
    for (const auto &k : engine_kinds())
        if (name == k.name) return &k;
    return nullptr;
}

}  // namespace omni
