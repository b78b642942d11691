"""An act's dates, each with its quote: its own date when the text gives it where the act is
named (kg.extract.documents reads the full ones), the date of the sentence that issues it, the
meeting that voted it or discussed it, and when it is due. A day and month without a year
(`ngày 12/10`, "on September 24") take the dateline's year, and say so."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.extract.article import _MONTH, MONTH_NAMES, MONTHS, Article, DateSpan, _iso, day_month_dates, full_dates, month_dates
from kg.extract.documents import _MEETING, Document, Mention, own_number
from kg.extract.links import LINK_WORDS


@dataclass
class Dateline:
    """The article's own date (from its dateline), which lends its year to `17/9`."""

    value: str
    start: int
    end: int



def meeting_date(art: Article, d: Document, dateline: Dateline | None) -> tuple[str, dict] | None:
    """The date of the meeting that discussed it: a date in a sentence that mentions it and a
    meeting; else, when that sentence names "the meeting" without a date, the date of the first
    meeting the article reports. `17/9` takes the year of the dateline (and says so)."""
    sentences = []
    for m in d.mentions:
        s, e = _sentence_with_lead(art, m.start)
        if _MEETING.search(art.folded, s, e) or re.search(r"\b(?:cho y kien|thao luan|discuss)", art.folded[s:e]):
            sentences.append((s, e, m))
    if sentences and not any(_has_date(art, s, e) for s, e, _ in sentences):
        # the meeting's date where the article first reports it, or the vote ("on December 10 passed a resolution")
        lead = next(((s, e) for s, e in art.sentences if (_MEETING.search(art.folded, s, e) or _VOTE.search(art.folded, s, e))
                     and _has_date(art, s, e)), None)
        if lead:
            sentences.append((*lead, None))
    for s, e, m in sentences:
        end = max(m.end, s) if m else _clause_end(art, s)
        date = next((x for x in full_dates(art, s, e) if not _ACT_DATE.search(art.folded, max(0, x.start - 40), x.start)
                     and _act_or_meeting_day(art, x.start)), None)
        if date:
            return date.value, art.evidence(min(s, date.start), max(date.end, end))
        if dateline:
            year = int(dateline.value[:4])
            partial = next((x for x in day_month_dates(art, year, s, e) if _act_or_meeting_day(art, x.start)), None)
            if partial:
                value = partial.value
                if value > dateline.value:
                    value = f"{year - 1}{value[4:]}"
                note = (f'the year {value[:4]} from the dateline "{art.text[dateline.start:dateline.end]}"'
                        if dateline.start >= 0 else f"the year {value[:4]} from the article's date {dateline.value}")
                return value, art.evidence(partial.start, max(partial.end, end), note)
    if sentences and sentences[0][2] is not None:
        # "The council on Tuesday passed A. At the same session, deputies approved B."
        return _weekday_reported(art, sentences[0][1], dateline)
    return None


# a sentence that goes on with the one before it: "… đã thông qua 14 nghị quyết. Trong đó, Nghị quyết số 25 …"
_GOES_ON = re.compile(r"\s*(?:trong do|trong so do|among (?:them|these|which)|of these|including)\b")
# a sentence dated by the one before it: "Cùng ngày, Ban Thường vụ ban hành …", "On the same day, …"
_SAME_DAY = re.compile(r"\s*(?:cung ngay|cung trong ngay|trong cung ngay|cung hom|(?:on\s+)?(?:the|that)\s+same\s+day"
                       # the session just reported, where acts are voted on: "Tại kỳ họp này, …", "At the same session, …"
                       # (not a meeting: a conclusion "adopted at the same meeting" is often issued days later)
                       r"|(?:cung\s+)?tai\s+(?:ky hop|phien hop)(?:\s+(?:nay|tren))?|at\s+the\s+same\s+(?:session|sitting))\b")
# a sentence dated only to the month the text reports on: "Cũng trong tuần, …", "Cùng đợt, …", "Earlier this
# month, …", "Also this week, …" (the month of the last day reported, else of the dateline)
_SAME_MONTH = re.compile(r"\s*(?:cung trong tuan|trong tuan|cung dot|cung trong dot|dau thang nay|trong thang nay"
                         r"|(?:earlier|also|later)\s+this\s+(?:week|month)|this\s+(?:week|month)|earlier\s+in\s+the\s+month)\b")


