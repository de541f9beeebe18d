// heard.h — which words of a spoken reply the user heard, from the reply's audio timeline
// (omni_truncate). Each TTS chunk's words play over its speech tokens, 40 ms each.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace omni {

constexpr double kSpeechTokenMs = 40.0;
// Before any TTS chunk is reported, words are placed at this rate: bytes of UTF-8 per ms of
// speech (about 14 English characters or 4.7 Chinese characters a second; the sim and
// MiniCPM-o speak at about that pace in both languages).
constexpr double kDefaultMsPerByte = 70.0;

// The length in bytes of the beginning of `text` (the reply's TEXT) that was heard in the
// first `heard_ms` of its audio. `chunks` are the TTS chunks reported so far: (text, speech
// tokens). Within a chunk the cut is proportional. Audio beyond the reported chunks belongs
// to words whose chunk is still being synthesized (an engine streams a chunk's audio before
// reporting it): they follow at the reported chunks' pace. Ends on a UTF-8 character boundary.
size_t heard_bytes(const std::string &text, const std::vector<std::pair<std::string, int>> &chunks, double heard_ms);

}  // namespace omni
