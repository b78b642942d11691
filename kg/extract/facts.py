"""Sectors and targets: what a directive gives priority to, and the measurable goals it sets.

A sector is read only where the text gives priorities (a sentence naming `lĩnh vực`/`ngành`/
sectors together with `ưu tiên`, `trọng tâm`, `bổ sung`…, or sectors named in prose right after
`ưu tiên`, `tập trung`, `give priority to`) or in a kept document's own title (not the title of
the act it implements, and not inside "Cách mạng công nghiệp lần thứ tư"); the sector
vocabulary's labels name them, and a phrase such as "giao thông vận tải và logistics" yields each
sector it names. A target needs a metric (the metric scheme's labels), a comparator
(top N, leading group, a rank class, a percentage) and words that look ahead (mục tiêu, phấn đấu,
đến năm…); its deadline is the year in `đến năm 2025` before it, its start the year in
`từ năm 2022`. Numbers that are criteria (`tiêu chí 17.1`) match none of these patterns.
"""

from __future__ import annotations

import re

from kg.extract.article import Article
from kg.extract.lexicon import Lexicon

SECTOR_CONTEXT = re.compile(r"\b(?:linh vuc|nganh|sectors?|fields?|areas?)\b")
PRIORITY = re.compile(r"\b(?:uu tien|trong tam|trong diem|mui nhon|bo sung|tap trung|priorit\w*|focus\w*|key|spearhead\w*)\b")
_AGENCY_BEFORE = re.compile(r"(?:\bSở|\bBộ|\bDepartment of|\bMinistry of|\bViện|\bTrường)\s+$")

TARGET_CUE = re.compile(r"\b(?:phan dau|muc tieu|chi tieu|den nam|toi nam|duy tri|nang|dua|tro thanh|dat|vao nhom"
                        r"|aims?|targets?|strives?|goals?|maintain|become|reach|by (?:19|20)\d\d|to (?:19|20)\d\d)\b")
PAST = re.compile(r"\b(?:da|den nay|hien nay|hien tai|nam qua|has|have|had|was|were|so far|currently|last year)\b")
# numbers up to twenty spelled out in English ("among the top five")
WORD_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                           "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_N = r"(\d{1,2}|" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")"
COMPARATORS = [
    ("top-n", re.compile(rf"\b(?:top|nhom)\s+{_N}\s+(?:tinh|dia phuong|don vi|provinces?|localities|cities|units)\b|\btop\s+{_N}\b|\b{_N}\s+(?:tinh|dia phuong)\s+(?:dan dau|tot nhat|cao nhat)|\bamong the (?:top\s+)?{_N}\s+(?:leading|best|top)?\s*(?:provinces|localities)")),
    ("leading-group", re.compile(r"\bnhom dan dau\b|\bnhom dau\b|\bdan dau\b|\bleading group\b|\btop group\b|\bamong the leaders\b|\blead(?:ing)? the (?:country|region|nation)\b")),
    ("class", re.compile(r"\b(?:muc|loai|xep loai|hang|nhom)\s+(trung binh kha|trung binh|kha|tot|xuat sac|gioi)\b(\s+tro len)?|\b(?:rank(?:ed|ing)?|class(?:ified)?|grade[d]?|rating|rated)\s+(?:as\s+|of\s+|at\s+)?[\"']?(above average|good|fair|excellent|average)[\"']?(\s+or (?:above|higher|better))?")),
    ("percent", re.compile(r"(?:\b(it nhat|toi thieu|tren|hon|khong duoi|at least|over|more than|above|toi da|khong qua|duoi|at most|under|less than|dat|reach\w*|chiem|account\w* for)\s+)?(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)\s?(?:%|percent\b|per cent\b|phan tram\b)")),
]
_AT_LEAST = {"it nhat", "toi thieu", "tren", "hon", "khong duoi", "at least", "over", "more than", "above",
             "dat", "reach", "reaches", "reaching"}