# an act's number as news types it: "38/KH-UBND", "38/KH - UBND", "19/2025/NQ-HĐND" (folded)
_NUMBER_AS_TYPED = r"\d{1,5}(?:/\d{4})?(?:\s?[-/–]\s?[a-z][a-z0-9]*)+"
# the date of an act just issued: after its number, the act the verb issues ("ký ban hành Chỉ thị số
# 08/CT-UBND (ngày 10/5/2023)") or the subject of the sentence ("Decision No. 1563/QD-UBND, dated October 17, …")
_ISSUED_ACT_ON = re.compile(r"\b(?:ban hanh|ky|thong qua|phe duyet|issued|adopted|signed|passed|approved)\s+(?:\S+\s+){0,4}?"
                            + _NUMBER_AS_TYPED + r"\s*,?\s*\(?\s*(?:ngay|dated|on)?\s*$")
_SUBJECT_ACT_ON = re.compile(r"\s*(?:[^\W\d_]+\.?\s+){0,4}?" + _NUMBER_AS_TYPED + r"\s*,?\s*\(?\s*(?:ngay|dated)\s*$")


def _last_reported_day(art: Article, before: int, dateline: Dateline | None) -> DateSpan | None:
    """The day the text last reported something on, before `before`: a date opening a sentence
    ("Ngày 12/10/2021, …") or the date of an act just issued ("ký ban hành Kết luận số 512-KL/TU
    ngày 20/3/2023", "Decision No. 1563/QD-UBND, dated October 17, …", the year from the dateline);
    never the dateline, nor the date of an act only cited, nor when an act takes effect."""
    def reported(x: DateSpan) -> bool:
        s = art.sentence_at(x.start)[0]
        return x.start - s < 40 or bool(_ISSUED_ACT_ON.search(art.folded, max(0, x.start - 70), x.start)
                                         or _SUBJECT_ACT_ON.fullmatch(art.folded, s, x.start))
    days = [x for x in _days(art, 0, before, dateline)
            if not (dateline and dateline.start <= x.start < dateline.end) and _act_or_meeting_day(art, x.start) and reported(x)]
    return max(days, key=lambda x: x.start) if days else None


def _days(art: Article, s: int, e: int, dateline: Dateline | None) -> list[DateSpan]:
    """Full dates in [s, e), and a day and month after `ngày`/"on"/"dated" with the dateline's year
    (the year before when that day is after the dateline)."""
    out = list(full_dates(art, s, e))
    if dateline:
        year = int(dateline.value[:4])
        for x in day_month_dates(art, year, s, e):
            if not any(y.start <= x.start < y.end or x.start <= y.start < x.end for y in out):
                value = x.value if x.value <= dateline.value else f"{year - 1}{x.value[4:]}"
                out.append(DateSpan(x.start, x.end, value, True))
        for m in _DATED_DAY_MONTH.finditer(art.folded, s, e):
            day, mon = _day_month(m)
            value = _iso(year, mon, day)
            if value and not any(y.start <= m.start() < y.end or m.start() <= y.start < m.end() for y in out):
                value = value if value <= dateline.value else _iso(year - 1, mon, day)
                if value:
                    out.append(DateSpan(m.start(), m.end(), value, True))
    return sorted(out, key=lambda x: x.start)


def _sentence_with_lead(art: Article, pos: int) -> tuple[int, int]:
    """The sentence at pos, from the start of the one before when it goes on with it."""
    s, e = art.sentence_at(pos)
    if _GOES_ON.match(art.folded, s) and s > 0:
        s = art.sentence_at(s - 2)[0] if art.sentence_at(s - 2)[1] <= s else s
    return s, e


