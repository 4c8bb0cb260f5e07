from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("RequesterPreview", authenticated=False)
def handler(request, caller):
    """A requester's signed preview link (openturk requester preview-link)."""
    return views.requester_preview_page(request)
