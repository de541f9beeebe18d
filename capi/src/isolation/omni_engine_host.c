/* omni-engine-host — the process an engine runs in when it is created with isolate=process.
 * libomni_c starts it (it lives beside the library) and talks to it over two sockets; it is
 * not meant to be run by hand. All it does is hand over to the library. */
int omni_engine_process_main(int argc, char **argv);

int main(int argc, char **argv) { return omni_engine_process_main(argc, argv); }
