"""Storing a response, its answers and the end of its draft: the hot path of every submission.

One response is one row, its answers one row each, and the web respondent's draft goes in
the same transaction. On PostgreSQL this is a single statement (data-modifying WITH): the
response is inserted unless its submission key is already stored, the answers are unnested
from one array per column, and the draft is deleted only if the response was stored. That is
one round trip instead of seven (savepoint, three statements, release) and no ORM objects to
build and compile on every submission; the statement is prepared on the server once per
connection (lib/prepared.py). Other databases take the same steps one at a time.

Storing is atomic on its own: one statement on PostgreSQL (run as it is outside a transaction,
inside the caller's when there is one), a transaction on other databases. Nothing here checks
permissions or cleans answers: services.submit_response does.
"""

from functools import cache

from django.db import connection, transaction

from brukarrevision.lib import prepared

from .models import Answer, Draft, Response

# An answer row: what Answer holds besides its response (and what it copies of the response,
# its unit and target group), in this order.
ANSWER_FIELDS = ("item", "choice", "number", "text", "special", "needs_review")


def row(item_id: int, *, choice="", number=None, text="", special="", needs_review=False):
    """One answer row (see Answer): a choice code, a number, a text or a special answer."""
    return (item_id, choice, number, text, special, needs_review)


def _columns(model, skip=()) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]


def _values(instance, fields, adding=False) -> list:
    """Values as the ORM saves them (adding: automatic dates set first, as on insert)."""
    if adding:
        return [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    return [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]


def _sql_names(fields, prefix: str = "") -> str:
    quote = connection.ops.quote_name
    return ", ".join(prefix + quote(f.column) for f in fields)


def _insert_sql(model, fields) -> str:
    """INSERT of `fields` into `model`'s table, one placeholder a field."""
    return (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({_sql_names(fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )


def _as_saved(instance, pk) -> None:
    """`instance` as the ORM leaves it once it is saved with primary key `pk`."""
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias


def store(response: Response, answers: list[tuple], draft: Draft | None) -> bool:
    """Insert `response` and its `answers` (rows made by row()) and delete `draft`, unless a
    response with the same submission key is stored already: then nothing changes and False
    is returned. On True, `response` has its primary key, as if saved."""
    if connection.vendor == "postgresql":
        response_id = _store_at_once(response, answers, draft)
    else:
        response_id = _store_step_by_step(response, answers, draft)
    if response_id is None:
        return False
    _as_saved(response, response_id)
    if draft is not None:
        draft.pk = None  # as Model.delete() leaves it
    return True


def _insert_response_sql(fields) -> str:
    quote = connection.ops.quote_name
    return (
        f"{_insert_sql(Response, fields)} "
        f"ON CONFLICT ({quote(Response._meta.get_field('submission_key').column)}) DO NOTHING "
        f"RETURNING {_sql_names([Response._meta.pk, *_copied(Response)])}"
    )


def _copied(model) -> list:
    """What each answer copies of its response: the unit and the target group."""
    return [model._meta.get_field(name) for name in ("unit", "target_group")]


@cache
def _store_at_once_sql(with_draft: bool) -> str:
    quote = connection.ops.quote_name
    answer_fields = [Answer._meta.get_field(name) for name in ANSWER_FIELDS]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in answer_fields)
    response_key = quote(Answer._meta.get_field("response").column)
    new_columns = _sql_names([Response._meta.pk, *_copied(Response)], prefix="new.")
    sql = [
        f"WITH new AS ({_insert_response_sql(_columns(Response))})",
        f", kept AS (INSERT INTO {quote(Answer._meta.db_table)} "
        f"({response_key}, {_sql_names(_copied(Answer))}, {_sql_names(answer_fields)}) "
        f"SELECT {new_columns}, a.* FROM new, UNNEST({arrays}) AS a)",
    ]
    if with_draft:
        sql.append(
            f", gone AS (DELETE FROM {quote(Draft._meta.db_table)} "
            f"WHERE {quote(Draft._meta.pk.column)} = %s AND EXISTS (SELECT 1 FROM new))"
        )
    sql.append(f" SELECT {quote(Response._meta.pk.column)} FROM new")
    return "".join(sql)


def _store_at_once(response, answers, draft) -> int | None:
    with_draft = draft is not None and draft.pk is not None
    params = _values(response, _columns(Response))
    # One array per answer column: PostgreSQL unnests them into rows.
    params += [[answer[i] for answer in answers] for i in range(len(ANSWER_FIELDS))]
    if with_draft:
        params.append(draft.pk)
    with prepared.cursor() as cursor:
        cursor.execute(_store_at_once_sql(with_draft), params)
        found = cursor.fetchone()
    return found[0] if found else None


@transaction.atomic(savepoint=False)
def _store_step_by_step(response, answers, draft) -> int | None:
    fields = _columns(Response)
    with connection.cursor() as cursor:
        cursor.execute(_insert_response_sql(fields), _values(response, fields))
        found = cursor.fetchone()
    if found is None:
        return None
    names = [Answer._meta.get_field(name).attname for name in ANSWER_FIELDS]
    Answer.objects.bulk_create(
        Answer(
            response_id=found[0],
            unit_id=response.unit_id,
            target_group_id=response.target_group_id,
            **dict(zip(names, answer, strict=True)),
        )
        for answer in answers
    )
    if draft is not None and draft.pk is not None:
        Draft.objects.filter(pk=draft.pk).delete()
    return found[0]


def add_draft(draft: Draft) -> None:
    """Insert a new web respondent's draft, which holds no answers yet: the first write of
    every visit, as one prepared statement on PostgreSQL (Draft.save elsewhere)."""
    if draft.answers or connection.vendor != "postgresql":
        draft.save()
        return
    with prepared.cursor() as cursor:
        cursor.execute(_insert_draft_sql(), _values(draft, _columns(Draft), adding=True))
        _as_saved(draft, cursor.fetchone()[0])


@cache
def _insert_draft_sql() -> str:
    return f"{_insert_sql(Draft, _columns(Draft))} RETURNING {_sql_names([Draft._meta.pk])}"