_AT_MOST = {"toi da", "khong qua", "duoi", "at most", "under", "less than"}
# a year a target is due by; not the vision year of a period ("định hướng đến năm 2030", "vision to 2030")
DEADLINE = re.compile(r"(?<!huong )(?<!nhin )(?<!vision )(?<!orientations )(?<!orientation )"
                      r"\b(?:(?:den|toi|vao|trong)\s+nam|(?<!tu )(?<!from )nam|by|in|to|until)\s+((?:19|20)\d\d)(?!\d|[.,]\d|\s*[-–]\s*\d)")
START = re.compile(r"\b(?:(?:tu|ke tu)\s+(?:nam\s+)?|from\s+|starting (?:in|from)\s+)((?:19|20)\d\d)(?!\d)")


def sectors(art: Article, lex: Lexicon, spans: list[tuple[int, int]]) -> list[tuple[str, int, int, int, int]]:
    """(key, as-written start, end, quote start, end) for each sector named in the spans."""
    out = []
    for start, end in spans:
        hits = [h for h in lex.sectors.within(art, start, end)
                if not _AGENCY_BEFORE.search(art.masked[max(0, h[0] - 15):h[0]]) and not _in_phrase(art, h)]
        for item_start, item_end in _items(art, start, end, hits):
            inside = [h for h in hits if item_start <= h[0] and h[1] <= item_end]
            if not inside:
                continue
            a, b = inside[0][0], inside[-1][1]
            for h in inside:
                out.append((h[2], a, b, a, b))
    return out


# Phrases that hold a sector's label but name no sector: "Cách mạng công nghiệp lần thứ tư",
# "công nghiệp hóa, hiện đại hóa", "Industry 4.0".
_NOT_A_SECTOR = re.compile(r"\bcach mang cong nghiep\b|\bcong nghiep (?:4\.0|hoa)|\bindustrial revolution|\bindustry 4\.0")


def _in_phrase(art: Article, hit: tuple[int, int, str]) -> bool:
    return any(m.start() <= hit[0] < m.end() for m in _NOT_A_SECTOR.finditer(art.folded, max(0, hit[0] - 20), hit[1] + 10))


def _items(art: Article, start: int, end: int, hits: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """A list split at ; : , (not inside a label) and at `như`/`such as`/`là`."""
    cuts = [start]
    for m in re.finditer(r"[;:,.…]|\bnhu\b|\bsuch as\b|\bincluding\b|\bla\b", art.folded[start:end]):
        pos = start + m.start()
        if not any(h[0] <= pos < h[1] for h in hits):
            cuts += [pos, start + m.end()]
    cuts.append(end)
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]


PRIORITY_LIST = re.compile(r"\b(?:priority (?:will be |is |was |would be )?given to|prioriti[sz]\w*|focus(?:es|ed|ing)? on"
                           r"|uu tien(?: cho| phat trien)?)\s+(?:the\s+)?")
LIST_INTRO = re.compile(r"\b(?:nhu|gom|bao gom|sau day|such as|including|namely|like)\b|:")
_JOIN = re.compile(r"\s*(?:[,;&]\s*)?(?:(?:va|and)\s+)?")


# Prose that gives sectors priority without a list: "ưu tiên chuyển đổi số trong y tế, giáo dục…",
# "tập trung vào du lịch, nông nghiệp hàng hóa…", "give priority to tourism, health care…". A
# sector merely discussed ("chuyển đổi số trong ngành Giáo dục") is not a priority.
PROSE_CUE = re.compile(r"\b(?:uu tien|tap trung|give (?:top )?priority to|prioriti[sz]\w*|focus(?:es|ed|ing)? on)\b")
_ITEM_JOIN = re.compile(r"(?:\s+[^\W\d_]+){0,3}(?:\s*,\s*(?:(?:va|and)\s+)?|\s+(?:va|and)\s+)")


