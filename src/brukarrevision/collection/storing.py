"""Storing a response, its answers and the end of its draft: the hot path of every submission.

One response is one row, its answers one row each, and the web respondent's draft goes in
the same transaction. On PostgreSQL this is a single statement (data-modifying WITH): the
response is inserted unless its submission key is already stored, the answers are unnested
from one array per column, and the draft is deleted only if the response was stored. That is
one round trip instead of seven (savepoint, three statements, release) and no ORM objects to
build and compile on every submission. Other databases take the same steps one at a time.

Nothing here checks permissions or cleans answers: services.submit_response does, in the
caller's transaction.
"""

from django.db import connection

from .models import Answer, Draft, Response


def _columns(model, skip=()) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]


def _values(instance, fields) -> list:
    return [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]


def _sql_names(fields) -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(f.column) for f in fields)


def store(response: Response, answers: list[Answer], draft: Draft | None) -> bool:
    """Insert `response` and `answers` and delete `draft`, unless a response with the same
    submission key is stored already: then nothing changes and False is returned. On True,
    `response` has its primary key, as if saved."""
    if connection.vendor == "postgresql":
        response_id = _store_at_once(response, answers, draft)
    else:
        response_id = _store_step_by_step(response, answers, draft)
    if response_id is None:
        return False
    response.pk = response_id
    response._state.adding = False
    response._state.db = connection.alias
    for answer in answers:
        answer.response = response
    if draft is not None:
        draft.pk = None  # as Model.delete() leaves it
    return True


def _insert_response_sql(fields) -> str:
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(fields))
    return (
        f"INSERT INTO {quote(Response._meta.db_table)} ({_sql_names(fields)}) "
        f"VALUES ({placeholders}) "
        f"ON CONFLICT ({quote(Response._meta.get_field('submission_key').column)}) DO NOTHING "
        f"RETURNING {quote(Response._meta.pk.column)}"
    )


def _store_at_once(response, answers, draft) -> int | None:
    quote = connection.ops.quote_name
    response_fields = _columns(Response)
    answer_fields = _columns(Answer, skip=("response",))
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in answer_fields)
    response_key = quote(Answer._meta.get_field("response").column)
    sql = [
        f"WITH new AS ({_insert_response_sql(response_fields)})",
        f", kept AS (INSERT INTO {quote(Answer._meta.db_table)} "
        f"({response_key}, {_sql_names(answer_fields)}) "
        f"SELECT new.{quote(Response._meta.pk.column)}, a.* FROM new, UNNEST({arrays}) AS a)",
    ]
    params = _values(response, response_fields)
    # One array per answer column: the answers are unnested into rows by PostgreSQL.
    columns = list(zip(*(_values(a, answer_fields) for a in answers), strict=True))
    params += [list(column) for column in columns] or [[] for _ in answer_fields]
    if draft is not None and draft.pk is not None:
        sql.append(
            f", gone AS (DELETE FROM {quote(Draft._meta.db_table)} "
            f"WHERE {quote(Draft._meta.pk.column)} = %s AND EXISTS (SELECT 1 FROM new))"
        )
        params.append(draft.pk)
    sql.append(f" SELECT {quote(Response._meta.pk.column)} FROM new")
    with connection.cursor() as cursor:
        cursor.execute("".join(sql), params)
        row = cursor.fetchone()
    return row[0] if row else None


def _store_step_by_step(response, answers, draft) -> int | None:
    fields = _columns(Response)
    with connection.cursor() as cursor:
        cursor.execute(_insert_response_sql(fields), _values(response, fields))
        row = cursor.fetchone()
    if row is None:
        return None
    for answer in answers:
        answer.response_id = row[0]
    Answer.objects.bulk_create(answers)
    if draft is not None and draft.pk is not None:
        Draft.objects.filter(pk=draft.pk).delete()
    return row[0]
