"""ETL of 政府信息公开工作年度报告: read → normalize → segment → tokens →
tables → meta → narrative → checks (etl.parse strings them) → build → store."""

PARSER_VERSION = "1.1.0"
