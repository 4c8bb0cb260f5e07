from openturk.web import sign_in
from openturk.web.pages import page_operation


@page_operation("SignInPage", authenticated=False)
def handler(request, caller):
    return sign_in.page(request)
