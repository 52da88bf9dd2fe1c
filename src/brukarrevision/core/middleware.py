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