# a date right after an act's number is that act's, not the meeting's ("quán triệt Nghị quyết số 11-NQ/TU ngày 20/7/2023")
_ACT_DATE = re.compile(r"\d{1,5}(?:/\d{4})?[-/][a-z]\S*\s*,?\s*\(?\s*(?:ngay|dated|of|ban hanh ngay|ky ngay)?\s*$")
# a date no act was issued or voted on: when it takes effect ("có hiệu lực từ ngày 20/12/2022",
# "takes effect on January 1, 2022") or a deadline ("trước ngày 30/11/2021", "by March 31, 2022")
_NOT_ISSUED_ON = re.compile(r"(?:hieu luc(?:\s+thi hanh)?|effective|take[sn]?\s+effect|took\s+effect|come[s]?\s+into\s+(?:force|effect)"
                            r"|\btruoc|\bden|\bcham nhat|\bbefore|\bby|\buntil|\bno later than)"
                            r"\s+(?:(?:ke\s+)?tu\s+|from\s+|on\s+|as of\s+)?(?:ngay\s+)?$")


def _act_or_meeting_day(art: Article, start: int) -> bool:
    """The date at `start` does not only say when an act takes effect or is due."""
    return not _NOT_ISSUED_ON.search(art.folded, max(0, start - 40), start)


_VOTE = re.compile(r"\b(?:bieu quyet|thong qua|voted|passed)\b")


def voted(art: Article, d: Document) -> bool:
    """A sentence naming the act says it was voted through at a meeting."""
    for m in d.mentions:
        s, e = _sentence_with_lead(art, m.start)
        if _MEETING.search(art.folded, s, e) and re.search(r"\b(?:bieu quyet|thong qua|voted|passed|adopted|approved)\b", art.folded[s:e]):
            return True
    return False


def _has_date(art: Article, s: int, e: int) -> bool:
    """A date a meeting could be on: not a cited act's own, nor an effective date or a deadline."""
    def free(start: int) -> bool:
        return not _ACT_DATE.search(art.folded, max(0, start - 40), start) and _act_or_meeting_day(art, start)
    return any(free(x.start) for x in full_dates(art, s, e)) or any(free(m.start()) for m in _SOME_DAY.finditer(art.folded, s, e))


_SOME_DAY = re.compile(r"\b(?:ngay|chieu|sang|toi|on)\s+(?:ngay\s+)?\d{1,2}[/-]\d{1,2}\b|\bon\s+[a-z]+\s+\d{1,2}\b")


_ISSUED_BEFORE = re.compile(r"(?<!thong nhat )(?<!nhat tri )(?<!se )(?:\bban hanh|\bky|\bco|\bthong qua|\bphe duyet|\bissued|\badopted|\bpromulgated|\bsigned|\bpassed|\bapproved)\s+(?:the\s+|its\s+|a\s+)?$")


# the place-and-date line under an act's number: "Bắc Ninh, ngày 30 …", "Hanoi, April 17, 2020", "Ngày ban hành: 30/05/2025"
_OWN_DATE_LINE = re.compile(r"(?:,|ngay ban hanh\s*[:|])\s*(?:ngay\b|\d|(?:" + MONTH_NAMES + r")\s+\d)")


