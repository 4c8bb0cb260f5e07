from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("SubmitAssignmentPage")
def handler(request, caller):
    """A QuestionForm's answers, posted by the work page's own form."""
    return views.submit_form(request, caller)
