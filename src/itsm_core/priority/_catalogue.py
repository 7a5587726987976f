"""The matrices, rules and gradings shipped with the library, all plain validated values.

They are frozen values, not configuration: build your own from dicts with ``from_dict`` (start
from ``X.to_dict()`` of one of these) and pass it where it is needed.
"""

from __future__ import annotations

import datetime as dt

from itsm_core.priority._grading import ResponseGrading
from itsm_core.priority._intake import IntakeRule, IntakeRules, Interruption
from itsm_core.priority._matrix import GradingMatrix
from itsm_core.priority._policy import PriorityPolicy
from itsm_core.priority._scale import PriorityScale

_HIGH_MEDIUM_LOW = ["High", "Medium", "Low"]
_RESPONSE = PriorityScale("response level", ["Major", "Serious", "General"])

ITIL_MATRIX = GradingMatrix(
    name="itil-3x3",
    rows=PriorityScale("impact", _HIGH_MEDIUM_LOW),
    columns=PriorityScale("urgency", _HIGH_MEDIUM_LOW),
    result=PriorityScale("priority", ["Critical", "High", "Medium", "Low", "Planning"]),
    cells=[
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 5],
    ],
)
"""ITIL's 3x3 matrix: priority = impact + urgency - 1, from P1 Critical to P5 Planning."""

SERVICENOW_MATRIX = GradingMatrix(
    name="servicenow-default",
    rows=PriorityScale("impact", _HIGH_MEDIUM_LOW),
    columns=PriorityScale("urgency", _HIGH_MEDIUM_LOW),
    result=PriorityScale("priority", ["Critical", "High", "Moderate", "Low"]),
    cells=[
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 4],
    ],
)
"""ServiceNow's default priority lookup on four levels (3 - Low x 3 - Low is 4 - Low).

The instance that produced the sample data in ``../shared/data`` used this table.
"""

_FIVE_LEVELS = ["Very high", "High", "Medium", "Low", "Very low"]

MATRIX_5X5 = GradingMatrix(
    name="glpi-5x5",
    rows=PriorityScale("impact", _FIVE_LEVELS),
    columns=PriorityScale("urgency", _FIVE_LEVELS),
    result=PriorityScale("priority", _FIVE_LEVELS),
    cells=[
        [1, 1, 2, 3, 4],
        [1, 2, 2, 3, 4],
        [2, 2, 3, 4, 4],
        [3, 3, 4, 4, 5],
        [4, 4, 4, 5, 5],
    ],
)
"""GLPI's default 5x5 impact x urgency matrix, renumbered so that level 1 is the highest.

GLPI numbers its levels 1 (very low) to 5 (very high); here level ``n`` is GLPI's ``6 - n`` on
every axis, so the table reads the same way as the ITIL and ServiceNow ones.
"""

DEFAULT_INTAKE_RULES = IntakeRules(
    impact=[
        IntakeRule(
            name="critical service stopped",
            level=1,
            interruption=[Interruption.FULL],
            max_criticality=1,
        ),
        IntakeRule(
            name="many users interrupted",
            level=1,
            interruption=[Interruption.PARTIAL, Interruption.FULL],
            min_users=100,
        ),
        IntakeRule(
            name="business interrupted",
            level=2,
            interruption=[Interruption.PARTIAL, Interruption.FULL],
        ),
        IntakeRule(name="several users affected", level=2, min_users=10),
        IntakeRule(name="otherwise", level=3),
    ],
    urgency=[
        IntakeRule(
            name="needed within 4 hours", level=1, max_expected_resolution=dt.timedelta(hours=4)
        ),
        IntakeRule(
            name="work stopped", level=1, interruption=[Interruption.FULL], max_criticality=2
        ),
        IntakeRule(
            name="needed within a day", level=2, max_expected_resolution=dt.timedelta(days=1)
        ),
        IntakeRule(
            name="work degraded", level=2, interruption=[Interruption.PARTIAL, Interruption.FULL]
        ),
        IntakeRule(name="otherwise", level=3),
    ],
)
"""Intake rules for three impact and three urgency levels (1 High, 2 Medium, 3 Low)."""

ITIL_POLICY = PriorityPolicy(
    name="itil",
    matrix=ITIL_MATRIX,
    intake=DEFAULT_INTAKE_RULES,
    tiers={"regular": 0, "vip": 1, "enterprise": 0},
)
"""The ITIL matrix with the default intake rules; a VIP customer raises priority one level.

Its tiers are those of :data:`DEFAULT_TIERS` (regular, vip, enterprise; ``standard`` is read as
``regular``), the vocabulary of ``tickets.CustomerTier``.
"""

COMPLAINT_GRADING = ResponseGrading(
    name="complaint",
    matrix=GradingMatrix(
        name="complaint-3x3",
        rows=PriorityScale("severity", ["Severe", "Moderate", "Minor"]),
        columns=PriorityScale("urgency", _HIGH_MEDIUM_LOW),
        result=_RESPONSE,
        cells=[
            [1, 1, 2],
            [2, 2, 3],
            [2, 3, 3],
        ],
    ),
    tiers={"regular": 0, "vip": 1, "enterprise": 0},
)
"""Complaint severity x urgency to response level 1 (major), 2 (serious), 3 (general).

A VIP customer's complaint is handled one level higher, never above level 1.
"""

EMERGENCY_RISK_MATRIX = GradingMatrix(
    name="emergency-risk-5x5",
    rows=PriorityScale("likelihood", ["Almost certain", "Likely", "Possible", "Unlikely", "Rare"]),
    columns=PriorityScale("severity", ["Catastrophic", "Major", "Moderate", "Minor", "Negligible"]),
    result=_RESPONSE,
    cells=[
        [1, 1, 1, 2, 2],
        [1, 1, 2, 2, 3],
        [1, 2, 2, 2, 3],
        [2, 2, 2, 3, 3],
        [2, 3, 3, 3, 3],
    ],
)
"""A 5x5 emergency risk matrix, likelihood x severity to a response level.

Level 1 is the most likely and the most severe. With the usual risk score
``(6 - likelihood) * (6 - severity)`` from 1 to 25, the bands are: 15 and above, response
level 1 (major); 5 to 12, level 2 (serious); 4 and below, level 3 (general).
"""

EMERGENCY_GRADING = ResponseGrading(name="emergency", matrix=EMERGENCY_RISK_MATRIX)
"""The emergency risk matrix as a grading (no customer tiers)."""
