"""Build the DOCX templates of the standard forms in the GB/T 9704-2012 layout.

The built files are committed (``docx/*.docx``) and are what administrators edit or replace; this
module is how they were made, so a layout change can be redone for every form at once:
``manage.py build_doc_templates``. Placeholders are docxtpl (Jinja) tags; ``{%p for … %}`` repeats a
paragraph per line of a multi-line value.

Layout (GB/T 9704-2012): A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; 发文机关标志 in red 小标宋;
发文字号 under it and a red separator line; title 2号 (22 pt) 方正小标宋; body 3号 (16 pt) 仿宋_GB2312,
22 lines a page (fixed line spacing 28.95 pt); page numbers 4号 "— 1 —", odd pages right, even left.
The font names are the official ones, so WPS and Word on the office's machines use them; where
they are missing (the server's PDF rendering) fontconfig substitutes Noto Serif CJK SC (fonts.conf).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parent / "docx"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
SONG_FONT = "宋体"
RED = RGBColor(0xC0, 0x00, 0x00)
BODY = Pt(16)  # 3号
TITLE = Pt(22)  # 2号
LINE = Pt(28.95)


def _fonts(run, east_asia: str, size: Pt | None = None, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size:
        run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _paragraph(doc, text: str = "", *, font: str = BODY_FONT, size: Pt = BODY, align=None, indent: bool = False,
               bold: bool = False, color: RGBColor | None = None, before: Pt | None = None, after: Pt | None = None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE if size <= BODY else Pt(size.pt * 1.5)
    fmt.space_before, fmt.space_after = before or Pt(0), after or Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        p.alignment = align
    if text:
        _fonts(p.add_run(text), font, size, bold, color)
    return p


def _page_number_field(paragraph) -> None:
    def run_with(child):
        run = paragraph.add_run()
        _fonts(run, SONG_FONT, Pt(14))
        run._element.append(child)
        return run

    _fonts(paragraph.add_run("— "), SONG_FONT, Pt(14))
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)
    _fonts(paragraph.add_run(" —"), SONG_FONT, Pt(14))


def base() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = BODY
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    lang = OxmlElement("w:lang")  # Simplified Chinese glyph forms (not the Japanese ones of a CJK font)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    # page numbers: odd pages right, even pages left, one character in from the edge
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_number_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number_field(even)
    # the first paragraph python-docx leaves empty is removed by the callers' content
    return doc


def red_header(doc) -> None:
    _paragraph(doc, "{{ issuer_name }}", font=TITLE_FONT, size=Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED,
               after=Pt(12))
    p = _paragraph(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(4))
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p._p.get_or_add_pPr().append(border)
    _paragraph(doc)


def title(doc, text: str) -> None:
    _paragraph(doc, text, font=TITLE_FONT, size=TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(12))


def lines(doc, variable: str) -> None:
    """One body paragraph per line of ``variable`` (a list of strings in the context)."""
    _paragraph(doc, f"{{%p for line in {variable} %}}")
    _paragraph(doc, "{{ line }}", indent=True)
    _paragraph(doc, "{%p endfor %}")


def body(doc, *paragraphs: str) -> None:
    for text in paragraphs:
        _paragraph(doc, text, indent=True)


def signature(doc) -> None:
    _paragraph(doc)
    _paragraph(doc)
    p = _paragraph(doc, "{{ issuer_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.right_indent = Pt(32)
    p = _paragraph(doc, "{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.right_indent = Pt(32)
    p = _paragraph(doc, "（印章）", size=Pt(12), align=WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.right_indent = Pt(64)


def letter(name: str, heading: str, *content) -> None:
    doc = base()
    red_header(doc)
    title(doc, heading)
    _paragraph(doc, "{{ addressee }}：")
    for item in content:
        if isinstance(item, tuple) and item[0] == "lines":  # ("lines", variable)
            lines(doc, item[1])
        elif isinstance(item, tuple):  # ("p", "if x"): a docxtpl paragraph tag {%p if x %}
            _paragraph(doc, f"{{%p {item[1]} %}}")
        else:
            body(doc, item)
    signature(doc)
    _save(doc, name)


def _cell(cell, text: str, *, label: bool = False) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(22)
    if label:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(p.add_run(text), HEI_FONT if label else BODY_FONT, Pt(14))


def table_form(name: str, heading: str, top: str, rows: list[tuple[str, str]], bottom: str = "") -> None:
    """A bordered form: label cells on the left, values on the right (审批表, 登记表)."""
    doc = base()
    title(doc, heading)
    for line in top.split("\n"):
        _paragraph(doc, line, size=Pt(12))
    _paragraph(doc, size=Pt(6))
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(40), Mm(116))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for label, value in rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        _cell(cells[0], label, label=True)
        _cell(cells[1], value)
    if bottom:
        _paragraph(doc, bottom, size=Pt(12), before=Pt(6))
    _save(doc, name)


def _save(doc, name: str) -> None:
    body_el = doc.element.body
    first = body_el[0]
    if first.tag == qn("w:p") and not first.xpath(".//w:t"):
        body_el.remove(first)
    OUT.mkdir(exist_ok=True)
    doc.save(OUT / f"{name}.docx")


SIGN = "签字：{{ sign_line }}        {{ date_blank }}"


def own_title(heading: str) -> str:
    """A built-in letter layout's heading, or the title of the policy's letter using it (``letter_heading``)."""
    return "{% if letter_heading %}{{ letter_heading }}{% else %}" + heading + "{% endif %}"


# the measure's restrictions as the letter tells its target (cases/restrictions.py letter_clause), ended by the
# layout; nothing when the measure has none
RESTRICTION = "{% if restriction_clause %}{{ restriction_clause }}"


def generic_letter() -> None:
    """The layout of a letter a policy defines ([letters.<key>] template = "letter"): its title, the content
    under its content label, the approved requirements and the restrictions when it states them, the answer's
    period, the contact and the issuer."""
    letter("letter", "{{ letter_title }}",
           "{% if approver_desc %}经{{ approver_desc }}批准，{% endif %}根据{{ regulation }}{{ letter_articles }}"
           "的规定，现向你发出{{ letter_title }}。{{ content_label }}如下：",
           ("lines", "letter_lines"),
           ("p", "if states_requirements"),
           "请你按照以下要求进行整改：",
           ("lines", "requirement_lines"),
           ("p", "endif"),
           ("p", "if response_period or restriction_clause"),
           "{% if response_period %}请你自收到本{{ letter_title }}之日起{{ response_period }}内，将{{ response_label }}"
           "报送{{ issuer_short }}。{% endif %}" + RESTRICTION + "。{% endif %}",
           ("p", "endif"),
           "联系人：{{ contact_person }}    联系电话：{{ contact_phone }}")


def build_all() -> list[str]:
    letter("inquiry_letter", own_title("询  问  函"),
           "根据有关反映，现就以下问题向你询问，请你本着对组织负责、对自己负责的态度，如实作出解释和说明：",
           ("lines", "letter_lines"),
           "请你自收到本函之日起{{ response_period }}内，将书面说明材料报送{{ issuer_short }}。",
           "联系人：{{ contact_person }}    联系电话：{{ contact_phone }}")
    letter("talk_notice", "谈 话 通 知 书",
           "根据工作安排，定于{{ talk_time }}在{{ talk_place }}与你进行谈话，请准时参加。",
           "如有特殊情况不能按时参加，请提前向{{ issuer_short }}说明。",
           "联系人：{{ contact_person }}    联系电话：{{ contact_phone }}")
    letter("admonition_notice", own_title("警示诫勉通知书"),
           "经了解核实，你在廉洁自律方面存在以下问题：", ("lines", "letter_lines"),
           "上述问题属于苗头性、倾向性问题。经{{ approver_desc }}批准，根据{{ regulation }}"
           "{{ letter_articles }}的规定，现对你进行警示诫勉，并提出如下整改要求：",
           ("lines", "requirement_lines"),
           "请你自收到本通知书之日起{{ response_period }}内，将个人整改情况以书面形式报送{{ issuer_short }}。"
           + RESTRICTION + "。{% endif %}")
    letter("correction_notice", own_title("责令纠错通知书"),
           "经调查核实，你存在以下错误事实：", ("lines", "letter_lines"),
           "上述行为已构成轻微违规违纪。经{{ approver_desc }}批准，根据{{ regulation }}"
           "{{ letter_articles }}的规定，责令你限期纠正错误，具体要求如下：",
           ("lines", "requirement_lines"),
           "请你自收到本通知书之日起{{ response_period }}内整改到位，并将整改报告以书面形式报送{{ issuer_short }}。"
           + RESTRICTION + "{% if escalation_clause %}；{% else %}。{% endif %}{% endif %}"
           "{% if escalation_clause %}整改期限满错误没有得到纠正的，将按有关规定{{ escalation_clause }}。{% endif %}")
    letter("discipline_opinion", own_title("纪律检查（行政监察）意见书"),
           "经了解核实，你存在以下问题：", ("lines", "letter_lines"),
           "经{{ approver_desc }}批准，根据{{ regulation }}{{ letter_article }}的规定，提出如下意见：",
           ("lines", "requirement_lines"),
           "请你自收到本意见书之日起{{ response_period }}内，将整改情况以书面形式报送{{ issuer_short }}。")
    letter("discipline_recommendation", own_title("纪律检查（行政监察）建议书"),
           "经调查核实，你存在以下问题：", ("lines", "letter_lines"),
           "经{{ approver_desc }}批准，根据{{ regulation }}{{ letter_article }}的规定，提出如下建议：",
           ("lines", "requirement_lines"),
           "请你自收到本建议书之日起{{ response_period }}内整改到位，并将整改报告以书面形式报送{{ issuer_short }}。")
    generic_letter()
    letter("extension_notice", "延期整改通知书",
           "你于{{ requested_on }}提出延期整改申请。经{{ decider }}批准，同意将你的整改期限由{{ previous_due }}"
           "延长至{{ new_due }}。",
           "请你在延长的期限内整改到位，并将整改报告以书面形式报送{{ issuer_short }}。"
           "根据{{ regulation }}{{ extension_article }}的规定，延长整改期限累计不得超过{{ extension_cap }}。")
    letter("notice", "{{ notice_title }}",
           "经{{ approver_desc }}批准，{{ issuer_short }}于{{ implemented_on }}对{{ target_unit }}{{ target_position }}"
           "{{ target_name }}同志实施{{ measure }}。有关情况通报如下：",
           ("lines", "notice_lines"),
           "{{ restriction_sentence }}特此通报。")
    letter("outcome_report", "{{ report_title }}",
           "经{{ approver_desc }}批准，{{ issuer_short }}于{{ implemented_on }}对{{ target_unit }}{{ target_position }}"
           "{{ target_name }}同志实施{{ measure }}（{{ case_number }}）。根据{{ regulation }}"
           "{{ outcome_report_article }}的规定，现将结果报告如下：",
           ("lines", "report_lines"),
           "{{ outcome_sentence }}{{ record_sentence }}",
           "特此报告。")
    letter("feedback_letter", "预警线索办理情况反馈函",
           "你单位（部门）于{{ received_on }}移送（反映）的预警线索（编号：{{ clue_number }}），我办已按照"
           "{{ regulation }}的规定办理完毕。现将办理情况反馈如下：",
           ("lines", "feedback_lines"),
           "特此函复。")

    table_form("target_approval", "预警对象审批表", "填报单位：{{ unit_name }}\n编号：{{ case_number }}        填报日期：{{ proposed_on }}", [
        ("姓    名", "{{ target_name }}（{{ gender }}，{{ birth_month }}出生）"),
        ("单位及职务", "{{ target_unit }}{{ target_position }}{{ principal_note }}"),
        ("干部管理权限", "{{ managed_by }}"),
        ("线索来源", "{{ clue_sources }}"),
        ("反映的主要问题", "{{ facts }}"),
        ("了解、初核或调查情况", "{{ verification_text }}"),
        ("预警建议", "{{ measure }}（{{ measure_article }}）"),
        ("承办单位意见", "{{ proposal_text }}\n\n" + SIGN),
        ("审批意见", "{{ decision_text }}\n\n" + SIGN),
        ("报告{{ chief }}情况", "{{ chief_report_text }}"),
        ("备    注", "{{ remark }}"),
    ], "{{ approval_note }}")
    table_form("warning_register", "预警工作登记表", "编号：{{ case_number }}        登记单位：{{ unit_name }}", [
        ("预警对象", "{{ target_name }}，{{ target_unit }}{{ target_position }}"),
        ("预警措施及方式", "{{ measure }}，{{ delivery }}"),
        ("批准日期", "{{ approved_on }}"),
        ("实施日期", "{{ implemented_on }}"),
        ("主要问题", "{{ facts }}"),
        ("承诺情况或整改要求", "{{ register_content }}"),
        ("领导批准", "{{ register_approval }}"),
        ("答复或整改报告情况", "{{ response_text }}"),
        ("结    果", "{{ outcome_text }}"),
    ], "{{ register_cite }}预警结束后，{{ office }}填写预警工作登记表。")
    table_form("extension_approval", "延期整改审批表", "编号：{{ case_number }}        填报日期：{{ requested_on }}", [
        ("整改对象", "{{ target_name }}，{{ target_unit }}{{ target_position }}"),
        ("预警措施", "{{ measure }}"),
        ("原整改期限", "{{ previous_due }}"),
        ("申请延至", "{{ requested_until }}"),
        ("延期理由", "{{ extension_reason }}"),
        ("{{ office }}意见", "延长后累计不超过{{ extension_cap }}（最迟{{ cap_date }}）。\n\n" + SIGN),
        ("领导审批意见", "{{ decision_text }}\n\n" + SIGN),
    ], "{{ extension_cite }}延长整改期限不得超过{{ extension_cap }}。")
    table_form("revisit_register", "预警工作回访登记表", "编号：{{ case_number }}        回访单位：{{ unit_name }}", [
        ("回访对象", "{{ target_name }}，{{ target_unit }}{{ target_position }}"),
        ("预警措施", "{{ measure }}"),
        ("整改期限", "{{ response_due }}"),
        ("回访方式", "{{ revisit_method }}"),
        ("回访日期", "{{ revisit_date }}"),
        ("回访情况", "{{ revisit_findings }}"),
        ("是否达到整改要求", "{{ meets_text }}"),
        ("{{ office }}意见", "{{ office_opinion }}\n\n" + SIGN),
        ("领导批准", "{{ lifting_text }}\n\n" + SIGN),
    ], "{{ lifting_cite }}对达到整改要求的，填写预警工作回访登记表，提出意见，报{{ commission_leaders }}批准后解除预警。")
    table_form("clue_transfer", "预警线索移送表", "移送单位（盖章）：{{ from_unit }}\n移送日期：{{ transferred_on }}        编号：{{ clue_number }}", [
        ("被反映人", "{{ concerned_text }}"),
        ("问题摘要", "{{ summary }}"),
        ("反映的主要问题", "{{ detail }}"),
        ("发现途径", "{{ found_how }}"),
        ("移送单位意见", "{{ unit_opinion }}\n\n签字（盖章）：{{ sign_line }}        {{ date_blank }}"),
        ("联 系 人", "{{ contact_person }}    电话：{{ contact_phone }}"),
        ("接收单位", "{{ to_unit }}"),
        ("接收情况", "接收人：{{ sign_line }}        {{ date_blank }}"),
    ], "{{ transfer_cite }}执纪执法机关在工作中发现的需要给予预警的线索，应当及时填写预警线索移送表向所属党委或纪检监察机关移送。")

    doc = base()
    title(doc, "{{ title }}")
    _paragraph(doc, "{{ subtitle }}", size=Pt(12), align=WD_ALIGN_PARAGRAPH.CENTER, after=Pt(6))
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(table.rows[0].cells[0], "统计项", label=True)
    _cell(table.rows[0].cells[1], "数量", label=True)
    # docxtpl repeats the row between the {%tr %} rows once per figure
    _cell(table.rows[1].cells[0], "{%tr for row in rows %}")
    _cell(table.rows[2].cells[0], "{{ row.label }}")
    _cell(table.rows[2].cells[1], "{{ row.value }}")
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    _paragraph(doc, "说明：{{ remarks }}", size=Pt(12), before=Pt(6))
    _save(doc, "quarterly_report")

    doc = base()
    title(doc, "预警谈话记录")
    for text in ("时间：{{ talk_date }}    地点：{{ talk_place }}", "谈话人：{{ talkers }}（主谈人：{{ chief_talker }}）",
                 "谈话对象：{{ target_name }}，{{ target_unit }}{{ target_position }}", "记录人：{{ recorder }}",
                 "谈话事由：{{ measure }}（{{ case_number }}）"):
        _paragraph(doc, text)
    _paragraph(doc, "谈话内容：", font=HEI_FONT, before=Pt(6))
    lines(doc, "record_lines")
    _paragraph(doc)
    _paragraph(doc, "以上记录我已阅，与谈话内容一致。", indent=True)
    _paragraph(doc, "谈话对象签字：{{ sign_line }}        {{ signed_text }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, "谈话人签字：{{ sign_line }}        记录人签字：{{ sign_line }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _save(doc, "talk_record")
    return sorted(p.stem for p in OUT.glob("*.docx"))
