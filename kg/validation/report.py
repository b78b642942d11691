"""Findings and the report: one line per finding,

    FILE:LINE: SEVERITY: [SHAPE] MESSAGE-EN / MESSAGE-VI (focus NODE, path PATH, value VALUE)

with `FILE: <NODE>` in place of `FILE:LINE` for RDF input, then a summary line
(`2 violations, 1 warning in 1 file`), or the same as JSON. Exit status: 0 valid (warnings
allowed), 1 violations, 2 an input cannot be read."""


from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path


from kg.base.errors import DtkgError

# Vietnamese for the record stage, whose messages (kg.records.reader) are in English only.
_VI = {
    "RecordSchema": "bản ghi không đúng định dạng (xem kg/records/record.schema.json)",
    "DateShape": "ngày không có thật hoặc ở tương lai; dùng YYYY-MM-DD, YYYY-MM hoặc YYYY",
    "PeriodShape": "giai đoạn không hợp lệ: năm cuối không được trước năm đầu",
    "EvidenceShape": "thiếu bằng chứng: cần đoạn trích từ nguồn chứng minh dữ kiện này",
    "Record-unique": "đã có một bản ghi khác cùng mã (id)",
    "Province-inForce": "tỉnh không có trong dữ liệu tham chiếu hoặc không có hiệu lực vào ngày của văn bản (mốc 01/7/2025)",
    "Directive-implements": "văn bản được thực hiện không có trong bản ghi cũng như trong đồ thị",
    "RecordMapping": "không chuyển được bản ghi thành RDF",
    "InputError": "không đọc được tệp",
}


# ==================================================================================================
# Findings and the report
# ==================================================================================================


@dataclass
class Finding:
    """One problem. `line` for records, `node` for RDF input; `severity` is violation, warning,
    info, or error (the input could not be read)."""

    file: str
    severity: str
    shape: str
    message_en: str
    message_vi: str = ""
    line: int | None = None
    node: str | None = None
    focus: str | None = None
    path: str | None = None
    value: str | None = None
    hint: str = ""  # what to do about it, e.g. "did you mean logistics?"

    def format(self) -> str:
        if self.line:
            where = f"{self.file}:{self.line}"
        elif self.node:
            where = f"{self.file}: <{self.node}>"
        else:
            where = self.file
        message = self.message_en
        if self.message_vi and self.message_vi != self.message_en:
            message += f" / {self.message_vi}"
        details = [(k, v) for k, v in (("focus", self.focus), ("path", self.path), ("value", self.value))
                   if v and not (k == "focus" and self.node)]
        tail = f" ({', '.join(f'{k} {v}' for k, v in details)})" if details else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}: {self.severity}: [{self.shape}] {message}{tail}{hint}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    notices: list[str] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        if self.count("error"):
            return 2
        return 1 if self.count("violation") else 0

    @property
    def conforms(self) -> bool:
        return self.exit_code == 0

    def summary(self) -> str:
        parts = [_plural(self.count("violation"), "violation"), _plural(self.count("warning"), "warning")]
        if self.count("info"):
            parts.append(_plural(self.count("info"), "info"))
        if self.count("error"):
            parts.append(f"{self.count('error')} unreadable")
        return f"{', '.join(parts)} in {_plural(self.files, 'file') if self.files else 'the graph'}"

    def lines(self) -> list[str]:
        return [f.format() for f in self.findings] + [self.summary()]

    def to_json(self) -> str:
        return json.dumps({
            "conforms": self.conforms, "exit_code": self.exit_code, "files": self.files,
            "violations": self.count("violation"), "warnings": self.count("warning"),
            "infos": self.count("info"), "unreadable": self.count("error"),
            "summary": self.summary(), "notices": self.notices,
            "results": [{k: v for k, v in asdict(f).items() if v is not None} for f in self.findings],
        }, ensure_ascii=False, indent=2)

    def render(self, fmt: str = "text") -> str:
        return self.to_json() if fmt == "json" else "\n".join(self.lines())


def input_error(path: Path | str, exc: DtkgError, display: str | None = None) -> Finding:
    """An unreadable input as a finding: FILE[:LINE]: error: [InputError] message."""
    where = exc.where or str(path)
    if display is not None:
        where = where.replace(str(path), display, 1)
    match = re.match(r"^(.*?):(\d+)(?::\d+)?$", where)
    file, line = (match[1], int(match[2])) if match else (where, None)
    return Finding(file, "error", "InputError", exc.message, _VI["InputError"], line=line)

