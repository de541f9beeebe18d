// isolation.h — an engine in a process of its own (host option isolate=process).
//
// An engine that aborts, segfaults or calls exit() takes its process with it. Run in a child
// process (omni-engine-host, started by this library), such a fault costs the running turn an
// ERROR event and the engine a restart with the same options; the application goes on. The
// engine sees the same calls and sends the same events as in-process, over a local socket
// (wire.h); docs/reliability.md gives what it costs and why it is the default for llama-omni.
#pragma once

#include <memory>
#include <string>

#include "../engine.h"

namespace omni::isolation {

// `kind` created in an engine process with `engine_options` (the kind's own options, already
// validated); its events reach `sink`. Throws what the engine's creation threw (e.g.
// OMNI_ERR_MODEL), or OMNI_ERR_UNSUPPORTED when engine processes cannot be started here.
std::unique_ptr<Engine> create_isolated(const EngineKind &kind, const OptionValues &engine_options, EventSink &sink);

// Why engine processes cannot be started here ("" when they can): omni-engine-host is not
// beside the library (a library copied on its own). isolate=auto then runs in-process.
std::string unavailable();

// True inside an engine process (a test hook of the sim engine crashes only there).
bool in_engine_process();

// The engine process's main loop on its sockets to the library (engine_process.cpp).
int engine_process_main(int requests_fd, int events_fd);

}  // namespace omni::isolation
