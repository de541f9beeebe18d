// gguf_header_scan.cpp — see gguf_header_scan.h. Hand-written because no reader of the format
// exists that does not assert; it walks the header only and leaves everything else about the
// format to ggml's reader.
#include "gguf_header_scan.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "ggml.h"
#include "gguf.h"

namespace fs = std::filesystem;

namespace omni::llama {

std::string gguf_header_hazard(const std::string &path) {
    FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) return "";
    struct Closer {
        FILE *f;
        ~Closer() { std::fclose(f); }
    } closer{f};
    std::error_code ec;
    const uint64_t size = fs::file_size(path, ec);
    if (ec) return "";
    // The position is counted here and short skips are reads: an array of millions of short
    // strings must not cost a system call each (ftell, fseek), only stdio's buffered reads.
    uint64_t pos = 0;
    auto read = [&](void *p, size_t n) {
        if (std::fread(p, 1, n, f) != n) return false;
        pos += n;
        return true;
    };
    auto left = [&] { return size - std::min(size, pos); };
    auto u32 = [&](uint32_t *v) { return read(v, 4); };
    auto u64 = [&](uint64_t *v) { return read(v, 8); };
    auto skip = [&](uint64_t n) {
        char scratch[4096];
        if (n <= sizeof scratch) return read(scratch, size_t(n));
        if (std::fseek(f, long(n), SEEK_CUR) != 0) return false;
        pos += n;
        return true;
    };
    std::string beyond;  // set when a length runs past the end of the file
    auto fits = [&](uint64_t n, const char *what) {
        if (n <= left()) return true;
        beyond = std::string(what) + " claims " + std::to_string(n) + " bytes, more than the file has left";
        return false;
    };
    constexpr uint64_t kMaxString = 16u << 20;  // real keys, names and values are a few KB at most
    // A GGUF string: its length, then (when wanted) the bytes, at most 64 of them.
    auto string = [&](uint64_t *n, std::string *text, const char *what) {
        if (!u64(n) || !fits(*n, what)) return false;
        if (*n > kMaxString) {
            beyond = std::string(what) + " claims " + std::to_string(*n) + " bytes (damaged: strings are short)";
            return false;
        }
        if (!text || *n > 64) return skip(*n);
        text->resize(size_t(*n));
        return *n == 0 || read(&(*text)[0], size_t(*n));
    };
    const size_t scalar[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};  // bytes per GGUF type (8: string, 9: array)
    uint32_t magic, version;
    uint64_t n_tensors, n_kv;
    if (!u32(&magic) || !u32(&version) || version < 2 || version > 3 || !u64(&n_tensors) || !u64(&n_kv)) return "";
    // Real files have hundreds of each; every entry takes a dozen bytes or more.
    constexpr uint64_t kMaxEntries = 1u << 20;
    if (n_tensors > kMaxEntries || n_kv > kMaxEntries || (n_tensors + n_kv) * 12 > left())
        return "it claims " + std::to_string(n_tensors) + " tensors and " + std::to_string(n_kv) +
               " metadata keys (damaged)";
    for (uint64_t i = 0; i < n_kv; i++) {
        uint64_t n = 0;
        std::string key;
        uint32_t type = 0;
        if (!string(&n, &key, "a metadata key") || !u32(&type)) return beyond;
        if (n == 0) return "metadata key " + std::to_string(i) + " has an empty name";
        if (key == "general.alignment" && type != GGUF_TYPE_UINT32)
            return "'general.alignment' must be a u32 (ggml aborts on any other type)";
        uint64_t count = 1;
        if (type == GGUF_TYPE_ARRAY && (!u32(&type) || !u64(&count))) return "";
        if (type >= GGUF_TYPE_COUNT || type == GGUF_TYPE_ARRAY) return "";  // ggml refuses it cleanly
        // Bytes of an array, or strings in one: a vocabulary or its merges are a few hundred thousand.
        constexpr uint64_t kMaxArray = 64u << 20, kMaxStrings = 8u << 20;
        if (count > (type == GGUF_TYPE_STRING ? kMaxStrings : kMaxArray))
            return "'" + key + "': an array of " + std::to_string(count) + " values (damaged)";
        if (type == GGUF_TYPE_STRING) {
            if (!fits(count * 8, "a string array"))  // each string takes 8 bytes at least
                return "'" + key + "': " + beyond;
            for (uint64_t j = 0; j < count; j++)
                if (!string(&n, nullptr, "a string")) return beyond.empty() ? "" : "'" + key + "': " + beyond;
        } else if (count * scalar[type] > kMaxArray || !fits(count * scalar[type], "an array")) {
            return "'" + key + "': " + (beyond.empty() ? "an array longer than the file" : beyond);
        } else if (!skip(count * scalar[type])) {
            return "";
        }
    }
    for (uint64_t i = 0; i < n_tensors; i++) {
        uint64_t n = 0;
        std::string name;
        uint32_t dims = 0;
        if (!string(&n, &name, "a tensor name")) return beyond;
        if (!u32(&dims) || dims > GGML_MAX_DIMS) return "";
        for (uint32_t d = 0; d < dims; d++) {
            uint64_t ne = 0;
            if (!u64(&ne)) return "";
            if (ne == 0 && d > 0) return "tensor '" + name + "' has a dimension of size 0";
        }
        uint32_t type;
        uint64_t offset;
        if (!u32(&type) || !u64(&offset)) return "";
    }
    return "";
}

}  // namespace omni::llama
