# Placeholder: the llama-omni adapter is wired here (see capi/src/llama_omni/).
message(FATAL_ERROR "omni: LLAMA_OMNI_DIR is set (${LLAMA_OMNI_DIR}) but the llama-omni adapter is not built yet")
