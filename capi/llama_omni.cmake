# llama_omni.cmake — the "llama-omni" engine, built when LLAMA_OMNI_DIR names a llama.cpp-omni
# source tree (tc-mb/llama.cpp-omni, pull request 4 head, commit ede7fc1) that the user built
# with its own CMake. We only #include its headers and link its libraries; none of its code
# is copied into this project.
#
#   LLAMA_OMNI_DIR        the source tree (environment or -D; pip install . honours the env)
#   LLAMA_OMNI_BUILD_DIR  its build folder (default ${LLAMA_OMNI_DIR}/build)

set(LLAMA_OMNI_PINNED_COMMIT "ede7fc1")
get_filename_component(LLAMA_OMNI_DIR "${LLAMA_OMNI_DIR}" ABSOLUTE)
if(NOT LLAMA_OMNI_BUILD_DIR)
  set(LLAMA_OMNI_BUILD_DIR "$ENV{LLAMA_OMNI_BUILD_DIR}")
endif()
if(NOT LLAMA_OMNI_BUILD_DIR)
  set(LLAMA_OMNI_BUILD_DIR "${LLAMA_OMNI_DIR}/build")
endif()

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

# Libraries as its CMake lays them out (shared: bin/; static: src/, ggml/src/, tools/omni/).
set(_lo_libdirs "${LLAMA_OMNI_BUILD_DIR}/bin" "${LLAMA_OMNI_BUILD_DIR}/lib" "${LLAMA_OMNI_BUILD_DIR}/src"
    "${LLAMA_OMNI_BUILD_DIR}/ggml/src" "${LLAMA_OMNI_BUILD_DIR}/tools/omni" "${LLAMA_OMNI_BUILD_DIR}/common")
set(_lo_libs "")
foreach(_name omni llama ggml ggml-base)
  find_library(LLAMA_OMNI_LIB_${_name} NAMES ${_name} PATHS ${_lo_libdirs} NO_DEFAULT_PATH NO_CACHE)
  if(NOT LLAMA_OMNI_LIB_${_name})
    message(FATAL_ERROR "omni: lib${_name} not found under ${LLAMA_OMNI_BUILD_DIR}; build llama.cpp-omni first "
                        "(cmake -B build -DBUILD_SHARED_LIBS=ON && cmake --build build --target omni) or set LLAMA_OMNI_BUILD_DIR")
  endif()
  list(APPEND _lo_libs "${LLAMA_OMNI_LIB_${_name}}")
endforeach()
# Every ggml backend that was built (cpu, metal, cuda, blas, ...) — libggml needs them at link time
# when GGML_BACKEND_DL is off.
file(GLOB _lo_backends "${LLAMA_OMNI_BUILD_DIR}/bin/libggml-*${CMAKE_SHARED_LIBRARY_SUFFIX}"
                       "${LLAMA_OMNI_BUILD_DIR}/bin/libggml-*${CMAKE_STATIC_LIBRARY_SUFFIX}")
list(FILTER _lo_backends EXCLUDE REGEX "libggml-base")
list(APPEND _lo_libs ${_lo_backends})
find_library(LLAMA_OMNI_LIB_common NAMES common PATHS "${LLAMA_OMNI_BUILD_DIR}/common" ${_lo_libdirs}
             NO_DEFAULT_PATH NO_CACHE)
if(LLAMA_OMNI_LIB_common)
  list(APPEND _lo_libs "${LLAMA_OMNI_LIB_common}")
endif()

target_sources(omni_c PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_engine.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_worker.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_files.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/llama_omni/llama_omni_options.cpp)
target_include_directories(omni_c PRIVATE
  "${LLAMA_OMNI_DIR}" "${LLAMA_OMNI_DIR}/common" "${LLAMA_OMNI_DIR}/vendor" "${LLAMA_OMNI_DIR}/include"
  "${LLAMA_OMNI_DIR}/ggml/include" "${LLAMA_OMNI_DIR}/tools/omni")
set(_lo_ref "${LLAMA_OMNI_DIR}/tools/omni/assets/default_ref_audio/default_ref_audio.wav")
target_compile_definitions(omni_c PRIVATE OMNI_WITH_LLAMA_OMNI OMNI_LLAMA_OMNI_DEFAULT_REF="${_lo_ref}"
  GGML_BACKEND_SHARED GGML_SHARED LLAMA_SHARED)
target_link_libraries(omni_c PRIVATE ${_lo_libs} Threads::Threads ${CMAKE_DL_LIBS})
# Find libomni & co. where they were built, from the build tree and after `pip install .` alike.
set_property(TARGET omni_c APPEND PROPERTY BUILD_RPATH "${LLAMA_OMNI_BUILD_DIR}/bin")
set_property(TARGET omni_c APPEND PROPERTY INSTALL_RPATH "${LLAMA_OMNI_BUILD_DIR}/bin")
set(OMNI_WITH_LLAMA_OMNI ON PARENT_SCOPE)
message(STATUS "omni: engines sim + llama-omni (llama.cpp-omni ${LLAMA_OMNI_DIR}, ${_lo_head}; libs ${LLAMA_OMNI_BUILD_DIR})")
