"""Writing many rows at once in the session's transaction, for the import.

Rows are plain tuples of storage values (numbers, text, dates as ``YYYY-MM-DD``, times as
``YYYY-MM-DD HH:MM:SS.ffffff``) handed to the driver as they are: one ``executemany`` per
batch on SQLite, one ``COPY`` on PostgreSQL (sent by a thread of its own, ``CopyThread``, so
the server takes in one batch while the import prepares the next). What the database can
derive from the rows is left to it, in one statement per table rather than once per row: the
audit rows of actors, sources and the like (``factdb.record.audit.audit_inserts``) and, on
SQLite, the full-text index of the new statements (and the statements' indexes, after a large
load).
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    TextClause,
    bindparam,
    column,
    event,
    func,
    insert,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex

from factdb.interchange.ids import IdAllocator
from factdb.record.audit import audit_inserts
from factdb.store import tables

# The trigger of migration 0002 that indexes each new statement, exactly as SQLite stores
# it. While the import writes, it is dropped and the new rows indexed in one statement
# after; a database whose trigger reads otherwise keeps its trigger.
_FTS_TRIGGER = text(
    "CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN\n"
    "        INSERT INTO statements_fts(rowid, text, quote, note)\n"
    "        VALUES (new.id, new.text, new.quote, new.note);\n"
    "    END"
)
_FTS_TRIGGER_SQL = text(
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'statements_fts_insert'"
)
_DROP_FTS_TRIGGER = text("DROP TRIGGER statements_fts_insert")
_INDEX_SQL = text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table")
# PostgreSQL: the secondary indexes of a table (not those behind a primary key or a unique
# constraint) and the foreign keys of tables, each with the statement that creates it as it
# is now (``pg_get_indexdef``, ``pg_get_constraintdef``).
_PG_INDEXES = text(
    "SELECT t.relname, i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
    "WHERE t.relname = :table AND t.relnamespace = to_regnamespace(current_schema()) "
    "AND NOT x.indisunique AND NOT x.indisprimary ORDER BY i.relname"
)
_DROP_PG_INDEX = "DROP INDEX {1}"
# The memory each index build may sort in, for the rest of the import's transaction: at least
# 256 MB (the server's default is 64 MB), as the PostgreSQL manual advises for bulk loads;
# the full-text GIN index of 100,000 statements builds in about 15% less time.
_PG_INDEX_MEMORY = text(
    "SELECT set_config('maintenance_work_mem', '256MB', true) "
    "WHERE pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('256MB')"
)
_PG_FOREIGN_KEYS = text(
    "SELECT t.relname, c.conname, 'ALTER TABLE ' || quote_ident(t.relname) || "
    "' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid) "
    "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
    "WHERE c.contype = 'f' AND t.relname = ANY(:tables) "
    "AND t.relnamespace = to_regnamespace(current_schema()) ORDER BY t.relname, c.conname"
)
_DROP_PG_KEY = "ALTER TABLE {0} DROP CONSTRAINT {1}"
_fts = table("statements_fts", column("rowid"), column("text"), column("quote"), column("note"))
_new = tables.statements
_INDEX_NEW_STATEMENTS = insert(_fts).from_select(
    ["rowid", "text", "quote", "note"],
    select(_new.c.id, _new.c.text, _new.c.quote, _new.c.note)
    .where(_new.c.id.between(bindparam("first"), bindparam("last")))
    .order_by(_new.c.id),
)


# Rows per insert. SQLite: one ``executemany`` each; larger batches were slower (more
# objects alive at once for the garbage collector to walk). PostgreSQL: one COPY each. A
# COPY waits twice for the server (its start and its end), and after each wait the COPY
# thread must win the interpreter lock back from the import's thread, which is building
# rows: about 5 ms each time. Ten times fewer COPYs took the statements of 100,000 from
# 2.7-3.4 s to 2.1-2.4 s, for 23 MiB more memory.
BATCH = 1000
COPY_BATCH = 10_000


def storage_time(value: dt.datetime) -> str:
    """A timestamp as SQLAlchemy stores it on SQLite (PostgreSQL reads the same text)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


