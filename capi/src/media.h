// media.h — turning caller bytes into validated Audio / Image (engine.h), or a clear error.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine.h"

namespace omni {

constexpr int kMinSampleRate = 4000;
constexpr int kMaxSampleRate = 384000;
constexpr int kMaxImageSide = 8192;
constexpr int kMaxImageAspect = 64;

// PCM from the caller: checks rate, emptiness and finiteness, then copies.
Audio audio_from_f32(const float *samples, size_t n, int sample_rate);
Audio audio_from_s16(const int16_t *samples, size_t n, int sample_rate);
// WAV / FLAC / MP3 file bytes, down-mixed to mono. Throws OMNI_ERR_BAD_MEDIA when undecodable.
Audio audio_from_file_bytes(const void *bytes, size_t n);
// Encoded image bytes, fully decoded once to prove they are an image and learn its size.
Image image_from_bytes(const void *bytes, size_t n);

// Encoded WAV (16-bit PCM, mono) of `audio`, resampled to nothing: the real engine's
// in-memory prefill wants a complete file.
std::vector<uint8_t> wav_from_audio(const Audio &audio);

}  // namespace omni
