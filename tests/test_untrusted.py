"""A received workbook is untrusted: each attack as a real workbook on disk.

Nothing in it may run code, read files, hang, crash or trick the tool; every run ends
within seconds in a clear message (exit 2) or a correct result, and a workbook a run
refused is byte-identical afterwards.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from conftest import HEAD, book, quota, refresh, settings_rows, write_book
from xl_jiaoyan import cli
from xl_jiaoyan.io.files import safety

AS_OF = date(2026, 3, 18)
OBS = [[date(2026, 3, 10), 1, "张三", "李四", "语文", "一(1)", "识字", "新授"],
       [date(2026, 3, 11), 2, "王五", "赵六", "数学", "二(1)", "加法", "新授"]]


def base(**extra):
    sheets = dict(设置=settings_rows(as_of=AS_OF), 听课记录=OBS,
                  指标=[HEAD["指标"], ["教师", "听课", "学期", 15, ""]])
    sheets.update(extra)
    return book(**sheets)


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def sheet_part(sheets: dict, name: str) -> str:
    """openpyxl writes the n-th sheet as xl/worksheets/sheet{n}.xml."""
    return f"xl/worksheets/sheet{list(sheets).index(name) + 1}.xml"


def rewrite(path: Path, parts: dict[str, bytes], flags: dict[str, int] | None = None) -> Path:
    """The package at ``path`` with some parts' bytes replaced or added (written with
    zipfile: independent of the tool's own package writer)."""
    with zipfile.ZipFile(path) as z:
        old = [(i, z.read(i.filename)) for i in z.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in old:
            z.writestr(info.filename, parts.pop(info.filename, data))
        for name, data in parts.items():
            z.writestr(name, data)
    tmp.replace(path)
    return path


# ---- 1. templates ----------------------------------------------------------------------

def _attacks(canary: Path) -> dict[str, str]:
    cmd = f"touch {canary}"
    return {
        "cycler": "{{ cycler.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "lipsum": "{{ lipsum.__globals__['__builtins__']['open']('/etc/passwd').read() }}",
        "subclasses": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}"
                      "{% if c.__name__ == 'Popen' %}{{ c('" + cmd + "', shell=True) }}{% endif %}{% endfor %}",
        "namespace": "{{ namespace.__init__.__globals__ }}",
        "loop_globals": "{% for x in [1] %}{{ loop.__class__.__init__.__globals__['os'].system('"
                        + cmd + "') }}{% endfor %}",
        "format_leak": "{{ '{0.__class__.__init__.__globals__}'|format(学校名称) }}",
        "big_range": "{% for i in range(10**9) %}{{ i }}{% endfor %}",
        "nested_loops": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        "hundred_gb": "{{ 'x' * 100000000000 }}",
        "doubling": "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "power": "{{ 99 ** 999999999 }}",
        "include": "{% include '/etc/passwd' %}",
        "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        # round 2: folded at compile time before; OverflowError / AssertionError inside filters;
        # a namespace whose printed form doubles with every level
        "round_fold": "{{ 5|round(-999999999) }}",
        "inf_int": "{{ 'inf'|float|int }}",
        "truncate": "{{ 学校名称|truncate(-1) }}",
        "namespace_chain": "{% set n = namespace(x=namespace(y=1)) %}{% for i in range(40) %}"
                           "{% set n.x = namespace(p=n.x, q=n.x) %}{% endfor %}{{ n.x|string|length }}",
        "replace_chain": "{% set n = namespace(x=namespace(y=1)) %}{% for i in range(40) %}"
                         "{% set n.x = namespace(p=n.x, q=n.x) %}{% endfor %}{{ n.x|replace('a', 'b') }}",
        "format_chain": "{% set n = namespace(x=namespace(y=1)) %}{% for i in range(40) %}"
                        "{% set n.x = namespace(p=n.x, q=n.x) %}{% endfor %}{{ '%s'|format(n.x) }}",
        "slow_lines": "{% for i in range(10000) %}{% for j in range(10000) %}{% set x = [0] * 50000 %}"
                      "{% endfor %}{% endfor %}",
        "join_dict": "{% set n = namespace(x=namespace(y=1)) %}{% for i in range(40) %}"
                     "{% set n.x = namespace(p=n.x, q=n.x) %}{% endfor %}{{ {'a': n.x}|join(',') }}",
    }