class BulkWriter:
    """Inserts of tuples through the driver, on the session's connection and transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.connection = session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"
        self.batch = COPY_BATCH if self.postgres else BATCH  # rows a caller should send at once
        driver = self.connection.connection.driver_connection
        self.cursor: Any = driver.cursor()  # type: ignore[union-attr]
        self._sql: dict[tuple[str, tuple[str, ...]], str] = {}
        self._allocators: dict[str, IdAllocator] = {}
        self._copies: CopyThread | None = None

    def ids(self, table_name: str) -> IdAllocator:
        """The id allocator of ``table_name`` (one per table, so its ranges are known)."""
        allocator = self._allocators.get(table_name)
        if allocator is None:
            allocator = self._allocators[table_name] = IdAllocator(self.session, table_name)
        return allocator

    def insert(
        self, table_name: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """Insert ``rows``, each a tuple of values for ``columns`` in that order."""
        if not rows:
            return
        if self._copies is not None:
            self._copies.send(table_name, columns, rows)
        elif self.postgres:
            copy_rows(self.cursor, table_name, columns, rows)
        else:
            self.cursor.executemany(self._insert_sql(table_name, columns), rows)

    def _insert_sql(self, table_name: str, columns: tuple[str, ...]) -> str:
        sql = self._sql.get((table_name, columns))
        if sql is None:
            target = tables.metadata.tables[table_name]
            compiled = (
                insert(target)
                .values({name: bindparam(name) for name in columns})
                .compile(dialect=self.connection.dialect)
            )
            if tuple(compiled.positiontup or ()) != columns:
                raise ValueError(f"{table_name}: give the columns in the table's order")
            sql = self._sql[(table_name, columns)] = str(compiled)
        return sql

    def audit(self, table_name: str, at: dt.datetime) -> None:
        """The audit rows of every row this writer inserted into ``table_name``."""
        allocator = self._allocators.get(table_name)
        if allocator is not None:
            audit_inserts(self.connection, table_name, allocator.ranges(), at)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Around all the writing. PostgreSQL: the batches are copied in by a thread of its
        own (``CopyThread``) until the end of this block, which waits for the last of them.
        SQLite: a 16 MiB page cache instead of the default 2 MiB, so the pages being filled
        stay in memory rather than being spilled to the write-ahead log and read back (more
        does not help, and each index rebuilt after the load may sort in as much again); a
        connection set to another size keeps it."""
        if self.postgres:
            copies = self._copies = CopyThread(self.connection, self.cursor)
            try:
                yield
                copies.wait()
            finally:
                copies.close()
                self._copies = None
            return
        if self.cursor.execute("PRAGMA cache_size").fetchone()[0] != -2000:
            yield
            return
        self.cursor.execute("PRAGMA cache_size = -16384")
        try:
            yield
        finally:
            self.cursor.execute("PRAGMA cache_size = -2000")

    @contextmanager
    def deferred_indexes(self, table_name: str, new_rows: int) -> Iterator[None]:
        """When the new rows at least double the table: its secondary indexes are dropped
        and built again once the rows are in (one sort per index instead of an insertion
        per row and index), in the import's transaction. SQLite: only indexes that read
        exactly as the metadata declares them are touched. PostgreSQL: every index not
        behind a primary key or unique constraint (the full-text GIN index too), rebuilt
        from its own definition; the table is held exclusively until the import commits."""
        target = tables.metadata.tables[table_name]
        existing = self.connection.scalar(select(func.count()).select_from(target)) or 0
        if new_rows < max(existing, 1):
            yield
            return
        if self.postgres:
            self.connection.execute(_PG_INDEX_MEMORY)
            with self._rebuilt(_PG_INDEXES, {"table": table_name}, _DROP_PG_INDEX):
                yield
            return
        rows = self.connection.execute(_INDEX_SQL, {"table": table_name})
        stored: dict[str, str] = {name: sql for name, sql in rows}
        dialect = self.connection.dialect
        indexes = [
            index
            for index in sorted(target.indexes, key=lambda index: str(index.name))
            if not index.unique
            and stored.get(str(index.name)) == str(CreateIndex(index).compile(dialect=dialect))
        ]
        for index in indexes:
            index.drop(self.connection)
        try:
            yield
        finally:
            if self._in_transaction():
                for index in indexes:
                    index.create(self.connection)

    @contextmanager
    def deferred_foreign_keys(self, table_names: Sequence[str], new_rows: int) -> Iterator[None]:
        """PostgreSQL, when the new rows at least double the statements: the foreign keys
        of ``table_names`` are dropped while the rows go in and added back once they are in,
        in the import's transaction. Adding a key back checks every row against the table
        it points to in one join, instead of one trigger call per row and key; a row that
        breaks one fails the import as the trigger would have. (The PostgreSQL manual's
        advice for populating a database.) Dropping a key locks both its tables exclusively
        until the import commits. SQLite checks its keys as it writes."""
        existing = self.connection.scalar(select(func.count()).select_from(tables.statements)) or 0
        if not self.postgres or new_rows < max(existing, 1):
            yield
            return
        with self._rebuilt(_PG_FOREIGN_KEYS, {"tables": list(table_names)}, _DROP_PG_KEY):
            yield

    @contextmanager
    def _rebuilt(
        self, listing: TextClause, parameters: dict[str, Any], drop: str
    ) -> Iterator[None]:
        """PostgreSQL: drop what ``listing`` returns as (table, name, definition) rows with
        ``drop`` (formatted with the quoted table and name), and run each definition again
        afterwards unless the transaction has failed (then it all rolls back anyway)."""
        found = self.connection.execute(listing, parameters).all()
        for table_name, name, _definition in found:
            quoted = self.connection.dialect.identifier_preparer.quote
            self.connection.exec_driver_sql(drop.format(quoted(table_name), quoted(name)))
        try:
            yield
        finally:
            if self._in_transaction():
                for _table_name, _name, definition in found:
                    self.connection.exec_driver_sql(definition)

    @contextmanager
    def deferred_search_index(self) -> Iterator[None]:
        """SQLite: while statements are inserted, no per-row trigger call; afterwards the
        new statements are indexed in one statement and the trigger is put back, all in the
        import's transaction (a crash or an error rolls all of it back)."""
        if self.postgres or self.connection.scalar(_FTS_TRIGGER_SQL) != _FTS_TRIGGER.text:
            yield
            return
        self.connection.execute(_DROP_FTS_TRIGGER)
        try:
            yield
        finally:
            if self._in_transaction():
                for first, last in self.ids("statements").ranges():
                    self.connection.execute(_INDEX_NEW_STATEMENTS, {"first": first, "last": last})
                self.connection.execute(_FTS_TRIGGER)

    def _in_transaction(self) -> bool:
        """Whether the import's transaction is still open and usable: after an error SQLite
        may have rolled it back already, and with it whatever was dropped came back; a
        PostgreSQL transaction that failed refuses every statement until rolled back."""
        if self._copies is not None:
            self._copies.wait_quietly()
        if self.postgres:
            from psycopg.pq import TransactionStatus

            status = self.cursor.connection.info.transaction_status
            return bool(status == TransactionStatus.INTRANS)
        return bool(self.cursor.connection.in_transaction)


