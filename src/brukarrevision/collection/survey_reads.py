"""The web survey's reads, on every respondent's every request: the link, the draft, and the
names a page shows. Each is one plain SQL statement made from the models' own tables and
columns once per process, prepared on the database server (lib/prepared.py) and turned into
model instances with Django's documented from_db(): building and compiling an ORM query cost
more than running it (about 0.4 ms of CPU against 0.1 ms, measured with
bench/bench_survey.py), and these run four times in every respondent's visit.

The link and the draft are read afresh on every request (a link may have been closed a
moment ago); nothing here is cached between requests.
"""

from functools import cache

from django.db import connection

from brukarrevision.audits.models import Audit
from brukarrevision.instruments.models import Instrument
from brukarrevision.lib import prepared
from brukarrevision.organisations.models import Organisation, Unit

from .models import Distribution, Draft


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _column(model, field: str) -> str:
    return _q(model._meta.get_field(field).column)


def _one(sql: str, params: list):
    with prepared.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@cache
def _link_sql() -> str:
    columns = ", ".join(f"d.{_q(f.column)}" for f in Distribution._meta.concrete_fields)
    return (
        f"SELECT {columns}, i.{_column(Instrument, 'frozen_at')} "
        f"FROM {_table(Distribution)} d "
        f"JOIN {_table(Instrument)} i ON i.{_q('id')} = d.{_column(Distribution, 'instrument')} "
        f"WHERE d.{_column(Distribution, 'token')} = %s"
    )


def link(token: str) -> Distribution | None:
    """The link with this token, with `frozen_at`, its questionnaire's moment of freezing."""
    row = _one(_link_sql(), [token])
    if row is None:
        return None
    fields = Distribution._meta.concrete_fields
    distribution = prepared.instance(Distribution, fields, row[: len(fields)])
    frozen_at = Instrument._meta.get_field("frozen_at")
    distribution.frozen_at = prepared.value(Instrument, frozen_at, row[-1])
    return distribution


@cache
def _draft_sql() -> str:
    columns = ", ".join(_q(f.column) for f in Draft._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {_table(Draft)} "
        f"WHERE {_column(Draft, 'key')} = %s AND {_column(Draft, 'distribution')} = %s"
    )


def draft(key: str, distribution: Distribution) -> Draft | None:
    row = _one(_draft_sql(), [key, distribution.pk])
    return None if row is None else prepared.instance(Draft, Draft._meta.concrete_fields, row)


@cache
def _names_sql() -> str:
    org, audit = _table(Organisation), _table(Audit)
    return (
        f"SELECT a.{_q('id')}, a.{_column(Audit, 'title')}, p.{_q('id')}, "
        f"p.{_column(Organisation, 'name')}, c.{_q('id')}, c.{_column(Organisation, 'name')}, "
        f"u.{_q('id')}, u.{_column(Unit, 'name')} "
        f"FROM {audit} a JOIN {org} p ON p.{_q('id')} = a.{_column(Audit, 'performer')} "
        f"JOIN {org} c ON c.{_q('id')} = a.{_column(Audit, 'client')}, {_table(Unit)} u "
        f"WHERE a.{_q('id')} = %s AND u.{_q('id')} = %s"
    )


def add_names(distribution: Distribution) -> None:
    """Attach the audit (title, performer, client) and the unit, each with its name only,
    in one query: what the survey's pages show. Other fields load on first use, as deferred
    fields do."""
    row = _one(_names_sql(), [distribution.audit_id, distribution.unit_id])
    if row is None:  # not possible while the foreign keys hold; read the usual way then
        return
    audit_id, title, performer_id, performer_name, client_id, client_name, unit_id, unit = row
    db = distribution._state.db
    audit = Audit.from_db(db, ["id", "title"], [audit_id, title])
    audit.performer = Organisation.from_db(db, ["id", "name"], [performer_id, performer_name])
    audit.client = Organisation.from_db(db, ["id", "name"], [client_id, client_name])
    distribution.audit = audit
    distribution.unit = Unit.from_db(db, ["id", "name"], [unit_id, unit])
