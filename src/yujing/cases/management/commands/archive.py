from django.core.management.base import BaseCommand

from yujing.cases.services import archive_closed
from yujing.core.commands import add_date_argument, day
from yujing.policy.loader import get_policy


class Command(BaseCommand):
    help = ("归档办结满期的预警事项（期限见策略文件 [retention]）：归档后只读，仍可按权限查阅，不删除任何内容。"
            "同一天重复运行不会重复归档。建议与 remind 一起每天运行一次（见 docs/operations.md）。")

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, **options):
        today = day(options)
        count = archive_closed(today=today)
        days = get_policy().rules.retention.archive_after_days
        self.stdout.write(f"{today:%Y-%m-%d}：归档办结满{days}日的预警事项 {count} 件。")
