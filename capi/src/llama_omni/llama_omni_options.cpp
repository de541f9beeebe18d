// llama_omni_options.cpp — the options of the "llama-omni" engine (omni_options_schema()).
#include "llama_omni_engine.h"

namespace omni {

const std::vector<OptionSpec> &llama_omni_option_specs() {
    static const std::vector<OptionSpec> specs = {
        {"model_dir", OptionType::String, "", 1, 0, {}, false,
         "model folder in the seed layout: MiniCPM-o-4_5-*.gguf, audio/, vision/, tts/, token2wav/"},
        {"llm_model", OptionType::String, "", 1, 0, {}, false, "LLM GGUF (overrides model_dir)"},
        {"audio_model", OptionType::String, "", 1, 0, {}, false, "audio encoder GGUF (overrides model_dir)"},
        {"vision_model", OptionType::String, "", 1, 0, {}, false, "vision encoder GGUF (overrides model_dir)"},
        {"tts_model", OptionType::String, "", 1, 0, {}, false, "TTS GGUF (overrides model_dir)"},
        {"projector", OptionType::String, "", 1, 0, {}, false,
         "TTS projector GGUF (default: next to the TTS model; optional)"},
        {"token2wav_dir", OptionType::String, "", 1, 0, {}, false,
         "folder with encoder/flow_matching/flow_extra/hifigan2/prompt_cache.gguf (default: model_dir/token2wav, "
         "token2wav-gguf or the TTS folder)"},
        {"ref_audio", OptionType::String, "", 1, 0, {}, false,
         "voice reference WAV (at most 30 s) evaluated into the system prompt; empty = default_ref_audio.wav "
         "of model_dir, else the one installed beside libomni_c from the llama.cpp-omni tree"},
        {"mode", OptionType::Enum, "simplex", 1, 0, {"simplex", "duplex"}, false,
         "simplex: reply after the user's turn; duplex: one decode step per generate, the model listens or speaks"},
        {"media_type", OptionType::Enum, "audio", 1, 0, {"audio", "omni"}, false,
         "audio: voice only; omni: voice and images (needs the vision model)"},
        {"language", OptionType::Enum, "en", 1, 0, {"en", "zh"}, false,
         "system prompt language (set before the system prompt is evaluated)"},
        {"use_tts", OptionType::Enum, "auto", 1, 0, {"auto", "true", "false"}, false,
         "speech output: auto = when the TTS model exists; true without a TTS model is refused"},
        {"n_ctx", OptionType::Int, "4096", 512, 1048576, {}, false, "LLM (and TTS) context length"},
        {"n_gpu_layers", OptionType::Int, "99", -1, 100000, {}, false, "LLM layers offloaded to the GPU"},
        {"n_threads", OptionType::Int, "0", 0, 4096, {}, false, "CPU threads; 0 = all hardware threads"},
        {"n_predict", OptionType::Int, "2048", -1, 1048576, {}, false,
         "most tokens per reply; -1 = n_ctx"},
        {"seed", OptionType::Int, "-1", -1, 4294967295.0, {}, false, "sampling seed; -1 = random"},
        {"temperature", OptionType::Float, "0.8", 0, 10, {}, false, "LLM sampling temperature; 0 = greedy"},
        {"length_penalty", OptionType::Float, "1.1", 0.01, 100, {}, true,
         "simplex: > 1 makes replies longer (scales the <|tts_eos|> logit)"},
        {"listen_prob_scale", OptionType::Float, "1", 0, 10000, {}, true,
         "duplex: bias towards listening (<|listen|> logit + 2*(scale-1)); 1 = the model's own choice"},
        {"vision_coreml", OptionType::String, "", 1, 0, {}, false,
         "Apple only: CoreML .mlmodelc of the vision encoder (ANE)"},
        {"token2wav_device", OptionType::String, "gpu:0", 1, 0, {}, false,
         "token2wav (token->mel) device: gpu, gpu:N, cuda:N or cpu; falls back to the CPU"},
        {"vocoder_device", OptionType::String, "auto", 1, 0, {}, false,
         "HiFT vocoder device: auto (a CUDA GPU when token2wav_device is a GPU, else the CPU), cpu, gpu or gpu:N; "
         "falls back to the CPU, saying why (libomni alone always uses the CPU)"},
        {"vocoder_threads", OptionType::Int, "0", 0, 256, {}, false,
         "threads of the HiFT vocoder (sets VOCODER_THREADS); 0 = $VOCODER_THREADS, else min(4, n_threads)"},
        {"log_level", OptionType::Enum, "warn", 1, 0, {"error", "warn", "info", "debug"}, false,
         "llama.cpp/ggml messages shown on stderr (libomni's own progress lines on stdout are not filterable)"},
        {"check_models", OptionType::Bool, "true", 1, 0, {}, false,
         "check the model files against what libomni would abort on before loading them (a clear "
         "OMNI_ERR_MODEL naming the file); false skips the check, for a newer model layout it refuses by mistake"},
        {"audio_done_timeout_ms", OptionType::Int, "30000", 100, 3600000, {}, false,
         "fallback only: end a turn this long after the last audio/TTS activity when the engine gives no "
         "completion signal (no token2wav, reply cut by n_predict)"},
    };
    return specs;
}

}  // namespace omni
