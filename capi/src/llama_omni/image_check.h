// image_check.h — refuse up front an image libomni's own decoder could not read.
#pragma once

#include "../engine.h"

namespace omni {

// Throws OMNI_ERR_BAD_MEDIA unless the stb_image of the user's llama.cpp-omni tree, the decoder
// libomni uses, decodes `image` in full. image_from_bytes (libjpeg / libpng) has run before.
void check_image_for_libomni(const Image &image);

}  // namespace omni
