"""scripts/setup.sh (what ./run.sh and ./test.sh do first) on systems it cannot or may not
change: the system tools it calls (uname, id, dpkg-query, apt-get, sudo) are stand-ins on PATH
that record their calls, so every case runs here without installing anything."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SETUP = REPO / "scripts" / "setup.sh"


def fake_system(tmp_path: Path, *, os_name="Linux", uid=1000, sudo=None, installed=()) -> Path:
    """A bin folder: bash, env, grep, cat, dirname and stand-ins; `sudo` is None (absent), 'nopass' or 'password'."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    for real in ("bash", "env", "grep", "cat", "dirname"):
        os.symlink(shutil.which(real), bin_dir / real)

    def script(name, body):
        p = bin_dir / name
        p.write_text(f"#!{shutil.which('bash')}\necho \"{name} $*\" >> {calls}\n{body}\n")
        p.chmod(p.stat().st_mode | stat.S_IEXEC)

    script("uname", f"echo {os_name}")
    script("id", f"echo {uid}")
    if os_name == "Linux":
        listed = " ".join(installed)
        script("dpkg-query", f'for p in {listed}; do [ "${{@: -1}}" = "$p" ] && {{ echo "install ok installed"; exit 0; }}; done; exit 1')
        script("apt-get", "exit 0")
    if sudo == "nopass":
        script("sudo", '[ "$1" = -n ] && exit 0; exec "$@"')
    elif sudo == "password":
        script("sudo", '[ "$1" = -n ] && exit 1; exec "$@"')
    return bin_dir


def setup_system(bin_dir: Path, lists='"$OMNI_PACKAGES_RUN"'):
    r = subprocess.run([str(bin_dir / "bash"), "-c", f'set -euo pipefail; . "{SETUP}"; omni_setup_system {lists}'],
                       env={"PATH": str(bin_dir), "PYTHON": "python3-absent"}, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=30)
    calls = (bin_dir.parent / "calls").read_text() if (bin_dir.parent / "calls").exists() else ""
    return r.returncode, r.stdout + r.stderr, calls


@pytest.fixture(autouse=True)
def _bash():
    if shutil.which("bash") is None:
        print("bash is missing, so the set-up scripts cannot run here")
        pytest.skip("bash is missing")


def test_an_unsupported_system_names_what_to_install_by_hand(tmp_path):
    rc, out, calls = setup_system(fake_system(tmp_path, os_name="SunOS"))
    assert rc == 1, out
    assert "neither apt-get (Debian, Ubuntu) nor Homebrew (macOS)" in out
    assert "cmake" in out and "compiles libomni_c" in out and "OMNI_SKIP_SYSTEM_PACKAGES=1" in out, out


def test_debian_without_root_or_sudo_says_what_root_must_run(tmp_path):
    rc, out, calls = setup_system(fake_system(tmp_path, uid=1000, sudo=None))
    assert rc == 1, out
    assert "not root and has no sudo" in out and "As root, run: apt-get install -y cmake g++ make" in out, out
    assert "apt-get" not in calls  # nothing was attempted


def test_sudo_that_needs_a_password_without_a_terminal_says_what_to_run(tmp_path):
    rc, out, calls = setup_system(fake_system(tmp_path, uid=1000, sudo="password"))
    assert rc == 1 and "sudo needs a password and there is no terminal" in out, out
    assert "Run: sudo apt-get install -y cmake" in out and "apt-get" not in calls


def test_debian_as_a_user_with_sudo_installs_only_what_is_missing_and_says_why(tmp_path):
    bin_dir = fake_system(tmp_path, uid=1000, sudo="nopass", installed=("libsndfile1-dev", "libjpeg-dev"))
    rc, out, calls = setup_system(bin_dir)
    assert rc == 0, out
    assert "installing Debian packages with sudo" in out and "libpng-dev" in out and "checks PNG images" in out, out
    install = [c for c in calls.splitlines() if c.startswith("apt-get install")]
    assert len(install) == 1 and "libpng-dev" in install[0] and "cmake" in install[0], calls
    assert "libsndfile1-dev" not in install[0] and "libjpeg-dev" not in install[0], install
    assert "sudo env DEBIAN_FRONTEND=noninteractive apt-get update" in calls, calls


def test_as_root_nothing_missing_means_no_output_and_no_install(tmp_path):
    bin_dir = fake_system(tmp_path, uid=0, installed=("libsndfile1-dev", "libjpeg-dev", "libpng-dev"))
    for tool in ("cmake", "c++", "make", "pkg-config"):
        os.symlink(bin_dir / "cat", bin_dir / tool)
    rc, out, calls = setup_system(bin_dir)
    assert rc == 0 and out == "", out
    assert "apt-get" not in calls and "sudo" not in calls
