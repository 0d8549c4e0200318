"""年报看板 dashboard: charts, exports and the pages' shared helpers."""
