"""The imports' panel on the profile (registered in `TransferConfig.ready`): where to bring a
diary over from another tracker."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accounts.permissions import has_verified_email


def import_link_panel(request: HttpRequest) -> SafeString | None:
    if not has_verified_email(request.user):
        return None
    return render_to_string("transfer/_import_link.html", request=request)
