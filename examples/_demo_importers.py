"""Importers for `make demo`: a Zendesk ticket and two Jira issues replayed onto our workflows."""

from __future__ import annotations

import datetime as dt

from itsm_core.adapters.jira import import_issues, parse_changelog, parse_issues
from itsm_core.adapters.zendesk import import_tickets, parse_export
from itsm_core.tickets import ImportMode, ImportResult

_ZENDESK = {
    "ticket": {
        "id": 35436,
        "subject": "VPN drops every hour",
        "type": "incident",
        "status": "solved",
        "priority": "high",
        "via": {"channel": "voice"},
        "requester_id": 20978392,
        "created_at": "2026-11-02T08:00:00Z",
        "updated_at": "2026-11-02T15:00:00Z",
    },
    "audits": [
        {
            "created_at": at,
            "author_id": 1001,
            "events": [{"type": "Change", "field_name": "status", "value": status}],
        }
        for at, status in (
            ("2026-11-02T08:20:00Z", "open"),
            ("2026-11-02T09:00:00Z", "pending"),
            ("2026-11-02T13:00:00Z", "open"),
            ("2026-11-02T15:00:00Z", "solved"),
        )
    ],
}

_JIRA_ISSUES = (
    "Issue key,Issue Type,Status,Priority,Reporter,Created,Updated,Resolved\n"
    "IT-1,Incident,Closed,Highest,ana,21/Nov/26 9:15 AM,23/Nov/26 10:00 AM,21/Nov/26 4:40 PM\n"
    "IT-2,Service request,Resolved,Medium,bo,21/Nov/26 10:00 AM,21/Nov/26 3:00 PM,"
    "21/Nov/26 3:00 PM\n"
)
_JIRA_CHANGELOG = (
    "Issue key,Created,Author,Field,From,To\n"
    "IT-2,21/Nov/26 10:05 AM,bo,status,Open,Waiting for support\n"
    "IT-2,21/Nov/26 3:00 PM,bo,status,Waiting for support,Resolved\n"
)


def _rows(source: str, results: tuple[ImportResult, ...]) -> list[tuple[str, ...]]:
    return [
        (
            source,
            r.ticket.id,
            r.ticket.workflow,
            " > ".join(e.name for e in r.events),
            r.ticket.state,
            str(len(r.issues)),
        )
        for r in results
    ]


def show() -> None:
    """Print each import: ticket, workflow, events replayed, final state, refused rows."""
    zendesk = import_tickets(parse_export(_ZENDESK, source="zendesk.json"))
    issues = parse_issues(_JIRA_ISSUES, tz=dt.UTC, source="issues.csv")
    changelog = parse_changelog(_JIRA_CHANGELOG, tz=dt.UTC, source="changelog.csv")
    strict = import_issues(issues, changelog)
    lenient = import_issues(issues, changelog, mode=ImportMode.LENIENT)
    rows = [
        ("source", "ticket", "workflow", "events", "state", "refused"),
        *_rows("zendesk", zendesk),
        *_rows("jira", strict),
        *_rows("jira lenient", lenient[1:]),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("Importers: other helpdesks' histories replayed onto our workflows")
    for i, row in enumerate(rows):
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
    print(
        "  (a service request needs approval before work: strict mode refuses the Jira"
        " request's jump to work; lenient mode keeps it, flagged)"
    )


if __name__ == "__main__":
    show()