@pytest.mark.parametrize("kind", list(_attacks(Path("x"))))
def test_a_hostile_template_sheet_runs_nothing_and_leaves_the_workbook_as_it_was(tmp_path, capsys, kind):
    canary = tmp_path / "pwned"
    source = _attacks(canary)[kind]
    path = write_book(tmp_path / "收到的.xlsx", base(通知模板=[["{{ 标题 }}"], [source]]))
    before = path.read_bytes()
    for argv in (["refresh", path], ["notice", path]):
        start = time.monotonic()
        code, out, err = run(capsys, *argv)
        assert time.monotonic() - start < 15
        assert code == 2 and "工作表「通知模板」第 2 行" in err, err
        assert "Traceback" not in err and "root:" not in out + err
    assert not canary.exists()
    assert path.read_bytes() == before


def test_a_hostile_template_file_beside_the_workbook_is_refused_too(tmp_path, capsys):
    canary = tmp_path / "pwned"
    path = write_book(tmp_path / "工作台.xlsx", base())
    (tmp_path / "通知模板.j2").write_text("第一行\n" + _attacks(canary)["cycler"] + "\n", encoding="utf-8")
    before = path.read_bytes()
    code, _, err = run(capsys, "refresh", path)
    assert code == 2 and "文件「通知模板.j2」第 2 行" in err and not canary.exists()
    assert path.read_bytes() == before


def test_a_template_that_reads_a_file_gets_nothing_into_the_notice(tmp_path, capsys):
    path = write_book(tmp_path / "工作台.xlsx",
                      base(通知模板=[[_attacks(tmp_path)["lipsum"]]]))
    code, out, err = run(capsys, "notice", path)
    assert code == 2 and "root:" not in out + err
    assert "模板不能访问" in err or "没有叫“lipsum”的变量" in err


def test_what_staff_may_write_still_works(tmp_path, capsys):
    """Wording, variables, loops, conditions, set, filters and string tests keep working."""
    rows = ["{{ 学校名称 }}第{{ 周次中文 }}周", "{% set n = 工作安排|length %}",
            "{% for x in 提醒 if not x.startswith('无') %}{{ loop.index }}. {{ x|truncate(200) }}{% endfor %}（完）",
            "{% if n == 0 %}本周无安排{% else %}{{ '共 %d 项'|format(n) }}{% endif %}。",
            "{{ ['甲', '乙']|join('、') }} {{ 落款|replace('教研室', '教科室') }} {{ 中文数字(12) }}"]
    path = write_book(tmp_path / "工作台.xlsx", base(通知模板=[[r] for r in rows]))
    code, out, _ = run(capsys, "notice", path)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "测试小学第三周"
    assert lines[-1] == "甲、乙 测试小学教科室 十二" and "本周无安排。" in lines


def test_live_mode_renders_templates_in_the_same_sandbox(tmp_path, desktop):
    from test_live import remote_book
    from xl_jiaoyan import excel
    canary = tmp_path / "pwned"
    path = write_book(tmp_path / "工作台.xlsx", base(通知模板=[[_attacks(canary)["cycler"]]]))
    b = remote_book(path)
    excel.on_ribbon("xljy_refresh", b)
    actions = b.json()["actions"]
    alert = next(a for a in actions if a["func"] == "alert")
    assert "工作表「通知模板」第 1 行" in alert["args"][0] and not canary.exists()
    assert not any(a["func"] in ("setValues", "addSheet") for a in actions)


# ---- 2. output other programs interpret --------------------------------------------

# text as it stands in cells (typed after an apostrophe, or into a Text cell)
NASTY = ["=HYPERLINK(\"http://example.com\",\"点我\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1+1"]


def _nasty_book(tmp_path) -> Path:
    obs = OBS + [[date(2026, 3, 12), 3, name.replace("=", "QEQ"), "李四", "语文", "一(1)", "x", "新授"]
                 for name in NASTY]
    obs.append([date(2026, 3, 13), 3, "张三QESCQ]0;被改了QBELQQESCQ[2J", "李四", "语文", "一(1)", "x", "新授"])
    path = write_book(tmp_path / "工作台.xlsx", base(听课记录=obs))
    # text cells starting with "=" (openpyxl would write formulas), and control characters
    # as Excel stores them in XML (_xHHHH_ escapes)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if b"QESCQ" in z.read(n)}
    return rewrite(path, {n: d.replace(b"QESCQ", b"_x001B_").replace(b"QBELQ", b"_x0007_")
                          .replace(b"QEQ", b"=") for n, d in parts.items()})


