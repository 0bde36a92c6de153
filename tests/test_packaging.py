"""Packaging: the entry points, a light start-up, and a wheel that works on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import factdb_executable

from factdb import __version__
from factdb.store.schema import HEAD_REVISION

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sqlalchemy", "alembic", "psycopg")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTDB_")}
    return {**env, **extra}


def test_version_matches_the_package_metadata() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert __version__ == project["version"]
    done = subprocess.run(
        [factdb_executable(), "--version"], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"factdb {__version__}\n", "")


def test_python_dash_m_factdb_shows_help(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "factdb", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=clean_env(COLUMNS="100"),
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: python -m factdb [OPTIONS] COMMAND" in done.stdout
    assert " db " in done.stdout


def test_starting_up_does_not_import_the_database_stack() -> None:
    """``factdb --help`` (and ``db --help``) must not pay for SQLAlchemy, Alembic or psycopg."""
    probe = (
        "import json, sys\n"
        "import factdb.cli\n"
        "loaded = {'import': sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)}\n"
        "for argv in (['--help'], ['db', '--help'], ['--version']):\n"
        "    sys.argv = ['factdb', *argv]\n"
        "    try:\n"
        "        factdb.cli.main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "loaded['help'] = sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)\n"
        "sys.stderr.write(json.dumps(loaded))\n"
    ).replace("HEAVY", repr(HEAVY))
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=clean_env()
    )
    assert json.loads(done.stderr) == {"import": [], "help": []}


def test_importtime_shows_no_database_modules() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import factdb.cli"],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(),
    )
    assert done.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()[1:]]
    assert "factdb.cli" in imported
    assert [name for name in imported if name.split(".")[0] in HEAVY] == []


def build_wheel(folder: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(folder),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = folder.glob("factdb-*.whl")
    return wheel


def test_the_wheel_carries_its_migrations(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    migrations = sorted(n for n in names if n.startswith("factdb/_migrations/"))
    expected = sorted(f"factdb/_migrations/{p.name}" for p in (ROOT / "migrations").glob("*.py"))
    assert migrations == expected
    assert "factdb/_alembic/env.py" in names
    assert "factdb/_alembic/script.py.mako" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]


@pytest.mark.slow
def test_a_plain_wheel_install_creates_and_upgrades_its_database(tmp_path: Path) -> None:
    """A fresh venv, ``pip install factdb-*.whl`` (not editable), run away from the checkout."""
    wheel = build_wheel(tmp_path / "dist")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()

    def factdb(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(env_dir / "bin" / "factdb"), *args],
            capture_output=True,
            text=True,
            cwd=work,
            env=clean_env(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data")),
            timeout=120,
        )

    located = subprocess.run(
        [str(python), "-c", "import factdb.store.migrate as m; print(m.version_locations())"],
        capture_output=True,
        text=True,
        cwd=work,
        check=True,
    ).stdout.strip()
    assert Path(located).is_relative_to(env_dir)

    first = work / "new.sqlite3"
    done = factdb("--db", str(first), "db", "upgrade")
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        f"created {first} at schema {HEAD_REVISION}\n",
        "",
    )
    done = factdb("--db", str(first), "db", "check", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["models_agree"] is True

    # An ordinary command on the default database creates it at head on first use.
    done = factdb("actor", "list", "--format", "json")
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr
    default = tmp_path / "data" / "factdb" / "factdb.sqlite3"
    done = factdb("db", "path", "--format", "json")
    assert json.loads(done.stdout)["database"] == str(default)
    assert json.loads(done.stdout)["state"] == "current"
    assert factdb("--version").stdout == f"factdb {__version__}\n"
