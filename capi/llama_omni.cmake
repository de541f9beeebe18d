# llama_omni.cmake — the "llama-omni" engine, built when LLAMA_OMNI_DIR names a llama.cpp-omni
# source tree (tc-mb/llama.cpp-omni, pull request 4 head, commit ede7fc1). We only #include its
# headers and link its libraries; none of its code is copied into this project.
#
#   LLAMA_OMNI_DIR        the source tree (environment or -D; pip install . honours the env)
#   LLAMA_OMNI_BUILD_DIR  a folder where that tree was already built with BUILD_SHARED_LIBS=ON
#                         (environment or -D; default ${LLAMA_OMNI_DIR}/build when it holds libomni)
#
# Without a prebuilt folder, the needed upstream targets (omni and what it links) are built here,
# inside this build: add_subdirectory of the user's tree, so its own options (GGML_CUDA,
# GGML_METAL, CMAKE_CUDA_ARCHITECTURES, GGML_NATIVE, ...) pass straight through -D or CMAKE_ARGS,
# and the build graph knows every library it produces. (ExternalProject would have needed each
# option forwarded by hand and a second configure step.)
#
# Installing copies the shared libraries libomni_c loads from there next to it, with an
# $ORIGIN (@loader_path) rpath, plus the tree's default voice reference: an installed omni does
# not need the tree afterwards.

set(LLAMA_OMNI_PINNED_COMMIT "ede7fc1")
get_filename_component(LLAMA_OMNI_DIR "${LLAMA_OMNI_DIR}" ABSOLUTE)

set(_lo_omni_h "${LLAMA_OMNI_DIR}/tools/omni/omni.h")
if(NOT EXISTS "${_lo_omni_h}")
  message(FATAL_ERROR "omni: LLAMA_OMNI_DIR=${LLAMA_OMNI_DIR} is not a llama.cpp-omni tree (no tools/omni/omni.h)")
endif()

# The API this adapter is written against (commit ${LLAMA_OMNI_PINNED_COMMIT}): refuse older trees
# early instead of failing deep in a compile.
file(READ "${_lo_omni_h}" _lo_header)
foreach(_sym stream_prefill_from_memory wav_callback tts_chunk_callback break_event omni_stop_threads)
  string(FIND "${_lo_header}" "${_sym}" _pos)
  if(_pos EQUAL -1)
    message(FATAL_ERROR "omni: ${_lo_omni_h} lacks '${_sym}': use llama.cpp-omni at commit ${LLAMA_OMNI_PINNED_COMMIT}")
  endif()
endforeach()
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${LLAMA_OMNI_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${LLAMA_OMNI_DIR}" rev-parse --short=7 HEAD
                  OUTPUT_VARIABLE _lo_head OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_lo_head AND NOT _lo_head STREQUAL LLAMA_OMNI_PINNED_COMMIT)
    message(WARNING "omni: llama.cpp-omni is at ${_lo_head}; the adapter is tested at ${LLAMA_OMNI_PINNED_COMMIT}")
  endif()
else()
  set(_lo_head "not a git checkout; API checked")
endif()

# ---- where libomni comes from: a folder built before, or this build -------------------------
if(NOT LLAMA_OMNI_BUILD_DIR)
  set(LLAMA_OMNI_BUILD_DIR "$ENV{LLAMA_OMNI_BUILD_DIR}")
endif()
set(_lo_prebuilt_required ON)
if(NOT LLAMA_OMNI_BUILD_DIR)
  set(LLAMA_OMNI_BUILD_DIR "${LLAMA_OMNI_DIR}/build")
  set(_lo_prebuilt_required OFF)
endif()
get_filename_component(LLAMA_OMNI_BUILD_DIR "${LLAMA_OMNI_BUILD_DIR}" ABSOLUTE)

# Libraries as its CMake lays them out (shared: bin/; static: src/, ggml/src/, tools/omni/).
set(_lo_libdirs "${LLAMA_OMNI_BUILD_DIR}/bin" "${LLAMA_OMNI_BUILD_DIR}/lib" "${LLAMA_OMNI_BUILD_DIR}/src"
    "${LLAMA_OMNI_BUILD_DIR}/ggml/src" "${LLAMA_OMNI_BUILD_DIR}/tools/omni" "${LLAMA_OMNI_BUILD_DIR}/common")
