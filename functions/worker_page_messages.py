from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("MessagesPage")
def handler(request, caller):
    return views.messages_page(request, caller)
