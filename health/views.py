from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .checks import run_checks


@never_cache  # the proxy and the monitors must see the state of now, never a copy
@require_safe
def status(request: HttpRequest) -> JsonResponse:
    """200 when everything is fine, 503 with what is wrong. Public: no permission to check, as
    the answer holds no personal data (counts, ages and the names of our own jobs)."""
    checks = run_checks()
    problems = [problem for check in checks.values() for problem in check.problems]
    payload = {
        "status": "ok" if not problems else "error",
        "problems": problems,
        "checks": {name: check.as_json() for name, check in checks.items()},
    }
    return JsonResponse(
        payload, status=503 if problems else 200, json_dumps_params={"ensure_ascii": False}
    )