def _prose_list(art: Article, lex: Lexicon, pos: int, end: int) -> tuple[int, int] | None:
    """Sectors named from a few words after `pos`, each item perhaps with words of its own
    ("nông nghiệp hàng hóa"), joined by commas or `và`/`and`."""
    hits = [h for h in lex.sectors.within(art, pos, end) if not _in_phrase(art, h)]
    if not hits or len(art.folded[pos:hits[0][0]].split()) > 4 or re.search(r"[,;:.]", art.folded[pos:hits[0][0]]):
        return None
    stop = hits[0][1]
    for h in hits[1:]:
        if not _ITEM_JOIN.fullmatch(art.folded, stop, h[0]):
            break
        stop = h[1]
    return hits[0][0], stop


def sector_spans(art: Article, lex: Lexicon) -> list[tuple[int, int]]:
    """Where priority sectors are listed: after `lĩnh vực … như:` / `sectors such as` to the end
    of the sentence, or the sectors named right after (English: right before) `lĩnh vực`/`sector`,
    when a priority word (ưu tiên, trọng tâm, bổ sung, priority…) is near; and sectors named in
    prose right after a priority verb (PROSE_CUE)."""
    f, out = art.folded, []
    for s, e in art.sentences:
        for p in PROSE_CUE.finditer(f, s, e):
            span = _prose_list(art, lex, p.end(), e)
            if span:
                out.append(span)
        # "Priority will be given to agriculture, health care…": two or more sectors in a row
        for p in PRIORITY_LIST.finditer(f, s, e):
            chain = _chain(f, list(lex.sectors.within(art, p.end(), e)), p.end())
            if chain and len(list(lex.sectors.within(art, *chain))) >= 2:
                out.append(chain)
        for c in SECTOR_CONTEXT.finditer(f, s, e):
            if not PRIORITY.search(f, max(s, c.start() - 120), min(e, c.end() + 120)):
                continue
            clause_end = f.find(";", c.end(), e)
            intro = LIST_INTRO.search(f, c.end(), min(e, c.end() + 250, clause_end if clause_end > 0 else e))
            if intro:
                out.append((intro.end(), e))
                continue
            after = re.match(r"\s+(?:of\s+(?:the\s+)?)?", f[c.end():c.end() + 12])
            chain = _chain(f, list(lex.sectors.within(art, c.end(), min(e, c.end() + 200))), c.end() + (after.end() if after else 1))
            if chain:
                out.append(chain)
            elif art.language == "en":
                hits = list(lex.sectors.within(art, max(s, c.start() - 200), c.start()))
                hits = [h for h in hits if _JOIN.fullmatch(f[h[1]:c.start()]) or h is not hits[-1]]
                if hits and re.fullmatch(r"\s*", f[hits[-1][1]:c.start()]):
                    start = hits[-1][0]
                    for h in reversed(hits[:-1]):
                        if _JOIN.fullmatch(f[h[1]:start]):
                            start = h[0]
                        else:
                            break
                    out.append((start, hits[-1][1]))
    return out


def _chain(f: str, hits: list, at: int) -> tuple[int, int] | None:
    """Sectors named one after the other from `at`, joined by commas or `và`."""
    if not hits or hits[0][0] != at:
        return None
    end = hits[0][1]
    for h in hits[1:]:
        if _JOIN.fullmatch(f[end:h[0]]):
            end = h[1]
        else:
            break
    return at, end


def targets(art: Article, lex: Lexicon) -> list[tuple[int, dict]]:
    """(position, target) for every target stated in the article."""
    out: list[tuple[int, dict]] = []
    for s, e in art.sentences:
        sentence = art.folded[s:e]
        if not TARGET_CUE.search(sentence):
            continue
        clause_start, carried, metric = s, None, None
        for clause_end in [s + m.start() for m in re.finditer(r";", sentence)] + [e]:
            found, metric = _clause_targets(art, lex, clause_start, clause_end, metric)
            for _, target in found:
                # `đến năm 2025, A; B` — a deadline opening the sentence governs its later clauses
                if carried and "deadline" not in target and "start" not in target:
                    target["deadline"] = carried
            out += found
            opening = DEADLINE.search(art.folded, clause_start, clause_end)
            if opening and carried is None and opening.start() - clause_start < 40:
                carried = int(opening.group(1))
            clause_start = clause_end + 1
    return out


