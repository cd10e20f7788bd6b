"""A Prefect task for tests/test_batch.py that says, from a Dask worker process, which API
client and settings object its run was given there. It lives in a module so that the
workers import it (a test's local function would be pickled with the test's objects),
and it holds what it saw, so that no object's id can be reused by another meanwhile."""

import os

from prefect import task
from prefect.cache_policies import NONE

HELD: list = []


@task(cache_policy=NONE, persist_result=False)
def client_and_settings() -> tuple[int, int, int]:
    from prefect.client.orchestration import get_client
    from prefect.settings import get_current_settings

    HELD.append((get_client(sync_client=True), get_current_settings()))
    return os.getpid(), id(HELD[-1][0]), id(HELD[-1][1])
