from django.core.management.base import BaseCommand, CommandError

from yujing.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，指出第一个被篡改的事件。"

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is None:
            self.stdout.write("审计日志完整：哈希链校验通过。")
            return
        where = f"事件 #{broken.event_id}" if broken.event_id else "链尾"
        raise CommandError(f"审计日志被篡改：{where}：{broken.reason}")
