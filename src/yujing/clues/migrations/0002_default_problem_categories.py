from django.db import migrations

# The categories a county office typically reports on (第三十二条 statistics); administrators edit the
# list in the admin. Only added when the table is empty, so a county's own list is never overwritten.
DEFAULTS = [
    "违反中央八项规定精神",
    "违规收送礼品礼金",
    "违规经商办企业",
    "违规借用公款或接受宴请",
    "违规使用公车、办公用房",
    "插手干预工程项目和经济活动",
    "失职失责、作风不实",
    "违规选人用人",
    "侵害群众利益",
    "生活作风问题",
    "其他",
]


def add_defaults(apps, schema_editor):
    ensure(apps.get_model("clues", "ProblemCategory"))


def ensure(Category) -> None:  # noqa: N803 — a model class
    if not Category.objects.exists():
        Category.objects.bulk_create([Category(name=name, sort_order=i * 10) for i, name in enumerate(DEFAULTS)])


class Migration(migrations.Migration):
    dependencies = [("clues", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
