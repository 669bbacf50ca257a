"""The roster (教师名册) and how names in records are matched to it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from xl_jiaoyan.domain.frames import pd

from xl_jiaoyan.domain.cells import name_key, split_names, squash, text, yes_no
from xl_jiaoyan.contract import EVERY_TEACHER, MENTOR, ROLES, ROSTER, SHEET as SHEETS, YOUNG_TEACHER
from xl_jiaoyan.domain.findings import ERROR, WARNING, Finding, finding
from xl_jiaoyan.domain.pinyin import sound

SHEET = ROSTER
COLUMNS = ["staff_id", "name", "group", "prep_group", "subject", "roles", "mentor", "in_post", "row"]
EVERYONE = ("全体教师", "全体", "全校教师", "全体老师")
WHOLE_GROUP = ("全组", "全组教师", "全体组员")
_OPENING = re.compile(r"[(（]")


def _bracketed(s: str) -> tuple[str, str] | None:
    """张伟(语文组) -> ("张伟", "语文组"): what ``(.+?)[(（](.+?)[)）]`` fullmatches, found by one
    look at each opening bracket (the regex tried every split: 32,000 '(' took 6 s)."""
    if len(s) < 4 or s[-1] not in ")）":
        return None
    for m in _OPENING.finditer(s, 1, len(s) - 2):
        return s[:m.start()], s[m.end():-1]
    return None
ROLE_SPLIT = re.compile(r"[、,，/;；\s\u3000]+")


# names longer than this are compared with nothing: a name is a few characters, and
# similarity costs the product of the two lengths (2,000-character names took 36 s)
SUGGEST_LENGTH = 32


@dataclass
class Resolved:
    tid: int | None = None
    problem: str = ""        # '' | unknown | ambiguous | mismatch
    suggestion: str = ""     # closest roster name, or the candidates


@dataclass
class Roster:
    """Teachers, indexed by ``tid`` (their position in ``frame``)."""

    frame: pd.DataFrame                       # COLUMNS: the 教师名册 columns by key, read
    mentor: dict[int, int] = field(default_factory=dict)   # mentee tid -> mentor tid
    _by_key: dict[str, list[int]] = field(default_factory=dict)
    _by_id: dict[str, int] = field(default_factory=dict)
    _cache: dict[str, Resolved] = field(default_factory=dict)
    _members: dict[tuple[str, str], list[int] | None] = field(default_factory=dict)
    _by_char: tuple[list[str], dict[str, np.ndarray]] | None = None   # names, and which have each character
    _by_sound: dict[str, list[str]] | None = None

    def __post_init__(self):
        # plain lists: the hot paths look teachers up by tid many thousand times
        self.ids = list(self.frame["staff_id"])
        self.names = list(self.frame["name"])
        self.group = list(self.frame["group"])
        self.prep_group = list(self.frame["prep_group"])
        self.posted = list(self.frame["in_post"])
        self.roles_of = list(self.frame["roles"])
        for tid, (gh, nm) in enumerate(zip(self.ids, self.names)):
            self._by_key.setdefault(name_key(nm), []).append(tid)
            if gh:
                self._by_id.setdefault(squash(gh), tid)

    # --- lookups -------------------------------------------------------------------
    def __len__(self):
        return len(self.frame)

    def name(self, tid: int) -> str:
        return self.names[tid]

    @cached_property
    def _posted_tids(self) -> list[int]:
        return [t for t, ok in enumerate(self.posted) if ok]

    def in_post(self) -> list[int]:
        """Teachers in post, in roster order (a shared list: do not change it)."""
        return self._posted_tids

    def groups(self) -> list[str]:
        return list(dict.fromkeys(g for g in self.group if g))

    def prep_groups(self) -> list[str]:
        """备课组 of the roster, in roster order."""
        return list(dict.fromkeys(g for g in self.prep_group if g))

    @cached_property
    def prep_home(self) -> dict[str, str]:
        """备课组 -> the 教研组 most of its members belong to (what its 集体备课 count for)."""
        votes: dict[str, dict[str, int]] = {}
        for prep, group in zip(self.prep_group, self.group):
            if prep and group:
                votes.setdefault(prep, {}).setdefault(group, 0)
                votes[prep][group] += 1
        return {p: max(v, key=v.get) for p, v in votes.items()}

    @cached_property
    def partners(self) -> dict[int, tuple[int, ...]]:
        """Each teacher's 师徒 partners: the mentor and every mentee (one pair each)."""
        out: dict[int, list[int]] = {}
        for mentee, mentor in self.mentor.items():
            out.setdefault(mentee, []).append(mentor)
            out.setdefault(mentor, []).append(mentee)
        return {t: tuple(dict.fromkeys(p)) for t, p in out.items()}

    @cached_property
    def mentors(self) -> frozenset[int]:
        """Everyone named in another teacher's 师傅 column (read after build_roster)."""
        return frozenset(self.mentor.values())

    def add_role(self, tids, role: str) -> None:
        """Give ``role`` to ``tids`` (a 课题's 主持人 and 成员 hold 课题组成员), before any
        quota is owed; the cached expansions of role names are dropped."""
        for t in tids:
            self.roles_of[t] = frozenset(self.roles_of[t]) | {role}
        self._members.clear()

    def roles(self, tid: int) -> set[str]:
        r = set(self.roles_of[tid])
        if tid in self.mentors:
            r.add(MENTOR)
        return r

    # --- resolving names ---------------------------------------------------------------
    def resolve(self, raw) -> Resolved:
        s = squash(text(raw))
        hit = self._cache.get(s)
        if hit is None:
            hit = self._cache[s] = self._resolve(s)
        return hit

    def _resolve(self, s: str) -> Resolved:
        if s in self._by_id:
            return Resolved(self._by_id[s])
        m = _bracketed(s)
        if m:
            key, inner = name_key(m[0]), m[1]
            if inner in self._by_id:
                tid = self._by_id[inner]
                if name_key(self.name(tid)) == key:
                    return Resolved(tid)
                return Resolved(None, "mismatch", f"工号 {inner} 是{self.name(tid)}")
            hits = [t for t in self._by_key.get(key, []) if self.group[t] == inner]
            if len(hits) == 1:
                return Resolved(hits[0])
            s = m[1]
        key = name_key(s)
        hits = self._by_key.get(key, [])
        if len(hits) == 1:
            return Resolved(hits[0])
        if hits:
            return Resolved(None, "ambiguous", "、".join(self._long_label(t) for t in hits))
        return Resolved(None, "unknown", self.closest(key))

    def closest(self, key: str) -> str:
        """The roster name most like ``key``, or ''.

        A name that sounds the same (same pinyin: 刘晓红 for 刘小红) wins; otherwise the
        most similar by characters (similarity >= 0.5), comparing only names sharing a
        character with ``key`` so that a district roster of thousands stays fast."""
        if len(key) > SUGGEST_LENGTH:      # not a name: no suggestion (and no quadratic compare)
            return ""
        if self._by_sound is None:
            self._by_sound = {}
            for k in self._by_key:
                self._by_sound.setdefault(sound(k), []).append(k)
        same_sound = self._by_sound.get(sound(key), [])
        if len(same_sound) == 1:
            return same_sound[0]
        if self._by_char is None:
            keys = list(self._by_key)
            rows: dict[str, list[int]] = {}
            for i, k in enumerate(keys):
                for ch in set(k):
                    rows.setdefault(ch, []).append(i)
            self._by_char = (keys, {ch: np.array(ix, dtype=np.int64) for ch, ix in rows.items()})
        keys, by_char = self._by_char
        postings = [by_char[ch] for ch in set(key) if ch in by_char]
        if not postings:
            return ""
        shared = np.bincount(np.concatenate(postings), minlength=len(keys))     # characters in common
        some = np.flatnonzero(shared)
        top = some[np.lexsort((some, -shared[some]))][:20]      # the most in common, roster order among equals
        scored = [(similarity(key, keys[i]), keys[i]) for i in top.tolist() if len(keys[i]) <= SUGGEST_LENGTH]
        best = max(scored, key=lambda sk: (sk[0], [-ord(c) for c in sk[1]]), default=(0, ""))
        return best[1] if best[0] >= 0.5 else ""

    def label(self, tid: int) -> str:
        """How a notice names a teacher: the name, told apart as the roster tells names
        apart when it is shared — 张伟(语文组), or 张伟(1003) when the group is shared too."""
        same = self._by_key.get(name_key(self.names[tid]), [tid])
        if len(same) < 2:
            return self.names[tid]
        if [self.group[t] for t in same].count(self.group[tid]) == 1 and self.group[tid]:
            return f"{self.names[tid]}({self.group[tid]})"
        return self._long_label(tid)

    def _long_label(self, tid: int) -> str:
        return f"{self.name(tid)}({self.ids[tid] or self.group[tid]})"

    def members(self, token: str, group: str = "") -> list[int] | None:
        """Members a token stands for (全体教师, 全组, a group, a role), or None for a name.

        The answer is cached per (token, group); callers must not change the list."""
        k = squash(token)
        key = (k, group if k in WHOLE_GROUP else "")
        if key not in self._members:
            self._members[key] = self._expand(k, group)
        return self._members[key]

    @cached_property
    def _posted_by_group(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Teachers in post by 教研组 and by 备课组 (in roster order), built once."""
        by_group: dict[str, list[int]] = {g: [] for g in self.group}
        by_prep: dict[str, list[int]] = {g: [] for g in self.prep_group}
        for t in self.in_post():
            by_group[self.group[t]].append(t)
            by_prep[self.prep_group[t]].append(t)
        return by_group, by_prep

    def _expand(self, k: str, group: str) -> list[int] | None:
        posted = self.in_post()
        by_group, by_prep = self._posted_by_group
        if k in EVERYONE:
            return posted
        if k in WHOLE_GROUP:
            return list(by_group.get(group, []))
        if k in by_group:
            return list(by_group[k])
        if k in by_prep:
            return list(by_prep[k])
        role = k[:-1] if k.endswith("们") else k
        if role in ROLES or role == MENTOR:
            return [t for t in posted if role in self.roles(t)]
        return None

    def problem_finding(self, res: Resolved, raw: str, sheet: str, row: int, column: str,
                        day=None, whole_row: bool = True, people=None) -> Finding:
        """A name that matches no one (or several): an error that leaves the row out when
        the row is about that person (``whole_row``); else a warning — only this name is
        left out and the rest of the row counts (a name in a list of attendees, a 主持人).
        ``people``: whom the row is about (default: the name as written)."""
        level, listed = (ERROR, "") if whole_row else (WARNING, ".listed")
        who = raw if people is None else people
        if res.problem == "ambiguous":
            return finding(level, "name.ambiguous" + listed, sheet, row, column, who, day, value=raw,
                           candidates=res.suggestion, example=res.suggestion.split("、")[0])
        if res.problem == "mismatch":
            return finding(level, "name.mismatch" + listed, sheet, row, column, who, day, value=raw,
                           detail=res.suggestion)
        return finding(level, "name.unknown" + listed, sheet, row, column, who, day, value=raw,
                       suggestion=res.suggestion)


def similarity(a: str, b: str) -> float:
    """2 x (longest common subsequence) / (len a + len b): 1.0 for equal names."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return 2 * prev[-1] / (len(a) + len(b)) if a or b else 1.0


def _roster_checks(rows: list[dict], sheet: str) -> list[Finding]:
    """Duplicate 工号, shared names some of whom lack a 工号, 青年教师 without a 师傅.
    People are named by their row's teacher id (the position in ``rows``)."""
    out: list[Finding] = []
    first_id: dict[str, int] = {}
    by_name: dict[str, list[tuple[int, dict]]] = {}
    label = SHEETS[ROSTER].label
    for tid, r in enumerate(rows):
        if r["staff_id"] and r["staff_id"] in first_id:
            out.append(finding(ERROR, "roster.duplicate_id", sheet, r["row"], label("staff_id"), tid,
                               staff_id=r["staff_id"], first=first_id[r["staff_id"]]))
        if r["staff_id"]:
            first_id.setdefault(r["staff_id"], r["row"])
        by_name.setdefault(name_key(r["name"]), []).append((tid, r))
        if YOUNG_TEACHER in r["roles"] and not r["mentor"] and r["in_post"]:
            out.append(finding(WARNING, "roster.no_mentor", sheet, r["row"], label("mentor"), tid))
    for same in by_name.values():
        if len(same) > 1 and any(not r["staff_id"] for _, r in same):
            out.append(finding(WARNING, "roster.namesakes", sheet, same[1][1]["row"], label("staff_id"),
                               tuple(t for t, _ in same), n=len(same),
                               rows="、".join(f"第 {r['row']} 行" for _, r in same)))
    return out


def build_roster(frame: pd.DataFrame, sheet: str = SHEET) -> tuple[Roster, list[Finding]]:
    """Roster from the 教师名册 table's raw frame (``sheet``: as the workbook names it)."""
    findings: list[Finding] = []
    rows = []
    for rec in frame.to_dict("records"):
        name = squash(text(rec["name"]))
        if not name:
            findings.append(finding(ERROR, "roster.no_name", sheet, rec["row"], SHEETS[ROSTER].label("name")))
            continue
        roles = {r for r in ROLE_SPLIT.split(text(rec["roles"])) if r} | {EVERY_TEACHER}
        post = yes_no(rec["in_post"])      # checked against the contract's list before
        rows.append({"staff_id": squash(text(rec["staff_id"])), "name": name,
                     "group": squash(text(rec["group"])), "prep_group": squash(text(rec["prep_group"])),
                     "subject": text(rec["subject"]), "roles": frozenset(roles),
                     "mentor": text(rec["mentor"]), "in_post": post, "row": rec["row"]})
    names = Roster(pd.DataFrame(rows, columns=COLUMNS))        # for resolving 师傅 only
    findings += _roster_checks(rows, sheet)
    mentor: dict[int, int] = {}
    for tid, (raw, row) in enumerate(zip(names.frame["mentor"], names.frame["row"])):
        if not raw:
            continue
        res = names.resolve(split_names(raw)[0])
        if res.tid is None:
            findings.append(names.problem_finding(res, raw, sheet, row, SHEETS[ROSTER].label("mentor"), people=tid))
        elif res.tid == tid:
            findings.append(finding(ERROR, "roster.own_mentor", sheet, row, SHEETS[ROSTER].label("mentor"), tid))
        else:
            mentor[tid] = res.tid
    return Roster(names.frame, mentor=mentor), findings