class CopyThread:
    """PostgreSQL: ``COPY … FROM STDIN`` of each batch of rows, one after the other, by a
    thread of its own on the import's connection and transaction, so the server takes in one
    batch while the import prepares the next (two cores, twice the work done at once).

    At most two batches wait. Nothing else may use the connection meanwhile: while the thread
    runs, any statement SQLAlchemy sends on the connection, and its commit, first wait for the
    batches sent before it (``wait``). A COPY that fails makes every later ``send`` and
    ``wait`` raise its error, in the import's thread; the batches after it are not sent."""

    def __init__(self, connection: Connection, cursor: Any) -> None:
        self._connection = connection
        self._cursor = cursor
        self._batches: queue.Queue[tuple[str, tuple[str, ...], list[Any]] | None]
        self._batches = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="factdb-copy", daemon=True)
        self._thread.start()
        event.listen(connection, "before_cursor_execute", self._before_statement)
        event.listen(connection, "commit", self._before_commit)

    def send(self, table_name: str, columns: tuple[str, ...], rows: Sequence[Any]) -> None:
        """Queue ``rows`` (copied: the caller may reuse its list)."""
        self._raise()
        self._batches.put((table_name, columns, list(rows)))

    def wait(self) -> None:
        """Wait until every batch sent is in the table; raise the error of one that failed."""
        self._batches.join()
        self._raise()

    def wait_quietly(self) -> None:
        """Wait for the batches sent, leaving a failure to the error already under way."""
        self._batches.join()

    def close(self) -> None:
        """Wait for the batches sent and stop the thread, raising nothing: after ``wait``,
        or after an error already under way."""
        event.remove(self._connection, "before_cursor_execute", self._before_statement)
        event.remove(self._connection, "commit", self._before_commit)
        self._batches.put(None)
        self._thread.join()

    def _before_statement(self, *_args: Any) -> None:
        self.wait()

    def _before_commit(self, _connection: Connection) -> None:
        self.wait()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            batch = self._batches.get()
            try:
                if batch is None:
                    return
                if self._error is None:
                    copy_rows(self._cursor, *batch)
            except BaseException as exc:  # handed to the import's thread
                self._error = exc
            finally:
                self._batches.task_done()


def copy_rows(
    cursor: Any, table_name: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """PostgreSQL: ``rows`` into ``table_name`` by one ``COPY … FROM STDIN``."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table_name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
