# llama_omni_bundle.cmake — install-time step (install(SCRIPT) from llama_omni.cmake): copy the
# llama.cpp-omni shared libraries that libomni_c loads next to the installed libomni_c, so the
# install works after the llama.cpp-omni tree is gone.
#
# Set by the install(CODE) just before this script:
#   OMNI_BUNDLE_LIBRARY      libomni_c as built (its dependencies are resolved from there)
#   OMNI_BUNDLE_FROM         the folder of the llama.cpp-omni shared libraries
#   OMNI_BUNDLE_DESTINATION  install folder of libomni_c, relative to the prefix
#   OMNI_BUNDLE_READELF      readelf, to rewrite the libraries' rpath on ELF systems
#
# Only libraries under OMNI_BUNDLE_FROM are copied: system libraries (libc, libstdc++, libgomp,
# the CUDA runtime) stay the system's.

get_filename_component(_from "${OMNI_BUNDLE_FROM}" REALPATH)
file(GET_RUNTIME_DEPENDENCIES
  LIBRARIES "${OMNI_BUNDLE_LIBRARY}"
  DIRECTORIES "${_from}"
  RESOLVED_DEPENDENCIES_VAR _resolved
  UNRESOLVED_DEPENDENCIES_VAR _unresolved)
if(_unresolved)
  message(STATUS "omni: not bundled (system or unresolved): ${_unresolved}")
endif()

# file(INSTALL) adds $DESTDIR itself; the rpath step below works on the files as written.
set(_dest "${CMAKE_INSTALL_PREFIX}/${OMNI_BUNDLE_DESTINATION}")
if(IS_ABSOLUTE "${OMNI_BUNDLE_DESTINATION}")
  set(_dest "${OMNI_BUNDLE_DESTINATION}")
endif()

set(_bundled "")
foreach(_lib IN LISTS _resolved)
  get_filename_component(_real "${_lib}" REALPATH)
  string(FIND "${_real}" "${_from}/" _at)
  if(NOT _at EQUAL 0)
    continue()
  endif()
  # FOLLOW_SYMLINK_CHAIN: libfoo.so.1 -> libfoo.so.1.2 arrive as the same chain.
  file(INSTALL "${_lib}" DESTINATION "${_dest}" FOLLOW_SYMLINK_CHAIN)
  get_filename_component(_name "${_real}" NAME)
  list(APPEND _bundled "$ENV{DESTDIR}${_dest}/${_name}")
endforeach()
if(NOT _bundled)
  message(STATUS "omni: no llama.cpp-omni shared library to bundle (static build?)")
  return()
endif()

# The copies still carry the rpath of the folder they were built in. On ELF, an rpath is not
# inherited by a library's own dependencies, so each copy must find its siblings itself:
# entries that pointed into the build folder become $ORIGIN, other entries (e.g. a CUDA
# toolkit folder) stay. macOS needs nothing: @rpath lookups also use the rpaths of the
# loading chain, and libomni_c's is @loader_path.
if(APPLE OR NOT OMNI_BUNDLE_READELF)
  return()
endif()
foreach(_file IN LISTS _bundled)
  execute_process(COMMAND "${OMNI_BUNDLE_READELF}" -d "${_file}" OUTPUT_VARIABLE _dyn RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT _dyn MATCHES "\\((RPATH|RUNPATH)\\)[^[]*\\[([^]\n]*)\\]")
    continue()  # no rpath: the library needs none of its siblings
  endif()
  set(_old "${CMAKE_MATCH_2}")
  string(REPLACE ":" ";" _entries "${_old}")
  set(_new "")
  foreach(_e IN LISTS _entries)
    if(_e STREQUAL "")
      continue()  # an empty entry means the current directory: never wanted
    endif()
    get_filename_component(_e_real "${_e}" REALPATH)
    if(_e MATCHES "^\\$ORIGIN" OR _e_real STREQUAL _from)
      set(_e "$ORIGIN")
    endif()
    list(APPEND _new "${_e}")
  endforeach()
  list(REMOVE_DUPLICATES _new)
  string(REPLACE ";" ":" _new "${_new}")
  if(NOT _new STREQUAL _old)
    file(RPATH_CHANGE FILE "${_file}" OLD_RPATH "${_old}" NEW_RPATH "${_new}")
  endif()
endforeach()
message(STATUS "omni: bundled beside libomni_c: ${_bundled}")
