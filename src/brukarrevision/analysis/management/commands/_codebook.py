"""Helpers of export_codebook and import_codebook."""

from django.core.management.base import CommandError

from brukarrevision.accounts.models import User
from brukarrevision.audits.models import Audit
from brukarrevision.permissions import Action, can


def audit_named(slug: str) -> Audit:
    found = Audit.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(f"No audit with the slug {slug!r}.")
    return found


def person(email: str) -> User:
    found = User.objects.filter(email__iexact=email, is_active=True).first()
    if found is None:
        raise CommandError(f"No active user {email!r}.")
    return found


def coder(audit: Audit, email: str | None) -> User:
    """The user named, or else the audit's coordinator; either must be allowed to code."""
    if email:
        found = person(email)
    else:
        member = audit.members.filter(role="coordinator").select_related("user").first()
        found = member.user if member else None
    if found is None or not can(found, Action.CODE_ANSWERS, audit):
        who = email or "the audit's coordinator"
        raise CommandError(
            f"{who} may not change the codebook of {audit.slug!r}: only the audit team, after "
            "signing the confidentiality pledge, while the audit is open. Name one with --user."
        )
    return found
