# The examples in capi/examples/<language>/ load libomni_c, run one sim turn, interrupt a
# second one, write the reply WAV and check what they got. Each is built with `cmake --build`
# and run by ctest when its toolchain is found; otherwise configuring says which tool is
# missing. Their build caches stay in this build folder; nothing is downloaded.
set(OMNI_LANG_DIR "${CMAKE_CURRENT_BINARY_DIR}/languages")
set(OMNI_EXAMPLES "${PROJECT_SOURCE_DIR}/capi/examples")
set(OMNI_LIB_DIR "$<TARGET_FILE_DIR:omni_c>")
set(OMNI_HEADER "${PROJECT_SOURCE_DIR}/capi/include/omni_c.h")
set(OMNI_QUESTION "${OMNI_TEST_DATA}/speech_en.wav")
if(APPLE)
  set(OMNI_LIB_PATH_VAR DYLD_LIBRARY_PATH)
else()
  set(OMNI_LIB_PATH_VAR LD_LIBRARY_PATH)
endif()

# Sanitized build: all four run against the ASan + UBSan libomni_c. Their own runtimes are
# not built with ASan, so the ASan runtime must be loaded first (LD_PRELOAD, as for node).
# Go and Rust programs allocate C memory only through the library: leaks are checked.
# Mono and the JVM turn SIGSEGV into NullReferenceException / implicit null checks and keep
# exit-time allocations that are not ours: ASan leaves SIGSEGV to them and checks no leaks.
set(OMNI_ASAN_ENV "")
set(OMNI_ASAN_ENV_MANAGED "")
if(OMNI_SANITIZE)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so OUTPUT_VARIABLE _asan OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libubsan.so OUTPUT_VARIABLE _ubsan OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(OMNI_ASAN_ENV "LD_PRELOAD=${_asan}:${_ubsan}")
  set(OMNI_ASAN_ENV_MANAGED "LD_PRELOAD=${_asan}:${_ubsan}" "ASAN_OPTIONS=detect_leaks=0:handle_segv=0")
endif()

# -- Go (cgo), event callback --------------------------------------------------------------
find_program(GO_EXECUTABLE go)
if(GO_EXECUTABLE)
  set(_out "${OMNI_LANG_DIR}/go/omni_turn")
  add_custom_command(OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E env GOCACHE=${OMNI_LANG_DIR}/go/cache GOPATH=${OMNI_LANG_DIR}/go/path
            GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-modcacherw CGO_ENABLED=1
            "CGO_CFLAGS=-I${PROJECT_SOURCE_DIR}/capi/include"
            "CGO_LDFLAGS=-L${OMNI_LIB_DIR} -Wl,-rpath,${OMNI_LIB_DIR}"
            ${GO_EXECUTABLE} build -buildvcs=false -o ${_out} .
    WORKING_DIRECTORY ${OMNI_EXAMPLES}/go
    DEPENDS ${OMNI_EXAMPLES}/go/omni_turn.go ${OMNI_EXAMPLES}/go/go.mod ${OMNI_HEADER} omni_c
    COMMENT "Building the Go consumer (cgo)" VERBATIM)
  add_custom_target(go_consumer_build ALL DEPENDS ${_out})
  add_test(NAME go_consumer COMMAND ${_out} ${OMNI_QUESTION} ${OMNI_LANG_DIR}/go/reply.wav)
  set_tests_properties(go_consumer PROPERTIES TIMEOUT 60 ENVIRONMENT "${OMNI_ASAN_ENV}")
else()
  message(STATUS "omni: Go consumer test not registered: go not found (Debian: golang-go)")
endif()

