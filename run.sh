#!/usr/bin/env bash
# Start omni: sets itself up on first use (system packages, .venv, the omni package; see
# scripts/setup.sh), then runs omni-server with the flags given. Later runs start at once.
#
#   ./run.sh [--download] [omni-server flags: --simplex/--duplex, --port, --model-dir, ...]
#
# With LLAMA_OMNI_DIR=/path/to/llama.cpp-omni the real engine is built in, and when no model
# files are found it offers to download the published MiniCPM-o 4.5 GGUF set (--download: without
# asking) into ~/.cache/omni/models, where the server finds it.
set -euo pipefail
. "$(dirname "$0")/scripts/setup.sh"

download=0 explicit_models=0 sim=0 server_args=()
for arg in "$@"; do
  case "$arg" in
    --download) download=1; continue ;;
    --model-dir|--model-dir=*) explicit_models=1 ;;
    --engine=sim) sim=1 ;;
    -h|--help)
      echo "run.sh: sets omni up on first use, then runs omni-server with these flags."
      echo "  --download   download the MiniCPM-o 4.5 GGUF set if no model files are found (no question asked)"
      echo ;;
  esac
  server_args+=("$arg")
done
# "--engine sim" is two words
for ((i = 0; i + 1 < ${#server_args[@]}; i++)); do
  [ "${server_args[i]}" = --engine ] && [ "${server_args[i+1]}" = sim ] && sim=1
done

omni_setup_system "$OMNI_PACKAGES_RUN"
omni_setup_venv
omni_setup_package models

py="$OMNI_VENV/bin/python"
# Model files: offered only where they can be used (the real engine is built in) or asked for.
if [ "$explicit_models" = 0 ] && [ "$sim" = 0 ]; then
  if [ "$download" = 1 ]; then
    "$py" -m models.download --if-missing || exit 1
  elif grep -q '^llama_omni_dir=.' "$OMNI_STAMP"; then  # the real engine is built in
    "$py" -m models.download --if-missing --ask || exit 1
  fi
fi

exec "$OMNI_VENV/bin/omni-server" ${server_args[@]+"${server_args[@]}"}
