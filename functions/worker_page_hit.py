from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("HITPage")
def handler(request, caller):
    return views.hit_page(request, caller)