# -- Rust (cargo, no crates), pull API -------------------------------------------------------
find_program(CARGO_EXECUTABLE cargo)
if(CARGO_EXECUTABLE)
  set(_out "${OMNI_LANG_DIR}/rust/release/omni_turn")
  add_custom_command(OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E env CARGO_TARGET_DIR=${OMNI_LANG_DIR}/rust OMNI_C_LIB_DIR=${OMNI_LIB_DIR}
            ${CARGO_EXECUTABLE} build --offline --locked --release --quiet
    WORKING_DIRECTORY ${OMNI_EXAMPLES}/rust
    DEPENDS ${OMNI_EXAMPLES}/rust/src/main.rs ${OMNI_EXAMPLES}/rust/build.rs ${OMNI_EXAMPLES}/rust/Cargo.toml
            ${OMNI_EXAMPLES}/rust/Cargo.lock omni_c
    COMMENT "Building the Rust consumer (cargo --offline)" VERBATIM)
  add_custom_target(rust_consumer_build ALL DEPENDS ${_out})
  add_test(NAME rust_consumer COMMAND ${_out} ${OMNI_QUESTION} ${OMNI_LANG_DIR}/rust/reply.wav)
  set_tests_properties(rust_consumer PROPERTIES TIMEOUT 60 ENVIRONMENT "${OMNI_ASAN_ENV}")
else()
  message(STATUS "omni: Rust consumer test not registered: cargo not found (Debian: cargo)")
endif()

# -- C# (Mono, P/Invoke), pull API -----------------------------------------------------------
find_program(MCS_EXECUTABLE mcs)
find_program(MONO_EXECUTABLE mono)
if(MCS_EXECUTABLE AND MONO_EXECUTABLE)
  set(_out "${OMNI_LANG_DIR}/csharp/OmniTurn.exe")
  add_custom_command(OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${OMNI_LANG_DIR}/csharp
    COMMAND ${MCS_EXECUTABLE} -nologo -warnaserror -out:${_out} ${OMNI_EXAMPLES}/csharp/OmniTurn.cs
    DEPENDS ${OMNI_EXAMPLES}/csharp/OmniTurn.cs
    COMMENT "Building the C# consumer (mcs)" VERBATIM)
  add_custom_target(csharp_consumer_build ALL DEPENDS ${_out})
  add_test(NAME csharp_consumer COMMAND ${MONO_EXECUTABLE} ${_out} ${OMNI_QUESTION} ${OMNI_LANG_DIR}/csharp/reply.wav)
  # DllImport("omni_c") finds the library on the platform's library path.
  set_tests_properties(csharp_consumer PROPERTIES TIMEOUT 60
                       ENVIRONMENT "${OMNI_LIB_PATH_VAR}=${OMNI_LIB_DIR};${OMNI_ASAN_ENV_MANAGED}")
else()
  message(STATUS "omni: C# consumer test not registered: mcs/mono not found (Debian: mono-devel)")
endif()

# -- Java (JNA), pull API ---------------------------------------------------------------------
find_package(Java COMPONENTS Development Runtime QUIET)
find_file(JNA_JAR jna.jar PATHS /usr/share/java DOC "JNA's jar (Debian: libjna-java)")
if(Java_JAVAC_EXECUTABLE AND Java_JAVA_EXECUTABLE AND JNA_JAR)
  set(_classes "${OMNI_LANG_DIR}/java")
  add_custom_command(OUTPUT ${_classes}/OmniTurn.class
    COMMAND ${Java_JAVAC_EXECUTABLE} -Xlint:all,-serial -Werror -cp ${JNA_JAR} -d ${_classes} ${OMNI_EXAMPLES}/java/OmniTurn.java
    DEPENDS ${OMNI_EXAMPLES}/java/OmniTurn.java
    COMMENT "Building the Java consumer (javac + JNA)" VERBATIM)
  add_custom_target(java_consumer_build ALL DEPENDS ${_classes}/OmniTurn.class)
  # jna.tmpdir: JNA's scratch folder, which is ~/.cache/JNA otherwise.
  add_test(NAME java_consumer COMMAND ${Java_JAVA_EXECUTABLE} -Djna.tmpdir=${_classes}/jna-tmp
           -cp ${JNA_JAR}:${_classes} OmniTurn $<TARGET_FILE:omni_c> ${OMNI_QUESTION} ${_classes}/reply.wav)
  set_tests_properties(java_consumer PROPERTIES TIMEOUT 60 ENVIRONMENT "${OMNI_ASAN_ENV_MANAGED}")
elseif(NOT JNA_JAR)
  message(STATUS "omni: Java consumer test not registered: jna.jar not found (Debian: libjna-java; or -DJNA_JAR=...)")
else()
  message(STATUS "omni: Java consumer test not registered: javac/java not found (Debian: openjdk-17-jdk)")
endif()
