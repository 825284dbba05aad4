from pathlib import Path

from django.core.management.base import BaseCommand

from yujing.core.backup import backup, default_name


class Command(BaseCommand):
    help = "备份：全部数据（一致的快照）和全部存储文件，写成一个带 SHA-256 清单的归档。"

    def add_arguments(self, parser):
        parser.add_argument("--out", help="归档文件路径（.tar.gz），默认 var/backups/yujing-时间.tar.gz")

    def handle(self, *args, **options):
        target = Path(options["out"]) if options["out"] else default_name()
        manifest = backup(target)
        self.stdout.write(f"已备份到 {target}：{len(manifest['members']) - 1} 个文件，清单已写入。")
