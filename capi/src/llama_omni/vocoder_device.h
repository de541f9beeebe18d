// vocoder_device.h — option `vocoder_device`: where the HiFT vocoder of token2wav runs.
//
// libomni's omni_init pins the vocoder to the CPU whatever token2wav_device says (a choice
// made for Metal, where the vocoder's many small kernels were slower on the GPU). On CUDA the
// vocoder is about twice as fast as 16 CPU threads (docs/performance.md), so after omni_init the
// adapter may rebuild libomni's token2wav session with the vocoder on a GPU: `auto` does so on
// CUDA only, `gpu[:N]` on any GPU. Every path that cannot do it keeps the CPU vocoder and says why.
#pragma once

#include <string>

struct omni_context;

namespace omni {

// Where the vocoder was asked to run and where it does; `note` says why when they differ.
struct VocoderPlacement {
    std::string requested;  // option value: auto | cpu | gpu | gpu:N
    std::string device;     // what runs it: "cpu" or "gpu:N"
    std::string note;       // empty, or the reason the request was not followed
};

// Checks the option's syntax; throws omni::Error (OMNI_ERR_INVALID_ARGUMENT) naming it.
void check_vocoder_device_option(const std::string &value);

// The number of GPU devices ggml can use in this build (0 on a CPU-only build).
int gpu_device_count();

// Call after omni_init and before the first stream_prefill (libomni's T2W thread, which reads
// the session, starts there). With a GPU vocoder, replaces ctx->token2wav_session with one whose
// vocoder runs on that GPU; on any failure keeps libomni's own (CPU-vocoder) session and logs the
// reason on stderr.
VocoderPlacement place_vocoder(omni_context *ctx, const std::string &requested, const std::string &token2wav_device);

}  // namespace omni
