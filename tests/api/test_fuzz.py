"""Schemathesis over the whole OpenAPI schema, as a cell secretary and as a commune approver of the demo province:
every answer is not a server error and conforms to the schema (status, content type, headers, body), and data the
schema forbids is refused with a 4xx. Bounded (API_FUZZ_EXAMPLES examples per operation and mode, fixed seed) so
that it runs in a few minutes in `make test`, on SQLite and on PostgreSQL."""

from __future__ import annotations

import logging
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from admission.accounts.tokens import token_issue
from admission.party.models.users import User
from tests.api.conftest import PERSONAS
from tests.api.fuzzing import NoConnectionClosing, ServerExceptions, Tally, fuzz_operation, id_pools

SEED = 17
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))


# Unknown query parameters are ignored, as most APIs do (a cache-buster, a client's own marker): they are not part
# of what the fuzzing expects to be refused.
CONFIG = SchemathesisConfig.from_dict({"generation": {"allow-extra-parameters": False}})


@pytest.fixture(scope="module")
def api_schema():
    with NoConnectionClosing():
        return schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_the_whole_api_answers_as_its_schema_says(province, db, api_schema, persona):
    pools = id_pools()
    user = User.objects.get(username=PERSONAS[persona])
    headers = {"Authorization": f"Token {token_issue(user=user, name='schemathesis').key}"}
    tally = Tally()
    errors = ServerExceptions()
    got_request_exception.connect(errors)
    quiet = logging.getLogger("django.request")
    level, quiet.level = quiet.level, logging.ERROR  # the expected 4xx are not news; 500s still log
    try:
        with NoConnectionClosing():
            for result in api_schema.get_all_operations():
                operation = result.ok()
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    fuzz_operation(
                        operation,
                        mode=mode,
                        headers=headers,
                        pools=pools,
                        tally=tally,
                        examples=EXAMPLES,
                        seed=SEED,
                        errors=errors,
                    )
    finally:
        got_request_exception.disconnect(errors)
        quiet.setLevel(level)
    report = f"{persona}: {tally.report()}"
    print(f"\n{report}")
    if os.environ.get("API_FUZZ_REPORT"):  # e.g. a CI artifact
        with open(os.environ["API_FUZZ_REPORT"], "a", encoding="utf-8") as out:
            out.write(report + "\n\n")
    assert not tally.failures, report
