// The HiFT vocoder on the GPU against the CPU (option vocoder_device, docs/performance.md).
//
//   test_vocoder_parity HIFIGAN2_GGUF [WINDOWS]
//
// Loads libomni's vocoder runner twice from the same file, on the CPU and on GPU 0, and feeds both
// the same mel the way Token2Wav streams it (an 8-frame mel cache, the source tail carried to the
// next window, a longer window every sixth as at a turn's end). Every window's audio must agree:
// loudness within 1 %, correlation at least 0.99. Exits 77 (skipped) on a build without a GPU.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "ggml-backend.h"
#include "token2wav/token2wav-impl.h"

using omni::vocoder::voc_hg2_model;
using omni::vocoder::voc_hg2_runner;

namespace {

constexpr int kMel = 80, kMelCache = 8, kSamplesPerMel = 480;

double rms(const std::vector<float> &v) {
    double s = 0;
    for (float x : v) s += double(x) * x;
    return v.empty() ? 0 : std::sqrt(s / double(v.size()));
}

double correlation(const std::vector<float> &a, const std::vector<float> &b) {
    size_t n = std::min(a.size(), b.size());
    double ma = 0, mb = 0, ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) ma += a[i], mb += b[i];
    ma /= double(n), mb /= double(n);
    for (size_t i = 0; i < n; i++) ab += (a[i] - ma) * (b[i] - mb), aa += (a[i] - ma) * (a[i] - ma), bb += (b[i] - mb) * (b[i] - mb);
    return ab / std::sqrt(aa * bb + 1e-30);
}

bool has_gpu() {
    ggml_backend_load_all();
    for (size_t i = 0; i < ggml_backend_dev_count(); i++)
        if (ggml_backend_dev_type(ggml_backend_dev_get(i)) == GGML_BACKEND_DEVICE_TYPE_GPU) return true;
    return false;
}

// One device's runner and the stream state Token2Wav keeps beside it.
struct Stream {
    voc_hg2_model model;
    voc_hg2_runner runner{&model};
    std::vector<float> source_tail;

    bool window(const std::vector<float> &mel_bct, int frames, std::vector<float> &wave) {
        std::vector<float> source;
        int64_t n_wave = 0, n_source = 0;
        if (!runner.voc_hg2_runner_eval_stream(mel_bct, frames, source_tail, int64_t(source_tail.size()), wave, n_wave,
                                               source, n_source))
            return false;
        size_t keep = std::min(source.size(), size_t(kMelCache * kSamplesPerMel));
        source_tail.assign(source.end() - long(keep), source.end());
        return true;
    }
};

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s HIFIGAN2_GGUF [WINDOWS]\n", argv[0]);
        return 2;
    }
    if (!has_gpu()) {
        std::printf("skipped: this build of llama.cpp-omni has no GPU backend (nothing to compare the CPU vocoder with)\n");
        return 77;
    }
    const int windows = argc > 2 ? std::atoi(argv[2]) : 30;
    Stream cpu, gpu;
    if (!cpu.model.voc_hg2_model_init_from_gguf(argv[1], "cpu", 8) || !gpu.model.voc_hg2_model_init_from_gguf(argv[1], "gpu:0", 8)) {
        std::printf("FAIL: the vocoder did not load from %s\n", argv[1]);
        return 1;
    }
    std::mt19937 rng(1);
    std::normal_distribution<float> log_mel(-4.f, 1.f);
    std::vector<float> cache;  // the last kMelCache frames, channel-major
    int failures = 0;
    for (int w = 0; w < windows; w++) {
        const int fresh = (w % 6 == 5) ? 56 : 50, cached = int(cache.size()) / kMel, frames = cached + fresh;
        std::vector<float> mel(size_t(kMel) * frames);
        for (int c = 0; c < kMel; c++) {
            for (int t = 0; t < cached; t++) mel[size_t(c) * frames + t] = cache[size_t(c) * cached + t];
            for (int t = cached; t < frames; t++) mel[size_t(c) * frames + t] = log_mel(rng);
        }
        std::vector<float> a, b;
        if (!cpu.window(mel, frames, a) || !gpu.window(mel, frames, b)) {
            std::printf("FAIL: window %d: the vocoder failed\n", w);
            return 1;
        }
        const double ratio = rms(b) / rms(a), corr = correlation(a, b);
        const bool ok = a.size() == b.size() && std::fabs(ratio - 1) <= 0.01 && corr >= 0.99;
        failures += !ok;
        std::printf("window %2d: %zu samples, loudness GPU/CPU %.4f, correlation %.4f%s\n", w, a.size(), ratio, corr, ok ? "" : "  <- differs");
        cache.assign(size_t(kMel) * kMelCache, 0.f);
        for (int c = 0; c < kMel; c++)
            for (int t = 0; t < kMelCache; t++) cache[size_t(c) * kMelCache + t] = mel[size_t(c) * frames + frames - kMelCache + t];
    }
    std::printf("%s: %d of %d windows differ\n", failures ? "FAIL" : "ok", failures, windows);
    return failures ? 1 : 0;
}
