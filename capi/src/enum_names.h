// enum_names.h — names of the enums of omni_c.h, generated from the header by CMake
// (capi/CMakeLists.txt fills enum_names.cpp.in), so a value is declared in one place.
#pragma once

#include "omni_c.h"

namespace omni {

// "completed", "interrupted", "failed": the TURN_DONE event's text and STATS' reason.
const char *turn_end_word(omni_turn_end reason);

}  // namespace omni
