"""The channels clues come from (第十条). Kept free of models so the policy loader can validate a
trigger's channel before the apps are ready."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    """第十条: the channels clues come from."""

    PETITION = "petition", "群众信访举报"
    REFERRAL = "referral", "上级交办或下级纪委(纪检组)报送"
    CASE_HANDLING = "case_handling", "案件查办中发现"
    COMMISSION_OFFICE = "commission_office", "县纪委各室工作中发现"
    AUDIT = "audit", "经济责任审计中发现"
    APPRAISAL = "appraisal", "责任制考核、民主评议和民意调查中发现"
    MEMBER_UNIT = "member_unit", "联席会议成员单位及其他执纪执法机关移送"
    MEDIA = "media", "新闻媒体披露"
