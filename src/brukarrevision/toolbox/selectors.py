"""Reads of the toolbox: search by word and filters by level, quality area and kind."""

from django.db.models import Q, QuerySet

from .models import Entry


def search(*, words: str = "", level: str = "", quality_area: str = "", kind: str = "") -> QuerySet:
    """Entries matching every word (in the title, summary, purpose, who it suits, the steps
    or the easy-to-read text) and the chosen level, quality area and kind."""
    entries = Entry.objects.all()
    for word in words.split()[:10]:
        entries = entries.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(purpose__icontains=word)
            | Q(suits__icontains=word)
            | Q(steps__icontains=word)
            | Q(easy_text__icontains=word)
        )
    # The lists are JSON arrays of codes; a quoted code matches only that code, on SQLite
    # and PostgreSQL alike (`contains` on JSON is not available on SQLite).
    if level:
        entries = entries.filter(levels__icontains=f'"{level}"')
    if quality_area:
        entries = entries.filter(quality_areas__icontains=f'"{quality_area}"')
    if kind:
        entries = entries.filter(kind=kind)
    return entries.order_by("title")
