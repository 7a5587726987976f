"""Every text a report shows, marked for translation (catalogue ``reports``), and the names of
KPIs, SLA metrics, dimensions, states and units the report data uses as keys.

Data keys stay English snake_case (``time_to_resolve``, ``h``); a renderer translates them for
display with :func:`label` and :func:`unit_label`, so an embedding app in China shows 解决时间
and 小时 from the same report.
"""

from __future__ import annotations

from itsm_core.i18n import N_, Messages

#: Display names of the KPIs and SLA metrics a report knows (a KPI it does not know is shown by
#: its own name).
KPI_NAMES: dict[str, str] = {
    "tickets": N_("Tickets opened"),
    "backlog": N_("Open tickets (backlog)"),
    "time_to_acknowledge": N_("Time to acknowledge"),
    "time_to_first_response": N_("Time to first response"),
    "time_to_resolve": N_("Time to resolve"),
    "time_to_close": N_("Time to close"),
    "business_time_to_first_response": N_("Business time to first response"),
    "business_time_to_resolve": N_("Business time to resolve"),
    "first_contact_resolution": N_("First contact resolution"),
    "resolution_rate": N_("Resolution rate"),
    "reopen_rate": N_("Reopen rate"),
    "reassignment_rate": N_("Reassignment rate"),
    "escalation_rate": N_("Escalation rate"),
    "functional_escalation_rate": N_("Functional escalation rate"),
    "hierarchical_escalation_rate": N_("Hierarchical escalation rate"),
    "complaint_rate": N_("Complaint rate"),
    "first_response_compliance": N_("First response SLA compliance"),
    "resolution_compliance": N_("Resolution SLA compliance"),
    "next_response_compliance": N_("Next response SLA compliance"),
    "group_resolution_compliance": N_("Group resolution SLA compliance"),
    "csat": N_("Satisfaction (CSAT)"),
    "nps": N_("Net Promoter Score (NPS)"),
    "first_response": N_("First response"),
    "resolution": N_("Resolution"),
    "next_response": N_("Next response"),
    "group_resolution": N_("Group resolution"),
    # Targets the report checks and alerts on.
    "complaint_average_response": N_("Average first response to complaints"),
    "complaint_satisfaction": N_("Complaint satisfaction"),
    "follow_up_coverage": N_("Follow-up coverage"),
    # Hotline and quality-inspection figures.
    "calls_offered": N_("Calls offered"),
    "calls_answered": N_("Calls answered"),
    "calls_abandoned": N_("Calls abandoned"),
    "service_level": N_("Service level reached"),
    "average_speed_of_answer": N_("Average speed of answer"),
    "abandonment_rate": N_("Abandonment rate"),
    "abandonment_rate_excluding_short": N_("Abandonment rate without short abandons"),
    "average_handle_time": N_("Average handle time"),
    "occupancy": N_("Occupancy"),
    "call_first_contact_resolution": N_("First-contact resolution of calls"),
    "callbacks_requested": N_("Callbacks requested"),
    "inspections": N_("Contacts inspected"),
    "inspection_mean_score": N_("Mean inspection score"),
    "inspection_pass_rate": N_("Inspection pass rate"),
    "critical_failures": N_("Critical failures"),
    "kappa": N_("Inspectors' agreement (Fleiss' kappa)"),
}

#: The figures and reasons of a reconciliation with the source system
#: (:meth:`itsm_core.adapters.reconciliation.Reconciliation.report_table`): its figure names,
#: reason values and notes as keys.
RECONCILIATION_TERMS: dict[str, str] = {
    "tickets reassigned at least once": N_("Tickets reassigned at least once"),
    "reassignments": N_("Reassignments"),
    "reopens": N_("Reopens"),
    "tickets with a resolution time": N_("Tickets with a resolution time"),
    "tickets with a closure time": N_("Tickets with a closure time"),
    "time to resolution, mean": N_("Time to resolution, mean"),
    "time to resolution, median": N_("Time to resolution, median"),
    "time to closure, mean": N_("Time to closure, mean"),
    "time to closure, median": N_("Time to closure, median"),
    "tickets that made their SLA (the source's verdict)": N_(
        "Tickets that made their SLA (the source's verdict)"
    ),
    "equal": N_("equal"),
    "first_assignment": N_(
        "a group set on a ticket that had none: a reassignment for the source, not for us"
    ),
    "counter_without_change": N_(
        "the source's counter rose on a row with the same assignment group as the row before"
    ),
    "restamped": N_(
        "the source's time is a later update in the same state; ours is the entry into the state"
    ),
    "missing_in_source": N_("the source has no value (`?`); ours is the row showing the state"),
    "opened_before": N_("a row was recorded before the source's opened_at; we open there"),
    "unexplained": N_("not explained by the export's columns"),
    "ours needs SLA policies: see itsm_core.sla.evaluate": N_(
        "ours needs SLA policies: see itsm_core.sla.evaluate"
    ),
}

