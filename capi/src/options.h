// options.h — named key/value options, validated once against a schema.
//
// Options travel through the ABI as strings so that adding one never changes a
// layout. Each engine declares its OptionSpecs; validate_options() rejects unknown
// keys and malformed values with an error that names the option.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "json_writer.h"

namespace omni {

enum class OptionType { Int, Float, Bool, String, Enum };

struct OptionSpec {
    std::string name;
    OptionType type;
    std::string default_value;       // as a string, in canonical form
    double min = 0, max = 0;         // Int/Float range, inclusive (ignored when min > max)
    std::vector<std::string> values; // Enum: allowed values
    bool runtime = false;            // may change after creation (omni_set_option)
    std::string help;
};

// Validated values for every option of an engine (defaults filled in), canonical strings.
class OptionValues {
public:
    const std::string &str(const std::string &key) const;
    long long integer(const std::string &key) const;
    double number(const std::string &key) const;
    bool flag(const std::string &key) const;
    void set(const std::string &key, const std::string &value) { values_[key] = value; }
    const std::map<std::string, std::string> &all() const { return values_; }

private:
    std::map<std::string, std::string> values_;
};

// Check one value against its spec; returns the canonical form or throws omni::Error
// (OMNI_ERR_INVALID_ARGUMENT) whose message names the option and the allowed values.
std::string canonical_option_value(const OptionSpec &spec, const std::string &value);

// Defaults + the given pairs, every pair checked. Throws omni::Error naming the first bad one.
OptionValues validate_options(const std::vector<OptionSpec> &specs,
                              const std::vector<std::pair<std::string, std::string>> &given);

const OptionSpec *find_option(const std::vector<OptionSpec> &specs, const std::string &name);

// The JSON array that omni_options_schema() returns.
std::string options_schema_json(const std::vector<OptionSpec> &specs);

}  // namespace omni
