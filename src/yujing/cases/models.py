"""Warning cases: one target cadre, one measure, one file (一案一例, 第二十六条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yujing.cadres.models import Cadre
from yujing.orgs.models import Unit


class Measure(models.TextChoices):
    """The three measures (第二条, 第七至九条); the policy says which of them a county uses."""

    INQUIRY = "inquiry", "谈话函询"
    ADMONITION = "admonition", "警示诫勉"
    CORRECTION = "correction", "责令纠错"


class WarningCase(models.Model):
    """A warning case (预警事项). Proposed at screening (第十五条) and worked through the workflow
    of 第十六至三十一条."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "已提出建议"
        LIFTED = "lifted", "已解除预警"
        ESCALATED = "escalated", "已升级处理"
        WITHDRAWN = "withdrawn", "已撤销"

    CLOSED = frozenset({Status.LIFTED, Status.ESCALATED, Status.WITHDRAWN})

    number = models.CharField("预警编号", max_length=40, unique=True)
    target = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="warning_cases", verbose_name="预警对象")
    measure = models.CharField("预警措施", max_length=20, choices=Measure.choices)
    facts = models.TextField("主要问题")
    unit_in_charge = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="warning_cases",
                                       verbose_name="承办单位")
    clues = models.ManyToManyField("clues.Clue", related_name="cases", verbose_name="来源线索")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PROPOSED)
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="+",
                                       verbose_name="策略版本")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="建议人")
    proposed_on = models.DateField("建议日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    jurisdiction_path = "unit_in_charge__path"
    view_actions = ("case.view",)

    class Meta:
        verbose_name = verbose_name_plural = "预警事项"
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["unit_in_charge", "status"], name="case_unit_status")]
        constraints = [
            models.CheckConstraint(condition=models.Q(measure__in=["inquiry", "admonition", "correction"]),
                                   name="case_measure_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.target.name} {self.get_measure_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED
