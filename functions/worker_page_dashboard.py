from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("DashboardPage")
def handler(request, caller):
    return views.dashboard(request, caller)
