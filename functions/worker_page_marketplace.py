from openturk.web import views
from openturk.web.pages import page_operation


@page_operation("MarketplacePage")
def handler(request, caller):
    return views.marketplace_page(request, caller)
