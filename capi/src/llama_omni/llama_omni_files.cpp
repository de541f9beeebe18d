#include "llama_omni_files.h"

#include <dlfcn.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "../engine.h"
#include "../media.h"

namespace fs = std::filesystem;

namespace omni::llama {

namespace {

constexpr double kMaxRefSeconds = 30.0;  // [H6] libomni's encoder takes at most 30 s in one piece
const char *const kLlmPrefix = "MiniCPM-o-4_5-";
const char *const kProjector = "MiniCPM-o-4_5-projector-F16.gguf";
const char *const kToken2wavFiles[] = {"encoder.gguf", "flow_matching.gguf", "flow_extra.gguf", "hifigan2.gguf",
                                       "prompt_cache.gguf"};

std::string join(const std::string &dir, const std::string &name) { return (fs::path(dir) / name).string(); }

// The folder of this library (libomni_c): the build puts llama.cpp-omni's default voice
// reference there, so it outlives the llama.cpp-omni tree.
std::string library_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(&library_dir), &info) && info.dli_fname)
        return fs::absolute(fs::path(info.dli_fname)).parent_path().string();
    return "";
}

constexpr const char *kDefaultRefName = "default_ref_audio.wav";

// The voice reference used when the option ref_audio is empty: the model folder's own, else
// the copy of llama.cpp-omni's tools/omni/assets/default_ref_audio/default_ref_audio.wav.
std::string default_ref_audio(const std::string &model_dir);

// The LLM at the top of a model folder: MiniCPM-o-4_5-*.gguf, preferring Q4_K_M > Q8_0 > F16.
std::string find_llm(const std::string &dir) {
    std::vector<std::string> c;
    std::error_code ec;
    const std::string prefix = kLlmPrefix;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string n = it->path().filename().string();
        if (n.rfind(prefix, 0) == 0 && n.size() > 5 && n.substr(n.size() - 5) == ".gguf" && it->is_regular_file(ec))
            c.push_back(n);
    }
    if (c.empty()) return "";
    std::sort(c.begin(), c.end());
    for (const char *q : {"Q4_K_M", "Q8_0", "F16"})
        for (auto &n : c)
            if (n == prefix + q + ".gguf") return join(dir, n);
    return join(dir, c.front());
}

std::string find_token2wav_dir(const std::string &model_dir, const std::string &tts_dir) {
    std::vector<std::string> cands;
    if (!model_dir.empty()) cands = {join(model_dir, "token2wav"), join(model_dir, "token2wav-gguf")};
    cands.push_back(tts_dir);
    for (auto &c : cands)
        if (file_exists(join(c, kToken2wavFiles[0]))) return c;
    return "";
}

void check_ref_audio(const std::string &path) {
    if (!file_exists(path))
        throw Error(OMNI_ERR_INVALID_ARGUMENT, "ref_audio not found: " + (path.empty() ? "(empty)" : path));
    std::ifstream f(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    Audio a = audio_from_file_bytes(bytes.data(), bytes.size());  // throws BAD_MEDIA
    if (a.seconds() > kMaxRefSeconds)  // [H6] libomni would throw out of the index-0 prefill
        throw Error(OMNI_ERR_TOO_LARGE, "ref_audio is " + json_number(a.seconds()) +
                                            " s long; the voice reference must be at most 30 s: " + path);
}

// [H13] libomni runs `system("mkdir -p " + dir)` on this path unquoted.
bool shell_safe(const std::string &p) {
    for (char ch : p)
        if (!(isalnum((unsigned char)ch) || ch == '/' || ch == '_' || ch == '-' || ch == '.')) return false;
    return !p.empty();
}

std::string default_ref_audio(const std::string &model_dir) {
    std::vector<std::string> places;
    if (!model_dir.empty()) places.push_back(join(model_dir, kDefaultRefName));
    std::string lib = library_dir();
    if (!lib.empty()) places.push_back(join(lib, kDefaultRefName));
    std::string looked;
    for (auto &p : places) {
        if (file_exists(p)) return p;
        looked += (looked.empty() ? "" : ", ") + p;
    }
    throw Error(OMNI_ERR_MODEL,
                "no voice reference: set the option ref_audio to a WAV of at most 30 s, or put " +
                    std::string(kDefaultRefName) + " in the model folder (looked in: " + looked +
                    "). Builds against a llama.cpp-omni tree that has tools/omni/assets/default_ref_audio/" +
                    kDefaultRefName + " install that one beside libomni_c.");
}

}  // namespace

