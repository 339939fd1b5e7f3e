"""Security headers the platform sends on every response (CSP, permissions policy)."""

from django.conf import settings


def _policy(directives):
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy for the public site (strict) and the Wagtail admin (which
    still needs inline scripts and styles), plus a restrictive Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.public_policy = _policy(settings.CSP_PUBLIC)
        self.admin_policy = _policy(settings.CSP_ADMIN)

    def __call__(self, request):
        response = self.get_response(request)
        is_admin = request.path.startswith("/admin/")
        response.headers.setdefault("Content-Security-Policy", self.admin_policy if is_admin else self.public_policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
