# Set-up shared by ./run.sh and ./test.sh (sourced, not run). Each step does only what is
# missing, says what it installs and why, and stops with a message naming what to install by
# hand when it cannot. Steps: system packages -> .venv -> the omni package -> npm packages.
#
# Environment: PYTHON (the Python 3.10+ that makes .venv; default python3), LLAMA_OMNI_DIR
# (build the real engine from that llama.cpp-omni tree), OMNI_SKIP_SYSTEM_PACKAGES=1 (you
# installed them yourself; skip the check).

OMNI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OMNI_VENV="$OMNI_ROOT/.venv"
OMNI_STAMP="$OMNI_VENV/omni-install.stamp"

# System packages, one per line: Debian name, Homebrew name ('-': not needed or not from
# Homebrew on macOS, 'xcode': comes with Xcode's command line tools), how to tell it is there
# (cmd:NAME a command on PATH, py:MODULE importable by $PYTHON, pkg: the package manager says
# it is installed), and why.
OMNI_PACKAGES_RUN='
cmake           cmake       cmd:cmake       configures the build of libomni_c, the C library inside the Python package
g++             xcode       cmd:c++         compiles libomni_c
make            xcode       cmd:make        runs the compiler for CMake
pkg-config      pkg-config  cmd:pkg-config  lets CMake find the audio and image libraries
libsndfile1-dev libsndfile  pkg:            reads WAV, FLAC, OGG and MP3 inside libomni_c
libjpeg-dev     jpeg-turbo  pkg:            checks JPEG images before they reach the engine
libpng-dev      libpng      pkg:            checks PNG images before they reach the engine
python3-venv    -           py:ensurepip    makes the virtual environment .venv with pip in it
'
OMNI_PACKAGES_TEST='
chromium        -           cmd:chromium    the browser tests drive the page in headless Chromium (/usr/bin/chromium)
fonts-noto-cjk  -           pkg:            Chinese text on the page renders in the browser tests
nodejs          node        cmd:node        the Node.js consumer test loads libomni_c with koffi
npm             -           cmd:npm         installs koffi for that test
espeak-ng       espeak-ng   cmd:espeak-ng   speaks real words when tests/make_test_data.py remakes the test speech
haproxy         haproxy     cmd:haproxy     the load-balancer tests put HAProxy in front of several servers
clang           xcode       cmd:clang       the C tests are also compiled with clang
libclang-rt-14-dev -        pkg:            libFuzzer and the sanitizer runtimes for clang 14 (Debian 12): the fuzz targets (tests/fuzz)
golang-go       go          cmd:go          the Go consumer test loads libomni_c (cgo)
cargo           rust        cmd:cargo       the Rust consumer test loads libomni_c
mono-devel      mono        cmd:mcs         the C# consumer test loads libomni_c
openjdk-17-jdk  openjdk@17  cmd:javac       the Java consumer test loads libomni_c
libjna-java     -           pkg:            JNA, with which the Java consumer test calls C
'

omni_say() { printf 'omni setup: %s\n' "$*" >&2; }
omni_fail() {
  printf 'omni setup: %s\n' "$@" >&2
  exit 1
}

# ---------------------------------------------------------------- system packages

_omni_os() {
  case "$(uname -s)" in
    Linux) if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then echo debian; else echo other; fi ;;
    Darwin) echo macos ;;
    *) echo other ;;
  esac
}

# _omni_present OS CHECK DEBIAN_NAME BREW_NAME -> 0 when the package is there
_omni_present() {
  local os=$1 check=$2 deb=$3 brew=$4
  case "$check" in
    cmd:*) command -v "${check#cmd:}" >/dev/null 2>&1 ;;
    py:*) [ -x "$OMNI_VENV/bin/python" ] || "${PYTHON:-python3}" -c "import ${check#py:}" >/dev/null 2>&1 ;;
    pkg:)
      if [ "$os" = macos ]; then brew list --versions "$brew" >/dev/null 2>&1
      else dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed'; fi ;;
    *) return 1 ;;
  esac
}

