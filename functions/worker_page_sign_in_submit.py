from openturk.web import sign_in
from openturk.web.pages import page_operation


@page_operation("SignIn", authenticated=False)
def handler(request, caller):
    """The local runtime's development sign-in: sets the session cookie."""
    return sign_in.dev_sign_in(request)
