"""The standards' defaults as an example policy set (copy it with ``to_dict`` and adapt)."""

from __future__ import annotations

from itsm_core.sla._conditions import FieldIn
from itsm_core.sla._definition import FIRST_RESPONSE, RESOLUTION
from itsm_core.sla._policy import MetricSpec, SlaPolicy
from itsm_core.sla._selection import PolicySet
from itsm_core.sla._thresholds import SERVICENOW_THRESHOLDS

#: Response by problem level (一般、复杂、重大技术问题 24/48/72 小时), keyed on the ticket's own
#: ``problem_level``, never on its category text; a ticket without one is a general problem.
_RESPONSE_BY_PROBLEM_LEVEL = MetricSpec(
    clock=FIRST_RESPONSE,
    target_by="problem_level",
    targets={
        "general": "24 hours",
        "complex": "48 hours",
        "major": "72 hours",
        "*": "24 hours",
    },
    thresholds=SERVICENOW_THRESHOLDS,
)

#: The customer-service standards' targets. Calendar time (24x7), with ServiceNow's 50/75/100 %
#: thresholds:
#:
#: - ``complaint-response``: a complaint's first response is measured, without a per-ticket
#:   deadline: the complaint targets are an *average* response within 24 h and a complaint
#:   satisfaction of at least 90 % (平均响应时间24小时内, 满意度90%以上), which the KPI report
#:   checks (:data:`itsm_core.metrics.COMPLAINT_TARGETS`);
#: - ``service-handling``: service requests and consultations are handled within 48 h
#:   (服务处理时限不超过48小时) and answered by problem level;
#: - ``technical-response``: every other ticket is answered within 24 h (general), 48 h
#:   (complex) or 72 h (major technical problem), by its ``problem_level``.
STANDARD_POLICIES = PolicySet(
    policies=(
        SlaPolicy(
            name="complaint-response",
            description=(
                "complaints: first response measured; the 24 h average and the 90 % "
                "satisfaction are KPI targets"
            ),
            precedence=10,
            condition=FieldIn("kind", ["complaint"]),
            metrics=(MetricSpec(clock=FIRST_RESPONSE, targets={}),),
        ),
        SlaPolicy(
            name="service-handling",
            description="services handled within 48 h; answered by problem level",
            precedence=15,
            condition=FieldIn("kind", ["service_request", "consultation"]),
            metrics=(
                _RESPONSE_BY_PROBLEM_LEVEL,
                MetricSpec(
                    clock=RESOLUTION,
                    targets={"*": "48 hours"},
                    thresholds=SERVICENOW_THRESHOLDS,
                ),
            ),
        ),
        SlaPolicy(
            name="technical-response",
            description="technical problems: 24 h general, 48 h complex, 72 h major",
            precedence=20,
            metrics=(_RESPONSE_BY_PROBLEM_LEVEL,),
        ),
    ),
)
