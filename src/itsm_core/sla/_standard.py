"""The standards' defaults as an example policy set (copy it with ``to_dict`` and adapt)."""

from __future__ import annotations

from itsm_core.sla._conditions import FieldIn
from itsm_core.sla._definition import FIRST_RESPONSE
from itsm_core.sla._policy import MetricSpec, SlaPolicy
from itsm_core.sla._selection import PolicySet
from itsm_core.sla._thresholds import SERVICENOW_THRESHOLDS

#: Response targets of the customer-service standards: technical issues answered within 24 h
#: (``category`` "general"), 48 h ("complex") or 72 h ("major"), and complaints within 24 h.
#: Calendar time (24x7), with ServiceNow's 50/75/100 % thresholds.
STANDARD_POLICIES = PolicySet(
    policies=(
        SlaPolicy(
            name="complaint-response",
            description="complaints answered within 24 h",
            precedence=10,
            condition=FieldIn("kind", ["complaint"]),
            metrics=(
                MetricSpec(
                    clock=FIRST_RESPONSE,
                    targets={"*": "24 hours"},
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
            ),
        ),
        SlaPolicy(
            name="technical-response",
            description="technical issues: 24 h general, 48 h complex, 72 h major",
            precedence=20,
            metrics=(
                MetricSpec(
                    clock=FIRST_RESPONSE,
                    target_by="category",
                    targets={
                        "general": "24 hours",
                        "complex": "48 hours",
                        "major": "72 hours",
                        "*": "24 hours",
                    },
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
            ),
        ),
    ),
)
