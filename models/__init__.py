"""Model files for omni: where a model folder is looked for, download and tiny test sets.

Submodules:
  layout   -- find_model_dir() and the file names the generator and the download write
              (the engine resolves the files inside a folder: capi/src/llama_omni/llama_omni_files.h)
  download -- fetch the published MiniCPM-o 4.5 GGUF files (huggingface_hub)
  tiny     -- generate tiny random/scripted model sets that the real engine loads
"""

from .layout import LLM_DEFAULT, find_model_dir  # noqa: F401