def test_check_as_csv_neutralises_formulas_and_carries_a_bom(tmp_path):
    import csv
    import io
    path = _nasty_book(tmp_path)
    done = subprocess.run([sys.executable, "-m", "xl_jiaoyan", "check", str(path), "--format", "csv"],
                          capture_output=True, timeout=120, cwd=Path(__file__).parent.parent)
    assert done.returncode == 1, done.stderr.decode()
    raw = done.stdout
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    people = {r["人员"] for r in rows}
    for name in NASTY:                # names are read trimmed: the tab goes
        assert "'" + name.strip() in people, (name, people)
    for r in rows:                    # no field a spreadsheet would evaluate
        for v in r.values():
            assert not v or v[0] not in "=+@\t\r" and not re.match(r"-[^\d]", v), v


def test_text_output_shows_control_characters_escaped(tmp_path, capsys):
    path = _nasty_book(tmp_path)
    code, out, _ = run(capsys, "check", path)
    assert code == 1 and "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;被改了\\x07" in out


def test_live_mode_writes_user_text_as_text(tmp_path, desktop):
    from test_live import remote_book, unprotected_text
    from xl_jiaoyan import excel
    path = _nasty_book(tmp_path)
    b = remote_book(path)
    excel.on_ribbon("xljy_check", b)
    actions = b.json()["actions"]
    assert any(a["func"] == "setValues" for a in actions)
    assert unprotected_text(actions) == []             # every string formatted as Text first
    values = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    assert NASTY[0] in values                        # arrives as that text


# ---- 3. reading bounded by what is really there ----------------------------------------

def _refused_quickly(capsys, path: Path, words: str, limit: float = 20) -> str:
    """Refused within ``limit`` seconds, the file as it was: a damaged file (已损坏) with
    exit code 2, a file that would exhaust the machine (an unsafe file) with 4."""
    before = path.read_bytes()
    start = time.monotonic()
    code, _, err = run(capsys, "refresh", path)
    assert time.monotonic() - start < limit
    assert code == (2 if words == "已损坏" else 4) and words in err and "内部错误" not in err, err
    assert path.read_bytes() == before
    return err


def test_an_unclosed_tag_storm_is_scanned_in_linear_time(tmp_path, capsys):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    storm = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<sheetData><row r="1">' + b'<c r="A1" ' * 30000)
    rewrite(path, {sheet_part(sheets, "听课记录"): storm})
    _refused_quickly(capsys, path, "已损坏", limit=5)


