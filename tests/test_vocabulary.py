"""Every list of kinds, verdicts, statuses, precisions and stances comes from
``factdb.vocabulary``: the schema's CHECK constraints, the CLI's choices, the library's and
the import's validators, and each mapping keyed by one of them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import every_command
from typer._types import TyperChoice
from typer.testing import CliRunner

from factdb.cli import app
from factdb.cli.actors import KIND_HELP
from factdb.cli.report_text import STATUS_COLOURS
from factdb.cli.statements import RESPONSE_COMMANDS
from factdb.errors import InvalidInput
from factdb.interchange.claimreview import VERDICT_SCORES
from factdb.interchange.claimreview_ratings import WORDINGS
from factdb.interchange.format import parse_actor, parse_statement
from factdb.interchange.plover import PLOVER_MAPPING
from factdb.queries.claim_list import check_status
from factdb.queries.positions import POSITIONS
from factdb.reports.labels import (
    KIND_COLOURS,
    KIND_LABELS,
    POSITION_LABELS,
    RESPONSE_SECTIONS,
    STANCE_COLOURS,
)
from factdb.reports.model import RESPONSE_GROUPS, SUMMARY_KINDS
from factdb.rules import check_kind
from factdb.store import tables
from factdb.vocabulary import (
    ACTOR_KINDS,
    AUDIT_ACTIONS,
    PRECISIONS,
    RESPONSE_KINDS,
    STANCES,
    STATEMENT_KINDS,
    STATUSES,
    VERDICTS,
)

# a list check, "(kind = 'claim' OR kind = 'denial' OR …)" (migration 0004)
_ONE_OF = re.compile(r"\((\w+) = '\w+'(?: OR \1 = '\w+')+\)")


def test_the_check_constraints_list_the_vocabulary() -> None:
    listed: dict[str, tuple[str, ...]] = {}
    for table in tables.metadata.sorted_tables:
        for constraint in table.constraints:
            text = str(getattr(constraint, "sqltext", ""))
            for found in _ONE_OF.finditer(text):
                listed[f"{table.name}.{found[1]}"] = tuple(re.findall(r"= '(\w+)'", found[0]))
    assert listed == {
        "actors.kind": ACTOR_KINDS,
        "affiliations.start_precision": PRECISIONS,
        "affiliations.end_precision": PRECISIONS,
        "statements.kind": STATEMENT_KINDS,
        "statements.verdict": VERDICTS,
        "statements.date_precision": PRECISIONS,
        "sources.published_precision": PRECISIONS,
        "audit_log.action": AUDIT_ACTIONS,
    }


def test_the_command_line_choices_are_the_vocabulary() -> None:
    choices = {
        f"{path} {param.opts[0]}": param.type.choices
        for path, command in every_command()
        for param in command.params
        if isinstance(param.type, TyperChoice) and param.opts[0] != "--format"
    }
    assert choices == {
        "factdb claim edit --verdict": VERDICTS,
        "factdb claim list --status": STATUSES,
        "factdb fact-check --verdict": VERDICTS,
        "factdb responses --kind": RESPONSE_KINDS,
        "factdb search --kind": STATEMENT_KINDS,
        "factdb similar --kind": STATEMENT_KINDS,
    }
    listed = ", ".join(ACTOR_KINDS[:-1]) + f" or {ACTOR_KINDS[-1]}"
    assert f"Kind of actor: {listed}." == KIND_HELP  # actor --kind (a callback, not a choice)
    assert STATEMENT_KINDS[1:] == RESPONSE_KINDS
    assert {kind for kind, _example in RESPONSE_COMMANDS.values()} == set(RESPONSE_KINDS) - {
        "fact_check"
    }  # fact-check has a command of its own, with --verdict


def test_a_wrong_choice_is_refused_with_the_vocabulary_listed() -> None:
    result = CliRunner().invoke(app, ["search", "x", "--kind", "rumour"])
    assert (result.exit_code, result.output) == (
        2,
        "error: Invalid value for '--kind' / '-k': 'rumour' is not one of "
        f"{', '.join(STATEMENT_KINDS)} (see `factdb search --help`)\n",
    )


def _message(check: object) -> str:
    with pytest.raises(InvalidInput) as refused:
        check()  # type: ignore[operator]
    return str(refused.value)


def test_the_validators_list_the_vocabulary() -> None:
    def statement(**fields: str) -> object:
        record = {"type": "statement", "ref": "a", "by": "X", "text": "t", **fields}
        return lambda: parse_statement(record, 1)

    assert _message(statement(kind="rumour")) == (
        f"kind: 'rumour' is not a statement kind; use one of {', '.join(STATEMENT_KINDS)}"
    )
    assert _message(statement(kind="fact_check", responds_to="b", verdict="meh")) == (
        f"verdict: 'meh' is not a verdict; use one of {', '.join(VERDICTS)}"
    )
    actor_kinds = ", ".join(ACTOR_KINDS)
    assert _message(lambda: parse_actor({"type": "actor", "name": "X", "kind": "nation"}, 1)) == (
        f"kind: 'nation' is not an actor kind; use one of {actor_kinds}"
    )
    assert _message(lambda: check_kind("nation")) == (
        f"kind: 'nation' is not an actor kind; use one of {actor_kinds}"
    )
    assert _message(lambda: check_status("refuted")) == (
        f"status: 'refuted' is not one of {', '.join(STATUSES)}"
    )


def test_each_mapping_keyed_by_a_list_covers_it() -> None:
    assert tuple(PLOVER_MAPPING) == STATEMENT_KINDS
    assert tuple(KIND_LABELS) == STATEMENT_KINDS
    assert tuple(KIND_COLOURS) == STATEMENT_KINDS
    assert tuple(SUMMARY_KINDS) == STATEMENT_KINDS
    assert tuple(RESPONSE_GROUPS) == RESPONSE_KINDS
    assert tuple(RESPONSE_SECTIONS) == tuple(RESPONSE_GROUPS.values())
    assert tuple(WORDINGS) == VERDICTS
    assert tuple(VERDICT_SCORES) == VERDICTS[:-1]  # "unproven" has no place on a scale
    assert tuple(POSITION_LABELS) == STANCES
    assert tuple(STANCE_COLOURS) == (*STANCES, "assessed")
    assert (*STANCES, "assessed:<verdict>") == POSITIONS
    assert set(STATUS_COLOURS) == set(STATUSES)


def test_the_vocabulary_imports_nothing_but_the_standard_library() -> None:
    probe = (
        "import sys; before = set(sys.modules); import factdb.vocabulary; "
        "print(sorted(m for m in set(sys.modules) - before "
        "if m.split('.')[0] not in sys.stdlib_module_names))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "['factdb', 'factdb.vocabulary']"
