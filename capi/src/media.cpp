// The decoders are single-file libraries vendored in capi/third_party (public domain /
// MIT-0): dr_wav, dr_flac and dr_mp3 by David Reid, stb_image by Sean Barrett. They
// keep libomni_c free of system dependencies on every platform.
#include "media.h"

#include <cmath>
#include <cstring>
#include <string>

#define DR_WAV_IMPLEMENTATION
#include "../third_party/dr_wav.h"
#define DR_FLAC_IMPLEMENTATION
#include "../third_party/dr_flac.h"
#define DR_MP3_IMPLEMENTATION
#include "../third_party/dr_mp3.h"

#define STBI_NO_STDIO
#define STBI_NO_HDR
#define STBI_NO_LINEAR
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include "../third_party/stb_image.h"

namespace omni {

namespace {

void check_rate(int sample_rate) {
    if (sample_rate < kMinSampleRate || sample_rate > kMaxSampleRate)
        throw Error(OMNI_ERR_INVALID_ARGUMENT, "sample_rate " + std::to_string(sample_rate) + " Hz is out of range [" +
                                                   std::to_string(kMinSampleRate) + ", " +
                                                   std::to_string(kMaxSampleRate) + "]");
}

void check_samples(const void *samples, size_t n) {
    if (!samples) throw Error(OMNI_ERR_INVALID_ARGUMENT, "samples is NULL");
    if (n == 0) throw Error(OMNI_ERR_INVALID_ARGUMENT, "audio is empty (0 samples)");
}

// Down-mix interleaved frames to mono, rejecting non-finite samples.
Audio mono(const float *interleaved, uint64_t frames, unsigned channels, unsigned rate, const char *what) {
    if (frames == 0) throw Error(OMNI_ERR_BAD_MEDIA, std::string(what) + " contains no audio samples");
    if (rate < (unsigned)kMinSampleRate || rate > (unsigned)kMaxSampleRate)
        throw Error(OMNI_ERR_BAD_MEDIA, std::string(what) + " has an unsupported sample rate of " +
                                            std::to_string(rate) + " Hz");
    Audio a;
    a.sample_rate = int(rate);
    a.samples.resize(frames);
    for (uint64_t f = 0; f < frames; f++) {
        float acc = 0;
        for (unsigned c = 0; c < channels; c++) acc += interleaved[f * channels + c];
        float v = acc / float(channels);
        a.samples[f] = std::isfinite(v) ? v : 0.0f;
    }
    return a;
}

}  // namespace

Audio audio_from_f32(const float *samples, size_t n, int sample_rate) {
    check_samples(samples, n);
    check_rate(sample_rate);
    for (size_t i = 0; i < n; i++)
        if (!std::isfinite(samples[i]))
            throw Error(OMNI_ERR_INVALID_ARGUMENT,
                        "sample " + std::to_string(i) + " is not finite (NaN or infinity); audio must be finite");
    Audio a;
    a.sample_rate = sample_rate;
    a.samples.assign(samples, samples + n);
    return a;
}

Audio audio_from_s16(const int16_t *samples, size_t n, int sample_rate) {
    check_samples(samples, n);
    check_rate(sample_rate);
    Audio a;
    a.sample_rate = sample_rate;
    a.samples.resize(n);
    for (size_t i = 0; i < n; i++) a.samples[i] = samples[i] / 32768.0f;
    return a;
}

Audio audio_from_file_bytes(const void *bytes, size_t n) {
    if (!bytes) throw Error(OMNI_ERR_INVALID_ARGUMENT, "audio bytes pointer is NULL");
    if (n == 0) throw Error(OMNI_ERR_INVALID_ARGUMENT, "audio file is empty (0 bytes)");
    unsigned channels = 0, rate = 0;
    drwav_uint64 frames = 0;
    if (float *p = drwav_open_memory_and_read_pcm_frames_f32(bytes, n, &channels, &rate, &frames, nullptr)) {
        try {
            Audio a = mono(p, frames, channels, rate, "WAV file");
            drwav_free(p, nullptr);
            return a;
        } catch (...) {
            drwav_free(p, nullptr);
            throw;
        }
    }
    drflac_uint64 fframes = 0;
    if (float *p = drflac_open_memory_and_read_pcm_frames_f32(bytes, n, &channels, &rate, &fframes, nullptr)) {
        try {
            Audio a = mono(p, fframes, channels, rate, "FLAC file");
            drflac_free(p, nullptr);
            return a;
        } catch (...) {
            drflac_free(p, nullptr);
            throw;
        }
    }
    // dr_mp3 will happily "decode" arbitrary bytes by hunting for a frame sync, so only
    // try it on data that starts like an MP3 (ID3 tag or an MPEG audio frame header).
    const auto *b = static_cast<const unsigned char *>(bytes);
    bool mp3_like = (n >= 3 && std::memcmp(b, "ID3", 3) == 0) || (n >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0);
    if (mp3_like) {
        drmp3_config cfg{};
        drmp3_uint64 mframes = 0;
        if (float *p = drmp3_open_memory_and_read_pcm_frames_f32(bytes, n, &cfg, &mframes, nullptr)) {
            try {
                Audio a = mono(p, mframes, cfg.channels, cfg.sampleRate, "MP3 file");
                drmp3_free(p, nullptr);
                return a;
            } catch (...) {
                drmp3_free(p, nullptr);
                throw;
            }
        }
    }
    throw Error(OMNI_ERR_BAD_MEDIA, "audio bytes (" + std::to_string(n) +
                                        " bytes) are not a decodable WAV, FLAC or MP3 file");
}

Image image_from_bytes(const void *bytes, size_t n) {
    if (!bytes) throw Error(OMNI_ERR_INVALID_ARGUMENT, "image bytes pointer is NULL");
    if (n == 0) throw Error(OMNI_ERR_INVALID_ARGUMENT, "image is empty (0 bytes)");
    if (n > 0x7fffffff) throw Error(OMNI_ERR_TOO_LARGE, "image is larger than 2 GiB");
    int w = 0, h = 0, comp = 0;
    const auto *b = static_cast<const stbi_uc *>(bytes);
    if (!stbi_info_from_memory(b, int(n), &w, &h, &comp))
        throw Error(OMNI_ERR_BAD_MEDIA, std::string("bytes are not a decodable image (") + stbi_failure_reason() + ")");
    if (w > kMaxImageSide || h > kMaxImageSide)
        throw Error(OMNI_ERR_TOO_LARGE, "image is " + std::to_string(w) + "x" + std::to_string(h) +
                                            "; the largest side allowed is " + std::to_string(kMaxImageSide));
    if (w < 1 || h < 1 || std::max(w, h) > kMaxImageAspect * std::min(w, h))
        throw Error(OMNI_ERR_TOO_LARGE, "image is " + std::to_string(w) + "x" + std::to_string(h) +
                                            "; the aspect ratio may not exceed " + std::to_string(kMaxImageAspect) +
                                            ":1");
    // Decode fully once: a truncated or corrupt JPEG passes stbi_info but fails here.
    stbi_uc *pixels = stbi_load_from_memory(b, int(n), &w, &h, &comp, 3);
    if (!pixels)
        throw Error(OMNI_ERR_BAD_MEDIA, std::string("image could not be decoded (") + stbi_failure_reason() + ")");
    stbi_image_free(pixels);
    Image img;
    img.encoded.assign(b, b + n);
    img.width = w;
    img.height = h;
    return img;
}

std::vector<uint8_t> wav_from_audio(const Audio &audio) {
    std::vector<int16_t> pcm(audio.samples.size());
    drwav_f32_to_s16(pcm.data(), audio.samples.data(), pcm.size());
    drwav_data_format fmt{};
    fmt.container = drwav_container_riff;
    fmt.format = DR_WAVE_FORMAT_PCM;
    fmt.channels = 1;
    fmt.sampleRate = drwav_uint32(audio.sample_rate);
    fmt.bitsPerSample = 16;
    void *data = nullptr;
    size_t size = 0;
    drwav wav;
    if (!drwav_init_memory_write(&wav, &data, &size, &fmt, nullptr))
        throw Error(OMNI_ERR_INTERNAL, "could not start a WAV encoder");
    drwav_write_pcm_frames(&wav, pcm.size(), pcm.data());
    drwav_uninit(&wav);
    std::vector<uint8_t> out(static_cast<uint8_t *>(data), static_cast<uint8_t *>(data) + size);
    drwav_free(data, nullptr);
    return out;
}

}  // namespace omni
