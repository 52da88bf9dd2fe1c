"""The person's own page of personal API tokens: make one (its secret shown once, on the
page that answers the form, never in a link) and revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from brukarrevision.audits.views import apply_errors
from brukarrevision.permissions import may_manage_api_token

from . import selectors, services
from .forms import TokenForm
from .models import ApiToken


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    made = secret = None
    if form.is_bound and form.is_valid():
        try:
            made, secret = services.create_token(
                owner=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "made": made,
            "secret": secret,
            "tokens": selectors.tokens_of(request.user),
        },
    )


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    if not may_manage_api_token(request.user, token):
        raise PermissionDenied
    services.revoke_token(user=request.user, token=token, request=request)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("api:tokens")
