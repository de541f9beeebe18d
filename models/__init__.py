"""Model files for omni: seed layout, discovery, download and tiny test sets.

Submodules:
  layout   -- file names of the seed layout, find_model_dir(), describe_model_dir(), adapter_options()
  download -- fetch the published MiniCPM-o 4.5 GGUF files (huggingface_hub)
  tiny     -- generate tiny random/scripted model sets that the real engine loads
"""

from .layout import (  # noqa: F401
    LLM_DEFAULT,
    adapter_options,
    describe_model_dir,
    find_model_dir,
)
