// Audio in: caller PCM, and audio files decoded by libsndfile (WAV, FLAC, OGG Vorbis/Opus, and
// MP3 since libsndfile 1.1) through its virtual I/O over the caller's bytes. Audio out: the
// WAV file the real engine's in-memory prefill takes, written by libsndfile as well.
// webapp/media.py checks files with soundfile, a binding of the same libsndfile, by the same
// rules (which first bytes make a file, cut-short WAVs, sample-rate range, full decode), so
// the two layers accept and refuse the same files.
#include "media.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

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

// ---- bytes as a file, for libsndfile's virtual I/O ---------------------------------------

// Caller bytes libsndfile reads as a file, or a growing buffer it writes one into.
struct MemFile {
    const uint8_t *data = nullptr;
    sf_count_t size = 0;
    sf_count_t pos = 0;
    std::vector<uint8_t> *out = nullptr;  // set when writing
};

sf_count_t mem_length(void *user) { return static_cast<MemFile *>(user)->size; }

sf_count_t mem_seek(sf_count_t offset, int whence, void *user) {
    auto *f = static_cast<MemFile *>(user);
    sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : f->size;
    if (base + offset < 0) return -1;
    return f->pos = base + offset;  // past the end is allowed, as for a file: reads there give 0 bytes
}

sf_count_t mem_read(void *dst, sf_count_t count, void *user) {
    auto *f = static_cast<MemFile *>(user);
    sf_count_t k = std::max<sf_count_t>(0, std::min(count, f->size - f->pos));
    if (k) std::memcpy(dst, f->data + f->pos, size_t(k));
    f->pos += k;
    return k;
}

sf_count_t mem_write(const void *src, sf_count_t count, void *user) {
    auto *f = static_cast<MemFile *>(user);
    if (!f->out) return 0;
    if (size_t(f->pos + count) > f->out->size()) f->out->resize(size_t(f->pos + count));
    std::memcpy(f->out->data() + f->pos, src, size_t(count));
    f->pos += count;
    f->data = f->out->data();
    f->size = sf_count_t(f->out->size());
    return count;
}

sf_count_t mem_tell(void *user) { return static_cast<MemFile *>(user)->pos; }

SF_VIRTUAL_IO mem_io() { return SF_VIRTUAL_IO{mem_length, mem_seek, mem_read, mem_write, mem_tell}; }

struct SndfileClose {
    void operator()(SNDFILE *f) const { sf_close(f); }
};
using Sndfile = std::unique_ptr<SNDFILE, SndfileClose>;

// ---- audio files --------------------------------------------------------------------------

// What an audio file starts with: RIFF/RF64 (WAV), fLaC, OggS, an ID3 tag or an MPEG audio
// frame sync (MP3). Only bytes that start so are handed to libsndfile, whose MP3 reader would
// otherwise hunt through any bytes for a frame sync. webapp/media.py's _is_container is this list.
bool starts_like_audio_file(const uint8_t *b, size_t n) {
    for (const char *magic : {"RIFF", "RF64", "fLaC", "OggS", "ID3"})
        if (n >= std::strlen(magic) && std::memcmp(b, magic, std::strlen(magic)) == 0) return true;
    return n >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0;
}

std::string first_bytes_hex(const uint8_t *b, size_t n) {
    std::string s;
    char hex[4];
    for (size_t i = 0; i < std::min<size_t>(n, 4); i++) {
        std::snprintf(hex, sizeof hex, i ? " %02x" : "%02x", b[i]);
        s += hex;
    }
    return s;
}

// libsndfile quietly shortens a WAV whose data chunk runs past the end of the bytes (it says so
// only in its human-readable log), so a cut-off upload would pass as a shorter clip. The data
// chunk's size field is read here to refuse it; 0xFFFFFFFF ("size unknown", the streaming
// convention) is accepted.
void check_wav_not_cut_short(const uint8_t *b, size_t n) {
    if (n < 12 || std::memcmp(b, "RIFF", 4) != 0 || std::memcmp(b + 8, "WAVE", 4) != 0) return;
    auto le32 = [](const uint8_t *p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; };
    for (size_t pos = 12; pos + 8 <= n;) {
        uint32_t size = le32(b + pos + 4);
        if (std::memcmp(b + pos, "data", 4) == 0) {
            size_t have = n - pos - 8;
            if (size != 0xFFFFFFFFu && size > have)
                throw Error(OMNI_ERR_BAD_MEDIA, "the WAV file is cut short: its header announces " +
                                                    std::to_string(size) + " bytes of samples, only " +
                                                    std::to_string(have) + " follow");
            return;
        }
        pos += 8 + size_t(size) + (size & 1);
    }
}

