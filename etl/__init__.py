"""ETL of 政府信息公开工作年度报告: read → normalize → segment → parse → check → load."""

PARSER_VERSION = "1.1.0"
