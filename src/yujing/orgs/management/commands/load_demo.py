from django.core.management.base import BaseCommand

from yujing.demo import DEMO_PASSWORD, demo_logins, load_demo


class Command(BaseCommand):
    help = "载入演示县（明湖县）：单位、约80名干部和每种角色一个用户。已载入时不做任何改动。"

    def handle(self, *args, **options):
        if load_demo():
            self.stdout.write(self.style.SUCCESS("已载入演示县：明湖县。"))
        else:
            self.stdout.write("演示县已存在，保留现有数据，未做改动。")
        self.stdout.write(f"\n演示账号（初始密码均为 {DEMO_PASSWORD}）：")
        for username, role, unit in demo_logins():
            self.stdout.write(f"  {username:<12} {role}（{unit}）")