def _with_rows_at_the_end(tmp_path, rows: str) -> Path:
    """The base workbook with ``rows`` (sheet XML) added at the end of 听课记录."""
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    part = sheet_part(sheets, "听课记录")
    with zipfile.ZipFile(path) as z:
        xml = z.read(part)
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:H4"/>', xml)   # it lies
    return rewrite(path, {part: xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")})


def _with_far_cell(tmp_path, ref: str) -> Path:
    row = int(re.match(r"[A-Za-z]+(\d+)", ref).group(1))
    return _with_rows_at_the_end(tmp_path, f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>')


@pytest.mark.parametrize("ref, named", [("XFD1048576", "XFD1048576"), ("AB200000", "AB200000"),
                                        # calamine reads letters of either case, any number
                                        # of them, and rows with leading zeros
                                        ("xfd1048576", "XFD1048576"), ("AAAA200000", "AAAA200000"),
                                        ("A0001048576", "A1048576"), ("a00000000000000001048576", "A1048576")])
def test_a_value_far_from_the_data_is_named_not_laid_out(tmp_path, capsys, ref, named):
    path = _with_far_cell(tmp_path, ref)
    err = _refused_quickly(capsys, path, f"{named} 单元格")
    assert "删除" in err


def test_a_full_height_row_is_judged_like_any_other(tmp_path, capsys):
    """Rows up to 1,049,999 in the first 26 columns are scanned without a look at each
    cell (a full-height log's last rows): one such value far below a small sheet is still
    the sheet's last row, and named."""
    path = _with_far_cell(tmp_path, "C1049000")
    err = _refused_quickly(capsys, path, "C1049000 单元格")
    assert "删除" in err


def test_a_reference_of_absurd_length_is_refused_at_once(tmp_path, capsys):
    path = _with_far_cell(tmp_path, "A" * 40 + "1")
    _refused_quickly(capsys, path, "离其他数据很远")
    path = _with_far_cell(tmp_path, "A" + "9" * 40)
    _refused_quickly(capsys, path, "离其他数据很远")


@pytest.mark.parametrize("empty_after", [3, 20])
def test_a_far_value_among_far_empty_cells_is_found(tmp_path, capsys, empty_after):
    """Empty cells take no room (calamine skips them), so the scan looks past them, the
    largest rows first, to the one value cell below them all."""
    empties = "".join(f'<c r="{c}{2_000_000 + k}" s="0"/>' for k in range(1, empty_after + 1) for c in "AB")
    path = _with_rows_at_the_end(
        tmp_path, f'<row r="2000000"><c r="B2000000" t="inlineStr"><is><t>x</t></is></c>{empties}</row>')
    _refused_quickly(capsys, path, "B2000000 单元格")


def test_far_empty_cells_alone_are_read_normally(tmp_path, capsys):
    empties = "".join(f'<c r="A{1_048_000 + k}" s="0"/>' for k in range(30))
    path = _with_rows_at_the_end(tmp_path, f'<row r="1048000">{empties}</row>')
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 1


def test_cells_without_a_reference_are_counted_where_calamine_puts_them(tmp_path, capsys):
    """calamine places a cell without r="…" after the one before it: a long row of them
    reaches far to the right."""
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 16_384        # the row tag far before the end
    path = _with_rows_at_the_end(tmp_path, f'<row r="900000">{cells}</row>')
    _refused_quickly(capsys, path, "第 900000 行")


def test_a_value_a_little_way_off_is_read_normally(tmp_path, capsys):
    path = _with_far_cell(tmp_path, "Z300")
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 1


def test_a_zip_bomb_part_is_refused_before_it_is_read(tmp_path, capsys):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet_part(sheets, "听课记录"))
    bomb = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (300 << 20), 1)
    rewrite(path, {sheet_part(sheets, "听课记录"): bomb})
    assert path.stat().st_size < 2 << 20
    _refused_quickly(capsys, path, "压缩炸弹")


@pytest.fixture(params=["isal", "zlib"])
def inflater(request, monkeypatch):
    """Parts are inflated by ISA-L where the large extra is installed, else by zlib
    (through zipfile): every damage must be told the same either way."""
    from xl_jiaoyan.io.xlsx import package
    if request.param == "isal":
        pytest.importorskip("isal")
    else:
        import zlib
        monkeypatch.setattr(package, "deflater", lambda: zlib)
    return request.param


def _part_entry(path: Path, part: str) -> tuple[bytes, zipfile.ZipInfo, int]:
    """The package's bytes, the part's entry and where its compressed data begins."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    n, m = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    return data, info, info.header_offset + 30 + n + m


def test_broken_deflate_data_is_damage_not_a_crash(tmp_path, capsys, inflater):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    data, info, start = _part_entry(path, sheet_part(sheets, "听课记录"))
    # 0xFF opens a deflate block of the reserved type: no inflater reads past it
    path.write_bytes(data[:start] + b"\xff" * info.compress_size + data[start + info.compress_size:])
    _refused_quickly(capsys, path, "已损坏")


def test_a_part_whose_checksum_is_wrong_is_damaged(tmp_path, capsys, inflater):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    data, info, _ = _part_entry(path, sheet_part(sheets, "听课记录"))
    sizes = info.compress_size.to_bytes(4, "little") + info.file_size.to_bytes(4, "little")
    patched = data.replace(info.CRC.to_bytes(4, "little") + sizes, (info.CRC ^ 1).to_bytes(4, "little") + sizes)
    assert patched.count((info.CRC ^ 1).to_bytes(4, "little") + sizes) == 2    # local header and directory
    path.write_bytes(patched)
    _refused_quickly(capsys, path, "已损坏")


def test_a_part_longer_than_it_claims_is_damaged(tmp_path, capsys, inflater):
    """A central directory that understates a part: held to the stated size, and the
    checksum tells."""
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    part = sheet_part(sheets, "听课记录")
    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    real = info.file_size.to_bytes(4, "little")
    claimed = (info.file_size // 2).to_bytes(4, "little")
    # the sizes sit in both the local header and the central directory entry
    patched = data.replace(info.CRC.to_bytes(4, "little") + info.compress_size.to_bytes(4, "little") + real,
                           info.CRC.to_bytes(4, "little") + info.compress_size.to_bytes(4, "little") + claimed)
    assert patched != data
    path.write_bytes(patched)
    _refused_quickly(capsys, path, "已损坏")


def test_broken_xml_inside_a_sheet_says_the_file_is_damaged(tmp_path, capsys):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    part = sheet_part(sheets, "听课记录")
    with zipfile.ZipFile(path) as z:
        xml = z.read(part)
    rewrite(path, {part: xml[: len(xml) // 2]})
    _refused_quickly(capsys, path, "已损坏")


# ---- 4. backups and restore -----------------------------------------------------------

def _refreshed(tmp_path) -> Path:
    path = write_book(tmp_path / "工作台.xlsx", base())
    assert refresh(path) == 0
    return path


def test_a_truncated_backup_is_listed_as_unusable_and_refused(tmp_path, capsys):
    path = _refreshed(tmp_path)
    good = safety.backups(path)[0].path
    short = good.with_name(good.name.replace("-20", "-29", 1))     # sorts first: newest
    short.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = path.read_bytes()
    code, out, _ = run(capsys, "restore", path)
    assert code == 0 and "不能用" in out.splitlines()[1] and "不能用" not in out.splitlines()[2]
    code, _, err = run(capsys, "restore", path, "1")
    assert code == 2 and "不能用来恢复" in err and path.read_bytes() == before
    assert run(capsys, "restore", path, "2")[0] == 0


def test_a_backup_cut_off_mid_copy_leaves_no_backup_behind(tmp_path, monkeypatch):
    path = write_book(tmp_path / "工作台.xlsx", base())
    before = path.read_bytes()
    real = shutil.copyfileobj

    def dies(src, dst, length=0):
        dst.write(src.read(100))
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(shutil, "copyfileobj", dies)
    assert refresh(path) == 2
    monkeypatch.setattr(shutil, "copyfileobj", real)
    assert safety.backups(path) == [] and path.read_bytes() == before
    assert list(safety.backup_folder(path).iterdir()) == []


def test_restore_keeps_permissions_and_a_read_only_workbook_is_left_alone(tmp_path, capsys):
    path = _refreshed(tmp_path)
    os.chmod(path, 0o640)
    assert run(capsys, "restore", path, "1")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    os.chmod(path, 0o444)
    before = path.read_bytes()
    code, _, err = run(capsys, "refresh", path)
    assert code == 2 and "只读" in err and path.read_bytes() == before
    code, _, err = run(capsys, "restore", path, "1")
    assert code == 2 and "只读" in err and path.read_bytes() == before


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_linked_workbook_is_updated_where_it_lives(tmp_path, capsys):
    real_dir = tmp_path / "真实"
    real_dir.mkdir()
    target = write_book(real_dir / "工作台.xlsx", base())
    link = tmp_path / "快捷.xlsx"
    link.symlink_to(target)
    assert refresh(link) == 0
    assert link.is_symlink() and "指标明细" in zipfile.ZipFile(target).read("xl/workbook.xml").decode()
    assert safety.backups(target) and not (tmp_path / safety.BACKUP_DIR).exists()


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_planted_links_for_the_backup_folder_and_the_lock_are_not_followed(tmp_path, capsys):
    path = write_book(tmp_path / "工作台.xlsx", base())
    before = path.read_bytes()
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (tmp_path / safety.BACKUP_DIR).symlink_to(elsewhere)
    code, _, err = run(capsys, "refresh", path)
    assert code == 2 and "链接" in err and list(elsewhere.iterdir()) == [] and path.read_bytes() == before
    (tmp_path / safety.BACKUP_DIR).unlink()
    victim = tmp_path / "别处" / "victim"
    (tmp_path / f"{safety.TEMP_PREFIX}lock-{path.name}").symlink_to(victim)
    code, _, err = run(capsys, "refresh", path)
    assert code == 2 and "锁文件" in err and not victim.exists() and path.read_bytes() == before


# ---- 5. smaller defects ---------------------------------------------------------------

def test_a_sheet_element_with_a_closing_tag_keeps_sheet_ids_unique(tmp_path):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
    wb = re.sub(r'(<sheet\b[^>]*?)/>', r'\1></sheet>', wb)
    rewrite(path, {"xl/workbook.xml": wb.encode()})
    assert refresh(path) == 0
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
    ids = re.findall(r'<sheet\b[^>]*\bsheetId="(\d+)"', wb)
    assert len(ids) == len(set(ids)) > len(sheets) and "冲突检查" in wb


def test_a_part_name_without_the_utf8_flag_keeps_its_bytes(tmp_path):
    path = write_book(tmp_path / "工作台.xlsx", base())
    gbk = "customXml/项目.xml".encode("gbk")
    placeholder = b"customXml/QQQQ.xml"                 # as long as the GBK name
    with zipfile.ZipFile(path, "a") as z:
        z.writestr(placeholder.decode(), b"<x/>")
    # stored as GBK bytes with no UTF-8 flag, as Chinese zip tools of old did
    path.write_bytes(path.read_bytes().replace(placeholder, gbk))

    def raw_names(p):
        data = p.read_bytes()
        return [data[m.start() + 46: m.start() + 46 + int.from_bytes(data[m.start() + 28: m.start() + 30], "little")]
                for m in re.finditer(re.escape(b"PK\x01\x02"), data)]
    assert gbk in raw_names(path)
    assert refresh(path) == 0
    assert gbk in raw_names(path)


def test_clearing_stale_temp_files_never_touches_another_workbooks(tmp_path):
    path = write_book(tmp_path / "a.xlsx", base())
    other = tmp_path / "a.xlsx~b.xlsx"
    theirs = tmp_path / f"{safety.temp_prefix(other)}abcdefgh.xlsx"
    ours = tmp_path / f"{safety.temp_prefix(path)}abcdefgh.xlsx"
    theirs.write_bytes(b"in progress")
    ours.write_bytes(b"left by a killed run")
    assert refresh(path) == 0
    assert theirs.exists() and not ours.exists()


# ---- namespace prefixes: calamine takes every tag named c as a cell ---------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _prefixed(xml: bytes, prefix: bytes) -> bytes:
    """A worksheet part with every element under ``prefix`` (as some generators write it)."""
    xml = re.sub(rb"<(/?)(?!\?)([A-Za-z]\w*)(?=[\s/>])", lambda m: b"<" + m[1] + prefix + b":" + m[2], xml)
    return xml.replace(b' xmlns="' + NS.encode() + b'"',
                       b' xmlns:' + prefix + b'="' + NS.encode() + b'" xmlns="' + NS.encode() + b'"', 1)


def test_an_unprefixed_far_cell_under_a_prefixed_root_is_seen(tmp_path, capsys):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    part = sheet_part(sheets, "听课记录")
    with zipfile.ZipFile(path) as z:
        xml = _prefixed(z.read(part), b"x")
    assert b"<x:worksheet" in xml and b"<x:c " in xml
    far = b'<x:row r="5000"><c r="XFD5000" t="inlineStr"><is><t>x</t></is></c></x:row>'
    rewrite(path, {part: xml.replace(b"</x:sheetData>", far + b"</x:sheetData>")})
    err = _refused_quickly(capsys, path, "XFD5000 单元格", limit=10)
    assert "删除" in err


def test_a_far_cell_under_another_prefix_in_an_unprefixed_sheet_is_seen(tmp_path, capsys):
    path = _with_rows_at_the_end(tmp_path, '<row r="5000"><y:c xmlns:y="urn:other" r="XFD5000" t="inlineStr">'
                                           '<y:is><y:t>x</y:t></y:is></y:c></row>')
    _refused_quickly(capsys, path, "XFD5000 单元格", limit=10)


def test_a_sheet_written_wholly_under_a_prefix_is_read_normally(tmp_path, capsys):
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    part = sheet_part(sheets, "听课记录")
    with zipfile.ZipFile(path) as z:
        rewrite(path, {part: _prefixed(z.read(part), b"x")})
    assert refresh(path) == 0
    assert quota(path, "张三", "听课")["实际"] == 1


# ---- round 2: linear work on tiny hostile parts -----------------------------------------

def _timed_refresh(capsys, path: Path, limit: float = 10) -> tuple[int, str]:
    """A refresh of a hostile file: within ``limit`` seconds, never an internal error,
    and no lock or temporary file of the run left beside the workbook."""
    start = time.monotonic()
    code, _, err = run(capsys, "refresh", path)
    assert time.monotonic() - start < limit, f"took {time.monotonic() - start:.1f} s"
    assert "内部错误" not in err and "Traceback" not in err, err
    left = [p.name for p in path.parent.iterdir() if p.name.startswith(safety.TEMP_PREFIX)]
    assert not [n for n in left if not n.startswith(f"{safety.TEMP_PREFIX}lock-")] and \
        all(_unlocked(path.parent / n) for n in left), left
    return code, err


def _unlocked(lock: Path) -> bool:
    """A lock file may stay (an OS lock on it is what counts): nobody holds it."""
    with safety.run_lock(lock.parent / lock.name[len(safety.TEMP_PREFIX) + len("lock-"):], wait=0):
        return True


def test_a_styles_comment_of_unclosed_tags_costs_what_its_length_costs(tmp_path, capsys):
    path = write_book(tmp_path / "工作台.xlsx", base())
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml")
    storm = b"<!--" + b"<xf> " * 100_000 + b"<font> " * 100_000 + b"-->"
    styles = re.sub(rb"(<cellXfs[^>]*>)", lambda m: m[1] + storm, styles, count=1)
    styles = re.sub(rb"(<fonts[^>]*>)", lambda m: m[1] + storm, styles, count=1)
    rewrite(path, {"xl/styles.xml": styles})
    code, _ = _timed_refresh(capsys, path)
    assert code in (0, 2)


def test_a_workbook_comment_of_unclosed_defined_names_costs_what_its_length_costs(tmp_path, capsys):
    path = write_book(tmp_path / "工作台.xlsx", base())
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml")
    storm = b"<!--" + b"<definedName> " * 20_000 + b"-->"
    wb = wb.replace(b"</sheets>", b"</sheets>" + storm, 1)
    rewrite(path, {"xl/workbook.xml": wb})
    code, _ = _timed_refresh(capsys, path)
    assert code in (0, 2)


def test_long_runs_of_spaces_in_attendee_cells_are_split_in_linear_time(tmp_path, capsys):
    attendees = "张三" + " " * 32_000 + "李四"
    rows = [[date(2026, 3, 10 + k % 5), "语文组", "说课", f"主题{k}", "李四", attendees] for k in range(10)]
    path = write_book(tmp_path / "工作台.xlsx", base(教研活动记录=rows))
    code, _ = _timed_refresh(capsys, path)
    assert code == 0


def test_names_of_many_brackets_are_resolved_in_linear_time(tmp_path, capsys):
    log = [[date(2026, 3, 10), 1, "(" * 32_000 + str(k), "李四", "语文", "一(1)", "识字", "新授"] for k in range(5)]
    path = write_book(tmp_path / "工作台.xlsx", base(听课记录=OBS + log))
    code, _ = _timed_refresh(capsys, path)
    assert code == 0 and quota(path, "张三", "听课")["实际"] == 1


def test_very_long_names_on_both_sides_get_no_quadratic_suggestion(tmp_path, capsys):
    from conftest import TEACHERS
    long_roster = [list(t) for t in TEACHERS] + [[f"9{k:03d}", "长" * 2000 + str(k), "语文组", "", "语文", "", "",
                                                  "是"] for k in range(50)]
    log = [[date(2026, 3, 10), 1, "长" * 1999 + f"错{k}", "李四", "语文", "一(1)", "识字", "新授"] for k in range(50)]
    sheets = base(听课记录=OBS + log)
    sheets["教师名册"] = [HEAD["教师名册"]] + long_roster
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    code, _ = _timed_refresh(capsys, path)
    assert code == 0 and quota(path, "张三", "听课")["实际"] == 1


def _zip_field(path: Path, part: str, method: int | None = None, flags: int = 0) -> Path:
    """Set an entry's compression method or flag bits in both its local and central headers."""
    import struct
    data = bytearray(path.read_bytes())
    name = part.encode()
    for sig, name_len_at, name_at, flags_at, method_at in ((b"PK\x03\x04", 26, 30, 6, 8),
                                                            (b"PK\x01\x02", 28, 46, 8, 10)):
        i = data.find(sig)
        while i >= 0:
            n = struct.unpack_from("<H", data, i + name_len_at)[0]
            if data[i + name_at:i + name_at + n] == name:
                if method is not None:
                    struct.pack_into("<H", data, i + method_at, method)
                struct.pack_into("<H", data, i + flags_at, struct.unpack_from("<H", data, i + flags_at)[0] | flags)
            i = data.find(sig, i + 4)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("method, flags, said", [(9, 0, "压缩方式（编号 9）"), (99, 0, "压缩方式（编号 99）"),
                                                 (None, 1, "加了密")])
def test_entries_compressed_or_encrypted_as_excel_never_does_are_named(tmp_path, capsys, method, flags, said):
    sheets = base()
    path = _zip_field(write_book(tmp_path / "工作台.xlsx", sheets), sheet_part(sheets, "听课记录"), method, flags)
    before = path.read_bytes()
    code, err = _timed_refresh(capsys, path)
    assert code == 2 and said in err and sheet_part(sheets, "听课记录") in err
    assert path.read_bytes() == before
    code, out, _ = run(capsys, "doctor", path)
    assert code == 1 and said in out


def test_a_shared_string_table_of_millions_of_tiny_strings_is_refused_before_calamine(tmp_path, capsys,
                                                                                        monkeypatch):
    """A few MB of `<si><t>1</t></si>` take gigabytes once calamine opens the workbook
    (about 170 bytes a string): counted while the part is verified.  Here with the limit
    lowered to 2,000 so that the test stays small; doctor reads through the same check."""
    from xl_jiaoyan.io.xlsx import sheet_scan
    from xl_jiaoyan.service.commands import bundled_sample
    monkeypatch.setattr(sheet_scan, "SHARED_STRINGS_LIMIT", 2_000)
    path = tmp_path / "工作台.xlsx"                  # the sample: XlsxWriter keeps a shared-string table
    path.write_bytes(bundled_sample().read_bytes())
    with zipfile.ZipFile(path) as z:
        sst = z.read("xl/sharedStrings.xml")
    bomb = sst.replace(b"</sst>", b"".join(b"<si><t>%d</t></si>" % k for k in range(2_500)) + b"</sst>")
    rewrite(path, {"xl/sharedStrings.xml": bomb})
    before = path.read_bytes()
    code, _, err = run(capsys, "refresh", path)
    assert code == 4 and "共享文字表有 2,000 条以上的文字" in err and path.read_bytes() == before
    code, out, _ = run(capsys, "doctor", path)
    assert code == 1 and "共享文字表" in out
    monkeypatch.setattr(sheet_scan, "SHARED_STRINGS_LIMIT", 5_000)
    assert refresh(path) == 0                                  # under the limit: read as ever


def test_unclosed_tag_storms_in_app_xml_and_cell_xfs_cost_what_their_length_costs(tmp_path, capsys):
    """docProps/app.xml (sheet names for the properties dialog) and styles.xml's cellXfs
    (read for cells shown as percentages in 指标)."""
    sheets = base()
    path = write_book(tmp_path / "工作台.xlsx", sheets)
    with zipfile.ZipFile(path) as z:
        app, styles = z.read("docProps/app.xml"), z.read("xl/styles.xml")
    app = app.replace(b"</Properties>", b"<TitlesOfParts><vector>" + b"<lpstr>" * 40_000
                      + b"</Properties>" if b"</Properties>" in app else app)
    styles = styles.replace(b"<cellXfs", b"<cellXfs>" * 40_000 + b"<cellXfs", 1)
    rewrite(path, {"docProps/app.xml": app, "xl/styles.xml": styles})
    code, _ = _timed_refresh(capsys, path)
    assert code in (0, 2)
