from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("AssignmentPage")
def handler(request, caller):
    return views.work_page(request, caller)
