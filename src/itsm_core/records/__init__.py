"""Records and security: retention, access control, confidentiality, a tamper-evident audit trail.

- **Retention** (:class:`RetentionPolicy`, :class:`LegalHold`, :func:`retention_due`): archive
  N days after closure, destroy M years after, never while a legal hold is active; a pure query
  of what is due at an instant.
- **Access** (:class:`AccessPolicy`, :class:`Actor`, :func:`decide_as`): role-based rules with
  attribute conditions (own group, own tickets, a customer's own tickets) answering
  ``policy.can(actor, action, ticket)`` with the reason; ticket commands that enforce it; a
  redacted view without the confidential fields (:func:`redacted_view`).
- **Confidentiality** (:class:`MaskingPolicy`, :func:`export_ticket`, :func:`mask_text`):
  exports mask mobile and landline numbers, e-mail addresses and resident ID numbers.
- **Audit seal** (:func:`seal_events`, :func:`verify_sealed`): a SHA-256 hash chain over a
  ticket's events; verification names the first altered, removed, inserted or reordered event.
"""

from itsm_core.records._access import AccessDecision, AccessPolicy, AccessRule
from itsm_core.records._actor import Actor
from itsm_core.records._due import RetentionDue, retention_due
from itsm_core.records._enforce import decide_as
from itsm_core.records._export import export_event, export_ticket
from itsm_core.records._legal_hold import LegalHold
from itsm_core.records._masking import MaskingPolicy
from itsm_core.records._personal_data import mask_text
from itsm_core.records._retention import RetentionPolicy, RetentionRule
from itsm_core.records._seal import Seal, SealedStream, seal_events
from itsm_core.records._standard import STANDARD_ACCESS_POLICY
from itsm_core.records._verify import TamperKind, Verification, verify_sealed
from itsm_core.records._view import TicketView, redacted_view

__all__ = [
    "STANDARD_ACCESS_POLICY",
    "AccessDecision",
    "AccessPolicy",
    "AccessRule",
    "Actor",
    "LegalHold",
    "MaskingPolicy",
    "RetentionDue",
    "RetentionPolicy",
    "RetentionRule",
    "Seal",
    "SealedStream",
    "TamperKind",
    "TicketView",
    "Verification",
    "decide_as",
    "export_event",
    "export_ticket",
    "mask_text",
    "redacted_view",
    "retention_due",
    "seal_events",
    "verify_sealed",
]
