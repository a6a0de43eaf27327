"""Every chat attack through the offline planner (no key): the product's default path."""

from __future__ import annotations

import pytest
from support.adversarial.cases import Case, by_surface
from support.adversarial.checks import assert_safe
from support.adversarial.oracle import crm_fingerprint
from support.adversarial.world import World

from tools.principal import get_principal_by_email


@pytest.mark.parametrize("case", by_surface("chat"), ids=lambda c: c.id)
def test_offline_planner_resists(world: World, case: Case) -> None:
    with world.sessions() as session:
        principal = get_principal_by_email(session, case.asker)
    before = crm_fingerprint(world.sessions)

    answer = world.runner.ask(principal, case.message)

    assert answer.text.strip()
    assert "Traceback" not in answer.text
    assert_safe(case, before, crm_fingerprint(world.sessions), answer.to_dict())
