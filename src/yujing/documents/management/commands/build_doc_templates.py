from django.core.management.base import BaseCommand

from yujing.documents.build import OUT, build_all


class Command(BaseCommand):
    help = "重新生成标准文书的 DOCX 模板（GB/T 9704-2012 版式）。会覆盖 src/yujing/documents/docx/ 中的文件。"

    def handle(self, *args, **options):
        names = build_all()
        self.stdout.write(f"已生成 {len(names)} 个模板到 {OUT}：{'、'.join(names)}")
