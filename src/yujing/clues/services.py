"""Changes to clues: registration, transfer forms, attachments, screening, merging, feedback and
revealing a reporter's identity. Each is one transaction with its audit event (第十至十六条)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from yujing.audit.services import Origin, record
from yujing.cadres.models import Cadre
from yujing.cases.models import WarningCase
from yujing.cases.services import propose_case
from yujing.cases.services.proposal import CASE_CLUE_REFUSAL
from yujing.core import crypto
from yujing.core.models import next_number
from yujing.orgs import access
from yujing.orgs.models import Unit
from yujing.orgs.selectors import county_of
from yujing.policy.loader import due, get_policy
from yujing.policy.periods import Due
from yujing.policy.schema import Policy, Trigger, parse_policy
from yujing.policy.services import register_policy_version
from yujing.policy.words import Words, in_force

from .files import FileRejected, check_upload, safe_filename
from .models import Attachment, Channel, Clue, ClueCadre, ClueFeedback, ClueTransfer, ProblemCategory, Routing

OLDEST_CLUE_YEARS = 20
COUNTY_LEVEL = {Unit.Kind.COUNTY, Unit.Kind.COUNTY_COMMITTEE, Unit.Kind.DISCIPLINE_COMMISSION, Unit.Kind.WARNING_OFFICE}


@dataclass(frozen=True)
class Concerned:
    """A cadre a clue concerns: ``cadre_id`` from the roster, or a name when not on it."""

    cadre_id: int | None = None
    name: str = ""
    unit_text: str = ""
    position_text: str = ""


@dataclass(frozen=True)
class Reporter:
    name: str
    contact: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Proposal:
    cadre_id: int
    measure: str
    facts: str = ""


@dataclass
class Errors:
    """Collects problems per field, then raises them all at once (nothing is written)."""

    items: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, message: str) -> None:
        self.items.setdefault(key, []).append(message)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


# --- jurisdiction -------------------------------------------------------------------------------


def warning_office_of(unit: Unit) -> Unit:
    county = county_of(unit)
    office = None
    if county is not None:
        office = Unit.objects.filter(kind=Unit.Kind.WARNING_OFFICE, path__startswith=county.path, is_active=True).first()
    if office is None:
        w = in_force()
        raise ValidationError(f"{unit.name}所在{w.locality_or('地区')}没有设立{w.body('office')}，无法确定承办单位")
    return office


def handling_unit_for(managed_by: Unit) -> Unit:
    """The unit whose discipline body handles warnings about cadres ``managed_by`` manages
    (干部管理权限, 第十四条): county-managed cadres go to the county warning office (第十七条), others to
    the discipline body of the unit that manages them (第十五条)."""
    if managed_by.kind in COUNTY_LEVEL:
        return warning_office_of(managed_by)
    return managed_by


def _registering_unit(by: Any, action: str, handling_unit: Unit | None) -> Unit:
    unit_ids = access.grant_units(by, action)
    if not unit_ids:
        raise PermissionDenied("您没有登记线索的权限")
    if handling_unit is None:
        if len(unit_ids) > 1:
            raise ValidationError({"handling_unit": ["您在多个单位任职，请选择以哪个单位登记"]})
        return Unit.objects.get(pk=unit_ids[0])
    if handling_unit.pk not in unit_ids:
        raise PermissionDenied("只能以您任职的单位登记线索")
    return handling_unit


# --- intake -------------------------------------------------------------------------------------


def received_on_problem(received_on: date, *, today: date) -> str | None:
    """Why a clue cannot be registered as received on ``received_on``, or None."""
    if received_on > today:
        return "日期不能晚于今天"
    if received_on < today - timedelta(days=365 * OLDEST_CLUE_YEARS):
        return f"日期不能早于 {OLDEST_CLUE_YEARS} 年前"
    return None


def screening_due(received_on: date, policy: Policy | None = None) -> Due:
    """The screening time limit of a clue received (or received back) on ``received_on``: 及时筛选、分流
    (the days and the roll are the policy's reading) — under ``policy``, the version a registered clue keeps
    (``clue_policy``), else the policy in force (a clue being registered)."""
    policy = policy or get_policy()
    return due(received_on, policy.rules.screening.period, policy=policy)


def _check_common(errors: Errors, *, received_on: date, today: date, summary: str, detail: str,
                  concerned: Sequence[Concerned], category_ids: Sequence[int], county_path: str,
                  date_key: str = "received_on") -> tuple[list[tuple[Concerned, Cadre | None]], list[ProblemCategory]]:
    problem = received_on_problem(received_on, today=today)
    if problem:
        errors.add(date_key, problem)
    if not summary.strip():
        errors.add("summary", "请填写问题摘要")
    elif len(summary.strip()) > 200:
        errors.add("summary", "问题摘要不能超过 200 字")
    if not detail.strip():
        errors.add("detail", "请填写反映的主要问题")
    if not concerned:
        errors.add("concerned", "请至少填写一名涉及的干部")
    ids = [c.cadre_id for c in concerned if c.cadre_id]
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in=ids, managed_by__path__startswith=county_path)}
    resolved: list[tuple[Concerned, Cadre | None]] = []
    seen: set[int] = set()
    for item in concerned:
        if item.cadre_id:
            cadre = cadres.get(item.cadre_id)
            if cadre is None:
                errors.add("concerned", f"干部名册中没有编号为 {item.cadre_id} 的干部")
                continue
            if cadre.pk in seen:
                errors.add("concerned", f"{cadre.name}重复填写")
                continue
            seen.add(cadre.pk)
            resolved.append((item, cadre))
        elif not item.name.strip():
            errors.add("concerned", "不在名册中的干部须填写姓名")
        elif len(item.name.strip()) > 50:
            errors.add("concerned", "姓名不能超过 50 字")
        else:
            resolved.append((item, None))
    categories = list(ProblemCategory.objects.filter(pk__in=list(category_ids), is_active=True))
    if len(categories) != len(set(category_ids)):
        errors.add("categories", "问题类别不存在或已停用")
    return resolved, categories


def plain_number(value: Decimal | float) -> str:
    """A number as people write it: 59.9, 60 (not 59.9000 or 6E+1)."""
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text == "-0" else text


def _check_indicator(errors: Errors, channel: str, value: Decimal | None) -> None:
    """A clue from a channel the policy sets a threshold for ([[triggers]]) counts only with the indicator
    strictly below it ("民主测评满意率低于60%": 59.9 is, 60 is not); a clue from another channel has no
    indicator."""
    if channel not in Channel.values:
        return
    trigger = get_policy().rules.trigger(channel)
    if trigger is None:
        if value is not None:
            errors.add("indicator_value", f"来源渠道为“{Channel(channel).label}”的线索不填写指标值（本策略未对该渠道规定预警线）")
        return
    if value is None:
        errors.add("indicator_value", f"须填写{trigger.indicator}（{trigger.article}）")
        return
    if not value.is_finite() or abs(value) >= 10 ** 10 or value.normalize().as_tuple().exponent < -4:
        errors.add("indicator_value", f"{trigger.indicator}应为不超过10位整数、最多4位小数的数字")
        return
    if value >= Decimal(str(trigger.below)):
        unit = trigger.unit
        errors.add("indicator_value", f"{trigger.indicator}为{plain_number(value)}{unit}，"
                                      f"不低于{plain_number(trigger.below)}{unit}，不构成预警线索（{trigger.article}）")


@functools.lru_cache(maxsize=16)
def _version(digest: str, text: str) -> Policy:
    return parse_policy(text, f"策略版本 {digest[:8]}")


def clue_policy(clue: Clue) -> Policy:
    """The policy version the clue was registered under (its screening limit, trigger and words)."""
    version = clue.policy_version
    return _version(version.digest, version.text)


def clue_words(clue: Clue) -> Words:
    """The words of the policy version the clue keeps (its articles in messages about it)."""
    version = clue.policy_version
    return Words(_version(version.digest, version.text))


def clue_trigger(clue: Clue) -> Trigger | None:
    """The threshold the clue was registered against, from the policy version it keeps; None for a clue
    without an indicator value (no policy is read then)."""
    if clue.indicator_value is None:
        return None
    version = clue.policy_version
    return _version(version.digest, version.text).rules.trigger(clue.channel)


def indicator_parts(clue: Clue) -> dict[str, str] | None:
    """The clue's indicator for its page: name, value with unit, the threshold and its article."""
    trigger = clue_trigger(clue)
    if trigger is None:
        return None
    unit = trigger.unit
    return {"name": trigger.indicator, "value": f"{plain_number(clue.indicator_value)}{unit}",
            "rule": f"低于{plain_number(trigger.below)}{unit}", "article": trigger.article}


def indicator_text(clue: Clue) -> str:
    """The indicator in one line, e.g. "民主测评满意率 59.9%（低于60%，第四条）"; "" when the clue has none."""
    parts = indicator_parts(clue)
    return f"{parts['name']} {parts['value']}（{parts['rule']}，{parts['article']}）" if parts else ""


def _check_reporter(errors: Errors, reporter: Reporter | None) -> None:
    if reporter is None:
        return
    if not reporter.name.strip():
        errors.add("reporter_name", "实名举报须填写举报人姓名")
    for key, value, limit in (("reporter_name", reporter.name, 50), ("reporter_contact", reporter.contact, 100),
                              ("reporter_id_number", reporter.id_number, 30)):
        if len(value.strip()) > limit:
            errors.add(key, f"不能超过 {limit} 个字")


def _check_uploads(errors: Errors, uploads: Sequence[Upload]) -> list[tuple[Upload, str]]:
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload.name, upload.data).kind))
        except FileRejected as exc:
            errors.add("attachments", str(exc))
    return checked


