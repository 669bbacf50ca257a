"""The records a quota counts: one row per (who, 项目, date) from every record sheet.

Who is typed columns (``WHO``): a teacher, a 教研组, a 备课组 or the school.  Group and
school rows are made only for the (对象, 项目) some 指标 row asks for, so a million
observations with teacher quotas only stay a million rows.  How each sheet counts for
each 对象 is the contract's (``contract.SOURCES``; the README's 「指标」 rules):
- 听课 by 听课人 — and for the 听课人's 教研组 / 备课组; the school once per row;
- a 活动安排 类型 by 执教 — for the row's 教研组 (or, when blank, each 执教's), each
  执教's 备课组, the school once per row;
- a 成果登记 类型 by 教师 — for the teacher's 教研组 and 备课组, the school (课题: distinct 名称);
- 教研活动 by 教研组 (and 参加人员); a row with a 备课组 is its 集体备课, and counts as the
  教研组's 教研活动 unless 设置 集体备课计入教研活动 says 否;
- 校本培训: sessions held for the school, sessions attended for a teacher;
- 常规检查: checks held (distinct 日期 + 检查项目) for the school, checks made by each 检查人;
- 课题 also from the 课题 sheet: each 课题 its 主持人 and 成员 belong to, from its first
  completed stage (one 课题 in both sheets is one);
- 师徒互听 per pair: ``partner`` is the other teacher of the pair.
"""
from __future__ import annotations

import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.contract import (ACHIEVEMENT_TYPES, ACTIVITY, CHECK_ITEM, EACH_GROUP, EACH_PREP, LEVEL_RANK, OBSERVE,
                                 PAIRS, PREP_LESSON, SCHOOL_TRAINING_ITEM, SHARE_ITEM, THE_SCHOOL)
from xl_jiaoyan.domain.cells import squash
from xl_jiaoyan.domain.frames import typed_frame
from xl_jiaoyan.domain.roster import Roster

TEACHER, GROUP, PREP, SCHOOL = "teacher", "group", "prep", "school"
OBJECT_KIND = {EACH_GROUP: GROUP, EACH_PREP: PREP, THE_SCHOOL: SCHOOL}     # any other 对象: TEACHER
WHO = ["kind", "tid", "group"]   # kind; teacher id (-1 unless a teacher); 教研组/备课组 ("" for the school)
DISTINCT = ACHIEVEMENT_TYPES[1]  # 课题: an achievement 类型 counted once per distinct 名称


