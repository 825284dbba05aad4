"""Random sequences of workflow steps (hypothesis): whatever is tried, in whatever order, the case
stays consistent, and a refused step changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from yujing.audit.models import Event
from yujing.cadres.models import Cadre
from yujing.cases import selectors
from yujing.cases import services as cs
from yujing.cases.models import CLOSED, Status, WarningCase
from yujing.cases.services._common import case_policy, due, measure_rules
from yujing.clues import services as clue_services
from yujing.clues.services import Concerned, Outcome, Proposal
from yujing.orgs.models import User

from .conftest import at

START = date(2026, 3, 2)


class CaseMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.users = {u.username: u for u in User.objects.all()}
        self.today = START
        self.calls = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(measure=st.sampled_from(["inquiry", "admonition", "correction"]), verifiable=st.booleans())
    def open(self, measure, verifiable):
        cadre = Cadre.objects.get(code="MH0002")
        office = self.users["yjb"]
        clue = clue_services.register_clue(by=office, today=START, received_on=START, channel="petition",
                                           summary="反映问题", detail="详情", concerned=[Concerned(cadre_id=cadre.pk)])
        clue_services.screen_clue(clue=clue, by=office, today=START, outcome=Outcome.HANDLE, reason="本级",
                                  verifiable=verifiable, proposals=[Proposal(cadre.pk, measure)])
        self.case = clue.cases.get()
        self.events = self._events()

    def _events(self) -> int:
        return Event.objects.filter(object_type="cases.warningcase", object_id=str(self.case.pk)).count()

    def _try(self, fn, **kwargs):
        before = WarningCase.objects.get(pk=self.case.pk)
        events = self._events()
        try:
            fn(case=self.case, today=self.today, **kwargs)
        except (ValidationError, PermissionDenied):
            after = WarningCase.objects.get(pk=self.case.pk)
            assert (after.status, after.response_due, after.closed_on) == (
                before.status, before.response_due, before.closed_on)
            assert self._events() == events
            return
        self.calls += 1
        assert self._events() >= events + 1

    @rule(choice=st.integers(min_value=0, max_value=3))
    def advance(self, choice):
        """Take a step that the rules allow next (so random runs get deep into the workflow)."""
        case = WarningCase.objects.get(pk=self.case.pk)
        office, secretary = self.users["yjb"], self.users["shuji"]
        approver = {"inquiry": "fushuji", "admonition": "shuji", "correction": "shuji"}[case.measure]
        talk = case.talks.first()
        register = case.registers.first()
        if case.status == Status.PROPOSED:
            if not case.verifications.exists():
                return self.verify("true")
            return self.decide(approver, True)
        if case.status == Status.APPROVED:
            if measure_rules(case).report_to_party_chief and not case.chiefreports.exists():
                return self.report_chief()
            if choice % 2 and case.measure != "inquiry" and talk is None:
                if register is None:
                    return self.write_register()
                if register.approved_on is None:
                    return self.approve_register()
                return self.issue_letter(measure_rules(case).letter_forms[0])
            if choice % 2 and case.measure == "inquiry" and talk is None:
                return self.issue_letter("inquiry_letter")
            if talk is None:
                return self.plan_talk("shuji")
            if talk.notice_sent_on is None:
                return self.notify_talk()
            return self.hold_talk(True)
        if case.status == Status.IMPLEMENTED:
            if case.letters.exists():
                return self.receipt()
            if register is None:
                return self.write_register()
            if register.approved_on is None:
                return self.approve_register()
            return self.issue_letter(measure_rules(case).letter_forms[0])
        if case.status == Status.AWAITING_RESPONSE:
            if choice == 3 and measure_rules(case).extension:
                return self.request_extension(10)
            if case.extensions.filter(outcome="pending").exists():
                return self.decide_extension(True)
            return self.respond()
        if case.status == Status.RESPONDED:
            for recipient in cs.required_recipients(case):
                if not case.notices.filter(recipient=recipient).exists():
                    return self.notify(recipient)
            if register is None:
                return self.write_register()
            if measure_rules(case).revisit_required and not case.revisits.filter(meets_requirement=True).exists():
                return self.revisit(True)
            return self.lift() if choice else self.escalate("case_filing")
        del office, secretary
        return None

    @rule(days=st.integers(min_value=0, max_value=12))
    def tick(self, days):
        self.today += timedelta(days=days)

    @rule(data=st.data())
    def noise(self, data):
        """Any step at all, with plausible arguments — most are refused, and must change nothing."""
        name = data.draw(st.sampled_from(sorted(NOISE)))
        args = [data.draw(strategy) for strategy in NOISE[name]]
        getattr(self, name)(*args)

    def verify(self, conclusion):
        self._try(cs.record_verification, by=self.users["yjb"], method="preliminary", done_on=self.today,
                  findings="核查", conclusion=conclusion)

    def decide(self, approver, approve):
        self._try(cs.decide, by=self.users[approver], approve=approve, opinion="意见", meeting="第1次常委会",
                  meeting_on=self.today)

    def report_chief(self):
        self._try(cs.report_to_chief, by=self.users["yjb"], reported_on=self.today)

    def plan_talk(self, chief):
        self._try(cs.plan_talk, by=self.users["yjb"], outline="提纲", chief=self.users[chief], other_talkers=["甲"],
                  scheduled_at=at(self.today.isoformat()), place="谈话室")

    def notify_talk(self):
        self._try(cs.notify_talk, by=self.users["yjb"], sent_on=self.today)

    def hold_talk(self, signed):
        self._try(cs.hold_talk, by=self.users["yjb"], held_on=self.today, record="记录",
                  signed_on=self.today if signed else None)

    def write_register(self):
        self._try(cs.write_register, by=self.users["yjb"], content="整改要求")

    def approve_register(self):
        self._try(cs.approve_register, by=self.users["shuji"])

    def issue_letter(self, kind):
        self._try(cs.issue_letter, by=self.users["yjb"], kind=kind, issued_on=self.today, content="告知")

    def receipt(self):
        self._try(cs.record_receipt, by=self.users["yjb"], received_on=self.today)

    def respond(self):
        self._try(cs.record_response, by=self.users["yjb"], received_on=self.today, content="答复")

    def request_extension(self, days):
        current = WarningCase.objects.get(pk=self.case.pk).response_due or self.today
        self._try(cs.request_extension, by=self.users["yjb"], reason="理由", requested_until=current + timedelta(days=days))

    def decide_extension(self, approve):
        self._try(cs.decide_extension, by=self.users["shuji"], approve=approve, note="意见")

    def revisit(self, meets):
        self._try(cs.record_revisit, by=self.users["yjb"], methods=["report"], done_on=self.today, findings="情况",
                  meets_requirement=meets)

    def notify(self, recipient):
        self._try(cs.send_notice, by=self.users["yjb"], recipient=recipient, sent_on=self.today, content="通报")

    def lift(self):
        self._try(cs.lift, by=self.users["shuji"], basis="达到要求")

    def escalate(self, kind):
        self._try(cs.escalate, by=self.users["shuji"], kind=kind, basis="理由")

    @invariant()
    def consistent(self):
        case = WarningCase.objects.get(pk=self.case.pk)
        assert case.status in Status.values
        assert (case.closed_on is not None) == (case.status in CLOSED)
        rules = measure_rules(case)
        if case.approved_on:
            assert case.implementation_due == due(case, case.approved_on,
                                                  case_policy(case).rules.implementation.period).date
            if rules.verification_required or case.clues.filter(verifiable=True).exists():
                assert case.verifications.filter(recorded_at__lte=case.decisions.get().recorded_at).exists()
        if case.status in {Status.IMPLEMENTED, Status.AWAITING_RESPONSE, Status.RESPONDED} and case.delivery == "talk":
            assert case.talks.get().done
        if case.response_start:
            assert case.response_due >= due(case, case.response_start, rules.response.period).date
            cap = cs.extension_cap(case)
            assert case.response_due <= (cap or case.response_due)
        if case.status == Status.RESPONDED:
            assert case.responses.count() == 1
        if case.status == Status.LIFTED:
            assert not cs.lift_blockers(case)
        restricted = selectors.restrictions(cadre_ids=[case.target_id], today=self.today)[case.target_id]
        if restricted:
            assert rules.restricted and case.response_start <= self.today and case.status not in {
                Status.REJECTED, Status.WITHDRAWN}


NOISE = {
    "verify": [st.sampled_from(["true", "partly_true", "untrue", "unverifiable"])],
    "decide": [st.sampled_from(["shuji", "fushuji", "changwei"]), st.booleans()],
    "report_chief": [],
    "plan_talk": [st.sampled_from(["shuji", "fushuji"])],
    "notify_talk": [],
    "hold_talk": [st.booleans()],
    "write_register": [],
    "approve_register": [],
    "issue_letter": [st.sampled_from(["inquiry_letter", "admonition_notice", "correction_notice",
                                      "discipline_opinion"])],
    "receipt": [],
    "respond": [],
    "request_extension": [st.integers(min_value=1, max_value=45)],
    "decide_extension": [st.booleans()],
    "revisit": [st.booleans()],
    "notify": [st.sampled_from(["organization_dept", "personnel_dept", "unit_party_org"])],
    "lift": [],
    "escalate": [st.sampled_from(["admonition", "correction", "organisational", "case_filing"])],
}


@pytest.mark.django_db
def test_random_step_sequences_keep_every_invariant(demo):
    run_state_machine_as_test(
        CaseMachine,
        settings=settings(max_examples=60, stateful_step_count=40, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )
