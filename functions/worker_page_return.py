from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("ReturnAssignmentPage")
def handler(request, caller):
    return views.return_assignment(request, caller)