ModelFiles resolve_model_files(const OptionValues &o, bool want_vision) {
    ModelFiles f;
    const std::string dir = o.str("model_dir");
    auto pick = [&](const char *key, const std::string &rel) {
        const std::string &v = o.str(key);
        return !v.empty() ? v : dir.empty() ? std::string() : join(dir, rel);
    };
    f.llm = o.str("llm_model");
    if (f.llm.empty() && !dir.empty()) f.llm = find_llm(dir);
    f.audio = pick("audio_model", "audio/MiniCPM-o-4_5-audio-F16.gguf");
    f.vision = pick("vision_model", "vision/MiniCPM-o-4_5-vision-F16.gguf");
    f.tts = pick("tts_model", "tts/MiniCPM-o-4_5-tts-F16.gguf");
    if (f.llm.empty() && dir.empty())
        throw Error(OMNI_ERR_INVALID_ARGUMENT, "set model_dir (or llm_model and audio_model)");
    if (!file_exists(f.llm))
        throw Error(OMNI_ERR_MODEL, f.llm.empty() ? "no " + std::string(kLlmPrefix) + "*.gguf LLM in model_dir " + dir
                                                  : "LLM model not found: " + f.llm);
    if (!file_exists(f.audio))  // libomni requires the audio encoder in every mode
        throw Error(OMNI_ERR_MODEL, "audio encoder not found: " + f.audio);
    if (want_vision && !file_exists(f.vision))
        throw Error(OMNI_ERR_MODEL, "media_type=omni needs the vision encoder, not found: " + f.vision);

    const std::string use_tts = o.str("use_tts");
    f.use_tts = use_tts == "true" || (use_tts == "auto" && file_exists(f.tts));
    if (f.use_tts && !file_exists(f.tts))  // [H7]
        throw Error(OMNI_ERR_MODEL, "use_tts=true but the TTS model is missing: " +
                                        (f.tts.empty() ? std::string("(no path)") : f.tts));
    if (f.use_tts) {
        const std::string tts_dir = fs::path(f.tts).parent_path().string();
        f.projector = o.str("projector");
        if (f.projector.empty()) f.projector = join(tts_dir, kProjector);
        f.token2wav_dir = o.str("token2wav_dir");
        if (f.token2wav_dir.empty()) f.token2wav_dir = find_token2wav_dir(dir, tts_dir);
    }
    f.ref_audio = o.str("ref_audio");
    if (f.ref_audio.empty()) f.ref_audio = default_ref_audio(dir);
    check_ref_audio(f.ref_audio);
    return f;
}

std::string make_private_dir() {
    const char *t = std::getenv("TMPDIR");
    std::string base = (t && *t && shell_safe(t)) ? t : "/tmp";
    std::string templ = base + "/omni-llama-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back(0);
    if (!mkdtemp(buf.data()))  // mode 0700: the dumps include hidden states
        throw Error(OMNI_ERR_INTERNAL, "cannot create a private temporary folder under " + base);
    return std::string(buf.data());
}

std::string make_tts_bin_dir(const ModelFiles &files, const std::string &tmp_dir) {
    std::string bin = join(tmp_dir, "tts_bin");
    fs::create_directories(bin);
    std::error_code ec;
    if (file_exists(files.projector)) fs::create_symlink(fs::absolute(files.projector), join(bin, kProjector), ec);
    if (!files.token2wav_dir.empty())
        for (const char *f : kToken2wavFiles)
            if (file_exists(join(files.token2wav_dir, f)))
                fs::create_symlink(fs::absolute(join(files.token2wav_dir, f)), join(bin, f), ec);
    return bin;
}

std::string generation_done_flag(const std::string &tmp_dir, bool duplex, int round) {
    if (duplex) return join(tmp_dir, "tts_wav/generation_done.flag");
    char b[64];
    std::snprintf(b, sizeof b, "round_%03d/tts_wav/generation_done.flag", round);
    return join(tmp_dir, b);
}

void prune_debug_files(const std::string &tmp_dir, bool duplex, int round) {
    std::error_code ec;
    if (duplex) {
        for (auto it = fs::recursive_directory_iterator(tmp_dir, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec))
            if (it->is_regular_file(ec) && it->path().parent_path().filename() != "tts_bin")
                fs::remove(it->path(), ec);
        return;
    }
    for (auto it = fs::directory_iterator(tmp_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string n = it->path().filename().string();
        if (n.rfind("round_", 0) == 0 && std::atoi(n.c_str() + 6) < round) fs::remove_all(it->path(), ec);
    }
    fs::remove(generation_done_flag(tmp_dir, duplex, round), ec);
}

bool file_exists(const std::string &p) {
    std::error_code ec;
    return !p.empty() && fs::is_regular_file(p, ec);
}

LoadWeights load_weights(const ModelFiles &f, bool vision) {
    auto bytes = [](const std::string &p) {
        std::error_code ec;
        auto n = p.empty() ? 0 : fs::file_size(p, ec);
        return ec ? 0.0 : double(n);
    };
    LoadWeights w;
    w.llm = bytes(f.llm);
    w.rest = bytes(f.audio) + (vision ? bytes(f.vision) : 0);
    if (f.use_tts) {
        w.tts = bytes(f.tts);
        w.rest += bytes(f.projector);
        if (!f.token2wav_dir.empty())
            for (const char *name : kToken2wavFiles) w.rest += bytes(join(f.token2wav_dir, name));
    }
    return w;
}

void remove_tree(const std::string &dir) {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
}

}  // namespace omni::llama