def issue_date(art: Article, d: Document, dateline: Dateline | None) -> tuple[str, dict] | None:
    """The act's own date where the text gives it after the act (`ngày 12/10`, "signed on
    September 24", `ban hành … vào tháng 3/2021`); else `Ngày 10/3/2022, UBND tỉnh ban hành Kế
    hoạch số 85/KH-UBND`: a date opening the sentence whose verb issues the act (or a list of
    acts: "ban hành A và B") is the act's date."""
    for m in d.mentions:
        if own_number(art, m):
            # the act's own text: its date is the place-and-date line under its number ("Bắc Ninh,
            # ngày 30 tháng 5 năm 2025") or the library's "Ngày ban hành: 30/05/2025"
            line = _OWN_DATE_LINE.search(art.folded, m.end, m.end + 400)
            if line:
                day = next((x for x in full_dates(art, line.start(), line.end() + 40)), None)
                if day:
                    return day.value, art.evidence(m.start, day.end)
        after = _date_after_act(art, m, dateline)
        if after:
            return after
    for m in d.mentions:
        s, _ = art.sentence_at(m.start)
        if not (_ISSUED_BEFORE.search(art.folded, max(s, m.start - 20), m.start) or _listed_after_issued(art, s, m.start)):
            continue
        def opening(x: DateSpan) -> bool:
            """A date that opens the sentence or a clause of it, or right before the verb that issues
            ("on January 10 issued"), not one that follows a cited act's number nor a deadline."""
            return not _ACT_DATE.search(art.folded, max(0, x.start - 40), x.start) and _act_or_meeting_day(art, x.start) and (
                x.start - s < 40 or bool(re.search(r",\s*(?:ngay|on|vao)?\s*$", art.folded[max(s, x.start - 12):x.start]))
                or bool(_VERB_NEXT.match(art.folded, x.end)))

        date = next((x for x in full_dates(art, s, m.start) if opening(x)), None)
        note = None
        if date is None and _SAME_DAY.match(art.folded, s):
            day = _last_reported_day(art, s, dateline)
            if day:
                return day.value, art.evidence(s, m.end, f'"the same day" as "{art.text[day.start:day.end]}"')
            weekday = _weekday_reported(art, s, dateline)
            if weekday:
                return weekday[0], art.evidence(s, m.end, f'the same day as the one reported before: {weekday[1]["note"]}')
        if date is None and _SAME_MONTH.match(art.folded, s) and dateline:
            day = _last_reported_day(art, s, dateline)
            month = day.value[:7] if day else dateline.value[:7]
            said = f'"{art.text[day.start:day.end]}"' if day else "the dateline"
            return month, art.evidence(s, m.end, f"the month of {said}")
        if date is None:  # "Tháng 3/2021, Tỉnh ủy ban hành …": a month is kept as a month
            date = next((x for x in month_dates(art, s, m.start) if opening(x)), None)
        if date is None and dateline:  # "Ngày 1 tháng 12, …", "Sáng 4/12, …": the dateline's year
            year = int(dateline.value[:4])
            date = next((x for x in day_month_dates(art, year, s, m.start) if opening(x)), None)
            if date and date.value > dateline.value:
                date = DateSpan(date.start, date.end, f"{year - 1}{date.value[4:]}", True)
            if date:
                note = (f'the year {date.value[:4]} from the dateline "{art.text[dateline.start:dateline.end]}"'
                        if dateline.start >= 0 else f"the year {date.value[:4]} from the article's date {dateline.value}")
        if date is None and dateline:  # "Cũng trong tháng 9, …", "In January, …": the dateline's year
            date = next((x for x in _months_alone(art, dateline, s, m.start) if opening(x)), None)
            note = _year_note(art, dateline, date.value) if date else None
        if date:
            return date.value, art.evidence(date.start, m.end, note)
        day = _weekday_before(art, s, m.start, dateline) or _relative_day(art, s, m.start, dateline)
        if day:
            return day
    for m in d.mentions:  # "… issued Directive No. 15-CT/TU on digital transformation on Monday."
        s, _ = art.sentence_at(m.start)
        if _ISSUED_BEFORE.search(art.folded, max(s, m.start - 20), m.start):
            end = m.title[1] if m.title else m.tail_end
            day = _weekday_before(art, end, min(art.sentence_at(m.start)[1], end + 20), dateline)
            if day:
                return day
    return None


# a day said relative to the dateline: "hôm qua", "yesterday" (the day before), "hôm nay", "today";
# "tuần qua", "last week" (the month of the week before, as a month)
_RELATIVE_DAY = re.compile(r"\b(?:(?P<yesterday>hom qua|sang qua|chieu qua|toi qua|yesterday)|(?P<today>hom nay|sang nay|chieu nay|today|this morning)"
                           r"|(?P<week>tuan qua|tuan truoc|last week))\b")


def _relative_day(art: Article, s: int, e: int, dateline: Dateline | None) -> tuple[str, dict] | None:
    """An act issued "yesterday", "today" or "last week", by the dateline (said in the evidence note)."""
    found = _RELATIVE_DAY.search(art.folded, s, e)
    if not found or not dateline or len(dateline.value) != 10:
        return None
    published = dt.date.fromisoformat(dateline.value)
    shift = {"yesterday": 1, "today": 0, "week": 7}[found.lastgroup]
    value = (published - dt.timedelta(days=shift)).isoformat()
    value = value[:7] if found.lastgroup == "week" else value
    where = f'the dateline "{art.text[dateline.start:dateline.end]}"' if dateline.start >= 0 else f"the article's date {dateline.value}"
    return value, art.evidence(found.start(), e, f'"{art.text[found.start():found.end()]}" from {where}')


