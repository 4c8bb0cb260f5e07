from openturk.web import sign_in
from openturk.web.pages import page_operation


@page_operation("SignOut")
def handler(request, caller):
    return sign_in.sign_out()
