from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yujing.cases.services import archive_closed
from yujing.policy.loader import get_policy


class Command(BaseCommand):
    help = ("归档办结满期的预警事项（期限见策略文件 [retention]）：归档后只读，仍可按权限查阅，不删除任何内容。"
            "同一天重复运行不会重复归档。建议与 remind 一起每天运行一次（见 docs/operations.md）。")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("日期应为 YYYY-MM-DD 格式") from None
        count = archive_closed(today=today)
        days = get_policy().rules.retention.archive_after_days
        self.stdout.write(f"{today:%Y-%m-%d}：归档办结满{days}日的预警事项 {count} 件。")