def counted_events(roster: Roster, obs, events, activities, trainings, achievements,
                   wanted: set[tuple[str, str]], typed: set[str] = frozenset(), prep_counts: bool = True,
                   checks: pd.DataFrame | None = None, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per countable record: kind, tid, group (see WHO), item, date, and where a
    filter needs them ``ctype`` (课型 / 教研活动 类型), ``level`` (成果 级别 rank) and
    ``partner`` (师徒互听).  ``wanted`` holds the (kind, 项目) some quota asks for; ``typed``
    the 项目 a 类型 filter is used on."""
    parts: list[pd.DataFrame] = []
    group_of = np.array(roster.group + [""], dtype=object)        # index -1: nobody
    prep_of = np.array(roster.prep_group + [""], dtype=object)

    def add(kind, tids, groups, item, dates, **extra):
        n = len(dates)
        tids = np.full(n, tids, dtype=np.int64) if np.isscalar(tids) else np.asarray(tids, dtype=np.int64)
        parts.append(typed_frame({"kind": kind, "tid": tids, "group": groups, "item": item, "date": dates,
                                  **extra}, n))

    def spread(item, tids, dates, rows=None, kinds=(TEACHER, GROUP, PREP, SCHOOL), **extra):
        """Records of ``item`` by teachers: for each teacher, and for their 教研组 / 备课组 / the
        school as wanted (``rows``: the record each belongs to, so a record with two
        teachers of one group counts once for it; the school counts each record once)."""
        tids = np.asarray(tids, dtype=np.int64)
        dates = np.asarray(dates, dtype=object)
        if TEACHER in kinds and (TEACHER, item) in wanted:
            add(TEACHER, tids, "", item, dates, **extra)
        rows = np.arange(len(tids)) if rows is None else np.asarray(rows, dtype=np.int64)
        for kind, names in ((GROUP, group_of), (PREP, prep_of)):
            if kind in kinds and (kind, item) in wanted and len(tids):
                f = pd.DataFrame({"g": names[tids], "r": rows, "d": dates, **extra})
                f = f[f["g"] != ""].drop_duplicates(["g", "r"])
                add(kind, -1, f["g"].to_numpy(dtype=object), item, f["d"].to_numpy(dtype=object),
                    **{k: f[k].to_numpy() for k in extra})
        if SCHOOL in kinds and (SCHOOL, item) in wanted and len(tids):
            first = ~pd.Series(rows).duplicated().to_numpy()
            add(SCHOOL, -1, "", item, dates[first], **{k: np.asarray(v)[first] for k, v in extra.items()})

    def listed(frame, column):
        """(teachers, dates, record numbers) for the people of a list column, one per person."""
        pairs = [(t, d, i) for i, (d, people) in enumerate(zip(frame["date"], frame[column])) for t in people]
        return tuple(map(list, zip(*pairs))) if pairs else ([], [], [])

    o = obs[~obs["future"].astype(bool)]
    extra = {"ctype": o["lesson_type"].to_numpy(dtype=object)} if OBSERVE in typed else {}
    spread(OBSERVE, o["observer"].to_numpy(), o["date"].to_numpy(), **extra)
    if (TEACHER, PAIRS) in wanted and len(o):
        n = len(roster) + 1       # one integer per (observer, teacher); 授课人 -1 is elsewhere
        pairs = np.array([a * n + b for a, bs in roster.partners.items() for b in bs], dtype=np.int64)
        pair = np.isin(o["observer"].to_numpy(dtype=np.int64) * n + o["teacher"].to_numpy(dtype=np.int64), pairs)
        add(TEACHER, o["observer"].to_numpy()[pair], "", PAIRS, o["date"].to_numpy()[pair],
            partner=o["teacher"].to_numpy()[pair].astype(np.int64))

    e = events[~events["future"].astype(bool)]
    for kind, rows in e.groupby("kind", sort=False) if len(e) else ():
        if not any((k, kind) in wanted for k in (TEACHER, GROUP, PREP, SCHOOL)):
            continue
        tids, dates, index = listed(rows, "teachers")
        spread(kind, tids, dates, index, kinds=(TEACHER, PREP))
        if (SCHOOL, kind) in wanted:    # every event once, with or without a 执教 of the school
            add(SCHOOL, -1, "", kind, rows["date"].to_numpy(dtype=object))
        if (GROUP, kind) in wanted:     # the row's 教研组; when blank, each 执教's
            own = rows["group"].to_numpy(dtype=object)
            written = own != ""
            add(GROUP, -1, own[written], kind, rows["date"].to_numpy(dtype=object)[written])
            blank = np.flatnonzero(~written)
            keep = np.isin(np.asarray(index, dtype=np.int64), blank)
            spread(kind, np.asarray(tids, dtype=np.int64)[keep], np.asarray(dates, dtype=object)[keep],
                   np.asarray(index, dtype=np.int64)[keep], kinds=(GROUP,))

    a = achievements[~achievements["future"].astype(bool)]
    groups = dict(list(a.groupby("kind", sort=False))) if len(a) else {}
    if projects is not None and len(projects):
        groups[DISTINCT] = pd.concat([groups.get(DISTINCT, projects[:0]), projects], ignore_index=True)
    for kind, rows in groups.items():
        if any((k, kind) in wanted for k in (TEACHER, GROUP, PREP, SCHOOL)):
            record = None
            if kind == DISTINCT:        # one 课题 logged at 立项, 中期 and 结题 (or in 课题) is one 课题
                rows = rows.assign(_t=[squash(str(t)) for t in rows["title"]])
                rows = rows.sort_values("date", kind="stable").drop_duplicates(["teacher", "_t"])
                record = pd.factorize(rows["_t"])[0]
            level = np.array([LEVEL_RANK.get(v, -1) for v in rows["level"]], dtype=np.int64)
            spread(kind, rows["teacher"].to_numpy(), rows["date"].to_numpy(), record, level=level)
    if (SCHOOL, SHARE_ITEM) in wanted:
        entrants = a[a["kind"] == "竞赛"].sort_values("date").drop_duplicates("teacher")
        entrants = entrants[entrants["teacher"].map(lambda t: roster.posted[t]).astype(bool)]
        add(SCHOOL, -1, "", SHARE_ITEM, entrants["date"].to_numpy())   # one per teacher who entered

    act = activities[~activities["future"].astype(bool)]
    if len(act):
        prep = act["prep"].to_numpy(dtype=object) != ""
        _activities(add, wanted, act if prep_counts else act[~prep], ACTIVITY, listed, typed)
        _activities(add, wanted, act[prep], PREP_LESSON, listed, typed)

    tr = trainings[~trainings["future"].astype(bool) & trainings["at_school"].astype(bool)]
    if (SCHOOL, SCHOOL_TRAINING_ITEM) in wanted:
        add(SCHOOL, -1, "", SCHOOL_TRAINING_ITEM, tr["date"].to_numpy())
    if (TEACHER, SCHOOL_TRAINING_ITEM) in wanted:
        tids, dates, _ = listed(tr, "attendees")
        add(TEACHER, tids, "", SCHOOL_TRAINING_ITEM, np.asarray(dates, dtype=object))
    if checks is not None and len(checks):
        if (SCHOOL, CHECK_ITEM) in wanted:
            add(SCHOOL, -1, "", CHECK_ITEM, checks["date"].to_numpy(dtype=object))
        if (TEACHER, CHECK_ITEM) in wanted:
            tids, dates, _ = listed(checks, "checkers")
            add(TEACHER, tids, "", CHECK_ITEM, np.asarray(dates, dtype=object))
    if not parts:
        return typed_frame({"kind": [], "tid": np.zeros(0, dtype=np.int64), "group": [], "item": [], "date": []}, 0)
    return pd.concat(parts, ignore_index=True)


def _activities(add, wanted, act, item, listed, typed) -> None:
    """教研活动 or 集体备课 rows: for their 教研组 (集体备课 also for their 备课组), the school
    once each, and each teacher listed (参加人员; for 集体备课 the 主备人 too)."""
    if not len(act):
        return
    dates = act["date"].to_numpy(dtype=object)
    extra = {"ctype": act["kind"].to_numpy(dtype=object)} if item in typed else {}
    if (GROUP, item) in wanted:
        groups = act["group"].to_numpy(dtype=object)
        written = groups != ""
        add(GROUP, -1, groups[written], item, dates[written], **{k: v[written] for k, v in extra.items()})
    if (PREP, item) in wanted:
        preps = act["prep"].to_numpy(dtype=object)
        written = preps != ""
        add(PREP, -1, preps[written], item, dates[written], **{k: v[written] for k, v in extra.items()})
    if (SCHOOL, item) in wanted:
        add(SCHOOL, -1, "", item, dates, **extra)
    if (TEACHER, item) in wanted:
        people = act.assign(_who=[list(dict.fromkeys([*a, *([p] if p is not None else [])]))
                                  for a, p in zip(act["attendees"], act["preparer"])])
        tids, days, index = listed(people, "_who")
        more = {k: v[np.asarray(index, dtype=np.int64)] for k, v in extra.items()} if index else \
            {k: v[:0] for k, v in extra.items()}
        add(TEACHER, tids, "", item, np.asarray(days, dtype=object), **more)