# omni_setup_system LIST... : install what is missing from the named package lists.
omni_setup_system() {
  [ "${OMNI_SKIP_SYSTEM_PACKAGES:-0}" = 1 ] && { omni_say "system packages: not checked (OMNI_SKIP_SYSTEM_PACKAGES=1)"; return 0; }
  local os; os=$(_omni_os)
  local missing=() whys=() manual=() deb brew check why list name
  for list in "$@"; do
    while read -r deb brew check why; do
      [ -n "$deb" ] || continue
      [ "$os" = macos ] && [ "$brew" = - ] && continue
      _omni_present "$os" "$check" "$deb" "$brew" && continue
      if [ "$os" = macos ]; then
        if [ "$brew" = xcode ]; then manual+=("$deb ($why): xcode-select --install"); continue; fi
        name=$brew
      else
        name=$deb
      fi
      missing+=("$name")
      whys+=("  $(printf '%-16s' "$name") $why")
    done <<<"$list"
  done
  if [ ${#missing[@]} -eq 0 ] && [ ${#manual[@]} -eq 0 ]; then
    return 0
  fi
  case "$os" in
    debian) _omni_apt_install "${missing[@]}" -- "${whys[@]}" ;;
    macos)
      [ ${#manual[@]} -eq 0 ] || omni_fail "missing, install by hand:" "${manual[@]/#/  }"
      command -v brew >/dev/null || omni_fail "these Homebrew packages are missing and Homebrew is not installed (https://brew.sh):" \
        "${whys[@]}" "then: brew install ${missing[*]}"
      omni_say "installing with Homebrew:" ; printf '%s\n' "${whys[@]}" >&2
      brew install "${missing[@]}" || omni_fail "brew install ${missing[*]} failed (see above)"
      ;;
    *)
      omni_fail "this system has neither apt-get (Debian, Ubuntu) nor Homebrew (macOS) to install what omni needs." \
        "Install these by hand (Debian names; your system's may differ):" "${whys[@]}" \
        "then run again with OMNI_SKIP_SYSTEM_PACKAGES=1."
      ;;
  esac
}

# _omni_apt_install PKG... -- WHY-LINE...
_omni_apt_install() {
  local pkgs=() whys=()
  while [ "$1" != -- ]; do pkgs+=("$1"); shift; done; shift
  whys=("$@")
  local as_root=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || omni_fail "these Debian packages are missing and this user is not root and has no sudo:" \
      "${whys[@]}" "As root, run: apt-get install -y ${pkgs[*]}" "then run this script again."
    if ! sudo -n true 2>/dev/null && ! [ -t 0 ]; then
      omni_fail "these Debian packages are missing; sudo needs a password and there is no terminal to ask for it:" \
        "${whys[@]}" "Run: sudo apt-get install -y ${pkgs[*]}" "then run this script again."
    fi
    sudo -n true 2>/dev/null || omni_say "sudo will ask for your password to install them"
    as_root=(sudo)
  fi
  omni_say "installing Debian packages$([ ${#as_root[@]} -gt 0 ] && echo ' with sudo'):"
  printf '%s\n' "${whys[@]}" >&2
  omni_say "(apt-get update, then apt-get install: a few minutes on a fresh machine)"
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    || omni_fail "apt-get update failed (see above)"
  ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null \
    || omni_fail "apt-get install ${pkgs[*]} failed (see above)"
}

# ---------------------------------------------------------------- Python

omni_setup_venv() {
  local py=${PYTHON:-python3}
  command -v "$py" >/dev/null || omni_fail "$py was not found: install Python 3.10 or newer (Debian: python3 python3-venv; macOS: brew install python)"
  if [ -x "$OMNI_VENV/bin/python" ] && "$OMNI_VENV/bin/python" -c '' 2>/dev/null; then
    return 0
  fi
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || omni_fail "omni needs Python 3.10 or newer; $py is $("$py" -V 2>&1). Set PYTHON=/path/to/python3.x"
  omni_say "making the virtual environment .venv ($("$py" -V 2>&1), $(command -v "$py"))"
  rm -rf "$OMNI_VENV"
  "$py" -m venv "$OMNI_VENV" || omni_fail "$py -m venv failed (Debian: apt-get install python3-venv)"
}

# omni_setup_package EXTRA... : pip install -e '.[EXTRAS]' into .venv when it was never done,
# when an extra is new, when LLAMA_OMNI_DIR changed, or when the C sources or the build
# description changed since (pip's build then reuses build/ and recompiles only what changed).
omni_setup_package() {
  local want=("$@") have=() llama="" reason="" e
  if [ -f "$OMNI_STAMP" ]; then
    read -r -a have < <(sed -n 's/^extras=//p' "$OMNI_STAMP" | tr ',' ' ') || true
    llama=$(sed -n 's/^llama_omni_dir=//p' "$OMNI_STAMP")
  else
    reason="first install"
  fi
  [ -x "$OMNI_VENV/bin/omni-server" ] || reason=${reason:-"omni-server is not in .venv"}
  for e in "${want[@]}"; do
    [[ " ${have[*]:-} " == *" $e "* ]] || { reason=${reason:-"the $e extras are new"}; have+=("$e"); }
  done
  if [ -n "${LLAMA_OMNI_DIR:-}" ]; then
    local dir; dir=$(cd "$LLAMA_OMNI_DIR" 2>/dev/null && pwd) || omni_fail "LLAMA_OMNI_DIR=$LLAMA_OMNI_DIR is not a folder"
    [ "$dir" = "$llama" ] || reason=${reason:-"LLAMA_OMNI_DIR is now $dir"}
    llama=$dir
  fi
  if [ -z "$reason" ] && [ -n "$(find "$OMNI_ROOT/capi" "$OMNI_ROOT/CMakeLists.txt" "$OMNI_ROOT/pyproject.toml" \
                                   -newer "$OMNI_STAMP" -print -quit 2>/dev/null)" ]; then
    reason="sources changed"
  fi
  [ -n "$reason" ] || return 0
  if [ -n "$llama" ] && [ ! -d "$llama" ]; then
    omni_say "note: $llama (the llama.cpp-omni tree of the last install) is gone; building without the real engine"
    llama=""
  fi
  local extras; extras=$(IFS=,; echo "${have[*]}")
  omni_say "installing omni into .venv ($reason): pip install -e '.[$extras]'"
  omni_say "  compiles libomni_c$([ -n "$llama" ] && echo " with the real engine from $llama") and fetches the Python packages it uses; the first time takes a few minutes"
  # LLAMA_OMNI_DIR is a CMake cache variable: pass it every time so that a change reaches a build folder made before.
  # CMAKE_BUILD_PARALLEL_LEVEL: CMake's own knob for compile jobs (JOBS, as tests/run_all.sh; default 2).
  LLAMA_OMNI_DIR="$llama" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-${JOBS:-2}}" \
    "$OMNI_VENV/bin/python" -m pip install -q -e "$OMNI_ROOT[$extras]" \
      --config-settings=cmake.define.LLAMA_OMNI_DIR="$llama" \
    || omni_fail "pip install failed (see above)"
  printf 'extras=%s\nllama_omni_dir=%s\n' "$extras" "$llama" >"$OMNI_STAMP"
}

# ---------------------------------------------------------------- npm

omni_setup_npm() {
  local dir="$OMNI_ROOT/tests/node" lock="$OMNI_ROOT/tests/node/node_modules/.package-lock.json"
  if [ -f "$lock" ] && [ -z "$(find "$dir/package.json" "$dir/package-lock.json" -newer "$lock" 2>/dev/null)" ]; then
    return 0
  fi
  omni_say "installing npm packages in tests/node (koffi, for the Node.js consumer test)"
  npm install --prefix "$dir" --no-audit --no-fund --silent || omni_fail "npm install in tests/node failed (see above)"
}
