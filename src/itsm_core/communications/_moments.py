"""The customer-facing moments, the facts each one offers its templates, and their default
texts (English, the catalogue's source; the Chinese is in ``communications.po``)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from itsm_core.i18n import N_


class Moment(enum.StrEnum):
    """A moment of the standards at which the customer hears from the desk.

    * ``acknowledgement``: the request is received, with its reference, the next steps and
      the expected time (即时响应与安抚).
    * ``delay_notice``: the target will be missed, with the reason and the new time, sent
      before the breach (提前告知客户).
    * ``progress_update``: the work goes on, at the interval the notice rules set.
    * ``resolution``: the solution, and the request to confirm it (得到客户确认后关闭).
    * ``emergency_bulletin``: a major incident, told first to every affected customer
      (第一时间向客户通报).
    * ``survey_invitation``: the satisfaction survey.
    * ``follow_up_reminder``: the follow-up call or visit (回访) to come.
    """

    ACKNOWLEDGEMENT = "acknowledgement"
    DELAY_NOTICE = "delay_notice"
    PROGRESS_UPDATE = "progress_update"
    RESOLUTION = "resolution"
    EMERGENCY_BULLETIN = "emergency_bulletin"
    SURVEY_INVITATION = "survey_invitation"
    FOLLOW_UP_REMINDER = "follow_up_reminder"


#: The facts every moment offers: the recipient's name, the ticket's reference and a summary.
COMMON_FIELDS = frozenset({"name", "reference", "summary"})

#: The ``{fields}`` a template of each moment may use.
FIELDS: Mapping[Moment, frozenset[str]] = MappingProxyType(
    {
        Moment.ACKNOWLEDGEMENT: COMMON_FIELDS | {"expected"},
        Moment.DELAY_NOTICE: COMMON_FIELDS | {"reason", "due", "new_due"},
        Moment.PROGRESS_UPDATE: COMMON_FIELDS | {"update", "expected"},
        Moment.RESOLUTION: COMMON_FIELDS | {"resolution"},
        Moment.EMERGENCY_BULLETIN: COMMON_FIELDS | {"service", "impact", "expected"},
        Moment.SURVEY_INVITATION: COMMON_FIELDS | {"survey"},
        Moment.FOLLOW_UP_REMINDER: COMMON_FIELDS | {"visit_at"},
    }
)

#: The default subject and body of each moment, in English (message ids of the catalogue).
DEFAULT_TEXTS: Mapping[Moment, tuple[str, str]] = MappingProxyType(
    {
        Moment.ACKNOWLEDGEMENT: (
            N_("We have received your request {reference}"),
            N_(
                "Dear {name}, we have received your request {reference} ({summary}). "
                "An engineer is looking into it and will contact you; we expect to resolve "
                "it by {expected}."
            ),
        ),
        Moment.DELAY_NOTICE: (
            N_("Your request {reference} will take longer than planned"),
            N_(
                "Dear {name}, we are sorry: your request {reference} ({summary}) will not be "
                "resolved by {due} as planned, because {reason}. We now expect to resolve it "
                "by {new_due}, and will keep you informed."
            ),
        ),
        Moment.PROGRESS_UPDATE: (
            N_("Progress on your request {reference}"),
            N_(
                "Dear {name}, an update on your request {reference} ({summary}): {update}. "
                "We still expect to resolve it by {expected}."
            ),
        ),
        Moment.RESOLUTION: (
            N_("Your request {reference} is resolved: please confirm"),
            N_(
                "Dear {name}, your request {reference} ({summary}) is resolved: {resolution}. "
                "Please confirm that the solution works for you; we close the request only "
                "after your confirmation."
            ),
        ),
        Moment.EMERGENCY_BULLETIN: (
            N_("Service alert: {service}"),
            N_(
                "Dear {name}, we are handling a major incident affecting {service} "
                "({impact}), reference {reference}. Our emergency team is working on it and "
                "we expect to restore the service by {expected}. We will inform you of every "
                "development."
            ),
        ),
        Moment.SURVEY_INVITATION: (
            N_("How did we do on {reference}?"),
            N_(
                "Dear {name}, thank you for your patience with request {reference} "
                "({summary}). Please tell us how satisfied you are: {survey}"
            ),
        ),
        Moment.FOLLOW_UP_REMINDER: (
            N_("We will follow up on {reference}"),
            N_(
                "Dear {name}, we will contact you at {visit_at} to follow up on request "
                "{reference} ({summary}) and hear your feedback."
            ),
        ),
    }
)

#: Texts filled in as facts when the ticket has none of its own.
UNKNOWN_TIME = N_("as soon as possible")
NO_SUMMARY = N_("your request")
NO_SERVICE = N_("our services")
NO_IMPACT = N_("impact being assessed")
STILL_WORKING = N_("our engineers are still working on it")
NO_RESOLUTION = N_("see the details in your request")
DEFAULT_DELAY_REASON = N_("the work needs more time than planned")
#: The reason of a delay while the ticket waits, by hold reason.
HOLD_REASONS: Mapping[str, str] = MappingProxyType(
    {
        "awaiting_customer": N_("we are waiting for information from you"),
        "awaiting_vendor": N_("we are waiting for a vendor"),
        "awaiting_change": N_("a change must be carried out first"),
        "awaiting_problem": N_("the underlying problem is still being investigated"),
    }
)
