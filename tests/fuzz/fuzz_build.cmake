# fuzz_build.cmake — included by the top CMakeLists.txt when OMNI_FUZZ is ON, before the
# library is added: libFuzzer needs clang; every object gets coverage instrumentation and
# ASan + UBSan (UB aborts, so the fuzzer saves the input). Without a usable clang the option
# is switched off with the reason printed, and no fuzz test is registered.
include(CheckCXXSourceCompiles)
set(_why "")
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(_why "the C++ compiler is ${CMAKE_CXX_COMPILER_ID}, libFuzzer needs clang (-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)")
else()
  set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
  check_cxx_source_compiles("
    #include <cstddef>
    #include <cstdint>
    extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }" OMNI_HAVE_LIBFUZZER)
  unset(CMAKE_REQUIRED_FLAGS)
  if(NOT OMNI_HAVE_LIBFUZZER)
    set(_why "clang cannot link -fsanitize=fuzzer (Debian: apt-get install libclang-rt-dev, or libclang-rt-<version>-dev)")
  endif()
endif()
if(OMNI_SANITIZE OR OMNI_TSAN)
  set(_why "OMNI_FUZZ brings its own sanitizers; configure it without OMNI_SANITIZE/OMNI_TSAN")
endif()

if(_why)
  message(WARNING "omni: fuzz targets not built: ${_why}")
  set(OMNI_FUZZ OFF)
  set(OMNI_BUILD_TESTS OFF)  # this build was asked for fuzzing only
else()
  if(LLAMA_OMNI_DIR)
    # The library is the sim engine only; the model-file checks get a fuzz target of their own,
    # on ggml's GGUF reader from that tree (tests/fuzz/CMakeLists.txt).
    message(STATUS "omni: OMNI_FUZZ builds the sim engine only (LLAMA_OMNI_DIR: for the model-check target)")
    set(OMNI_FUZZ_LLAMA_DIR "${LLAMA_OMNI_DIR}")
    set(LLAMA_OMNI_DIR "")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
  message(STATUS "omni: fuzz targets on (clang ${CMAKE_CXX_COMPILER_VERSION}, libFuzzer, ASan + UBSan)")
endif()