# after an act (its number, its issuer or its title): words that give its own date, "(ngày 12/10)",
# ", ký ngày 24/9", "signed on September 24", "was issued in March 2021", "ban hành vào tháng 3/2021"
_OWN_DATE_CUE = re.compile(r"\s*,?\s*\(?\s*(?:(?:duoc|da duoc|da|was|were|has been|had been)\s+)?"
                           r"(?:(?:ban hanh|ky|phe duyet|thong qua|issued|signed|adopted|approved|promulgated)\s+)?"
                           r"(?:ngay|dated|on|vao|in|vao ngay|vao thang)?\s*")
_CUE_WORD = re.compile(r"\b(?:ngay|dated|on|vao|in|ban hanh|ky|phe duyet|thong qua|issued|signed|adopted|approved|promulgated)\b")


def _date_after_act(art: Article, m: Mention, dateline: Dateline | None) -> tuple[str, dict] | None:
    """A day and month (the year from the dateline) or a month right after the act's number,
    issuer or title, after words that make it the act's own date."""
    for pos in sorted({m.end, m.tail_end, m.title[1] if m.title else m.tail_end}):
        cue = _OWN_DATE_CUE.match(art.folded, pos, pos + 40)
        if not cue or not _CUE_WORD.search(cue.group(0)):
            continue
        at = cue.end()
        full = next((x for x in full_dates(art, at, at + 30) if x.start == at), None)
        if full:
            return full.value, art.evidence(m.start, full.end)
        month = next((x for x in month_dates(art, max(0, at - 4), at + 30) if x.start <= at < x.end), None)
        if month:
            return month.value, art.evidence(m.start, month.end)
        alone = next((x for x in _months_alone(art, dateline, max(0, at - 3), at + 20) if x.start <= at < x.end), None) \
            if dateline else None
        if alone:  # "issued in January", "ban hành tháng 9": the dateline's year
            return alone.value, art.evidence(m.start, alone.end, _year_note(art, dateline, alone.value))
        partial = _DAY_MONTH_AT.match(art.folded, at, at + 30)
        if partial and dateline:
            year = int(dateline.value[:4])
            day, mon = _day_month(partial)
            value = _iso(year, mon, day)
            if value and value > dateline.value:
                value = _iso(year - 1, mon, day)
            if value:
                return value, art.evidence(m.start, partial.end(), _year_note(art, dateline, value))
    return None


_LIST_BEFORE = re.compile(r"(?:,|\bva|\band)\s+$")


def _listed_after_issued(art: Article, s: int, head: int) -> bool:
    """"ban hành Nghị quyết A về … và Chương trình B": B is issued by the same verb, unless a link
    word comes between (then B is what A implements)."""
    if not _LIST_BEFORE.search(art.folded, max(s, head - 6), head):
        return False
    verbs = list(_ISSUED_VERB.finditer(art.folded, s, head))
    return bool(verbs) and not LINK_WORDS.search(art.folded, verbs[-1].end(), head)


_ISSUED_VERB = re.compile(r"(?<!thong nhat )(?<!nhat tri )(?<!se )\b(?:ban hanh|ky|thong qua|phe duyet|issued|adopted|promulgated|signed|passed|approved)\b")


_WEEKDAYS = ["monday|thu hai", "tuesday|thu ba", "wednesday|thu tu", "thursday|thu nam", "friday|thu sau",
             "saturday|thu bay", "sunday|chu nhat"]
_WEEKDAY = re.compile(r"\b(?:on|vao|sang|chieu|toi)\s+(?:ngay\s+)?(" + "|".join(_WEEKDAYS) + r")\b")


