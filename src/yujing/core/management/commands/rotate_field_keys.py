from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from yujing.core import crypto


class Command(BaseCommand):
    help = ("用当前密钥（YUJING_FIELD_KEYS 的第一个）重新加密所有加密字段。先把新密钥放在最前面运行本命令，"
            "完成后再删除旧密钥。")

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                fields = getattr(model, "encrypted_fields", ())
                if not fields:
                    continue
                for obj in model.objects.select_for_update().only("pk", *fields).iterator(chunk_size=500):
                    for name in fields:
                        setattr(obj, name, crypto.rotate(getattr(obj, name)))
                    obj.save(update_fields=list(fields))
                    total += 1
            from yujing.audit.services import record

            record("core.field_keys.rotated", by=None, data={"rows": total})
        self.stdout.write(f"已重新加密 {total} 条记录。")
