from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yujing.core.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "恢复：先逐一校验备份归档，再把数据和文件恢复到新建并迁移过的空数据库。--check 只校验。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份归档（.tar.gz）")
        parser.add_argument("--check", action="store_true", help="只校验归档，不恢复")

    def handle(self, *args, **options):
        try:
            if options["check"]:
                manifest = verify(Path(options["archive"]))
                self.stdout.write(f"备份归档完整：{len(manifest['members'])} 项校验通过（{manifest['created_at']}）。")
                return
            manifest = restore(Path(options["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份。请运行 audit_verify 校验审计日志。")
