"""ETL of 政府信息公开工作年度报告: read → normalize → segment → tokens →
tables → meta → narrative → checks (etl.parse strings them) → build → store."""

import hashlib
from pathlib import Path

RELEASE = "1.2.0"


def code_digest(root: Path | None = None) -> str:
    """A digest of the ETL's own source. The parser's output changes with its code (a rule
    added, a warning reworded) far more often than anyone remembers to raise a release
    number, and a database whose reports an older parser read must be read again."""
    root = root or Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.sql")]):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


# stored with every report and in the build's meta: a build re-reads every report when it
# differs (etl.build)
PARSER_VERSION = f"{RELEASE}+{code_digest()}"
