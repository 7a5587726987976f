"""The SLA policies a report uses when none are given: response and resolution targets."""

from __future__ import annotations

import attrs

from itsm_core.sla import (
    RESOLUTION,
    SERVICENOW_THRESHOLDS,
    STANDARD_POLICIES,
    MetricSpec,
    PolicySet,
)

#: Resolution targets by priority, in calendar time, like the demonstration SLA definitions
#: ServiceNow ships: priority 1 in 8 hours, 2 in 24 hours, 3 in 3 days, 4 and 5 in 5 days.
RESOLUTION_TARGETS = {"1": "8 hours", "2": "24 hours", "3": "72 hours", "*": "120 hours"}

#: :data:`itsm_core.sla.STANDARD_POLICIES` (first response within 24 to 72 hours, services
#: handled within 48 hours) with a resolution clock (:data:`RESOLUTION_TARGETS`) added to every
#: policy that has none, so that a report shows resolution compliance even when the caller has
#: no policies of their own.
REPORT_POLICIES = PolicySet(
    policies=tuple(
        policy
        if any(metric.clock == RESOLUTION for metric in policy.metrics)
        else attrs.evolve(
            policy,
            metrics=(
                *policy.metrics,
                MetricSpec(
                    clock=RESOLUTION,
                    targets=RESOLUTION_TARGETS,
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
            ),
        )
        for policy in STANDARD_POLICIES.policies
    ),
    mode=STANDARD_POLICIES.mode,
    default=STANDARD_POLICIES.default,
    tier_vocabulary=STANDARD_POLICIES.tier_vocabulary,
)
