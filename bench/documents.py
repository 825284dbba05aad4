"""Generating a form: DOCX under 50 ms, PDF under 1 s (issue 5). Median of repeated runs."""

from __future__ import annotations

import statistics
import time


def run():
    from django.utils import timezone

    from yujing.cases.models import WarningCase
    from yujing.demo import demo_exists, load_demo
    from yujing.documents import render
    from yujing.documents.contexts import build, targets_for_case
    from yujing.documents.services import _listings
    from yujing.orgs.models import User

    if not demo_exists():
        load_demo()
    user = User.objects.get(username="yjb")
    case = WarningCase.objects.filter(measure="correction", letters__isnull=False).first()
    target = next(t for t in targets_for_case(case) if t.form.key == "correction_notice")
    context = _listings({**build(target, by=user, today=timezone.localdate()), "number": "明纪预〔2026〕1号"})
    docx_times = []
    for _ in range(30):
        start = time.perf_counter()
        data = render.render_docx(target.form.key, context)
        docx_times.append(time.perf_counter() - start)
    yield ("DOCX 责令纠错通知书 (median of 30)", f"{statistics.median(docx_times) * 1000:.0f} ms", "< 50 ms")
    if render.soffice() is None:
        yield ("PDF", "skipped: LibreOffice not installed", "< 1 s")
        return
    render.docx_to_pdf(data)  # the first conversion creates the LibreOffice profile
    pdf_times = []
    for _ in range(5):
        start = time.perf_counter()
        render.docx_to_pdf(data)
        pdf_times.append(time.perf_counter() - start)
    yield ("PDF 责令纠错通知书 via LibreOffice (median of 5)", f"{statistics.median(pdf_times):.2f} s", "< 1 s")
