from openturk.web import qualification_views
from openturk.web.pages import page_operation


@page_operation("QualificationsPage")
def handler(request, caller):
    return qualification_views.page(request, caller)
