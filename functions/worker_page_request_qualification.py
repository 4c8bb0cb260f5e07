from openturk.web import qualification_views
from openturk.web.pages import page_operation


@page_operation("RequestQualificationPage")
def handler(request, caller):
    """Request a qualification, start its test, or send the test's answers."""
    return qualification_views.request_qualification(request, caller)
