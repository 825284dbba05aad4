"""Every change to a warning case: one function per step, one transaction, one audit event."""

from ._common import implementation_due, response_due, revisit_due
from .archive import archive_closed, require_not_archived
from .ending import escalate, escalation_blockers, lift, lift_blockers
from .implementation import (
    approve_register,
    chief_roles,
    delegator_roles,
    hold_talk,
    issue_letter,
    leader_roles,
    notify_talk,
    plan_talk,
    record_receipt,
    write_register,
)
from .proposal import (
    approvers,
    decide,
    decides_at_meeting,
    mark_report_seen,
    propose_case,
    record_verification,
    refer_to_committee,
    report_to_chief,
    withdraw,
)
from .purge import candidates as purge_candidates
from .purge import kept_until, purge_expired
from .response import (
    allowed_recipients,
    decide_extension,
    extension_cap,
    record_response,
    record_revisit,
    request_extension,
    requested_until_problem,
    required_recipients,
    send_notice,
)

__all__ = [
    "allowed_recipients",
    "approve_register",
    "approvers",
    "archive_closed",
    "chief_roles",
    "decide",
    "decide_extension",
    "decides_at_meeting",
    "delegator_roles",
    "escalate",
    "escalation_blockers",
    "extension_cap",
    "hold_talk",
    "implementation_due",
    "issue_letter",
    "kept_until",
    "leader_roles",
    "lift",
    "lift_blockers",
    "mark_report_seen",
    "notify_talk",
    "plan_talk",
    "propose_case",
    "purge_candidates",
    "purge_expired",
    "record_receipt",
    "record_response",
    "record_revisit",
    "record_verification",
    "refer_to_committee",
    "report_to_chief",
    "request_extension",
    "requested_until_problem",
    "require_not_archived",
    "required_recipients",
    "response_due",
    "revisit_due",
    "send_notice",
    "withdraw",
    "write_register",
]