def _weekday_reported(art: Article, before: int, dateline: Dateline | None) -> tuple[str, dict] | None:
    """The weekday the text last reported something on ("The council on Tuesday passed …"), before `before`."""
    for s, e in reversed([x for x in art.sentences if x[1] <= before]):
        day = _weekday_before(art, s, e, dateline)
        if day:
            return day
    return None


def _weekday_before(art: Article, s: int, e: int, dateline: Dateline | None) -> tuple[str, dict] | None:
    """"The Standing Board on Tuesday adopted …", "chiều thứ Ba, … ban hành": the last such weekday
    on or before the dateline (said in the evidence note)."""
    found = _WEEKDAY.search(art.folded, s, e)
    if not found or not dateline or len(dateline.value) != 10:
        return None
    wanted = next(i for i, names in enumerate(_WEEKDAYS) if found.group(1) in names.split("|"))
    published = dt.date.fromisoformat(dateline.value)
    value = (published - dt.timedelta(days=(published.weekday() - wanted) % 7)).isoformat()
    where = f'the dateline "{art.text[dateline.start:dateline.end]}"' if dateline.start >= 0 else f"the article's date {dateline.value}"
    return value, art.evidence(found.start(), e, f"the {art.text[found.start(1):found.end(1)]} on or before {where}")


# a verb of issuing and, a few words on, the deadline: "ban hành kế hoạch … trước ngày 30/11/2021",
# "trình Hội nghị Ban Chấp hành Đảng bộ tỉnh vào tháng 9/2022", "to be issued before September 30",
# "ban hành văn bản hướng dẫn thực hiện Nghị quyết số 19/2023/NQ-HĐND trong quý I/2024" (an act's number between),
# "ban hành kế hoạch phân bổ kinh phí … cho các xã, phường trước ngày 30/9/2025" (a long title with a comma)
_DUE = re.compile(r"\b(?:ban hanh|phe duyet|trinh|hoan thanh|thong qua|issued?|adopted?|approved?|submitted?|completed?)"
                  r"\s+(?:(?:[^\W\d_]+,?|(?=[^\s/]*/)(?=\S*[^\W\d_])\S+)\s+){0,16}?(?:trong|vao|truoc|in|by|before)\s+")
# a day and month without a year: "12/10", "September 24", "24 September"; a month alone: "tháng 9", "September"
_DAY_MONTH_AT = re.compile(r"(?:ngay\s+)?(?P<d1>\d{1,2})[/-](?P<m1>\d{1,2})(?![\d/-])"
                           r"|(?P<mn2>" + _MONTH + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d)"
                           r"|(?P<d3>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn3>" + _MONTH.replace("(", "(?:", 1) + r")(?![\w,]*\s*\d)")
# "dated October 17", "dated 17 October" (DAY_MONTH reads "ngày 17/10" and "on October 17")
_DATED_DAY_MONTH = re.compile(r"\bdated\s+(?:" + _DAY_MONTH_AT.pattern + ")")
_MONTH_AT = re.compile(r"(?:thang\s+(?P<m4>\d{1,2})(?![\d/.-])|(?P<mn4>" + _MONTH.replace("(", "(?:", 1) + r"))(?!\s*,?\s*\d)")


# a month with no year and no day: "tháng 9" (not "tháng 9/2022", "tháng 9 năm 2022"), "in January"
_MONTH_ALONE = re.compile(r"\bthang\s+(?P<m>\d{1,2})(?![\d/.-]|\s*(?:nam\b|/))"
                          r"|\b(?:in|during)\s+(?:(?:early|late|mid)-?\s*)?(?P<mn>" + _MONTH.replace("(", "(?:", 1) + r")(?![\w.]*\s*,?\s*\d)")
# a date right before the verb that issues: "the People's Committee on January 10 issued Plan …"
_VERB_NEXT = re.compile(r"\s*,?\s*(?:(?:da|vua|has|have|had|also)\s+)*(?:ban hanh|ky|thong qua|phe duyet|issued|signed|adopted|passed|approved)\b")


