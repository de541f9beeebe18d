#include "options.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "engine.h"

namespace omni {

namespace {

std::string join(const std::vector<std::string> &v, const char *sep) {
    std::string out;
    for (size_t i = 0; i < v.size(); i++) out += (i ? sep : "") + v[i];
    return out;
}

std::string range_text(const OptionSpec &s) {
    if (s.min > s.max) return "";
    std::ostringstream o;
    o << " in [" << s.min << ", " << s.max << "]";
    return o.str();
}

[[noreturn]] void bad(const OptionSpec &s, const std::string &value, const std::string &expected) {
    throw Error(OMNI_ERR_INVALID_ARGUMENT,
                "option '" + s.name + "': invalid value '" + value + "' (expected " + expected + ")");
}

}  // namespace

std::string canonical_option_value(const OptionSpec &s, const std::string &value) {
    switch (s.type) {
    case OptionType::Int: {
        char *end = nullptr;
        errno = 0;
        long long v = std::strtoll(value.c_str(), &end, 10);
        if (value.empty() || *end || errno) bad(s, value, "an integer" + range_text(s));
        if (s.min <= s.max && (v < s.min || v > s.max)) bad(s, value, "an integer" + range_text(s));
        return std::to_string(v);
    }
    case OptionType::Float: {
        char *end = nullptr;
        errno = 0;
        double v = std::strtod(value.c_str(), &end);
        if (value.empty() || *end || errno || !std::isfinite(v)) bad(s, value, "a number" + range_text(s));
        if (s.min <= s.max && (v < s.min || v > s.max)) bad(s, value, "a number" + range_text(s));
        return json_number(v);
    }
    case OptionType::Bool:
        if (value == "1" || value == "true" || value == "on" || value == "yes") return "true";
        if (value == "0" || value == "false" || value == "off" || value == "no") return "false";
        bad(s, value, "true or false");
    case OptionType::Enum:
        for (const auto &v : s.values)
            if (v == value) return v;
        bad(s, value, "one of " + join(s.values, ", "));
    case OptionType::String:
        if (value.find('\0') != std::string::npos) bad(s, value, "a string without NUL");
        return value;
    }
    bad(s, value, "a known type");
}

const OptionSpec *find_option(const std::vector<OptionSpec> &specs, const std::string &name) {
    for (const auto &s : specs)
        if (s.name == name) return &s;
    return nullptr;
}

OptionValues validate_options(const std::vector<OptionSpec> &specs,
                              const std::vector<std::pair<std::string, std::string>> &given) {
    OptionValues out;
    for (const auto &s : specs) out.set(s.name, s.default_value);
    for (const auto &kv : given) {
        const OptionSpec *s = find_option(specs, kv.first);
        if (!s) {
            std::vector<std::string> names;
            for (const auto &sp : specs) names.push_back(sp.name);
            throw Error(OMNI_ERR_INVALID_ARGUMENT,
                        "unknown option '" + kv.first + "' (known: " + join(names, ", ") + ")");
        }
        out.set(s->name, canonical_option_value(*s, kv.second));
    }
    return out;
}

std::string options_schema_json(const std::vector<OptionSpec> &specs) {
    static const char *type_names[] = {"int", "float", "bool", "string", "enum"};
    std::vector<std::string> out;
    for (const auto &s : specs) {
        JsonObject o;
        o.add("name", s.name).add("type", type_names[int(s.type)]).add("default", s.default_value);
        if (s.min <= s.max && (s.type == OptionType::Int || s.type == OptionType::Float))
            o.add("min", s.min).add("max", s.max);
        if (s.type == OptionType::Enum) {
            std::vector<std::string> values;
            for (const auto &v : s.values) values.push_back(json_string(v));
            o.raw("values", json_array(values));
        }
        o.add("runtime", s.runtime).add("help", s.help);
        out.push_back(o.str());
    }
    return json_array(out);
}

const std::string &OptionValues::str(const std::string &key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw Error(OMNI_ERR_INTERNAL, "option '" + key + "' is not declared");
    return it->second;
}
long long OptionValues::integer(const std::string &key) const { return std::strtoll(str(key).c_str(), nullptr, 10); }
double OptionValues::number(const std::string &key) const { return std::strtod(str(key).c_str(), nullptr); }
bool OptionValues::flag(const std::string &key) const { return str(key) == "true"; }

}  // namespace omni