def _clause_targets(art: Article, lex: Lexicon, cs: int, ce: int, carried_metric=None):
    """The targets of one clause, and the metric a following clause may carry on with
    (`…chỉ số chuyển đổi số; đến năm 2030 thuộc nhóm dẫn đầu`)."""
    f = art.folded
    found: list[tuple[int, int, str, re.Match]] = []
    for kind, rx in COMPARATORS:
        for m in rx.finditer(f, cs, ce):
            if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b, _, _ in found):
                found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda x: x[0])
    # "nhóm 30 tỉnh, thành phố dẫn đầu": `dẫn đầu` qualifies the top 30, it is no second target
    found = [x for x in found if not (x[2] == "leading-group" and any(
        y[2] == "top-n" and 0 <= x[0] - y[1] < 40 and re.fullmatch(r"[\w\s,]*", f[y[1]:x[0]]) is not None
        for y in found))]
    metrics = list(lex.metrics.within(art, cs, ce))
    scopes = list(lex.scopes.within(art, cs, ce))
    out = []
    prev_end, last_deadline = cs, None
    ranked = [x for x in metrics if x[2] in RANKED]
    last_metric = ranked[-1] if ranked else carried_metric
    for i, (a, b, kind, m) in enumerate(found):
        next_start = found[i + 1][0] if i + 1 < len(found) else ce
        phrase_end = _phrase_end(art, b, ce)
        if next_start < phrase_end:  # "25 percent of GRDP and at least 80 per cent of…": two targets
            joins = list(re.finditer(r"\s(?:and|va)\s", f[b:next_start]))
            phrase_end = b + joins[-1].start() if joins else next_start
        before = list(DEADLINE.finditer(f, prev_end, a))
        after = list(DEADLINE.finditer(f, b, min(next_start, phrase_end)))
        marker = before[-1] if before else None
        if marker and after and "," not in f[b:after[0].start()] and "," in f[marker.end():a]:
            marker = None  # "…, aiming to be in the top 30 by 2025": the year next to it wins
        if PAST.search(f, max(prev_end, a - 40), a) and not before and not after and \
                not re.search(r"\b(?:phan dau|muc tieu|duy tri|target|aim|goal)", f[cs:ce]):
            prev_end = b
            continue
        metric = _pick_metric(metrics, marker.start() if marker else prev_end, a, b, ce, cs, kind) or (
            carried_metric if carried_metric and _fits(carried_metric[2], kind) else None)
        if metric is None:
            prev_end = b
            continue
        if metric[2] in RANKED:
            last_metric = metric
        in_clause = cs <= metric[0] < ce
        target: dict = {"metric": metric[2]}
        value, comparator, unit = _value(art, kind, m)
        if comparator:
            target["comparator"] = comparator
        if value is not None:
            target["value"] = value
        if unit:
            target["unit"] = unit
        if marker:
            quote_start = marker.start()
        else:
            anchor = min(metric[0], a) if in_clause and metric[0] >= prev_end else a
            quote_start = _phrase_start(art, anchor, prev_end)
        quote_end = max(phrase_end, metric[1] if in_clause and metric[0] > a else 0)
        deadline = marker or (after[0] if after else None)
        if deadline:
            target["deadline"] = last_deadline = int(deadline.group(1))
            quote_end = max(quote_end, deadline.end())
        elif last_deadline:
            target["deadline"] = last_deadline  # "top 3 by 2025, and 25% of GRDP"
        # "từ năm 2022": the year it applies from, before the comparator or just after it
        start_in = [y for y in START.finditer(f, prev_end, min(next_start, phrase_end + 40))
                    if not marker or y.start() > marker.end()]
        if start_in:
            target["start"] = int(start_in[0].group(1))
            quote_start = min(quote_start, start_in[0].start())
            quote_end = max(quote_end, start_in[0].end())
            if target.get("deadline") == target["start"] or (deadline is None and "deadline" in target):
                target.pop("deadline")
        scope = next((sc for sc in scopes if quote_start <= sc[0] < max(quote_end, phrase_end)), None)
        if scope:
            target["scope"] = scope[2]
            quote_end = max(quote_end, scope[1])
        lead = re.match(r"\s*(?:(?:va|and|,)\s+)?", f[quote_start:quote_end])
        quote = art.evidence(quote_start + (lead.end() if lead else 0), quote_end)
        target["statement"] = art.clean(quote["start"], quote["end"])
        target["quote"] = quote
        out.append((a, target))
        prev_end = max(b, after[0].end() if after and not marker else b)
    return out, last_metric


