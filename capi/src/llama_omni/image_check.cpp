// libomni turns image bytes into pixels with the stb_image of its own tree
// (tools/omni/omni.cpp: vision_image_load_from_bytes -> stbi_load_from_memory, default stb
// configuration). The host has proved the bytes are a whole JPEG or PNG with libjpeg/libpng,
// but their refusals are not a superset of stb_image's: stb_image has no arithmetic-coded or
// lossless JPEG, for one, which libjpeg-turbo reads. So that same decoder, from the same tree,
// decides here, and an image it would choke on is refused before it is queued.
#include "image_check.h"

#include <string>

// From ${LLAMA_OMNI_DIR}/vendor: the user's tree, never a copy in this project. Compiled as
// our private copy (STB_IMAGE_STATIC): libomni's and libmtmd's stbi_* symbols stay theirs.
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#if defined(__GNUC__)  // its warnings are not ours to fix
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#endif
#include "stb/stb_image.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace omni {

void check_image_for_libomni(const Image &image) {
    int w = 0, h = 0, comp = 0;
    // As libomni calls it: 3 channels out. image_from_bytes kept the size under 2 GiB.
    stbi_uc *pixels = stbi_load_from_memory(image.encoded.data(), int(image.encoded.size()), &w, &h, &comp, 3);
    if (!pixels)
        throw Error(OMNI_ERR_BAD_MEDIA, std::string("llama.cpp-omni's image decoder (stb_image) cannot read this "
                                                    "image (") + stbi_failure_reason() + ")");
    stbi_image_free(pixels);
}

}  // namespace omni
