import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import yujing.cases.models


def methods_from_method(apps, schema_editor):
    """A revisit recorded one means; it becomes a list of one (第三十条)."""
    Revisit = apps.get_model("cases", "Revisit")
    for revisit in Revisit.objects.all().only("id", "method"):
        Revisit.objects.filter(pk=revisit.pk).update(methods=[revisit.method] if revisit.method else [])


def method_from_methods(apps, schema_editor):
    Revisit = apps.get_model("cases", "Revisit")
    for revisit in Revisit.objects.all().only("id", "methods"):
        first = next((m for m in revisit.methods or [] if m != "other"), "report")
        Revisit.objects.filter(pk=revisit.pk).update(method=first)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0008_ending_lifting_then_escalation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Minutes",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("storage_key", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("file", models.FileField(max_length=200, upload_to=yujing.cases.models.minutes_path, verbose_name="文件")),
                ("original_name", models.CharField(max_length=200, verbose_name="原文件名")),
                ("kind", models.CharField(max_length=8, verbose_name="类型")),
                ("size", models.PositiveIntegerField(verbose_name="大小(字节)")),
                ("sha256", models.CharField(max_length=64)),
                ("uploaded_at", models.DateTimeField(verbose_name="上传时间")),
                ("decision", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="minutes",
                                                  to="cases.decision", verbose_name="审批决定")),
                ("uploaded_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                  to=settings.AUTH_USER_MODEL, verbose_name="上传人")),
            ],
            options={"verbose_name": "常委会会议纪要", "verbose_name_plural": "常委会会议纪要", "ordering": ["id"]},
        ),
        migrations.AddField(
            model_name="talk",
            name="chief_reason",
            field=models.TextField(blank=True, help_text="请县委、县政府有关领导主谈时必填（第二十二条）",
                                   verbose_name="请县领导主谈的理由"),
        ),
        migrations.AddField(
            model_name="talk",
            name="delegated_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="委托人"),
        ),
        migrations.AddField(
            model_name="talk",
            name="delegated_on",
            field=models.DateField(blank=True, null=True, verbose_name="委托日期"),
        ),
        migrations.AddField(
            model_name="revisit",
            name="methods",
            field=models.JSONField(default=list, help_text="report、documents、symposium、other 中的一项或多项",
                                   verbose_name="回访形式"),
        ),
        migrations.AddField(
            model_name="revisit",
            name="other_method",
            field=models.CharField(blank=True, help_text="选择“其他”时说明", max_length=100, verbose_name="其他形式"),
        ),
        migrations.RunPython(methods_from_method, method_from_methods),
        # a default, so that going back re-adds the column to rows that exist (the reverse fills it in)
        migrations.AlterField(
            model_name="revisit",
            name="method",
            field=models.CharField(default="report", max_length=20, verbose_name="方式"),
        ),
        migrations.RemoveField(
            model_name="revisit",
            name="method",
        ),
    ]
