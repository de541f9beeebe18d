#include "json_writer.h"

#include <cmath>
#include <cstdio>

namespace omni {

std::string json_string(const std::string &s) {
    std::string o = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': o += "\\\""; break;
        case '\\': o += "\\\\"; break;
        case '\n': o += "\\n"; break;
        case '\r': o += "\\r"; break;
        case '\t': o += "\\t"; break;
        default:
            if (c < 0x20) {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                o += b;
            } else {
                o += char(c);
            }
        }
    }
    return o + "\"";
}

std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char b[40];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}

std::string json_array(const std::vector<std::string> &json_values) {
    std::string o = "[";
    for (size_t i = 0; i < json_values.size(); i++) o += (i ? "," : "") + json_values[i];
    return o + "]";
}

}  // namespace omni
