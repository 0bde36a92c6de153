"""The third stage: the rules that span records, each by ``factdb.rules`` (an actor is not
its own member, affiliations do not go in a circle, who may retract what, answers dated
before what they answer), and the file's actors against the database's."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import Row, select

from factdb import rules
from factdb.dates import format_date, period_end
from factdb.errors import InvalidInput
from factdb.interchange.format import S_ABOUT, S_LINE, ActorLine, name_key
from factdb.interchange.load import resolve
from factdb.interchange.load.state import IN_DATABASE, Job, chunks
from factdb.record.answer_dates import import_summary
from factdb.store import tables

# member -> (organization, first day, last day), days as ordinals (0 when open)
Graph = dict[int | str, list[tuple[int | str, int, int]]]


def check_actors(job: Job) -> None:
    """New actors must not take another actor's name or alias; existing ones must agree
    with the database."""
    for actor in job.actors.values():
        existing = job.db_named.get(actor.key)
        if existing is not None:
            _compare_actor(job, actor, existing)
            continue
        holders = job.db_aliases.get(actor.key)
        if holders:
            job.problem(
                actor.line,
                f"name: {actor.name!r} is already an alias of {resolve.label(job, min(holders))}",
            )
        for owner in job.alias_owners.get(actor.key, []):
            other = job.actors[owner]
            job.problem(
                other.line,
                f"aliases: {actor.name!r} is the name of another actor (line {actor.line})",
            )
        for position, alias in enumerate(actor.aliases):
            named = job.db_named.get(name_key(alias))
            if named is not None:
                job.problem(
                    actor.line,
                    f"aliases[{position}]: {alias!r} is the name of another actor, "
                    f"{resolve.label(job, named.id)}",
                )
    _check_affiliation_cycles(job)


def _compare_actor(job: Job, actor: ActorLine, existing: Row[Any]) -> None:
    """``existing``: the row of ``actors`` that has the file's actor's name."""
    label = f"the actor {existing.name!r} (#{existing.id}) already exists with"
    for key in ("kind", "country", "wikidata", "description"):
        if key in actor.given and getattr(actor, key) != getattr(existing, key):
            shown = getattr(existing, key)
            job.problem(actor.line, f"{key}: {label} {key} {shown!r}")
            return
    if "aliases" in actor.given:
        aliases = job.session.execute(
            select(tables.actor_aliases.c.alias, tables.actor_aliases.c.alias_key)
            .where(tables.actor_aliases.c.actor_id == existing.id)
            .order_by(tables.actor_aliases.c.id)
        ).all()
        have = sorted(alias.alias_key for alias in aliases)
        if sorted(name_key(alias) for alias in actor.aliases) != have:
            listed = ", ".join(alias.alias for alias in aliases) or "none"
            job.problem(actor.line, f"aliases: {label} other aliases ({listed})")
            return
    if "affiliations" in actor.given:
        try:
            wanted = sorted(_affiliation_terms(job, actor), key=repr)
        except InvalidInput:
            wanted = None
        have_terms = sorted(
            (
                resolve.live_id(job, row.organization_id),
                name_key(row.role or ""),
                format_date(row.start_date, row.start_precision),
                format_date(row.end_date, row.end_precision),
            )
            for row in job.session.execute(
                select(tables.affiliations).where(tables.affiliations.c.member_id == existing.id)
            )
        )
        if wanted != sorted(have_terms, key=repr):
            job.problem(actor.line, f"affiliations: {label} other affiliations")


def _affiliation_terms(job: Job, actor: ActorLine) -> list[tuple[Any, ...]]:
    terms: list[tuple[Any, ...]] = []
    for affiliation in actor.affiliations:
        target = resolve.actor_for(job, name_key(affiliation.organization))
        if not isinstance(target, int):
            raise InvalidInput("new organization")
        terms.append(
            (
                target,
                name_key(affiliation.role or ""),
                None if affiliation.start is None else str(affiliation.start),
                None if affiliation.end is None else str(affiliation.end),
            )
        )
    return terms


def _check_affiliation_cycles(job: Job) -> None:
    graph: dict[str, list[str]] = {}
    for actor in job.actors.values():
        if actor.key in job.db_named:
            continue
        seen_terms: set[tuple[Any, ...]] = set()
        for position, affiliation in enumerate(actor.affiliations):
            try:
                target = resolve.actor_for(job, name_key(affiliation.organization))
            except InvalidInput:
                continue  # reported with the names
            if target is None:
                continue
            if target is actor:
                job.problem(
                    actor.line,
                    f"affiliations[{position}].organization: {rules.member_of_itself(actor.name)}",
                )
                continue
            organization = target.key if isinstance(target, ActorLine) else target
            terms = (
                organization,
                name_key(affiliation.role or ""),
                str(affiliation.start),
                str(affiliation.end),
            )
            if terms in seen_terms:
                job.problem(
                    actor.line,
                    f"affiliations[{position}]: the same affiliation is listed twice",
                )
            seen_terms.add(terms)
            if isinstance(target, ActorLine):
                graph.setdefault(actor.key, []).append(target.key)
    in_circle: set[str] = set()
    for member, organizations in graph.items():
        if member in in_circle:
            continue
        for organization in organizations:
            chain = rules.path_up(organization, member, lambda key: graph.get(key, []))
            if chain:
                names = [job.actors[key].name for key in (member, *chain)]
                circle = rules.affiliation_circle(names)
                job.problem(job.actors[member].line, f"affiliations: {circle}")
                in_circle.update(chain)
                break


def check_cycles(job: Job) -> None:
    state = bytearray(len(job.parents))  # 0 new, 1 on the current path, 2 done
    for start in range(len(job.parents)):
        if state[start]:
            continue
        path: list[int] = []
        node = start
        while node >= 0 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = job.parents[node]
        if node >= 0 and state[node] == 1:
            cycle = path[path.index(node) :]
            refs = _refs_of(job, cycle)
            names = " → ".join(repr(refs[i]) for i in [*cycle, cycle[0]])
            first = min(cycle, key=lambda i: job.lines[i])
            job.problem(job.lines[first], f"responds_to: the responses go in a circle ({names})")
        for item in path:
            state[item] = 2


def _refs_of(job: Job, indexes: list[int]) -> dict[int, str]:
    wanted = set(indexes)
    return {index: ref for ref, index in job.refs.items() if index in wanted}


def check_retractions(job: Job) -> None:
    """As on the command line: only the author of a statement, or an actor affiliated
    with it at the time (a spokesman for its ministry, a ministry for its state), can
    retract it."""
    if not job.retractions or job.problems:
        return
    graph = _affiliation_graph(job)
    for index in job.retractions:
        parent = job.parents[index]
        retractor = resolve.node(job, job.author_keys[job.authors[index]])
        if parent >= 0:
            author = resolve.node(job, job.author_keys[job.authors[parent]])
            spoke = job.starts[parent]
            label = f"the statement on line {job.lines[parent]}"
        elif parent == IN_DATABASE:
            db_parent = job.db_parents[index]
            author = db_parent.actor_id
            spoke = db_parent.start.toordinal() if db_parent.start else 0
            label = db_parent.label
        else:
            continue
        when = job.starts[index]
        if not rules.may_retract(
            retractor,
            author,
            partial(_organizations, graph, retractor, when),
            partial(_organizations, graph, author, spoke),
        ):
            refused = rules.retraction_refused(
                f"{label} ({resolve.node_name(job, author)})", resolve.node_name(job, retractor)
            )
            job.problem(job.lines[index], f"by: {refused}")


def _affiliation_graph(job: Job) -> Graph:
    """member -> (organization, first day, last day) for every affiliation in the
    database and in the file; days as ordinals, 0 when open."""
    graph: Graph = {}
    for row in job.session.execute(select(tables.affiliations)):
        last = 0
        if row.end_date is not None:
            last = period_end(row.end_date, row.end_precision).toordinal()
        first = row.start_date.toordinal() if row.start_date else 0
        graph.setdefault(row.member_id, []).append((row.organization_id, first, last))
    for actor in job.actors.values():
        if actor.key in job.db_named:
            continue
        for affiliation in actor.affiliations:
            organization = resolve.node(job, name_key(affiliation.organization))
            start, end = affiliation.start, affiliation.end
            graph.setdefault(actor.key, []).append(
                (
                    organization,
                    start.start.toordinal() if start else 0,
                    end.end.toordinal() if end else 0,
                )
            )
    return graph


def check_dates(job: Job) -> None:
    """Answers dated before what they answer are kept: one warning names their lines
    (``warn_early_answers``, once merged statements are known)."""
    early = job.early
    for index in range(len(job.parents)):
        end = job.ends[index]
        if not end:
            continue
        parent = job.parents[index]
        if parent >= 0:
            first_day = job.starts[parent]
        elif parent == IN_DATABASE:
            start = job.db_parents[index].start
            first_day = start.toordinal() if start else 0
        else:
            continue
        if rules.days_before(end, first_day):
            early.append(job.lines[index])


def check_subjects(job: Job) -> None:
    """Two names in one ``about`` list must not be the same actor (an alias and its
    name): read the spool again only when some actor is named two ways."""
    if job.problems:
        return
    seen: dict[int | str, str] = {}
    named_twice = False
    for key in job.names:
        target = job.resolved.get(key)
        if target is None:
            continue
        node = target.key if isinstance(target, ActorLine) else target
        if seen.setdefault(node, key) != key:
            named_twice = True
            break
    if not named_twice:
        return
    for tag, record, _index in job.spool.records():
        if tag != "s" or len(record[S_ABOUT]) < 2:
            continue
        nodes: dict[int | str, str] = {}
        for position, name in enumerate(record[S_ABOUT]):
            target = job.resolved[name_key(name)]
            node = target.key if isinstance(target, ActorLine) else target
            if node in nodes:
                job.problem(
                    record[S_LINE],
                    f"about[{position}]: {name!r} is {nodes[node]!r} again (the same actor)",
                )
                break
            nodes[node] = name


def warn_early_answers(job: Job) -> None:
    """One warning for the answers dated before what they answer; an answer to a line
    that stands for a merged statement answers the statement kept, so its date counts."""
    early = job.early
    if job.kept and not job.problems:
        kept_at = {job.refs[ref]: kept for ref, kept in job.kept.items()}
        starts: dict[int, int] = {}
        for chunk in chunks(sorted(set(kept_at.values()))):
            for row in job.session.execute(
                select(tables.statements.c.id, tables.statements.c.date).where(
                    tables.statements.c.id.in_(chunk)
                )
            ):
                if row.date is not None:
                    starts[row.id] = row.date.toordinal()
        for index, parent in enumerate(job.parents):
            kept = kept_at.get(parent)
            if kept is not None and rules.days_before(job.ends[index], starts.get(kept, 0)):
                early.append(job.lines[index])
    if early:
        job.result.warnings.append(import_summary(sorted(set(early))))


def _organizations(graph: Graph, member: int | str, start: int) -> set[int | str]:
    """The organizations ``member`` belonged to on the day ``start`` (an ordinal, 0 when
    undated), directly or through others, by ``factdb.rules.organizations_at``; the graph
    holds days as ordinals, 0 when open."""
    return rules.organizations_at(
        member,
        start or None,
        lambda node: [
            (organization, begins or None, ends or None)
            for organization, begins, ends in graph.get(node, [])
        ],
    )
