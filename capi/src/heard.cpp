#include "heard.h"

#include <algorithm>
#include <cmath>

namespace omni {

size_t heard_bytes(const std::string &text, const std::vector<std::pair<std::string, int>> &chunks, double heard_ms) {
    std::string spoken;  // the chunks' words, in order
    double spoken_ms = 0;
    for (const auto &c : chunks) {
        spoken += c.first;
        spoken_ms += kSpeechTokenMs * c.second;
    }
    // The words after the reported chunks, when the chunks are the beginning of the text (the
    // engines report both without special tokens); otherwise only the chunks' own words count.
    const std::string &all = text.compare(0, spoken.size(), spoken) == 0 ? text : spoken;
    size_t cut = 0;
    double t = 0;
    for (const auto &c : chunks) {
        double ms = kSpeechTokenMs * c.second;
        if (t + ms > heard_ms) {  // heard part of this chunk
            double fraction = ms > 0 ? (heard_ms - t) / ms : 0;
            cut += size_t(std::lround(fraction * double(c.first.size())));
            t = heard_ms;
            break;
        }
        t += ms;
        cut += c.first.size();
    }
    if (heard_ms > t && all.size() > spoken.size()) {  // audio of a chunk not reported yet
        double ms_per_byte = spoken.empty() || spoken_ms <= 0 ? kDefaultMsPerByte : spoken_ms / double(spoken.size());
        cut += size_t(std::lround((heard_ms - t) / ms_per_byte));
    }
    cut = std::min(cut, all.size());
    while (cut > 0 && cut < all.size() && ((unsigned char)all[cut] & 0xC0) == 0x80) cut--;  // whole characters
    return cut;
}

}  // namespace omni