find_library(_lo_prebuilt_omni NAMES omni PATHS ${_lo_libdirs} NO_DEFAULT_PATH NO_CACHE)
if(NOT _lo_prebuilt_omni AND _lo_prebuilt_required)
  message(FATAL_ERROR "omni: libomni not found under LLAMA_OMNI_BUILD_DIR=${LLAMA_OMNI_BUILD_DIR}; build llama.cpp-omni "
                      "there (cmake -B build -DBUILD_SHARED_LIBS=ON && cmake --build build --target omni), or leave "
                      "LLAMA_OMNI_BUILD_DIR unset and omni's build compiles it")
endif()

if(_lo_prebuilt_omni)
  set(_lo_libs "")
  foreach(_name omni llama ggml ggml-base)
    find_library(LLAMA_OMNI_LIB_${_name} NAMES ${_name} PATHS ${_lo_libdirs} NO_DEFAULT_PATH NO_CACHE)
    if(NOT LLAMA_OMNI_LIB_${_name})
      message(FATAL_ERROR "omni: lib${_name} not found under ${LLAMA_OMNI_BUILD_DIR}; rebuild llama.cpp-omni "
                          "(cmake -B build -DBUILD_SHARED_LIBS=ON && cmake --build build --target omni)")
    endif()
    list(APPEND _lo_libs "${LLAMA_OMNI_LIB_${_name}}")
  endforeach()
  # Every ggml backend that was built (cpu, metal, cuda, blas, ...) — libggml needs them at link
  # time when GGML_BACKEND_DL is off.
  file(GLOB _lo_backends "${LLAMA_OMNI_BUILD_DIR}/bin/libggml-*${CMAKE_SHARED_LIBRARY_SUFFIX}"
                         "${LLAMA_OMNI_BUILD_DIR}/bin/libggml-*${CMAKE_STATIC_LIBRARY_SUFFIX}")
  list(FILTER _lo_backends EXCLUDE REGEX "libggml-base")
  list(APPEND _lo_libs ${_lo_backends})
  find_library(LLAMA_OMNI_LIB_common NAMES common PATHS "${LLAMA_OMNI_BUILD_DIR}/common" ${_lo_libdirs}
               NO_DEFAULT_PATH NO_CACHE)
  if(LLAMA_OMNI_LIB_common)
    list(APPEND _lo_libs "${LLAMA_OMNI_LIB_common}")
  endif()
  get_filename_component(_lo_runtime_dir "${LLAMA_OMNI_LIB_omni}" DIRECTORY)
  set(_lo_from "prebuilt in ${LLAMA_OMNI_BUILD_DIR}")