const char *file_kind(int format) {
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV: case SF_FORMAT_WAVEX: case SF_FORMAT_RF64: return "WAV";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_OGG: return "OGG";
    case SF_FORMAT_MPEG: return "MP3";
    default: return "audio";
    }
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
    const auto *b = static_cast<const uint8_t *>(bytes);
    const std::string not_audio = "audio bytes (" + std::to_string(n) + " bytes) are not a decodable WAV, FLAC, OGG or MP3 file";
    if (!starts_like_audio_file(b, n))
        throw Error(OMNI_ERR_BAD_MEDIA, not_audio + " (they start " + first_bytes_hex(b, n) + ", like none of those)");

    MemFile mem;
    mem.data = b;
    mem.size = sf_count_t(n);
    SF_VIRTUAL_IO io = mem_io();
    SF_INFO info{};
    Sndfile file(sf_open_virtual(&io, SFM_READ, &info, &mem));
    // sf_strerror(NULL) is libsndfile's last open error: process-wide, so at worst another
    // thread's reason; the status is right either way.
    if (!file) throw Error(OMNI_ERR_BAD_MEDIA, not_audio + " (libsndfile: " + sf_strerror(nullptr) + ")");
    const std::string kind = file_kind(info.format);
    check_wav_not_cut_short(b, n);
    if (info.samplerate < kMinSampleRate || info.samplerate > kMaxSampleRate)
        throw Error(OMNI_ERR_BAD_MEDIA, kind + " file has an unsupported sample rate of " +
                                            std::to_string(info.samplerate) + " Hz (allowed: " +
                                            std::to_string(kMinSampleRate) + " to " + std::to_string(kMaxSampleRate) + ")");

    // Decode it all (a broken FLAC or OGG only shows while decoding), mixing down to mono
    // block by block; non-finite samples of a float file become silence.
    Audio a;
    a.sample_rate = info.samplerate;
    if (info.frames > 0) a.samples.reserve(size_t(std::min<sf_count_t>(info.frames, sf_count_t(1) << 24)));
    const int ch = std::max(1, info.channels);
    const sf_count_t block = std::max(1, 65536 / ch);
    std::vector<float> buf(size_t(block) * size_t(ch));
    for (;;) {
        sf_count_t got = sf_readf_float(file.get(), buf.data(), block);
        // Checked after every call: the next call clears the error of a short read.
        if (sf_error(file.get()) != SF_ERR_NO_ERROR)
            throw Error(OMNI_ERR_BAD_MEDIA, "the " + kind + " file stops decoding after " +
                                                std::to_string(a.samples.size()) + " samples (libsndfile: " +
                                                sf_strerror(file.get()) + ")");
        if (got <= 0) break;
        for (sf_count_t f = 0; f < got; f++) {
            float acc = 0;
            for (int c = 0; c < ch; c++) acc += buf[size_t(f) * size_t(ch) + size_t(c)];
            float v = acc / float(ch);
            a.samples.push_back(std::isfinite(v) ? v : 0.0f);
        }
    }
    if (a.samples.empty()) throw Error(OMNI_ERR_BAD_MEDIA, kind + " file contains no audio samples");
    return a;
}

std::vector<uint8_t> wav_from_audio(const Audio &audio) {
    std::vector<uint8_t> out;
    MemFile mem;
    mem.out = &out;
    SF_VIRTUAL_IO io = mem_io();
    SF_INFO info{};
    info.samplerate = audio.sample_rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    Sndfile file(sf_open_virtual(&io, SFM_WRITE, &info, &mem));
    if (!file) throw Error(OMNI_ERR_INTERNAL, std::string("could not start a WAV encoder (libsndfile: ") + sf_strerror(nullptr) + ")");
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);  // out-of-range samples clip, never wrap
    sf_count_t n = sf_count_t(audio.samples.size());
    if (sf_writef_float(file.get(), audio.samples.data(), n) != n)
        throw Error(OMNI_ERR_INTERNAL, std::string("WAV encoding failed (libsndfile: ") + sf_strerror(file.get()) + ")");
    file.reset();  // closing writes the final sizes into the header
    return out;
}

}  // namespace omni
