"""Import of factdb JSON Lines (version 1): check everything, then write all or nothing.

The stream is read once; the stages of ``factdb.interchange.load`` then run in turn over
one shared ``Job``: ``read`` checks each line on its own and spools the cleaned statements
and sources to a temporary file, ``resolve`` finds what names and ``responds_to`` stand for
in the file and the database, ``checks`` applies the rules that span records, ``plan``
compares what already exists and counts what is new, and only when no problem was found
does ``write`` write, in batches. Memory holds the actors, one small entry per ref and per
URL, and one batch of rows; never the whole file.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from factdb.interchange.load import checks, plan, read, resolve, write
from factdb.interchange.load.spool import Spool
from factdb.interchange.load.state import MAX_PROBLEMS, Counts, ImportResult, Job, Progress

__all__ = ["MAX_PROBLEMS", "Counts", "ImportResult", "Progress", "import_jsonl"]


def import_jsonl(
    session: Session,
    lines: Iterable[str] | Iterable[bytes],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import factdb JSON Lines into the session's transaction.

    ``lines`` may be text or bytes (bytes are decoded per line, so bad UTF-8 is reported with
    its line number). Raises ``InvalidInput`` listing up to ``MAX_PROBLEMS`` problems, one per
    line of the message, each as ``line N: field: problem``; nothing is written then.
    ``progress`` is called with increments of work done: every input line counts once when
    checked and once when written, so the total is twice the number of lines.
    """
    # Begin the transaction (on SQLite: take the write lock) before reading anything, so a
    # lock that cannot be had fails before the stream is consumed.
    session.connection()
    with Spool() as spool:
        job = Job(session, spool, progress)
        read.read(job, lines)
        if not job.stopped:
            _check(job)
        job.raise_problems()
        job.result.dry_run = dry_run
        if not dry_run:
            write.write(job)
        return job.result


def _check(job: Job) -> None:
    """Everything after reading, in order: each step may rely on the ones before."""
    resolve.load_actors(job)
    checks.check_actors(job)
    resolve.resolve_names(job)
    resolve.resolve_parents(job)
    checks.check_cycles(job)
    checks.check_dates(job)
    checks.check_retractions(job)
    checks.check_subjects(job)
    plan.find_existing(job)
    plan.compare_spooled(job)
    checks.warn_early_answers(job)
    plan.count(job)