else()
  # Build the upstream targets as part of this build. A function gives the options below their
  # own scope, so they shape only the upstream tree.
  function(omni_add_llama_omni_tree src)
    set(BUILD_SHARED_LIBS ON)            # libomni, libllama, libggml* as shared libraries
    set(LLAMA_BUILD_COMMON ON)           # libomni links common
    set(LLAMA_BUILD_TOOLS OFF)           # only tools/omni, added below
    set(LLAMA_BUILD_TESTS OFF)
    set(LLAMA_BUILD_EXAMPLES OFF)
    set(LLAMA_BUILD_SERVER OFF)
    set(LLAMA_CURL OFF)                  # no downloads, no libcurl needed
    set(LLAMA_TOOLS_INSTALL OFF)
    set(CMAKE_LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bin")  # where upstream puts its own
    set(CMAKE_RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bin")
    # Our sanitizer and warning flags are for our code; upstream builds as its own project would.
    get_directory_property(_copts COMPILE_OPTIONS)
    get_directory_property(_lopts LINK_OPTIONS)
    set_directory_properties(PROPERTIES COMPILE_OPTIONS "" LINK_OPTIONS "")
    # EXCLUDE_FROM_ALL: only what omni_c links gets built, and upstream's install rules stay out.
    add_subdirectory("${src}" "${CMAKE_BINARY_DIR}/llama.cpp-omni" EXCLUDE_FROM_ALL)
    add_subdirectory("${src}/tools/omni" "${CMAKE_BINARY_DIR}/llama.cpp-omni/tools/omni" EXCLUDE_FROM_ALL)
    set_directory_properties(PROPERTIES COMPILE_OPTIONS "${_copts}" LINK_OPTIONS "${_lopts}")
  endfunction()
  message(STATUS "omni: no llama.cpp-omni build in ${LLAMA_OMNI_BUILD_DIR}: building its libomni with this build")
  omni_add_llama_omni_tree("${LLAMA_OMNI_DIR}")
  set(_lo_libs omni llama ggml ggml-base)
  set(_lo_runtime_dir "${CMAKE_BINARY_DIR}/bin")
  set(_lo_from "built here into ${_lo_runtime_dir}")
endif()

target_sources(omni_c PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_engine.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_worker.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_truncate.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_files.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_options.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/vocoder_device.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/model_check.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/gguf_header_scan.cpp)
# llama.cpp-omni's headers and libraries as one target: libomni_c uses it, and so do the C tests
# that reach libomni's internals (tests/c/test_vocoder_parity.cpp).
add_library(omni_upstream INTERFACE)
target_include_directories(omni_upstream INTERFACE
  "${LLAMA_OMNI_DIR}" "${LLAMA_OMNI_DIR}/common" "${LLAMA_OMNI_DIR}/vendor" "${LLAMA_OMNI_DIR}/include"
  "${LLAMA_OMNI_DIR}/ggml/include" "${LLAMA_OMNI_DIR}/tools/omni")
target_compile_definitions(omni_upstream INTERFACE GGML_BACKEND_SHARED GGML_SHARED LLAMA_SHARED)
target_link_libraries(omni_upstream INTERFACE ${_lo_libs} Threads::Threads ${CMAKE_DL_LIBS})
set(OMNI_UPSTREAM_RUNTIME_DIR "${_lo_runtime_dir}" CACHE INTERNAL "where the llama.cpp-omni libraries are in the build tree")
target_compile_definitions(omni_c PRIVATE OMNI_WITH_LLAMA_OMNI)
target_link_libraries(omni_c PRIVATE omni_upstream)
# In the build tree, the libraries are found where they were built; once installed, beside libomni_c.
set_property(TARGET omni_c APPEND PROPERTY BUILD_RPATH "${_lo_runtime_dir}")
if(APPLE)
  set_property(TARGET omni_c PROPERTY INSTALL_RPATH "@loader_path")
else()
  set_property(TARGET omni_c PROPERTY INSTALL_RPATH "$ORIGIN")
endif()
install(CODE "set(OMNI_BUNDLE_LIBRARY \"$<TARGET_FILE:omni_c>\")
set(OMNI_BUNDLE_FROM \"${_lo_runtime_dir}\")
set(OMNI_BUNDLE_DESTINATION \"${OMNI_LIB_DESTINATION}\")
set(OMNI_BUNDLE_READELF \"${CMAKE_READELF}\")")
install(SCRIPT "${CMAKE_CURRENT_SOURCE_DIR}/llama_omni_bundle.cmake")

# The default voice reference: the tree's own WAV, copied beside libomni_c (build tree and
# install), so it outlives the tree. The engine also looks in the model folder first.
set(_lo_ref "${LLAMA_OMNI_DIR}/tools/omni/assets/default_ref_audio/default_ref_audio.wav")
if(EXISTS "${_lo_ref}")
  configure_file("${_lo_ref}" "${CMAKE_CURRENT_BINARY_DIR}/default_ref_audio.wav" COPYONLY)
  install(FILES "${CMAKE_CURRENT_BINARY_DIR}/default_ref_audio.wav" DESTINATION "${OMNI_LIB_DESTINATION}")
else()
  message(WARNING "omni: ${_lo_ref} is missing: llama-omni will need ref_audio=... or "
                  "default_ref_audio.wav in the model folder")
endif()

set(OMNI_WITH_LLAMA_OMNI ON PARENT_SCOPE)
message(STATUS "omni: engines sim + llama-omni (llama.cpp-omni ${LLAMA_OMNI_DIR}, ${_lo_head}; libomni ${_lo_from})")
