"""No SQL built from strings: every query goes through SQLAlchemy with bound parameters.

Two guards: ruff's S608 (enabled in pyproject.toml) flags SQL-looking f-strings and
concatenations, and the scan below flags any ``text()`` / ``exec_driver_sql()`` /
``executescript()`` / ``literal_column()`` / ``DDL()`` call whose SQL is not a literal, and any
``execute()`` whose SQL is an f-string, ``%`` or ``+`` expression or ``.format()`` call. The
few reviewed exceptions are listed with the reason they are safe.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL_CALLS = {"text", "exec_driver_sql", "executescript", "literal_column", "DDL"}
EXECUTE_CALLS = {"execute", "exec_driver_sql", "executescript"}

# (file, enclosing function, SQL argument as written): reviewed, no user data can reach them.
REVIEWED = {
    # a module constant (an int), never user input
    (
        "factdb/store/engine.py",
        "_configure_sqlite.on_connect",
        "f'PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}'",
    ),
    # mode is one of two literals chosen from an execution option
    ("factdb/store/engine.py", "_configure_sqlite.on_begin", "f'BEGIN {mode}'"),
    # migration DDL from a fixed list of statements written in the revision file
    ("migrations/0002_search_and_query_indexes.py", "upgrade", "statement"),
    ("migrations/0002_search_and_query_indexes.py", "downgrade", "statement"),
    # a table rebuilt from its own stored schema text, with check texts of the revision file
    ("migrations/0004_checks_as_or_chains.py", "rebuild_sqlite_table", "statement"),
    # a large PostgreSQL import drops and recreates the database's own indexes and foreign
    # keys: names read from the catalog (quoted by the dialect) into fixed DROP templates,
    # definitions as the server prints them (pg_get_indexdef, pg_get_constraintdef)
    ("factdb/interchange/bulk.py", "_rebuilt", "drop.format(quoted(table_name), quoted(name))"),
    ("factdb/interchange/bulk.py", "_rebuilt", "definition"),
}


def _built(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _sqlalchemy_names(tree: ast.Module) -> set[str]:
    """Local names bound to SQLAlchemy's SQL-from-text constructors (``from sqlalchemy
    import text``), so an unrelated helper also called ``text`` is not mistaken for one."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names.update(alias.asname or alias.name for alias in node.names)
    return names & SQL_CALLS | {"exec_driver_sql", "executescript"}


def sql_from_strings(path: Path, root: Path = ROOT) -> list[tuple[str, str, str]]:
    """Calls in ``path`` that run SQL which is not a string literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = _sqlalchemy_names(tree)
    found: list[tuple[str, str, str]] = []
    where: list[str] = []

    class Visitor(ast.NodeVisitor):
        def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
            where.append(node.name)
            self.generic_visit(node)
            where.pop()

        def visit_Call(self, node: ast.Call) -> None:
            func = node.func
            if isinstance(func, ast.Name):
                name, qualified = func.id, func.id in imported
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                name = func.attr
                qualified = name in {"exec_driver_sql", "executescript"} or (
                    name in SQL_CALLS and owner in {"sa", "sqlalchemy"}
                )
            else:
                name, qualified = "", False
            if node.args:
                sql = node.args[0]
                if (qualified and not _literal(sql)) or (name in EXECUTE_CALLS and _built(sql)):
                    relative = path.relative_to(root).as_posix()
                    found.append((relative, ".".join(where), ast.unparse(sql)))
            self.generic_visit(node)

    Visitor().visit(tree)
    return found


def test_no_sql_is_built_from_strings_outside_the_reviewed_list() -> None:
    files = sorted([*(ROOT / "factdb").rglob("*.py"), *(ROOT / "migrations").glob("*.py")])
    found = {hit for path in files for hit in sql_from_strings(path)}
    assert found - REVIEWED == set()


def test_the_scan_catches_sql_built_with_user_data(tmp_path: Path) -> None:
    source = (
        "from sqlalchemy import text\n"
        "def find(connection, name):\n"
        "    connection.execute(text(f\"SELECT * FROM actors WHERE name = '{name}'\"))\n"
        "    connection.execute(text('SELECT 1 WHERE x = ' + name))\n"
        "    connection.exec_driver_sql('DELETE FROM t WHERE n = %s' % name)\n"
        "    connection.execute('SELECT {}'.format(name))\n"
        "    connection.execute(text('SELECT * FROM actors WHERE name = :name'), {'name': name})\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    assert sql_from_strings(probe, tmp_path) == [
        ("probe.py", "find", "f\"SELECT * FROM actors WHERE name = '{name}'\""),
        ("probe.py", "find", "'SELECT 1 WHERE x = ' + name"),
        ("probe.py", "find", "'DELETE FROM t WHERE n = %s' % name"),
        ("probe.py", "find", "'SELECT {}'.format(name)"),
    ]


def test_ruff_s608_fires_on_an_fstring_select_in_the_package() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    probe = (
        "def find(name: str) -> str:\n    return f\"SELECT * FROM actors WHERE name = '{name}'\"\n"
    )
    result = subprocess.run(
        [
            str(ruff),
            "check",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--stdin-filename",
            "factdb/probe.py",
            "--output-format",
            "concise",
            "-",
        ],
        input=probe,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "S608" in result.stdout
