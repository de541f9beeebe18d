// media.h — turning caller bytes into validated Audio / Image (engine.h), or a clear error.
// Audio files are decoded with libsndfile (media.cpp), images with libjpeg / libpng
// (image.cpp); all three are system libraries found by CMake through pkg-config.
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
// WAV / FLAC / OGG / MP3 file bytes, fully decoded and down-mixed to mono. Throws
// OMNI_ERR_BAD_MEDIA when they are not such a file, are cut short or do not decode.
// webapp/media.py (soundfile, the same libsndfile) accepts and refuses the same files.
Audio audio_from_file_bytes(const void *bytes, size_t n);
// JPEG or PNG bytes, fully decoded once to prove they are a whole image and learn its size.
Image image_from_bytes(const void *bytes, size_t n);

// Encoded WAV (16-bit PCM, mono) of `audio` at its own rate: the real engine's in-memory
// prefill wants a complete file.
std::vector<uint8_t> wav_from_audio(const Audio &audio);

}  // namespace omni
