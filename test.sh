#!/usr/bin/env bash
# Prove omni works: sets up what the tests need (scripts/setup.sh: the system packages of
# ./run.sh plus the test tools, .venv with the test extras, npm packages), then runs the whole
# suite, tests/run_all.sh (C tests under ctest, again with sanitizers, then pytest).
#
#   ./test.sh [pytest args]        e.g. ./test.sh -x -q -k browser
set -euo pipefail
. "$(dirname "$0")/scripts/setup.sh"

omni_setup_system "$OMNI_PACKAGES_RUN" "$OMNI_PACKAGES_TEST"
omni_setup_venv
omni_setup_package test models
omni_setup_npm

. "$OMNI_VENV/bin/activate"
exec bash "$OMNI_ROOT/tests/run_all.sh" "$@"