def _months_alone(art: Article, dateline: Dateline, s: int, e: int) -> list[DateSpan]:
    """Months without a year in [s, e), given the dateline's year (the year before when the month is
    after the dateline's)."""
    out = []
    year = int(dateline.value[:4])
    for m in _MONTH_ALONE.finditer(art.folded, s, e):
        month = int(m.group("m")) if m.group("m") else MONTHS[m.group("mn").rstrip(".")]
        value = _iso(year, month) if 1 <= month <= 12 else None
        if value and value > dateline.value[:7]:
            value = _iso(year - 1, month)
        if value:
            out.append(DateSpan(m.start(), m.end(), value, True))
    return out


def _day_month(m: re.Match) -> tuple[int, int]:
    if m.group("d1"):
        return int(m.group("d1")), int(m.group("m1"))
    if m.group("d2"):
        return int(m.group("d2")), MONTHS[m.group("mn2").rstrip(".")]
    return int(m.group("d3")), MONTHS[m.group("mn3").rstrip(".")]


def _year_note(art: Article, dateline: Dateline, value: str) -> str:
    return (f'the year {value[:4]} from the dateline "{art.text[dateline.start:dateline.end]}"'
            if dateline.start >= 0 else f"the year {value[:4]} from the article's date {dateline.value}")


def planned_date(art: Article, d: Document, dateline: Dateline | None, lone_draft: bool = False) -> tuple[str, dict] | None:
    """When an act is to be issued: a deadline after a verb of issuing in a sentence that names
    it, or, for the article's one draft, in a sentence about "the draft" ("hoàn chỉnh dự thảo,
    trình … vào tháng 9/2022"). A day and month take the year of the dateline (the next year if
    that day is already past)."""
    windows = []
    for m in d.mentions:
        s, e = art.sentence_at(m.start)
        windows.append((max(s, m.start - 40), e, m.start))
    if lone_draft:
        windows += [(s, e, e) for s, e in art.sentences if re.search(r"\b(?:du thao|draft)\b", art.folded[s:e])]
    for start, end, anchor in windows:
        for cue in _DUE.finditer(art.folded, start, end):
            due = _due(art, cue.end(), end, dateline)
            if due:
                value, due_end, note = due
                return value, art.evidence(min(anchor, cue.start()), due_end, note)
    return None


_QUARTER_AT = re.compile(r"(?:quy\s+(?:[ivx]+|\d)(?:\s*/\s*|\s+nam\s+)|(?:the\s+)?(?:first|second|third|fourth|\d\w*)\s+quarter\s+of\s+)((?:19|20)\d\d)(?!\d)")


def _due(art: Article, pos: int, limit: int, dateline: Dateline | None) -> tuple[str, int, str | None] | None:
    """The date a deadline phrase names at `pos`: full, a month, or a day and month."""
    limit = min(limit, pos + 30)
    for found in (full_dates(art, max(0, pos - 8), limit), month_dates(art, max(0, pos - 8), limit)):
        for when in found:
            if when.end > pos and when.start <= pos + 6:
                return when.value, when.end, None
    m = _DAY_MONTH_AT.match(art.folded, pos, limit)
    if m and dateline:
        year = int(dateline.value[:4])
        day, month = _day_month(m)
        value = _iso(year, month, day)
        if value and value < dateline.value:
            value = _iso(year + 1, month, day)
        if value:
            return value, m.end(), _year_note(art, dateline, value)
    # "hoàn thành trong quý III/2021", "in the third quarter of 2021": the year (a quarter is no date)
    m = _QUARTER_AT.match(art.folded, pos, limit)
    if m:
        return m.group(1), m.end(), "a quarter: only its year is kept"
    # "to be issued in September", "ban hành trong tháng 9": the month, of this year or the next
    m = _MONTH_AT.match(art.folded, pos, limit)
    if m and dateline:
        year = int(dateline.value[:4])
        month = int(m.group("m4")) if m.group("m4") else MONTHS[m.group("mn4").rstrip(".")]
        value = _iso(year, month) if 1 <= month <= 12 else None
        if value and value < dateline.value[:7]:
            value = _iso(year + 1, month)
        if value:
            return value, m.end(), _year_note(art, dateline, value)
    return None




def _clause_end(art: Article, pos: int) -> int:
    m = re.search(r"[,;.\n]", art.folded[pos:pos + 80])
    return pos + (m.start() if m else 40)
