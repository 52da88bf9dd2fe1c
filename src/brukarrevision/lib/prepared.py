"""Prepared statements for the few statements in plain SQL that every survey respondent runs
on every request (collection.survey_reads, collection.storing).

Django's cursors bind parameters on the client, so PostgreSQL parses and plans every
statement anew: 0.15 to 0.3 ms of the database's CPU for each of these joins, against 0.03
to 0.1 ms to run them. cursor() gives a Django cursor (errors translated, queries logged as
usual) whose statements are bound on the server and prepared on first use (psycopg 3): each
database connection plans each statement once. Off with DATABASE_PREPARED_STATEMENTS=false,
e.g. behind a pooler in transaction mode that cannot keep prepared statements; other
databases get the usual cursor.
"""

from functools import cache, lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections


def cursor():
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: psycopg prepares nothing at all
        # Only what asks (prepare=True below); Django's own cursors bind on the client and
        # never prepare, whatever the threshold.
        raw.prepare_threshold = NEVER_BY_COUNT
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_preparing_cursor()(raw))


NEVER_BY_COUNT = 2**31


@cache
def _preparing_cursor():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparingCursor


def instance(model, fields: list, row) -> object:
    """A model instance from a row of `fields` (other fields deferred)."""
    values = [value(model, field, item) for field, item in zip(fields, row, strict=True)]
    return model.from_db(connection.alias, [f.attname for f in fields], values)


def value(model, field, raw):
    """A column's value as the ORM gives it (JSON decoded, dates on SQLite, …)."""
    column, converters = _converters(model, field, connections[DEFAULT_DB_ALIAS])
    for convert in converters:
        raw = convert(raw, column, connection)
    return raw


@lru_cache(maxsize=512)
def _converters(model, field, this_connection) -> tuple:
    """The column and its converters, found once per connection as the ORM's compiler finds
    them: the backend's (e.g. SQLite's dates) and the field's own (e.g. JSON)."""
    column = field.get_col(model._meta.db_table)
    return column, (
        *this_connection.ops.get_db_converters(column),
        *column.get_db_converters(this_connection),
    )
