from django.db import migrations, models


def from_last_login(apps, schema_editor):
    # those who signed in before were told up to their last sign-in
    User = apps.get_model("orgs", "User")
    User.objects.exclude(last_login=None).update(account_notice_mark=models.F("last_login"))


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0008_user_clearance'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='account_notice_mark',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='账户变更已告知至'),
        ),
        migrations.RunPython(from_last_login, migrations.RunPython.noop),
    ]
