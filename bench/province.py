"""A deterministic synthetic province for benchmarks: counties of units and cadres, clues over ten
years in every state, cases in every state. Loaded with bulk inserts (no per-row queries).

Only the rows the benchmarks read are realistic (status, dates, units); text fields are short."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import connection, transaction

EVERY_STATE = ["proposed", "approved", "implemented", "awaiting_response", "responded", "lifted", "escalated",
               "rejected"]
CHANNELS = ["petition", "referral", "case_handling", "commission_office", "audit", "appraisal", "member_unit", "media"]


def build(*, clues: int, today: date, seed: int = 7, counties: int | None = None) -> dict:
    from yujing.cadres.models import Cadre
    from yujing.orgs import services as org_services
    from yujing.orgs.models import Unit, User
    from yujing.orgs.roles import Role
    from yujing.policy.services import register_policy_version

    rng = random.Random(seed)
    counties = counties or max(1, min(100, clues // 10_000))
    version = register_policy_version()
    province = Unit.objects.filter(code="P").first()
    if province is not None:  # grow the province already there: more clues and cases, same units
        return _grow(province, clues=clues, today=today, rng=rng, version=version)
    with transaction.atomic():
        province = org_services.create_unit(name="某省", code="P", kind=Unit.Kind.REGION)
        units, offices = [], []
        for c in range(counties):
            county = org_services.create_unit(name=f"第{c + 1}县", code=f"P{c:03d}", kind=Unit.Kind.COUNTY, parent=province)
            committee = org_services.create_unit(name=f"第{c + 1}县县委", code=f"P{c:03d}-XW",
                                                 kind=Unit.Kind.COUNTY_COMMITTEE, parent=county)
            commission = org_services.create_unit(name=f"第{c + 1}县纪委", code=f"P{c:03d}-JW",
                                                  kind=Unit.Kind.DISCIPLINE_COMMISSION, parent=county)
            office = org_services.create_unit(name=f"第{c + 1}县预警办", code=f"P{c:03d}-YJB",
                                              kind=Unit.Kind.WARNING_OFFICE, parent=commission, doc_prefix=f"{c}纪预")
            offices.append(office)
            user = org_services.create_user(username=f"office{c}", full_name=f"预警办{c}", unit=office, password=None,
                                            email=f"office{c}@example.gov")
            org_services.assign_role(user=user, unit=office, role=Role.WARNING_OFFICE)
            for t in range(28):
                unit = org_services.create_unit(name=f"第{c + 1}县单位{t}", code=f"P{c:03d}-{t:02d}",
                                                kind=Unit.Kind.TOWNSHIP if t < 14 else Unit.Kind.COUNTY_UNIT,
                                                parent=county)
                units.append((unit, committee, office))
                body = org_services.create_user(username=f"body{c}_{t}", full_name=f"纪委{c}-{t}", unit=unit,
                                                password=None, email=f"body{c}.{t}@example.gov")
                org_services.assign_role(user=body, unit=unit, role=Role.DISCIPLINE_BODY)
        registrar = User.objects.get(username="office0")
    cadres = []
    for unit, committee, _ in units:
        for k in range(70):
            county_managed = k < 20
            cadres.append(Cadre(code=f"{unit.code}-{k:03d}", name=f"干部{unit.code}{k}", unit=unit, position="职务",
                                is_principal=k < 2, managed_by=committee if county_managed else unit,
                                scope_category="government"))
    Cadre.objects.bulk_create(cadres, batch_size=5000)
    result = _fill(province, units, clues=clues, today=today, rng=rng, version=version, registrar=registrar)
    result["long_case"] = _long_history(registrar, today)
    return {"counties": counties, **result}


def _grow(province, *, clues: int, today: date, rng: random.Random, version) -> dict:
    from yujing.orgs.models import Unit, User

    by_code = {u.code: u for u in Unit.objects.filter(path__startswith=province.path)}
    units = [(unit, by_code[code[:4] + "-XW"], by_code[code[:4] + "-YJB"]) for code, unit in sorted(by_code.items())
             if len(code) == 7 and code[4] == "-" and code[5:].isdigit()]
    registrar = User.objects.get(username="office0")
    counties = len({code[:4] for code in by_code if len(code) == 4})
    return {"counties": counties, **_fill(province, units, clues=clues, today=today, rng=rng, version=version,
                                          registrar=registrar)}


def _fill(province, units, *, clues: int, today: date, rng: random.Random, version, registrar) -> dict:
    """Add ``clues`` clues and an eighth as many cases over ten years, with their documents and events."""
    from yujing.cadres.models import Cadre
    from yujing.cases.models import WarningCase
    from yujing.clues.models import Clue

    first_clue = Clue.objects.filter(number__startswith="P-XS").count()
    first_case = WarningCase.objects.filter(number__startswith="P-YJ").count()
    cadre_ids = list(Cadre.objects.filter(unit__path__startswith=province.path).values_list("id", "managed_by_id",
                                                                                          "unit_id"))
    handler = {}
    for unit, committee, office in units:
        handler[committee.pk] = office
        handler[unit.pk] = unit

    rows, days = [], 3650
    for i in range(clues):
        received = today - timedelta(days=int(rng.random() ** 2 * days))
        cadre_id, managed_by, _ = cadre_ids[rng.randrange(len(cadre_ids))]
        unit = handler[managed_by]
        recent = (today - received).days < 40
        status = "registered" if recent and rng.random() < 0.5 else rng.choice(["handle", "no_action", "case_clue",
                                                                                 "handle"])
        rows.append(Clue(number=f"P-XS{received.year}-{first_clue + i:07d}", received_on=received, channel=rng.choice(CHANNELS),
                         summary="反映问题", detail="详情", handling_unit=unit, status=status,
                         screening_due=received + timedelta(days=15), policy_version=version, registered_by=registrar,
                         screened_on=None if status == "registered" else received + timedelta(days=rng.randint(1, 20))))
        if len(rows) == 10_000:
            Clue.objects.bulk_create(rows)
            rows = []
    Clue.objects.bulk_create(rows)

    county_managers = [units[0][1].pk, units[0][0].pk]  # a county-managed cadre, a township-managed one
    cases, statuses = [], ["lifted"] * 12 + ["escalated"] * 2 + ["rejected", "proposed", "approved",
                                                                  "awaiting_response", "responded", "implemented"]
    for i in range(clues // 8):
        cadre_id, managed_by, _ = cadre_ids[rng.randrange(len(cadre_ids))]
        proposed = today - timedelta(days=int(rng.random() ** 2 * days))
        status = rng.choice(statuses)
        if first_case + i < len(EVERY_STATE):  # the first cases are one of each state, recent, in the first county
            status, proposed = EVERY_STATE[first_case + i], today - timedelta(days=5 + 9 * i)
            cadre_id, managed_by, _ = next(c for c in cadre_ids if c[1] == county_managers[i % 2])
        if (today - proposed).days > 120 and status not in ("lifted", "escalated", "rejected"):
            status = "lifted"
        measure = rng.choice(["inquiry", "admonition", "correction"])
        if first_case + i < len(EVERY_STATE):
            measure = "correction"  # the measure with every step: notice to the chief, revisit
        approved = proposed + timedelta(days=2) if status != "proposed" else None
        start = proposed + timedelta(days=8) if status in ("awaiting_response", "responded", "lifted", "escalated") else None
        cases.append(WarningCase(
            number=f"P-YJ{proposed.year}-{first_case + i:07d}", target_id=cadre_id, measure=measure, facts="事实",
            unit_in_charge=handler[managed_by], status=status, policy_version=version, proposed_by=registrar,
            proposed_on=proposed, approved_on=approved, implementation_due=approved + timedelta(days=7) if approved else None,
            implemented_on=proposed + timedelta(days=6) if start else None, response_start=start,
            response_due=start + timedelta(days=30 if measure == "correction" else 10) if start else None,
            responded_on=start + timedelta(days=9) if status in ("responded", "lifted") else None,
            closed_on=start + timedelta(days=20) if status in ("lifted", "escalated") and start else (
                approved if status == "rejected" else None),
        ))
        if len(cases) == 10_000:
            WarningCase.objects.bulk_create(cases)
            cases = []
    WarningCase.objects.bulk_create(cases)
    documents = _documents(registrar, today)
    events = _events(clues // 2, registrar, today, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"units": len(units), "cadres": len(cadre_ids), "clues": clues, "cases": clues // 8,
            "documents": documents, "events": events}


def _documents(registrar, today: date) -> int:
    """Metadata of one generated notice per implemented case (the files themselves are not written)."""
    from datetime import datetime, time

    from django.utils import timezone

    from yujing.cases.models import WarningCase
    from yujing.documents.models import Document

    rows, total = [], 0
    implemented = (WarningCase.objects.filter(implemented_on__isnull=False, documents__isnull=True)
                   .values_list("pk", "implemented_on", "measure"))
    for pk, day, measure in implemented.iterator(chunk_size=10_000):
        rows.append(Document(form=f"{measure}_notice", subject=f"case:{pk}", case_id=pk, version=1, title="预警通知书",
                             docx=f"documents/bench/{pk}.docx", docx_sha256="0" * 64, generated_by=registrar,
                             generated_at=timezone.make_aware(datetime.combine(day, time(9)))))
        if len(rows) == 10_000:
            Document.objects.bulk_create(rows)
            total, rows = total + len(rows), []
    Document.objects.bulk_create(rows)
    return total + len(rows)


def _events(count: int, registrar, today: date, rng: random.Random) -> int:
    """``count`` audit events, hash-chained exactly as audit.record writes them (audit_verify passes)."""
    from datetime import datetime, time

    from django.utils import timezone

    from yujing.audit.models import ChainHead, Event
    from yujing.audit.services import GENESIS, event_digest
    from yujing.clues.models import Clue

    head = ChainHead.objects.filter(pk=1).first()
    prev = head.last_hash if head else GENESIS
    assert head is None or head.count == Event.objects.count()
    clues = Clue.objects.order_by("received_on", "pk").values_list("pk", "received_on", "handling_unit__path")
    rows, written = [], 0
    for pk, day, path in clues.iterator(chunk_size=10_000):
        if written + len(rows) >= count:
            break
        at = timezone.make_aware(datetime.combine(day, time(9, rng.randrange(60)))).replace(microsecond=0)
        data = {"channel": "petition"}
        digest = event_digest(prev, at=at, actor_id=registrar.pk, action="clues.clue.registered",
                              object_type="clues.clue", object_id=str(pk), unit_path=path, ip="10.0.0.1", data=data)
        rows.append(Event(at=at, actor_id=registrar.pk, actor_name=registrar.get_full_name(),
                          action="clues.clue.registered", object_type="clues.clue", object_id=str(pk),
                          unit_path=path, ip="10.0.0.1", data=data, prev_hash=prev, hash=digest))
        prev = digest
        if len(rows) == 10_000:
            Event.objects.bulk_create(rows)
            written, rows = written + len(rows), []
    Event.objects.bulk_create(rows)
    written += len(rows)
    ChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "count": Event.objects.count()})
    return written


def _long_history(registrar, today: date) -> int:
    """The first county's longest case: a dozen verifications and revisits, notices and views — the
    'case page with a long history' of the page benchmark. Returns its id."""
    from yujing.cases.models import Notice, Revisit, Verification, WarningCase
    from yujing.orgs.models import Unit

    case = WarningCase.objects.filter(unit_in_charge__code__startswith="P000-", status="lifted").order_by("pk").first()
    if case is None:
        return 0
    start = case.proposed_on
    Verification.objects.bulk_create(Verification(
        case=case, recorded_by=registrar, method="investigation", done_on=start + timedelta(days=i), findings="核查情况",
        conclusion="partly_true") for i in range(12))
    Revisit.objects.bulk_create(Revisit(
        case=case, recorded_by=registrar, methods=["report"], done_on=start + timedelta(days=20 + i), findings="回访情况",
        meets_requirement=i == 11) for i in range(12))
    units = list(Unit.objects.filter(code__startswith="P000-").order_by("pk")[:3])
    Notice.objects.bulk_create(Notice(
        case=case, recorded_by=registrar, recipient=recipient, recipient_unit=unit,
        sent_on=start + timedelta(days=40), content="通报内容")
        for recipient, unit in zip(("organization_dept", "personnel_dept", "unit_party_org"), units, strict=True))
    return case.pk