def _new_clue(*, county: Unit, received_on: date, today: date, handling_unit: Unit, by: Any, **fields: Any) -> Clue:
    policy = get_policy()
    deadline = screening_due(received_on, policy)
    seq = next_number(f"clue:{county.code}", today.year)
    return Clue.objects.create(
        number=f"{county.code}-XS{today.year}-{seq:04d}",
        received_on=received_on,
        handling_unit=handling_unit,
        screening_due=deadline.date,
        screening_provisional=deadline.provisional,
        policy_version=register_policy_version(policy),
        registered_by=by,
        **fields,
    )


def _attach_people(clue: Clue, resolved: list[tuple[Concerned, Cadre | None]]) -> None:
    ClueCadre.objects.bulk_create(
        [
            ClueCadre(
                clue=clue,
                cadre=cadre,
                name=cadre.name if cadre else item.name.strip(),
                unit_text=cadre.unit.name if cadre else item.unit_text.strip()[:100],
                position_text=cadre.position if cadre else item.position_text.strip()[:100],
            )
            for item, cadre in resolved
        ]
    )


class FileGuard:
    """Deletes the files a service stored when the service fails, so a refused or failed request
    leaves nothing behind on disk (the rows roll back with the transaction)."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __enter__(self) -> FileGuard:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            for path in self.paths:
                with contextlib.suppress(OSError):
                    os.remove(path)

    def store(self, clue: Clue, upload: Upload, kind: str, by: Any) -> Attachment:
        attachment = Attachment(
            clue=clue, original_name=safe_filename(upload.name), kind=kind, size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(), uploaded_by=by, uploaded_at=timezone.now(),
        )
        attachment.file.save("upload", ContentFile(upload.data), save=False)
        self.paths.append(attachment.file.path)
        attachment.save()
        return attachment


def register_clue(
    *,
    by: Any,
    today: date,
    received_on: date,
    channel: str,
    summary: str,
    detail: str,
    concerned: Sequence[Concerned],
    category_ids: Sequence[int] = (),
    source_unit: Unit | None = None,
    source_name: str = "",
    reporter: Reporter | None = None,
    uploads: Sequence[Upload] = (),
    handling_unit: Unit | None = None,
    indicator_value: Decimal | None = None,
    origin: Origin | None = None,
) -> Clue:
    """Register a clue received through one of the channels of 第十条 (第十一条, 第十二条). Where the policy
    sets a threshold for the channel ([[triggers]]), ``indicator_value`` is required and below it."""
    with FileGuard() as files, transaction.atomic():
        return _register(files, by=by, today=today, received_on=received_on, channel=channel, summary=summary,
                         detail=detail, concerned=concerned, category_ids=category_ids, source_unit=source_unit,
                         source_name=source_name, reporter=reporter, uploads=uploads, handling_unit=handling_unit,
                         indicator_value=indicator_value, origin=origin)


def _register(files: FileGuard, *, by: Any, today: date, received_on: date, channel: str, summary: str, detail: str,
              concerned: Sequence[Concerned], category_ids: Sequence[int], source_unit: Unit | None,
              source_name: str, reporter: Reporter | None, uploads: Sequence[Upload], handling_unit: Unit | None,
              indicator_value: Decimal | None, origin: Origin | None) -> Clue:
    unit = _registering_unit(by, "clue.register", handling_unit)
    county = county_of(unit)
    errors = Errors()
    if channel not in Channel.values:
        article = in_force().cite("channels")
        errors.add("channel", f"请选择{article}所列的来源渠道" if article else "请选择来源渠道")
    _check_indicator(errors, channel, indicator_value)
    if len(source_name) > 200:
        errors.add("source_name", "来源说明不能超过 200 字")
    resolved, categories = _check_common(
        errors, received_on=received_on, today=today, summary=summary, detail=detail, concerned=concerned,
        category_ids=category_ids, county_path=county.path,
    )
    _check_reporter(errors, reporter)
    checked = _check_uploads(errors, uploads)
    errors.raise_if_any()
    clue = _new_clue(
        county=county, received_on=received_on, today=today, handling_unit=unit, by=by, channel=channel,
        source_unit=source_unit, source_name=source_name.strip(), summary=summary.strip(), detail=detail.strip(),
        is_anonymous=reporter is None,
        reporter_name=crypto.encrypt(reporter.name.strip()) if reporter else "",
        reporter_contact=crypto.encrypt(reporter.contact.strip()) if reporter else "",
        reporter_id_number=crypto.encrypt(reporter.id_number.strip()) if reporter else "",
        indicator_value=indicator_value,
    )
    _attach_people(clue, resolved)
    clue.categories.set(categories)
    for upload, kind in checked:
        files.store(clue, upload, kind, by)
    data = {"channel": channel, "received_on": received_on, "cadres": [c.pk for _, c in resolved if c],
            "named": [i.name for i, c in resolved if not c], "anonymous": reporter is None,
            "attachments": len(checked)}
    if indicator_value is not None:
        data["indicator_value"] = plain_number(indicator_value)
    record("clues.clue.registered", by=by, obj=clue, unit_path=unit.path, origin=origin, data=data)
    return clue


def file_transfer(
    *,
    by: Any,
    today: date,
    transferred_on: date,
    summary: str,
    detail: str,
    concerned: Sequence[Concerned],
    contact_person: str,
    contact_phone: str,
    found_how: str = "",
    unit_opinion: str = "",
    category_ids: Sequence[int] = (),
    uploads: Sequence[Upload] = (),
    origin: Origin | None = None,
) -> Clue:
    """A member unit's liaison files the transfer form (预警线索移送表, 第十三条). The clue goes to the
    discipline body of the unit that manages the cadre (第十四条), or to the county warning office when
    the cadre is not on the roster."""
    with FileGuard() as files, transaction.atomic():
        unit = _registering_unit(by, "transfer.create", None)
        county = county_of(unit)
        errors = Errors()
        resolved, categories = _check_common(
            errors, received_on=transferred_on, today=today, summary=summary, detail=detail, concerned=concerned,
            category_ids=category_ids, county_path=county.path, date_key="transferred_on",
        )
        if not contact_person.strip():
            errors.add("contact_person", "请填写联系人")
        if not contact_phone.strip():
            errors.add("contact_phone", "请填写联系电话")
        elif len(contact_phone.strip()) > 30:
            errors.add("contact_phone", "联系电话不能超过 30 个字符")
        checked = _check_uploads(errors, uploads)
        errors.raise_if_any()
        handlers = {handling_unit_for(c.managed_by).pk for _, c in resolved if c}
        if len(handlers) > 1:
            raise ValidationError({"concerned": ["所涉干部分属不同单位管理，请按管理单位分别填写移送表"]})
        handling_unit = Unit.objects.get(pk=handlers.pop()) if handlers else warning_office_of(unit)
        clue = _new_clue(
            county=county, received_on=transferred_on, today=today, handling_unit=handling_unit, by=by,
            channel=Channel.MEMBER_UNIT, source_unit=unit, source_name=unit.name, summary=summary.strip(),
            detail=detail.strip(), is_anonymous=True,
        )
        ClueTransfer.objects.create(
            clue=clue, from_unit=unit, transferred_on=transferred_on, found_how=found_how.strip(),
            unit_opinion=unit_opinion.strip(), contact_person=contact_person.strip(),
            contact_phone=contact_phone.strip(), filed_by=by,
        )
        _attach_people(clue, resolved)
        clue.categories.set(categories)
        for upload, kind in checked:
            files.store(clue, upload, kind, by)
        record("clues.transfer.filed", by=by, obj=clue, unit_path=handling_unit.path, origin=origin,
               data={"from_unit": unit.pk, "to_unit": handling_unit.pk, "cadres": [c.pk for _, c in resolved if c],
                     "attachments": len(checked)})
        return clue


def add_attachments(*, clue: Clue, uploads: Sequence[Upload], by: Any, origin: Origin | None = None) -> list[Attachment]:
    with FileGuard() as files, transaction.atomic():
        clue = Clue.objects.select_for_update().get(pk=clue.pk)
        access.require(by, "clue.attach", clue)
        errors = Errors()
        if not uploads:
            errors.add("attachments", "请选择要上传的文件")
        checked = _check_uploads(errors, uploads)
        errors.raise_if_any()
        stored = [files.store(clue, upload, kind, by) for upload, kind in checked]
        record("clues.attachment.added", by=by, obj=clue, unit_path=clue.handling_unit.path, origin=origin,
               data={"files": [a.original_name for a in stored], "sha256": [a.sha256 for a in stored]})
        return stored


# --- screening ----------------------------------------------------------------------------------


class Outcome:
    """The outcomes of screening (筛选、分流、处理, 第十四条)."""

    HANDLE = "handle"  # 属本级管辖的，直接处理
    REPORT_UP = "report_up"  # 属上级管辖的，及时报告 (or, from the county, referred down to the managing unit)
    CASE_CLUE = "case_clue"  # 属于案件线索的不能实施预警
    NO_ACTION = "no_action"  # 不需预警，了结存档

    CHOICES = (
        (HANDLE, "本级处理"),
        (REPORT_UP, "报送有管辖权的单位"),
        (CASE_CLUE, "属案件线索，移送案件查办"),
        (NO_ACTION, "不予预警，了结存档"),
    )
    VALUES = frozenset(c[0] for c in CHOICES)


def cadre_handlers(clue: Clue) -> dict[int, tuple[Unit, list[Cadre]]]:
    result: dict[int, tuple[Unit, list[Cadre]]] = {}
    for link in clue.concerned.select_related("cadre__managed_by").filter(cadre__isnull=False).order_by("id"):
        unit = handling_unit_for(link.cadre.managed_by)
        result.setdefault(unit.pk, (unit, []))[1].append(link.cadre)
    return result


def _is_above(unit: Unit, here: Unit) -> bool:
    """Whether ``unit`` is a level above ``here`` in 干部管理权限: the county warning office, which handles
    every county-managed cadre (第十七条), is above every unit below county level; otherwise a unit is
    above the units in its subtree."""
    if unit.pk == here.pk:
        return False
    if unit.kind == Unit.Kind.WARNING_OFFICE:
        return here.kind not in COUNTY_LEVEL
    return here.path.startswith(unit.path)


def _within(unit: Unit, here: Unit) -> bool:
    """Whether the cadres ``unit`` handles are within ``here``'s 干部管理权限: its own, those of the units
    below it, and — for the county's bodies — the whole county (a clue's cadres are all of its county)."""
    return unit.pk == here.pk or here.kind in COUNTY_LEVEL or unit.path.startswith(here.path)


@dataclass(frozen=True)
class Outside:
    """The cadres of a clue that are outside the screening unit's jurisdiction, where the clue must go,
    and why (第十四条)."""

    destination: Unit
    cadres: list[Cadre]
    above: bool
    cited: str = ""  # the article cited for screening by 干部管理权限, in brackets ("（第十四条）"), or ""

    @property
    def message(self) -> str:
        names = "、".join(c.name for c in self.cadres)
        managers = "、".join(dict.fromkeys(c.managed_by.name for c in self.cadres))
        if self.above:
            return f"{names}由{managers}管理，属上级管辖的，应及时报告{self.destination.name}{self.cited}"
        return f"{names}由{managers}管理，不属本单位管辖，应报送{self.destination.name}{self.cited}"


def outside_jurisdiction(clue: Clue, handlers: dict[int, tuple[Unit, list[Cadre]]] | None = None) -> Outside | None:
    """Whether a rostered cadre the clue names is outside its handling unit's 干部管理权限, and if so,
    where the clue goes; None when every such cadre is within it.

    按照干部管理权限…筛选、分流和处理。属上级管辖的，及时报告 (第十四条) — read as:
    - a clue naming any cadre outside the unit's jurisdiction (managed above it, or by another unit
      beside it) can only be reported on; the unit may not handle it, close it or pass it on as a case
      clue, even if it also names cadres it manages: the clue is one matter and is not split;
    - it goes to the one unit that handles all its rostered cadres, or — when they fall to several
      units — to the county warning office, which is above every unit of the county (第四条, 第十七条)
      and screens the clue as a whole;
    - a clue naming no rostered cadre cannot be shown to be outside, so the unit that has it screens it
      (it can close it or pass it on as a case clue; a warning needs a rostered target, 第十五条).
    """
    here = clue.handling_unit
    handlers = cadre_handlers(clue) if handlers is None else handlers
    outside = [(unit, cadres) for unit, cadres in handlers.values() if not _within(unit, here)]
    if not outside:
        return None
    destination = outside[0][0] if len(handlers) == 1 else warning_office_of(here)
    return Outside(destination=destination, cadres=[c for _, cadres in outside for c in cadres],
                   above=any(_is_above(unit, here) for unit, _ in outside),
                   cited=clue_words(clue).cited("screening"))


def screening_outcomes(outside: Outside | None) -> tuple[tuple[str, str], ...]:
    """The screening outcomes the service accepts for a clue (given its :func:`outside_jurisdiction`), for
    the form to offer: only 报送 when a cadre it names is outside the unit's jurisdiction (第十四条);
    otherwise all four (the others' rules are checked on submit)."""
    if outside is not None:
        return tuple(c for c in Outcome.CHOICES if c[0] == Outcome.REPORT_UP)
    return Outcome.CHOICES


@transaction.atomic
def screen_clue(
    *,
    clue: Clue,
    by: Any,
    today: date,
    outcome: str,
    reason: str,
    verifiable: bool | None = None,
    proposals: Sequence[Proposal] = (),
    origin: Origin | None = None,
) -> Clue:
    """Screen a clue to one outcome, with reason (第十四至十六条).

    - when a cadre the clue names is outside this unit's jurisdiction (managed above it or beside it),
      only report_up is accepted (第十四条; see :func:`outside_jurisdiction`);
    - handle: only for cadres this unit manages (others the clue names may only be managed below it);
      records 可查性 and opens one warning case per proposed target and measure (第十五条);
    - report_up: the clue moves to the unit that handles its cadres (the county office when they fall
      to several units), which screens it afresh;
    - case_clue: goes to case handling and can never become a warning (第十四条);
    - no_action: kept on file.
    """
    clue = Clue.objects.select_for_update().select_related("handling_unit").get(pk=clue.pk)
    access.require(by, "clue.screen", clue)
    if clue.status == Clue.Status.CASE_CLUE and outcome == Outcome.HANDLE:
        raise ValidationError({"outcome": [CASE_CLUE_REFUSAL]})
    if clue.status != Clue.Status.REGISTERED:
        raise ValidationError(f"线索已筛选（{clue.get_status_display()}），不能再次筛选")
    errors = Errors()
    if outcome not in Outcome.VALUES:
        errors.add("outcome", "请选择筛选结果")
    if not reason.strip():
        errors.add("reason", "请填写筛选意见（理由）")
    errors.raise_if_any()
    handlers = cadre_handlers(clue)
    here = clue.handling_unit
    outside = outside_jurisdiction(clue, handlers)
    if outside is not None and outcome != Outcome.REPORT_UP:
        # 按照干部管理权限 … 属上级管辖的，及时报告 (第十四条): this unit may neither handle, nor close, nor
        # pass on as a case clue a clue about a cadre outside its jurisdiction
        raise ValidationError({"outcome": [outside.message]})
    policy = get_policy()
    words = clue_words(clue)
    data: dict[str, Any] = {"outcome": outcome, "reason": reason.strip()}

    if outcome == Outcome.HANDLE:
        # what is left outside this unit is managed below it: it handles its own cadres (a clue that names
        # only cadres managed below goes down to their unit, 第十五条)
        foreign = [(unit, cadres) for pk, (unit, cadres) in handlers.items() if pk != here.pk]
        if foreign and here.pk not in handlers:
            unit, cadres = foreign[0]
            names = "、".join(c.name for c in cadres)
            raise ValidationError({"outcome": [
                f"{names}由{unit.name}按干部管理权限管辖，本单位不能直接处理，只能报送该单位{words.cited('screening')}"]})
        below = {c.pk: unit for unit, cadres in foreign for c in cadres}
        if verifiable is None:
            errors.add("verifiable", f"请认定线索是否具有可查性{words.cited('verifiable_clue')}")
        rostered = {c.pk: c for _, cadres in handlers.values() for c in cadres}
        if not proposals:
            errors.add("proposals", f"本级处理须对至少一名干部提出预警建议{words.cited('proposal')}")
        seen: set[tuple[int, str]] = set()
        for proposal in proposals:
            if proposal.cadre_id not in rostered:
                errors.add("proposals", "预警对象须是本线索涉及、且在干部名册中的干部")
            elif proposal.cadre_id in below:
                errors.add("proposals", f"{rostered[proposal.cadre_id].name}由{below[proposal.cadre_id].name}"
                                        f"按干部管理权限管辖，本单位不能对其提出预警建议{words.cited('screening')}")
            if proposal.measure not in policy.measures:
                errors.add("proposals", f"本地办法没有“{proposal.measure}”这项措施")
            if (proposal.cadre_id, proposal.measure) in seen:
                errors.add("proposals", "同一干部同一措施重复提出")
            seen.add((proposal.cadre_id, proposal.measure))
        errors.raise_if_any()
        _close_screening(clue, Clue.Status.HANDLE, by, today, reason, verifiable)
        cases = [
            propose_case(
                clues=[clue], target=rostered[p.cadre_id], measure=p.measure, facts=p.facts or clue.detail,
                unit_in_charge=here, by=by, today=today, origin=origin,
            )
            for p in proposals
        ]
        data.update(verifiable=verifiable, cases=[c.pk for c in cases])
    elif outcome == Outcome.REPORT_UP:
        if outside is not None:
            destination = outside.destination
        elif len(handlers) > 1:
            raise ValidationError({"outcome": ["所涉干部分属不同单位管理，请先按管理单位拆分线索"]})
        elif not handlers:
            raise ValidationError({"outcome": ["线索所涉干部不在名册中，无法确定有管辖权的单位；请先补充名册"]})
        else:
            (destination, _), = handlers.values()
        if destination.pk == here.pk:
            raise ValidationError({"outcome": ["所涉干部由本单位管辖，应本级处理，不需报送"]})
        direction = Routing.Direction.DOWN if here.kind == Unit.Kind.WARNING_OFFICE else Routing.Direction.UP
        sender_due = clue.screening_due
        Routing.objects.create(
            clue=clue, direction=direction, from_unit=here, to_unit=destination, routed_on=today,
            due_at_sender=sender_due, reason=reason.strip(), routed_by=by,
        )
        # the receiving unit screens afresh, with its own time limit from the day it receives the clue, under
        # the policy version the clue was received under
        deadline = screening_due(today, clue_policy(clue))
        clue.handling_unit = destination
        clue.screening_due = deadline.date
        clue.screening_provisional = deadline.provisional
        clue.save(update_fields=["handling_unit", "screening_due", "screening_provisional"])
        data.update(to_unit=destination.pk, direction=direction, late=today > sender_due)
    elif outcome == Outcome.CASE_CLUE:
        _close_screening(clue, Clue.Status.CASE_CLUE, by, today, reason, verifiable)
    else:
        _close_screening(clue, Clue.Status.NO_ACTION, by, today, reason, verifiable)
    record("clues.clue.screened", by=by, obj=clue, unit_path=here.path, origin=origin, data=data)
    return clue


def _close_screening(clue: Clue, status: str, by: Any, today: date, reason: str, verifiable: bool | None) -> None:
    clue.status = status
    clue.screened_on = today
    clue.screened_by = by
    clue.screening_reason = reason.strip()
    clue.verifiable = verifiable
    clue.save(update_fields=["status", "screened_on", "screened_by", "screening_reason", "verifiable"])


# --- duplicates ---------------------------------------------------------------------------------


@transaction.atomic
def merge_clues(*, target: Clue, others: Sequence[Clue], by: Any, reason: str, origin: Origin | None = None) -> Clue:
    """Merge duplicate clues about the same cadre and facts into ``target``. Every merged clue keeps
    its own source (and is fed back on its own); its cadres and categories join the target."""
    ids = sorted({target.pk, *(c.pk for c in others)})
    locked = {c.pk: c for c in Clue.objects.select_for_update().filter(pk__in=ids)}
    target = locked[target.pk]
    access.require(by, "clue.merge", target)
    if not reason.strip():
        raise ValidationError({"reason": ["请说明合并理由"]})
    sources = [locked[c.pk] for c in others if c.pk != target.pk]
    if not sources:
        raise ValidationError({"others": ["请选择要并入的线索"]})
    if target.status != Clue.Status.REGISTERED:
        # a clue already screened has its jurisdiction settled; merging into it would skip screening
        raise ValidationError({"others": [f"线索 {target.number} 已{target.get_status_display()}，只能并入尚未筛选的线索"]})
    have = set(target.concerned.exclude(cadre__isnull=True).values_list("cadre_id", flat=True))
    named = set(target.concerned.filter(cadre__isnull=True).values_list("name", flat=True))
    for clue in sources:
        access.require(by, "clue.merge", clue)
        if clue.status == Clue.Status.CASE_CLUE:
            # merged into a clue still to be screened, it could become a warning after all
            raise ValidationError({"others": [f"线索 {clue.number} 已筛选为案件线索，不能并入：{CASE_CLUE_REFUSAL}"]})
        if clue.status != Clue.Status.REGISTERED:
            raise ValidationError({"others": [f"线索 {clue.number} 已筛选，不能并入"]})
        if clue.handling_unit_id != target.handling_unit_id:
            raise ValidationError({"others": [f"线索 {clue.number} 由其他单位承办，不能合并"]})
        links = list(clue.concerned.all())
        if not any((link.cadre_id and link.cadre_id in have) or (not link.cadre_id and link.name in named)
                   for link in links):
            raise ValidationError({"others": [f"线索 {clue.number} 与本线索不涉及同一干部，不是重复线索"]})
    for clue in sources:
        for link in clue.concerned.all():
            if link.cadre_id and link.cadre_id in have:
                continue
            ClueCadre.objects.create(clue=target, cadre_id=link.cadre_id, name=link.name, unit_text=link.unit_text,
                                     position_text=link.position_text, merged_from=clue)
            if link.cadre_id:
                have.add(link.cadre_id)
        target.categories.add(*clue.categories.all())
        clue.status = Clue.Status.MERGED
        clue.merged_into = target
        clue.save(update_fields=["status", "merged_into"])
        record("clues.clue.merged", by=by, obj=clue, unit_path=clue.handling_unit.path, origin=origin,
               data={"into": target.pk, "reason": reason.strip()})
    record("clues.clue.absorbed", by=by, obj=target, unit_path=target.handling_unit.path, origin=origin,
           data={"merged": [c.pk for c in sources], "reason": reason.strip()})
    return target


# --- feedback and confidentiality ---------------------------------------------------------------


def is_finished(clue: Clue) -> bool:
    """Whether the clue's handling has ended, so its source can be told the outcome (第十四条)."""
    if clue.status in (Clue.Status.CASE_CLUE, Clue.Status.NO_ACTION):
        return True
    if clue.status == Clue.Status.HANDLE:
        return not clue.cases.exclude(status__in=WarningCase.CLOSED).exists()
    return False


@transaction.atomic
def send_feedback(*, clue: Clue, content: str, by: Any, today: date, origin: Origin | None = None) -> ClueFeedback:
    """Tell the clue's source how it ended (第十四条). Merged clues are told through their target."""
    clue = Clue.objects.select_for_update().select_related("handling_unit").get(pk=clue.pk)
    access.require(by, "clue.feedback", clue)
    if not content.strip():
        raise ValidationError({"content": ["请填写反馈内容"]})
    if not is_finished(clue):
        raise ValidationError({"content": ["线索尚未办结，预警结束后才能向来源反馈"]})
    targets = [clue, *Clue.objects.filter(merged_into=clue)]
    feedback = None
    for each in targets:
        item = ClueFeedback.objects.create(clue=each, to_unit=each.source_unit, sent_on=today,
                                           content=content.strip(), sent_by=by)
        feedback = feedback or item
        record("clues.feedback.sent", by=by, obj=each, unit_path=clue.handling_unit.path, origin=origin,
               data={"to_unit": each.source_unit_id, "content": content.strip()})
    return feedback


def feed_back_when_warning_ends(*, clue: Clue, outcome: str, by: Any, today: date,
                                origin: Origin | None = None) -> list[ClueFeedback]:
    """预警结束后，将预警情况向预警线索来源部门通报 (第十四条): called by the case workflow when a case
    ends; once every case of the clue has ended, its sources (and those of clues merged into it) are
    told — in words that reveal nothing of the case."""
    if clue.cases.exclude(status__in=WarningCase.CLOSED).exists() or clue.feedback.exists():
        return []
    content = f"您单位（部门）移送或反映的问题（{clue.number}）已办理完毕：{outcome}。"
    sent = []
    for each in [clue, *Clue.objects.filter(merged_into=clue)]:
        sent.append(ClueFeedback.objects.create(clue=each, to_unit=each.source_unit, sent_on=today, content=content,
                                                sent_by=by))
        record("clues.feedback.sent", by=by, obj=each, unit_path=clue.handling_unit.path, origin=origin,
               data={"to_unit": each.source_unit_id, "content": content, "automatic": True})
    return sent


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    contact: str
    id_number: str


@transaction.atomic
def reveal_reporter(*, clue: Clue, by: Any, origin: Origin | None = None) -> ReporterIdentity:
    """Decrypt a named reporter's identity for a role the policy allows; every reveal is recorded
    (who, when, which clue) — 第三十三条(六)."""
    access.require(by, "clue.reveal_reporter", clue)
    if clue.is_anonymous:
        raise ValidationError("该线索为匿名举报，没有举报人身份信息")
    record("clues.reporter.revealed", by=by, obj=clue, unit_path=clue.handling_unit.path, origin=origin)
    return ReporterIdentity(crypto.decrypt(clue.reporter_name), crypto.decrypt(clue.reporter_contact),
                            crypto.decrypt(clue.reporter_id_number))
