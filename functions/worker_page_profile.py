from openturk.web import qualification_views
from openturk.web.pages import page_operation


@page_operation("UpdateProfilePage")
def handler(request, caller):
    """The profile form (Locale, Adult) of the qualifications page."""
    return qualification_views.update_profile(request, caller)
