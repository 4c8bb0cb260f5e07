from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("QuestionContent", authenticated=False)
def handler(request, caller):
    """An HTMLQuestion's HTML, served sandboxed for its iframe (a session or a signed preview link)."""
    return views.content(request, caller)
