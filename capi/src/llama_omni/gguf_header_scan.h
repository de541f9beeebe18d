// gguf_header_scan.h — the dangers in a GGUF header that ggml's own reader does not survive.
//
// ggml's GGUF reader ends the process on things a damaged header can hold: a metadata key with
// an empty name and a general.alignment that is not a u32 (each a GGML_ASSERT), a tensor with a
// zero-length dimension (a division by zero); and it allocates (and zeroes) whatever length a
// string or array claims, gigabytes from a few bytes. model_check runs this walk first.
#pragma once

#include <string>

namespace omni::llama {

// "" when ggml's reader may be given the file (it may still refuse it, cleanly), else the
// problem in words. A file that cannot be opened or read is left to the reader too.
std::string gguf_header_hazard(const std::string &path);

}  // namespace omni::llama
