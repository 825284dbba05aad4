# cases 0012. A case's measure is any key its policy declares ([policy] measures), no longer one of Shou's three:
# the field loses its choices and the table checks only the key's form; an ending's kind likewise loses
# its choices (lifted, organisational, case_filing or a measure key of the case's policy).

import yujing.cases.models
from django.db import migrations, models

SHOU_KEYS = ("inquiry", "admonition", "correction")


def refuse_other_keys(apps, schema_editor):
    """The way back allows only Shou's three keys again: refuse, in one line, while a case or an ending
    has another (the old constraint could not be added)."""
    WarningCase = apps.get_model("cases", "WarningCase")
    Ending = apps.get_model("cases", "Ending")
    cases = sorted(set(WarningCase.objects.exclude(measure__in=SHOU_KEYS).values_list("measure", flat=True)))
    endings = sorted(set(Ending.objects.exclude(kind__in=("lifted", "organisational", "case_filing", *SHOU_KEYS))
                         .values_list("kind", flat=True)))
    if cases or endings:
        raise RuntimeError("不能回退 cases 0012：有预警事项使用寿县三项措施以外的措施 "
                           + "、".join(cases + [k for k in endings if k not in cases]))


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_decision_step'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='warningcase',
            name='case_measure_valid',
        ),
        migrations.AlterField(
            model_name='ending',
            name='kind',
            field=models.CharField(max_length=20, verbose_name='方式'),
        ),
        migrations.AlterField(
            model_name='warningcase',
            name='measure',
            field=yujing.cases.models.MeasureKeyField(max_length=20, verbose_name='预警措施'),
        ),
        migrations.AddConstraint(
            model_name='warningcase',
            constraint=models.CheckConstraint(condition=models.Q(('measure__regex', '^[a-z][a-z0-9_]*\\Z')),
                                              name='case_measure_key'),
        ),
        # runs first on the way back
        migrations.RunPython(migrations.RunPython.noop, refuse_other_keys),
    ]
