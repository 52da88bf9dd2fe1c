class NoStoreMiddleware:
    """Pages that depend on who is signed in, and the sign-in pages, are never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith(("/accounts/", "/admin/")):
            response["Cache-Control"] = "no-store"
        return response


class SwedishFirstMiddleware:
    """Swedish unless the person chose another language with the switch: the browser's
    Accept-Language is ignored, as a Swedish public service shows Swedish first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """No page needs the camera, microphone, position or payment: say so to the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NullCharacterMiddleware:
    """A NUL character in the query string or a form field is never real input (PostgreSQL
    text cannot even hold one): such a request gets 400 Bad Request, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            from django.http import HttpResponseBadRequest, JsonResponse

            said = "NUL characters are not allowed."
            if request.path.startswith("/api/"):  # the API answers in JSON, as documented
                return JsonResponse({"detail": said}, status=400)
            return HttpResponseBadRequest(said)
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)
