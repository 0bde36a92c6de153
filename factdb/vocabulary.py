"""The record's words, each list once: kinds, verdicts, statuses, date precisions, stances.

The tables' CHECK constraints, the library's validators, the import formats and the CLI's
choices all read these tuples (a test holds every consumer to them). Plain tuples, no
imports: this module is on the start-up path of every command, ``--help`` included.
The order is meaningful: it is the order of the CHECK constraints' lists (and so of the
DDL), of the error messages that list the choices, and of ``--help``.
"""

from __future__ import annotations

from typing import Literal

ACTOR_KINDS = (
    "state",
    "person",
    "ministry",
    "organization",
    "armed_group",
    "international_org",
    "media",
    "other",
)

STATEMENT_KINDS = (
    "claim",
    "denial",
    "dispute",
    "endorsement",
    "admission",
    "retraction",
    "fact_check",
)
# Every kind but the claim answers another statement.
RESPONSE_KINDS = STATEMENT_KINDS[1:]

# A fact-check's verdict, from most to least supportive of the statement checked.
VERDICTS = ("true", "mostly_true", "mixed", "mostly_false", "false", "unproven")

Precision = Literal["year", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")

# A claim's derived status (factdb.queries.status), "unanswered" first.
STATUSES = (
    "unanswered",
    "denied",
    "disputed",
    "endorsed",
    "contested",
    "admitted",
    "retracted",
)

# What an audit-log entry records (factdb.record.audit).
AUDIT_ACTIONS = ("insert", "update", "delete", "restore", "merge")

# Where an actor stands on a statement (factdb.queries.positions); a fact-check's stance is
# "assessed:<verdict>" instead.
STANCES = ("supports", "opposes", "questions", "concedes", "withdrawn")
