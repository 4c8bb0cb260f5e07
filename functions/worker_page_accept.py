from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("AcceptHITPage")
def handler(request, caller):
    return views.accept(request, caller, request.params["HITId"])
