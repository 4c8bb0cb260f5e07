"""The laptop runtime's development sign-in: a Cognito user (moto's Cognito) per name, no password asked.

It exists only when OPENTURK_LOCAL=1; deployed, workers sign in through Amazon Cognito's hosted UI.
"""

import os
from functools import cache

from openturk import config
from openturk.domain.errors import InvalidParameter, NotAuthorized

_PASSWORD = "Dev-sign-in-1!"


@cache
def _cognito():
    import boto3

    return boto3.client(
        "cognito-idp", endpoint_url=os.environ.get("OPENTURK_AWS_ENDPOINT"), region_name=config.REGION
    )


def sign_in(name: object) -> dict[str, str]:
    """A Cognito ID token for the worker called `name` (the user is created on first sign-in)."""
    if not config.LOCAL:
        raise NotAuthorized("The development sign-in exists only in the local runtime.")
    name = name.strip() if isinstance(name, str) else ""  # the name comes straight from JSON
    if not name or len(name) > 64 or not all(c.isalnum() or c in "-_.@" for c in name):
        raise InvalidParameter("A name is 1 to 64 letters, digits, '-', '_', '.' or '@'.")
    pool, client = os.environ["OPENTURK_USER_POOL_ID"], os.environ["OPENTURK_USER_POOL_CLIENT_ID"]
    cognito = _cognito()
    try:
        cognito.admin_create_user(
            UserPoolId=pool, Username=name, TemporaryPassword=_PASSWORD, MessageAction="SUPPRESS"
        )
        cognito.admin_set_user_password(UserPoolId=pool, Username=name, Password=_PASSWORD, Permanent=True)
    except cognito.exceptions.UsernameExistsException:
        pass
    result = cognito.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": _PASSWORD},
    )
    user = cognito.admin_get_user(UserPoolId=pool, Username=name)
    subject = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
    return {"token": result["AuthenticationResult"]["IdToken"], "sub": subject, "name": name}
