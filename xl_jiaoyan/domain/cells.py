"""Reading the values staff type into cells: text, numbers, dates, times, names.

Every function takes one raw cell value (as a reader returns it: str, int, float, bool,
date, datetime, time or None) and returns a clean value or None when it cannot be read.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Callable

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b-\u200d\u2060\ufeff\x00-\x1f\x7f]+")   # and invisible junk
_EXCEL_EPOCH = date(1899, 12, 30)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}
CN_NUMERALS = "零〇一二两三四五六七八九十百"
WEEKDAY_NAMES = "一二三四五六日"
TITLES = ("副校长", "副主任", "老师", "教师", "校长", "主任", "组长")

YearFor = Callable[[int, int], int]


def norm(s: str) -> str:
    """NFKC (full-width digits and letters to half width) and trimmed."""
    return unicodedata.normalize("NFKC", s).strip()


def text(v) -> str:
    """Any cell as trimmed text; integral floats lose their '.0' (工号 1001.0 -> '1001')."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:g}" if abs(v) >= 1e15 else repr(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M")
    s = str(v).replace("\u3000", " ").replace("\u00a0", " ").strip()
    return s


def squash(s: str) -> str:
    """Remove every space, half or full width, and normalise width."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", s))


def cn_number(s: str) -> int | None:
    """'十五' -> 15, '二十' -> 20, '一百零五' -> 105, '两' -> 2."""
    if not s or any(ch not in CN_NUMERALS for ch in s):
        return None
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


def to_int(v) -> int | None:
    """Integers from numbers, '１５', '15节', '十五', '第3'; None when not a whole number."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v == v and v.is_integer() else None
    s = squash(str(v))
    if not s:
        return None
    m = re.fullmatch(r"第?([0-9]+|[" + CN_NUMERALS + r"]+)(?:节|次|周|篇|个|项|人)?", s)
    if not m:
        try:
            f = float(s)
        except ValueError:
            return None
        return int(f) if f.is_integer() else None
    g = m.group(1)
    return int(g) if g.isdigit() else cn_number(g)


def to_number(v) -> float | None:
    """A number (float), also from text with full-width digits or Chinese numerals."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v) if v == v else None
    i = to_int(v)
    if i is not None:
        return float(i)
    s = squash(text(v))
    try:
        return float(s)
    except ValueError:
        return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def excel_serial(n: float) -> date | None:
    if 1 <= n < 2958466:
        return _EXCEL_EPOCH + timedelta(days=int(n))
    return None


_FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_SHORT = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_CN_DATE = re.compile(r"(?:([〇零一二三四五六七八九]{4}|\d{4})年)?([一二三四五六七八九十]{1,3})月"
                      r"([一二三四五六七八九十]{1,3})[日号]")


def _cn_date(s: str) -> str:
    """'三月九日' -> '3月9日', '二〇二六年十月八号' -> '2026年10月8日'; other text unchanged."""
    m = _CN_DATE.fullmatch(s)
    if not m:
        return s
    year = m[1] or ""
    if year and not year.isdigit():
        year = "".join(str(_DIGITS[ch]) for ch in year)
    month, day = cn_number(m[2]), cn_number(m[3])
    if month is None or day is None:
        return s
    return (f"{year}年" if year else "") + f"{month}月{day}日"


_EXCEL_DAY0 = datetime(1899, 12, 31)      # serial 0 for serials below 60 (1900-02-28)
_TINY_SERIAL = datetime(1900, 1, 14)      # serials up to 13.99: a month.day typed as a number


def month_day_readings(n: float, year_for: YearFor | None) -> tuple[date, ...]:
    """The dates a number typed as month.day can mean.  Excel stores 4.12 as the number
    4.12 and 4.10 as 4.1, so one decimal digit reads two ways (4月1日 or 4月10日)."""
    if year_for is None or not 1 <= n < 13:
        return ()
    whole, _, frac = f"{n:.6f}".rstrip("0").partition(".")
    if not frac or len(frac) > 2:
        return ()
    month = int(whole)
    days = [int(frac)] if len(frac) == 2 else [int(frac), int(frac) * 10]
    out = []
    for day in days:
        if 1 <= day <= 31:
            d = _safe_date(year_for(month, day), month, day)
            if d is not None:
                out.append(d)
    return tuple(out)


def date_readings(v, year_for: YearFor | None = None) -> tuple[date, ...]:
    """Every date a cell can mean: () when none, two for a number such as 4.1.

    Excel dates, ISO text, 2016/3/9, 2016.3.9, 2016年3月9日, 3月9日, 3月9号, 三月九日,
    3.9, 3/9, and the number 3.9 that Excel and WPS store when 3.9 is typed into a
    General cell.  Dates without a year take it from ``year_for(month, day)`` (the
    semester's).
    """
    if v is None or isinstance(v, (bool, time)):
        return ()
    if isinstance(v, datetime) and v < _TINY_SERIAL:
        # a number typed into a date-formatted cell: 3.07 shown as 1900-01-03 (serials
        # below 60 count from Excel's 1900-01-00): read it as the number the person typed
        return month_day_readings(round((v - _EXCEL_DAY0).total_seconds() / 86400, 6), year_for)
    if isinstance(v, datetime):
        return (v.date(),)
    if isinstance(v, date):
        return (v,)
    if isinstance(v, (int, float)):
        if v != v:
            return ()
        if v > 200:
            d = excel_serial(v)
            return (d,) if d else ()
        return month_day_readings(float(v), year_for)
    s = norm(str(v))
    s = _cn_date(_SPACES.sub("", s))
    if not s:
        return ()
    m = _FULL.fullmatch(s) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if m:
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (d,) if d else ()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ]?\S*", s)
    if m:
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (d,) if d else ()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", s):     # an Excel date serial read as text
        d = excel_serial(float(s))
        return (d,) if d else ()
    m = _SHORT.fullmatch(s)
    if m and year_for is not None:
        month, day = int(m[1]), int(m[2])
        if 1 <= month <= 12 and 1 <= day <= 31:
            d = _safe_date(year_for(month, day), month, day)
            return (d,) if d else ()
    return ()


def to_date(v, year_for: YearFor | None = None, fits: Callable[[date], bool] | None = None) -> date | None:
    """The date a cell means (see ``date_readings``); of two readings, the first that
    ``fits`` (else the first).  Callers that can warn about the choice use
    ``date_readings`` and ``pick_reading`` themselves."""
    readings = date_readings(v, year_for)
    if len(readings) > 1 and fits is not None:
        readings = tuple(d for d in readings if fits(d)) or readings
    return readings[0] if readings else None


def year_near(today: date) -> YearFor:
    """For a date typed without a year outside any semester (--as-of 11.20): the year
    that puts it nearest to ``today``."""
    def year_for(month: int, day: int) -> int:
        options = [y for y in (today.year - 1, today.year, today.year + 1) if _safe_date(y, month, day)]
        return min(options, key=lambda y: abs((_safe_date(y, month, day) - today).days)) if options else today.year
    return year_for


_RANGE_SEP = re.compile(r"\s*(?:至|到|~|～|—+|–|-{1,2}|－)\s*")


def to_date_range(v, year_for: YearFor) -> tuple[date, date] | None:
    """A plan's date cell: '3月9日至3月11日', '3月9日-11日', '3.9-3.11',
    '2016/3/9~2016/3/11', a single date or an Excel date.  None when unreadable."""
    single = to_date(v, year_for)
    if single is not None:
        return single, single
    if not isinstance(v, str):
        return None
    s = _SPACES.sub("", norm(v))
    # ISO dates use '-' themselves: try a split that leaves two readable halves.
    for m in _RANGE_SEP.finditer(s):
        left, right = s[:m.start()], s[m.end():]
        a = to_date(left, year_for)
        if a is None:
            continue
        b = to_date(right, year_for)
        if b is None:
            day = re.fullmatch(r"(\d{1,2})日?", right)
            if day:
                b = _safe_date(a.year, a.month, int(day[1]))
        if b is None:
            continue
        if b < a and b.month < a.month:  # across new year without a year: 12.29-1.2
            b = _safe_date(b.year + 1, b.month, b.day) or b
        return a, b
    return None


def to_time(v) -> time | None:
    """08:00, 8:00, 8点, 8时30分, an Excel time or a fraction of a day."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, datetime):
        return v.time()
    if isinstance(v, time):
        return v
    if isinstance(v, timedelta):
        secs = int(v.total_seconds()) % 86400
        return time(secs // 3600, secs % 3600 // 60)
    if isinstance(v, (int, float)):
        if 0 <= v < 1:
            minutes = round(v * 24 * 60)
            return time(minutes // 60 % 24, minutes % 60)
        return None
    s = squash(str(v))
    s = re.sub(r"^\d{4}-\d{2}-\d{2}(?=\d{2}:)", "", s)   # '1899-12-31 08:30:00': a time read as text
    m = re.fullmatch(r"(\d{1,2})(?::|点|时)(\d{1,2})?分?(?::\d{1,2}(?:\.\d+)?)?", s)
    if m:
        h, mi = int(m[1]), int(m[2] or 0)
        if h < 24 and mi < 60:
            return time(h, mi)
    return None


def to_period_span(v) -> tuple[int, int] | None:
    """节次: 3, '第3节', '3-4节', '第三、四节' -> (first, last)."""
    n = to_int(v)
    if n is not None:
        return (n, n) if n > 0 else None
    s = squash(text(v)).replace("第", "").replace("节", "")
    parts = [p for p in re.split(r"[-~～至到、,，—–]", s) if p]
    nums = [to_int(p) for p in parts]
    if not nums or any(x is None or x <= 0 for x in nums):
        return None
    return min(nums), max(nums)


def to_weekday(v) -> int | None:
    """星期: 一…日, 1–7, 周一, 星期一, 礼拜一 -> 0 (Monday) … 6."""
    n = to_int(v)
    if n is not None:
        return n - 1 if 1 <= n <= 7 else None
    s = squash(text(v))
    s = re.sub(r"^(星期|周|礼拜)", "", s)
    if s == "天":
        return 6
    return WEEKDAY_NAMES.index(s) if len(s) == 1 and s in WEEKDAY_NAMES else None


MAX_WEEKS = 60   # no term is longer; larger numbers are typing mistakes


def to_week_number(v) -> int | None:
    """周次: 第十一周, 第11周, 11, 十一 -> 11."""
    s = squash(text(v))
    m = re.fullmatch(r"第?([0-9]+|[" + CN_NUMERALS + r"]+)周?", s)
    if not m:
        return None
    g = m[1]
    n = int(g) if g.isdigit() else cn_number(g)
    return n if n is not None and 1 <= n <= MAX_WEEKS else None


def yes_no(v, default: bool = True) -> bool | None:
    """是/否 (also 1/0, Y/N, TRUE/FALSE, √/×); blank gives the default, junk None."""
    if v is None:
        return default
    if isinstance(v, bool):
        return v
    s = squash(text(v)).upper()
    if not s:
        return default
    if s in ("是", "Y", "YES", "1", "TRUE", "√", "✓", "在岗", "已交"):
        return True
    if s in ("否", "N", "NO", "0", "FALSE", "×", "X", "离岗", "未交"):
        return False
    return None


NAME_SEPARATORS = re.compile(r"[、,，/;；\s\u3000]+")
_SPACE_RUN = re.compile(r"\s+")


def split_names(v) -> list[str]:
    """A cell holding several names: 张三、李四，王五 / 赵六."""
    s = text(v)
    if not s:
        return []
    # keep '张三 (语文组)' together: drop spaces before an opening bracket (each run of
    # spaces looked at once: a lookahead after \s+ retried the run from every space in it)
    s = _SPACE_RUN.sub(lambda m: "" if m.string[m.end():m.end() + 1] in ("(", "（") else m.group(0), s)
    return [p for p in NAME_SEPARATORS.split(s) if p]


def name_key(s: str) -> str:
    """How names are compared: no spaces, normal width, no trailing title."""
    k = squash(s)
    for t in TITLES:
        if k.endswith(t) and len(k) > len(t):
            return k[: -len(t)]
    return k


def md(d: date) -> str:
    """2026-04-12 -> '4月12日'."""
    return f"{d.month}月{d.day}日"


def weekday_name(d: date) -> str:
    """2026-04-12 -> '星期日'."""
    return "星期" + WEEKDAY_NAMES[d.weekday()]


def chinese_week(n: int) -> str:
    """11 -> '第十一周'."""
    return f"第{chinese_number(n)}周"


def chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)
