from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("ContinuePage")
def handler(request, caller):
    """After an HTMLQuestion or ExternalQuestion frame posted to /mturk/externalSubmit."""
    return views.continue_after_frame(request, caller)
