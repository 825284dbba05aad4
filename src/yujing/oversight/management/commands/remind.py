from django.core.management.base import BaseCommand

from yujing.core.commands import add_date_argument, day
from yujing.oversight.reminders import send_reminders


class Command(BaseCommand):
    help = ("发送每日期限提醒：每名用户一份即将到期和已逾期事项的汇总（站内消息和邮件）。同一天重复运行不会重复发送。"
            "建议由 cron 或 systemd 定时器每天运行一次（见 docs/operations.md）。")

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, **options):
        today = day(options)
        result = send_reminders(today=today)
        self.stdout.write(f"{today:%Y-%m-%d}：事项 {result.items} 个，新发提醒 {result.digests} 份，"
                          f"邮件 {result.emails} 封，今日已发送而跳过 {result.skipped} 份。")
