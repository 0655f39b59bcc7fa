"""`make test` installs the system packages its tests need, or stops at once saying which (README:
the two commands are the whole contract). The list lives in scripts/system-packages.sh, shared by
`make test`, `make bench` and CI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-packages.sh"


def fake_bin(tmp_path: Path, uid: int) -> Path:
    """A PATH with bash and cut but neither chromium nor wrk; `id -u` answers `uid`, and apt-get
    records its arguments and then provides the commands it was asked for."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "cut"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "id").write_text(f"#!{shutil.which('bash')}\necho {uid}\n")
    chmod = shutil.which("chmod")
    (bin_dir / "apt-get").write_text(
        f"#!{shutil.which('bash')}\n"
        f'echo "$*" >> {tmp_path}/apt-get.log\n'
        'if [[ $1 == install ]]; then for p in "$@"; do\n'
        f'  [[ $p == -* || $p == install ]] || {{ echo "#!/bin/true" > {bin_dir}/$p; {chmod} +x {bin_dir}/$p; }}\n'
        "done; fi\n"
    )
    for tool in ("id", "apt-get"):
        (bin_dir / tool).chmod(0o755)
    return bin_dir


def run_script(bin_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": str(bin_dir), "HOME": str(bin_dir.parent)}
    return subprocess.run(
        [str(bin_dir / "bash"), str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=30
    )


def test_without_root_a_missing_package_stops_at_once_with_one_line_naming_it_and_the_command(tmp_path):
    result = run_script(fake_bin(tmp_path, uid=1000), "test")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    # PostgreSQL 15's server (the drill's clusters) is on the machine: its probe is a real file.
    assert "缺少系统软件包：chromium wrk flite pgbackrest" in lines[0]
    assert "apt-get install -y chromium wrk flite pgbackrest" in lines[0]
    assert not (tmp_path / "apt-get.log").exists()


def test_as_root_the_missing_packages_are_installed_with_apt_get(tmp_path):
    bin_dir = fake_bin(tmp_path, uid=0)
    result = run_script(bin_dir, "test")
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt-get.log").read_text().splitlines()
    assert calls == ["update -qq", "install -y -qq chromium wrk flite pgbackrest"]
    assert run_script(bin_dir, "test").returncode == 0
    assert len((tmp_path / "apt-get.log").read_text().splitlines()) == 2  # nothing left to install


def test_the_lists_name_what_the_browser_tests_the_bench_and_the_drill_need(tmp_path):
    bin_dir = fake_bin(tmp_path, uid=1000)
    assert run_script(bin_dir, "--list", "test").stdout.split() == [
        "chromium", "fonts-noto-cjk", "wrk", "flite", "postgresql-15", "pgbackrest"
    ]  # fmt: skip
    assert run_script(bin_dir, "--list", "bench").stdout.split() == ["wrk", "postgresql"]
    assert run_script(bin_dir, "--list", "drill").stdout.split() == ["postgresql-15", "pgbackrest"]


def test_make_test_and_make_bench_check_the_packages_before_anything_else():
    env = {**os.environ, "MAKEFLAGS": ""}
    for target, purpose, then in (
        ("test", "test", "pytest"),
        ("bench", "bench", "bench.run"),
        ("drill", "drill", "deploy/drill.py"),
    ):
        plan = subprocess.run(
            ["make", "-n", "-B", target], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
        ).stdout.splitlines()
        first = next(i for i, line in enumerate(plan) if "scripts/system-packages.sh" in line)
        assert plan[first].strip() == f"scripts/system-packages.sh {purpose}"
        assert first < next(i for i, line in enumerate(plan) if then in line)
        assert not any("pip install" in line for line in plan[:first])


def test_ci_installs_nothing_itself_and_runs_the_readmes_make_test():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get" not in ci
    assert "make test" in ci