#: Names of the dimensions, statistics, states and other words that appear as cell values.
TERMS: dict[str, str] = {
    "kind": N_("Kind"),
    "channel": N_("Channel"),
    "category": N_("Category"),
    "priority": N_("Priority"),
    "assignment_group": N_("Assignment group"),
    "assignee": N_("Assignee"),
    "complaint_type": N_("Complaint type"),
    "mean": N_("mean"),
    "median": N_("median"),
    "p90": N_("90th percentile"),
    "all": N_("all"),
    "others": N_("others"),
    "(none)": N_("(none)"),
    "incident": N_("incident"),
    "service_request": N_("service request"),
    "problem": N_("problem"),
    "change": N_("change"),
    "complaint": N_("complaint"),
    "consultation": N_("consultation"),
    "phone": N_("phone"),
    "email": N_("email"),
    "web": N_("web"),
    "chat": N_("chat"),
    "on_site": N_("on site"),
    "service": N_("service"),
    "process": N_("process"),
    "technical": N_("technical"),
    "policy": N_("policy"),
    "met": N_("met"),
    "missed": N_("missed"),
    "holds": N_("holds"),
    "broken": N_("broken"),
    "new": N_("new"),
    "open": N_("open"),
    "on_hold": N_("on hold"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
    "cancelled": N_("cancelled"),
    "in_progress": N_("in progress"),
    "significant": N_("significant"),
    "not significant": N_("not significant"),
    "higher": N_("higher is better"),
    "lower": N_("lower is better"),
    "at_least": N_("at least"),
    "at_most": N_("at most"),
    "yes": N_("yes"),
    "no": N_("no"),
    # Landis and Koch's bands of a kappa (itsm_core.inspection.agreement_band).
    "poor": N_("poor"),
    "slight": N_("slight"),
    "fair": N_("fair"),
    "moderate": N_("moderate"),
    "substantial": N_("substantial"),
    "almost perfect": N_("almost perfect"),
}

#: Units as written in data (records, DataFrames, CSV) and their display names.
UNITS: dict[str, str] = {
    "h": N_("h"),
    "%": N_("%"),
    "pp": N_("pp"),
    "tickets": N_("tickets"),
    "points": N_("points"),
    "calls": N_("calls"),
    "agents": N_("agents"),
    "answers": N_("answers"),
    "reassignments": N_("reassignments"),
    "reopens": N_("reopens"),
    "s": N_("s"),
    "contacts": N_("contacts"),
}

# Headings, column titles and explanation lines.
TITLE = N_("Service report")
SUMMARY = N_("Summary")
BREAKDOWNS = N_("Breakdowns by volume")
DETAILS = N_("Detail tables")
CHARTS = N_("Charts")
DEFINITIONS = N_("Definitions")
RECONCILIATION = N_("Reconciliation with the source system")
T_RECONCILIATION = N_("Our figures and {system}'s")
N_RECONCILIATION_NATIVE = N_(
    "Ours by our definitions, the source's from the export's own columns; each difference with "
    "its reason and the number of tickets it accounts for."
)
N_RECONCILIATION_COMPATIBLE = N_(
    "Ours by the source's definitions, the source's from the export's own columns; each "
    "difference with its reason and the number of tickets it accounts for."
)
COL_FIGURE = N_("Figure")
COL_OURS = N_("Ours")
COL_THEIRS = N_("Source's")
COL_DIFFERENCE = N_("Difference")
COL_REASON = N_("Reason")
SOURCE = N_("Source")
AS_OF = N_("As of {when}")
COMPARED = N_("Period {current} compared with {previous}")
ONLY_PERIOD = N_("Period {current} (no previous period to compare with)")
SUMMARY_NOTE = N_(
    "Rates carry a Wilson 95 % interval; mean durations a normal-approximation 95 % interval. "
    "A change is significant when its test gives p < {alpha}."
)
SUMMARY_TABLE_NOTE = N_(
    "Rates in percent with Wilson 95 % intervals, mean durations in hours; the change of a "
    "rate is in percentage points (pp)."
)
BREAKDOWN_NOTE = N_("Tickets opened over the whole range, largest first.")
CHARTS_ABSENT = N_("Charts need matplotlib: pip install 'itsm-core[charts]'.")
TEST_RATE = N_("two-proportion z-test")
TEST_MEAN = N_("Welch z-test on means")
NO_TEST = N_("no test")
NO_DATA = N_("no data")
LANGUAGE_NAME = N_("English")

# Column titles.
COL_KPI = N_("KPI")
COL_UNIT = N_("Unit")
COL_CHANGE_UNIT = N_("Unit of change")
COL_VALUE = N_("Value")
COL_LOWER = N_("95 % CI lower")
COL_UPPER = N_("95 % CI upper")
COL_N = N_("n")
COL_TARGET = N_("Target")
COL_STATUS = N_("Against target")
COL_PREVIOUS = N_("Previous period")
COL_CHANGE = N_("Change")
COL_P = N_("p-value")
COL_SIGNIFICANCE = N_("Significance")
COL_TEST = N_("Test")
COL_VALUE_OF = N_("Value of")
COL_SHARE = N_("Share")
COL_CUMULATIVE = N_("Cumulative share")
COL_TICKETS = N_("Tickets")
COL_PERIOD = N_("Period")
COL_GROUP = N_("Group")
COL_STATISTIC = N_("Statistic")
COL_OPEN = N_("Still open")
COL_EXCLUDED = N_("Excluded")
COL_MEAN = N_("Mean")
COL_MEDIAN = N_("Median")
COL_P90 = N_("90th percentile")
COL_RATE = N_("Rate")
COL_SUCCESSES = N_("Successes")
COL_METRIC = N_("SLA metric")
COL_COMPLIANCE = N_("Compliance")
COL_MET = N_("Met")
COL_BREACHED = N_("Breached")
COL_OPEN_BREACHED = N_("Open, breached")
COL_OPEN_WITHIN = N_("Open, within target")
COL_AT = N_("At")
COL_OPENED = N_("Opened")
COL_REOPENED = N_("Reopened")
COL_CLOSED = N_("Closed")
COL_CANCELLED = N_("Cancelled")
COL_START = N_("Backlog at start")
COL_END = N_("Backlog at end")
COL_IDENTITY = N_("Flow identity")
COL_AGE = N_("Age")
COL_CSAT = N_("CSAT (top-2 box)")
COL_NPS = N_("NPS")
COL_ANSWERS = N_("Answers")
COL_RESPONSES = N_("NPS responses")
COL_INTERVAL = N_("Interval start")
COL_FORECAST = N_("Calls forecast")
COL_ANSWERED = N_("Calls answered")
COL_AGENTS = N_("Agents needed")
COL_SCHEDULED = N_("Agents scheduled")
COL_TARGET_NAME = N_("Target name")
COL_BOUND = N_("Bound")
COL_CLAUSE = N_("Clause of the standard")
COL_INTERVAL_SPAN = N_("Interval")
COL_OFFERED = N_("Offered")
COL_ABANDONED = N_("Abandoned")
COL_SHORT = N_("Short abandons")
COL_SERVICE_LEVEL = N_("Service level")
COL_STAFFED = N_("Agents staffed")
COL_AGENT = N_("Agent")
COL_INSPECTED = N_("Inspected")
COL_MEAN_SCORE = N_("Mean score")
COL_PASS_RATE = N_("Pass rate")
COL_REMEDIAL = N_("Remedial training")
COL_ASSESSMENT = N_("Assessment")

# Table titles and notes.
T_SUMMARY = N_("Headline KPIs")
T_BREAKDOWN = N_("Tickets by {dimension}")
T_TICKETS = N_("Tickets opened per period")
T_DURATIONS = N_("Durations")
T_RATES = N_("Rates")
T_SLA = N_("SLA compliance")
T_BACKLOG = N_("Backlog by age")
T_FLOWS = N_("Backlog flow")
T_SATISFACTION = N_("Satisfaction")
T_STAFFING = N_("Staffing plan against calls answered")
T_COMPLAINTS = N_("Complaints by type")
T_TARGETS = N_("KPI targets checked")
T_OPERATIONS = N_("Hotline and quality figures")
T_INTERVALS = N_("Calls by interval (service level: answered within {seconds} s)")
T_QUALITY = N_("Quality inspection by agent")
N_TARGETS = N_(
    "Each target read over the whole range of the report (the complaint targets in the "
    "complaint group of a report grouped by kind); a target the report has no data for is left "
    "out. A missed target is an alert."
)
N_OPERATIONS = N_(
    "Over every interval given: counts and rates pooled from the intervals' counts; speed of "
    "answer, handle time and first-contact resolution weighted by calls answered; occupancy "
    "weighted by staffed time. Inspection figures over every inspection; kappa bands after "
    "Landis and Koch."
)
#: The note of the interval table for each :class:`itsm_core.calls.ServiceLevelConvention`.
N_CONVENTIONS: dict[str, str] = {
    "short_abandons_ignored": N_(
        "Service level = answered within the threshold / (answered + abandoned - short "
        "abandons). Calls count in the interval they were offered in; occupancy = busy time / "
        "staffed time."
    ),
    "abandons_missed": N_(
        "Service level = answered within the threshold / (answered + abandoned). Calls count in "
        "the interval they were offered in; occupancy = busy time / staffed time."
    ),
    "abandons_ignored": N_(
        "Service level = answered within the threshold / answered (abandons left out). Calls "
        "count in the interval they were offered in; occupancy = busy time / staffed time."
    ),
}
N_QUALITY = N_(
    "Per agent: contacts inspected, mean score (percent of the sheet's marks), share passed, "
    "inspections failed on a critical item."
)
N_DURATIONS = N_(
    "Tickets are counted in the period they were opened. Mean, median and 90th percentile of "
    "the tickets that reached the end milestone; still-open tickets are left out."
)
N_RATES = N_("Share of decided tickets, with a Wilson 95 % interval.")
N_SLA = N_(
    "Compliance = met / (met + breached + open breached); open clocks within target are "
    "undecided and left out. Wilson 95 % interval."
)
N_BACKLOG = N_("Tickets open at each instant, by age since they were opened.")
N_FLOWS = N_("Backlog at end = start + opened + reopened - closed - cancelled.")
N_SATISFACTION = N_(
    "CSAT is the share of 4 and 5 answers on a 1-5 scale (Wilson interval); NPS is "
    "promoters minus detractors in points (adjusted Wald interval)."
)

# Chart titles and axis labels.
C_COMPLIANCE = N_("SLA compliance over time")
C_BACKLOG = N_("Backlog and its age")
C_PARETO_CATEGORIES = N_("Pareto of categories")
C_PARETO_COMPLAINTS = N_("Pareto of complaint types")
C_P_CHART = N_("p chart of resolution SLA breaches")
C_XMR = N_("XmR chart of the mean time to resolve")
C_SATISFACTION = N_("CSAT and NPS over time")
C_STAFFING = N_("Staffing plan against calls answered")
C_CALLS = N_("Calls per interval against the Erlang plan")
A_PERIOD = N_("period")
A_COMPLIANCE = N_("compliance (%)")
A_OPEN = N_("open tickets")
A_TICKETS = N_("tickets")
A_CUMULATIVE = N_("cumulative share (%)")
A_BREACH_SHARE = N_("share breached (%)")
A_HOURS = N_("hours")
A_MOVING_RANGE = N_("moving range (h)")
A_CSAT = N_("CSAT (%)")
A_NPS = N_("NPS (points)")
A_CALLS = N_("calls")
A_AGENTS = N_("agents")
L_TARGET = N_("target")
L_CENTRE = N_("centre line")
L_LIMITS = N_("control limits")
L_SIGNAL = N_("run-rule signal")
L_VITAL = N_("80 % line")
L_FORECAST = N_("calls forecast")
L_ANSWERED = N_("calls answered")
L_SCHEDULED = N_("agents scheduled")
L_NEEDED = N_("agents needed")
L_INDIVIDUALS = N_("individual values")
L_OFFERED = N_("calls offered")
L_ABANDONED = N_("calls abandoned")
L_STAFFED = N_("agents staffed")
L_WILSON = N_("with Wilson 95 % intervals")

# Summary cards.
CARD_INTERVAL = N_("95 % CI {lower} to {upper}")
CARD_TARGET_HIGHER = N_("target at least {target}")
CARD_TARGET_LOWER = N_("target at most {target}")
CARD_CHANGE = N_("{change} from {previous} ({before})")
CARD_SIGNIFICANT = N_("significant, p = {p}")
CARD_NOT_SIGNIFICANT = N_("not significant, p = {p}")
CARD_N = N_("n = {n}")

# Alerts: the targets the report checks (complaint targets, follow-up coverage).
OPERATIONS = N_("Hotline operations")
ALERTS = N_("Alerts")
ALERT_AT_LEAST = N_("{name}: {value}, below the target of at least {target}")
ALERT_AT_MOST = N_("{name}: {value}, above the target of at most {target}")
ALERT_CLAUSE = N_('{alert}; the standard: "{clause}"')
ALERTS_NONE = N_("Every target checked is met ({count}).")
REPORT_FOOTER = N_("Made by itsm-core {version}; this page loads nothing from the network.")

#: Definitions of the standard KPIs (a KPI defined otherwise is described by its own
#: ``describe()``).
DEFINITION_TEXTS: dict[str, str] = {
    "time_to_acknowledge": N_(
        "Time to acknowledge: from opening to the first acknowledgement, calendar time, all "
        "tickets."
    ),
    "time_to_first_response": N_(
        "Time to first response: from opening to the first response by someone other than the "
        "customer, calendar time, all tickets."
    ),
    "time_to_resolve": N_(
        "Time to resolve: from opening to the final resolution, calendar time, all tickets."
    ),
    "time_to_close": N_("Time to close: from opening to closure, calendar time, all tickets."),
    "business_time_to_first_response": N_(
        "Business time to first response: from opening to the first response, in working time "
        "of the business calendar."
    ),
    "business_time_to_resolve": N_(
        "Business time to resolve: from opening to the final resolution, in working time of "
        "the business calendar."
    ),
    "first_contact_resolution": N_(
        "First contact resolution: resolved at the first contact, of the resolved tickets; open "
        "tickets left out."
    ),
    "resolution_rate": N_("Resolution rate: resolved tickets of all tickets; open tickets count."),
    "reopen_rate": N_(
        "Reopen rate: resolved tickets reopened within the reopen window, of the resolved tickets."
    ),
    "reassignment_rate": N_(
        "Reassignment rate: tickets moved from one assignment group to another, of all tickets."
    ),
    "escalation_rate": N_("Escalation rate: escalated tickets of all tickets."),
    "functional_escalation_rate": N_(
        "Functional escalation rate: tickets escalated to another support tier, of all tickets."
    ),
    "hierarchical_escalation_rate": N_(
        "Hierarchical escalation rate: tickets escalated to management, of all tickets."
    ),
    "complaint_rate": N_("Complaint rate: complaints of all tickets; open tickets count."),
}


def label(messages: Messages, key: str) -> str:
    """The display name of a KPI, metric, dimension or term key in ``messages``' language
    (the key itself when it is not a known name)."""
    known = KPI_NAMES.get(key) or TERMS.get(key) or RECONCILIATION_TERMS.get(key) or UNITS.get(key)
    return messages.text(known) if known is not None else key


def unit_label(messages: Messages, unit: str) -> str:
    """The display name of a unit (``h`` is 小时 in Chinese)."""
    known = UNITS.get(unit)
    return messages.text(known) if known is not None else unit
