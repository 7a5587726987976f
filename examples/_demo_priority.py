"""Demo section: a priority decided from intake facts, explained, and a complaint graded."""

from __future__ import annotations

import datetime as dt

from itsm_core.priority import (
    COMPLAINT_GRADING,
    ITIL_POLICY,
    IntakeFacts,
    Interruption,
    Override,
)


def show() -> None:
    """Print the ITIL matrix, one explained priority decision and one complaint grading."""
    print("The ITIL priority matrix (impact x urgency -> priority):")
    print(ITIL_POLICY.matrix.to_markdown())
    print()
    facts = IntakeFacts(
        interruption=Interruption.PARTIAL,
        users_affected=140,
        service_criticality=2,
        expected_resolution=dt.timedelta(hours=6),
    )
    print("Intake: mail degraded for 140 users, needed within 6 hours, VIP customer.")
    print(ITIL_POLICY.decide(facts, tier="vip"))
    print()
    override = Override(priority=2, reason="outage contained by a workaround", by="wang.fang")
    print("A major incident, later overridden by the duty manager:")
    print(ITIL_POLICY.decide_levels(3, 3, major_incident=True, override=override))
    print()
    print("Complaint: moderate severity, pressing, from a VIP customer.")
    print(COMPLAINT_GRADING.grade(2, 1, tier="vip"))


if __name__ == "__main__":
    show()
