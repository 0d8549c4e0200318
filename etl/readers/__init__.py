"""Readers of the formats other than plain text; importing a module registers it."""

from etl.readers import doc, docx, html, markdown, pdf  # noqa: F401
