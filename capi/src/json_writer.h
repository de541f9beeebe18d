// json_writer.h — the little JSON this library writes (omni_info, STATS, the options schema).
// Hand-written rather than a JSON library: output only, flat objects, a few dozen lines.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

namespace omni {

std::string json_string(const std::string &s);  // quoted and escaped
std::string json_number(double v);              // "null" when not finite

// Builds one JSON object member by member: JsonObject().add("kind", "sim").str().
class JsonObject {
public:
    JsonObject &add(const std::string &key, const std::string &v) { return raw(key, json_string(v)); }
    JsonObject &add(const std::string &key, const char *v) { return raw(key, json_string(v)); }
    JsonObject &add(const std::string &key, double v) { return raw(key, json_number(v)); }
    JsonObject &add(const std::string &key, bool v) { return raw(key, v ? "true" : "false"); }
    template <class Int, class = std::enable_if_t<std::is_integral<Int>::value && !std::is_same<Int, bool>::value>>
    JsonObject &add(const std::string &key, Int v) {
        return raw(key, std::to_string(v));
    }
    JsonObject &add(const std::string &key, const JsonObject &v) { return raw(key, v.str()); }
    // A value that is JSON text already (an array, null, a nested object).
    JsonObject &raw(const std::string &key, const std::string &json) {
        body_ += (body_.empty() ? "" : ",") + json_string(key) + ":" + json;
        return *this;
    }
    std::string str() const { return "{" + body_ + "}"; }
    // The members of another object, given as JSON object text ("{...}").
    JsonObject &merge(const std::string &object_json) {
        if (object_json.size() > 2) body_ += (body_.empty() ? "" : ",") + object_json.substr(1, object_json.size() - 2);
        return *this;
    }

private:
    std::string body_;
};

// A JSON array of already-encoded values.
std::string json_array(const std::vector<std::string> &json_values);

}  // namespace omni
