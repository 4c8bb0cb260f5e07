from openturk.web import sign_in
from openturk.web.pages import page_operation


@page_operation("SignIn", authenticated=False)
def handler(request, caller):
    """Sets the session cookie: the development sign-in locally, the user pool's password check deployed."""
    return sign_in.submit(request)