# Metrics that are ranks (compared by top N, a group, a class) rather than shares (compared by %).
RANKED = {"dti", "digital-government-index", "e-government-ranking"}


def _fits(metric_key: str, kind: str) -> bool:
    return (metric_key in RANKED) == (kind != "percent")


def _pick_metric(metrics, seg_start: int, a: int, b: int, ce: int, cs: int, kind: str = "top-n"):
    """The metric named nearest before the comparator in its segment, else earlier in the
    clause, else the first after it; a rank for a rank, a share for a percentage."""
    metrics = [x for x in metrics if _fits(x[2], kind)]
    before = [x for x in metrics if seg_start <= x[0] and x[1] <= a]
    if before:
        return before[-1]
    earlier = [x for x in metrics if cs <= x[0] and x[1] <= a]
    if earlier and kind != "percent":  # a share is named next to its percentage
        return earlier[-1]
    after = [x for x in metrics if x[0] >= b]
    return after[0] if after else None


def _phrase_end(art: Article, pos: int, limit: int) -> int:
    """The end of the phrase at pos: the next , ; or . (not the comma of "tỉnh, thành phố")."""
    m = re.search(r"(?:[;.]|,(?!\s*(?:thanh pho|tp\b|cities)))\s|[;\n]|$", art.folded[pos:limit])
    return pos + m.start() if m else limit


_SAID = re.compile(r"\b(?:said|says|stated|noted|added|cho biet|khang dinh|nhan manh|neu ro)\s+(?:that\s+|rang\s+)?")


def _phrase_start(art: Article, pos: int, limit: int) -> int:
    """The start of the phrase holding pos: after the last , or ; or a reporting verb ("said")."""
    cut = max(art.folded.rfind(", ", limit, pos), art.folded.rfind("; ", limit, pos))
    start = cut + 2 if cut >= limit else limit
    said = [m for m in _SAID.finditer(art.folded, start, pos)]
    return said[-1].end() if said else start


def _value(art: Article, kind: str, m: re.Match):
    """(value, comparator, unit): the value as written in the text."""
    if kind == "top-n":
        digits = next(g for g in m.groups() if g)
        return (int(digits) if digits.isdigit() else WORD_NUMBERS[digits]), "top-n", None
    if kind == "leading-group":
        return None, "leading-group", None
    if kind == "class":
        idx = 1 if m.group(1) else 3
        value = " ".join(art.masked[m.start(idx):m.end(idx)].split())
        at_least = m.group(idx + 1)
        return value, ("rank-class-at-least" if at_least else "equals"), None
    qualifier, number = m.group(1), m.group(2)
    value = float(number.replace(",", ".")) if re.search(r"[.,]", number) else int(number)
    after = art.folded[m.end():m.end() + 12]
    if qualifier in _AT_LEAST or re.match(r"\s*(?:tro len|or more|or above)", after):
        return value, "at-least", "%"
    if qualifier in _AT_MOST:
        return value, "at-most", "%"
    return value, "equals", "%"
