"""The weekly notice: content, templates (default, sheet, file, broken), txt, docx, sheet."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from conftest import STARTED_LOG, HEAD, book, read_output, refresh, settings_rows
from xl_jiaoyan import cli
from xl_jiaoyan.domain.strokes import by_strokes

# Spring 2026: week 1 starts 2026-03-02, so week 11 is 5月11日–5月17日 and week 10
# (5月4日–10日) holds the end of the 劳动节 holiday (4th, 5th) and a make-up Saturday (9th).
PLAN = [["第十周", "5月4日-5月10日", "1、期中质量分析 2、教研组长例会", "教务处", ""],
        ["第十一周", "5.11-5.17", "（1）青年教师汇报课", "教研室", ""],
        [None, None, "（2）课题中期检查", "", ""]]
EVENTS = [
    [date(2026, 5, 13), "3", None, None, "公开课", "圆的认识", "王五", "李四、张三", "数学组", "多功能厅", "数学组"],
    [date(2026, 5, 12), None, "14:00", "15:30", "讲座", "新课标解读", "", "", "全体教师", "报告厅", ""],
    [date(2026, 5, 20), "2", None, None, "示范课", "古诗教学", "李四", "", "语文组", "录播室", "语文组"]]


def notice(capsys, path, *extra) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = cli.main(["notice", str(path), *extra])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def full_book(**extra):
    sheets = dict(设置=settings_rows(as_of=date(2026, 5, 12)), 工作进度=PLAN, 活动安排=EVENTS, 听课记录=STARTED_LOG,
                  指标=[HEAD["指标"], ["教师", "听课", "学期", 20, ""]])
    sheets.update(extra)
    return book(**sheets)


def test_a_normal_week(tmp_book, capsys):
    path = tmp_book(full_book())
    code, lines, err = notice(capsys, path)              # the as-of week: 2026-05-12 is in week 11
    assert code == 0 and "第十一周" in err
    assert lines[0] == "测试小学教研室第十一周工作安排"
    assert lines[1] == "时间：2026年5月11日（星期一）至5月17日（星期日）"
    assert lines[2] == "各教研组、全体教师："
    work = lines[lines.index("一、本周工作") + 1:lines.index("二、教研活动安排")]
    assert work == ["1. 青年教师汇报课（负责：教研室）", "2. 课题中期检查"]   # （1）（2） renumbered
    events = lines[lines.index("二、教研活动安排") + 1:lines.index("三、温馨提醒")]
    assert events[0].startswith("1. 5月12日（星期二）14:00—15:30，报告厅，新课标解读")
    assert events[1] == ("2. 5月13日（星期三）第3节（10:00—10:40），多功能厅，王五公开课《圆的认识》，"
                         "评委：张三、李四，参加：数学组")                  # judges in stroke order
    reminders = lines[lines.index("三、温馨提醒") + 1:]
    assert reminders[0] == "1. 听课进度落后的老师（4人）：王五、张三、李四、赵六。"   # 4, 7, 7, 9 strokes
    assert any("5月20日（星期三）李四示范课《古诗教学》" in r for r in reminders)
    assert lines[-2:] == ["测试小学教研室", "2026年5月12日"]
    assert not any(ch in "\n".join(lines) for ch in "#*`>")                  # no Markdown in chat text


def test_names_can_be_left_out_and_weeks_chosen_by_number(tmp_book, capsys):
    rows = settings_rows(as_of=date(2026, 5, 12), 通知点名="否")
    path = tmp_book(full_book(设置=rows))
    code, lines, _ = notice(capsys, path, "--week", "第十一周")
    assert code == 0
    assert "1. 听课进度落后的老师共4人，请各位老师对照「指标总览」查看。" in lines
    assert not any("王五、李四" in line for line in lines if "听课进度" in line)


def test_a_week_with_a_holiday_and_a_make_up_day(tmp_book, capsys):
    path = tmp_book(full_book())
    code, lines, _ = notice(capsys, path, "--week", "10")
    assert code == 0 and lines[0].endswith("第十周工作安排")
    assert "1. 期中质量分析（负责：教务处）" in lines and "2. 教研组长例会（负责：教务处）" in lines
    section = lines[lines.index("二、放假与调休") + 1:]
    assert section[0] == "1. 5月4日（星期一）至5月5日（星期二）劳动节放假。"
    assert section[1] == "2. 5月9日（星期六）劳动节调休上班。"


def test_a_week_with_no_plan_items(tmp_book, capsys):
    path = tmp_book(full_book())
    code, lines, _ = notice(capsys, path, "--week", "3")
    assert code == 0
    assert lines[lines.index("一、本周工作") + 1] == "本周无专项安排，请按常规开展教学和教研工作。"


def test_a_week_outside_the_semester(tmp_book, capsys):
    path = tmp_book(full_book())
    code, lines, err = notice(capsys, path, "--week", "21")
    assert code == 2 and lines == [] and "第 21 周不在本学期内：本学期共 20 周" in err
    summer = tmp_book(full_book(设置=settings_rows(as_of=date(2026, 8, 1))), name="暑假.xlsx")
    code, _, err = notice(capsys, summer)
    assert code == 2 and "不在本学期的教学周内" in err and "--week" in err and "Traceback" not in err
    assert refresh(summer) == 0                                      # refresh still works …
    assert "没有本周通知" in read_output(summer, "本周通知").iloc[0, 0]   # … and says why


def test_refresh_writes_the_notice_sheet_as_the_chat_text(tmp_book, capsys):
    path = tmp_book(full_book())
    assert refresh(path) == 0
    _, lines, _ = notice(capsys, path)
    sheet = read_output(path, "本周通知")
    assert list(sheet.columns) == ["本周通知"] and list(sheet["本周通知"].fillna("")) == lines


SHEET_TEMPLATE = ["{{ 学校名称 }}第{{ 周次中文 }}周安排", None, "{% for x in 工作安排 %}",
                  "{{ loop.index }}) {{ x.内容 }}", "{% endfor %}", "——{{ 落款 }}"]


def test_template_from_a_sheet_wins_over_a_file_and_the_default(tmp_book, capsys):
    path = tmp_book(full_book(通知模板=[[v] for v in SHEET_TEMPLATE]))
    (path.parent / "通知模板.j2").write_text("文件模板 {{ 周次 }}\n", encoding="utf-8")
    code, lines, err = notice(capsys, path)
    assert code == 0 and "工作表「通知模板」" in err
    assert lines == ["测试小学第十一周安排", "", "1) 青年教师汇报课", "2) 课题中期检查", "——测试小学教研室"]


def test_template_from_a_file_beside_the_workbook(tmp_book, capsys):
    path = tmp_book(full_book())
    (path.parent / "通知模板.j2").write_text("{{ 标题 }}\n本周共 {{ 活动|length }} 项活动。\n", encoding="utf-8")
    code, lines, err = notice(capsys, path)
    assert code == 0 and "文件「通知模板.j2」" in err
    assert lines == ["测试小学教研室第十一周工作安排", "本周共 2 项活动。"]
    assert refresh(path) == 0
    assert list(read_output(path, "本周通知")["本周通知"]) == lines


@pytest.mark.parametrize("broken, line, words", [
    (["{{ 标题 }}", "{% for x in 工作安排 %}", "{{ x.内容 }}"], 3, "{% for %} 还没有配对的 {% endfor %}"),
    (["{{ 标题 }}", "", "{{ 学校名 }}"], 3, "没有叫“学校名”的变量"),
    (["{{ 标题 }", "正文"], 1, "“}”"),
])
def test_a_broken_template_names_its_line_and_nothing_is_written(tmp_book, capsys, broken, line, words):
    path = tmp_book(full_book(通知模板=[[v] for v in broken]))
    before = path.read_bytes()
    code, lines, err = notice(capsys, path)
    assert code == 2 and lines == []
    assert f"工作表「通知模板」第 {line} 行" in err and words in err and "Traceback" not in err
    capsys.readouterr()
    assert refresh(path) == 2
    assert f"第 {line} 行" in capsys.readouterr().err
    assert path.read_bytes() == before                                  # refresh wrote nothing


def test_names_are_listed_by_surname_strokes():
    # 丁 2 strokes, 马 3, 毛 4, 王 4, 张 7, 李 7, 欧 8: one surname stays together, its names
    # follow the next character's strokes (二 2 before 五 4); equal counts by code point
    names = ["李四", "王五", "欧阳娜", "张三", "丁一", "马六", "王二", "毛七", "张三"]
    assert by_strokes(names) == ["丁一", "马六", "毛七", "王二", "王五", "张三", "李四", "欧阳娜"]


def test_docx_is_laid_out_as_a_notice(tmp_book, capsys, tmp_path):
    path = tmp_book(full_book())
    out = tmp_path / "通知.docx"
    code, _, _ = notice(capsys, path, "--format", "docx", "-o", str(out))
    assert code == 0 and out.is_file()
    _, lines, _ = notice(capsys, path)
    pars = [p for p in docx.Document(str(out)).paragraphs if p.text]
    assert [p.text for p in pars] == [line for line in lines if line]
    title, sign = pars[0], pars[-1]
    body = next(p for p in pars if p.text.startswith("1. "))
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert sign.alignment == WD_ALIGN_PARAGRAPH.RIGHT and pars[-2].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert body._element.pPr.ind.get(qn("w:firstLineChars")) == "200"   # two-character indent
    assert pars[2].text == "各教研组、全体教师：" and pars[2]._element.pPr.ind is None
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def _has_writer() -> bool:
    """LibreOffice with its Writer component (libreoffice-calc alone cannot open a .docx)."""
    soffice = shutil.which("soffice")
    return soffice is not None and any(
        p.name.startswith("libswlo") for p in Path(soffice).resolve().parent.iterdir())


@pytest.mark.skipif(not _has_writer(), reason="LibreOffice Writer is not installed")
def test_docx_opens_in_libreoffice(tmp_book, capsys, tmp_path):
    path = tmp_book(full_book())
    out = tmp_path / "通知.docx"
    assert notice(capsys, path, "-o", str(out))[0] == 0
    done = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, timeout=180)
    assert done.returncode == 0 and (tmp_path / "通知.pdf").stat().st_size > 5000



def test_every_template_variable_is_documented_and_nothing_else(tmp_book):
    from xl_jiaoyan.service import commands
    from xl_jiaoyan.notice.content import VARIABLES, notice_data
    result = commands.check(tmp_book(full_book()))
    keys = set(notice_data(result, 11))
    documented = {n.strip() for names, _ in VARIABLES for n in names.split("/") if "(" not in n}
    assert keys == documented, (keys - documented, documented - keys)
    assert "统计截至" in keys


def test_docx_notice_numbers_its_pages(tmp_book, capsys, tmp_path):
    path = tmp_book(full_book())
    out = tmp_path / "通知.docx"
    assert cli.main(["notice", str(path), "--format", "docx", "-o", str(out)]) == 0
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[-3] == "特此通知。" and doc.paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT   # a notice's end
    footer = doc.sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml and xml.count('w:fldCharType="begin"') == 2
    assert footer.paragraphs[0].text.replace("1", "N") == "第 N 页 共 N 页"


def test_the_shipped_stroke_table_agrees_with_the_strokes_package():
    import pytest
    package = pytest.importorskip("strokes.strokes")
    from xl_jiaoyan.domain.strokes import UNKNOWN, stroke_count
    counts = {c: n for c, n in package.data.items() if len(c) == 1}
    assert len(counts) > 90_000
    assert all(stroke_count(c) == (n if isinstance(n, int) and n > 0 else UNKNOWN) for c, n in counts.items())
    assert (stroke_count("王"), stroke_count("张"), stroke_count("A")) == (4, 7, UNKNOWN)
