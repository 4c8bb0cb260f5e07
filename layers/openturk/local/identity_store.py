"""The local user pool's workers, kept on disk under <data dir>/cognito/, so a worker stays the same worker.

A WorkerId derives from the Cognito user's `sub`, which moto draws at random when it creates a user. So
that "alice" signs in as the same WorkerId after a restart (and tokens issued before it still verify),
pool and client ids are derived from their names (moto's HASH strategy) and every user is recorded
here once its password is set; when the pool is created again at start, its users come back with the
same `sub`. Local development only: the development sign-in's fixed password is stored with the user.
"""

import json
import os
import threading
from pathlib import Path
from typing import Any

from openturk.local.durable_files import write_atomically

# Before moto creates a pool or client: the same name gives the same id on every start.
os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
os.environ.setdefault("MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY", "HASH")


def _cognito_backend(region: str) -> Any:
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    return cognitoidp_backends[DEFAULT_ACCOUNT_ID][region]


class IdentityStore:
    def __init__(self, directory: Path):
        self.path = directory / "users.json"
        self._lock = threading.Lock()

    def _users(self) -> dict[str, dict[str, Any]]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def record_user(self, region: str, pool_id: str, username: str) -> None:
        """After AdminSetUserPassword (or AdminCreateUser) succeeded: keep the user as moto holds it."""
        pool = _cognito_backend(region).user_pools.get(pool_id)
        user = pool.users.get(username) if pool is not None else None
        if user is None:
            return
        with self._lock:
            users = self._users()
            users[f"{pool.name}/{username}"] = {
                "Pool": pool.name,
                "Username": username,
                "Sub": user.id,
                "Password": user.password,
                "Status": getattr(user.status, "value", user.status),
                "Attributes": [a for a in user.attributes if a["Name"] != "sub"],
            }
            write_atomically(self.path, json.dumps(users, indent=1).encode())

    def restore_pool(self, region: str, pool_id: str) -> int:
        """After CreateUserPool: put back the users recorded for a pool of this name, with their `sub`."""
        from moto.cognitoidp.models import UserStatus

        backend = _cognito_backend(region)
        pool = backend.user_pools.get(pool_id)
        if pool is None:
            return 0
        restored = 0
        for saved in self._users().values():
            if saved["Pool"] != pool.name or saved["Username"] in pool.users:
                continue
            user = backend.admin_create_user(
                pool_id, saved["Username"], "SUPPRESS", saved["Password"], saved["Attributes"]
            )
            user.id = saved["Sub"]
            user.update_attributes([{"Name": "sub", "Value": saved["Sub"]}])
            user.password, user.status = saved["Password"], UserStatus(saved["Status"])
            restored += 1
        return restored
