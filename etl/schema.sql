-- The stored tables: the one definition of their columns (etl/store.py reads the column
-- names and types from here). Only the build (etl/build.py through etl/store.py) writes
-- them; everything computed from them is in derived.sql, run at the end of every build.
-- Blank and not-applicable cells are NULL in `value` with the printed mark in `raw`;
-- only a printed 0 is 0.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS regions (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    parent_code VARCHAR,
    city VARCHAR,
    tile_row INTEGER,
    tile_col INTEGER
);

CREATE TABLE IF NOT EXISTS cells (
    format VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    row_id VARCHAR NOT NULL,
    col_id VARCHAR NOT NULL,
    table_label VARCHAR NOT NULL,
    row_label VARCHAR NOT NULL,
    col_label VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS rules (
    rule VARCHAR PRIMARY KEY,
    scope VARCHAR NOT NULL,
    label VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS reports (
    id VARCHAR PRIMARY KEY,
    sha256 VARCHAR NOT NULL UNIQUE,
    source VARCHAR NOT NULL,
    file_type VARCHAR,
    file_mtime TIMESTAMP,
    file_size BIGINT,
    agency VARCHAR,
    agency_key VARCHAR,
    year INTEGER,
    format VARCHAR,
    province VARCHAR,
    city VARCHAR,
    county VARCHAR,
    region_code VARCHAR,
    in_ningxia BOOLEAN,
    agency_type VARCHAR,
    status VARCHAR NOT NULL,
    parser_version VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS facts (
    report_id VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    row_id VARCHAR NOT NULL,
    col_id VARCHAR NOT NULL,
    value DOUBLE,
    raw VARCHAR,
    line INTEGER,
    unit VARCHAR
);

CREATE TABLE IF NOT EXISTS narrative (
    report_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    value DOUBLE,
    evidence VARCHAR,
    line INTEGER,
    approximate BOOLEAN
);

CREATE TABLE IF NOT EXISTS checks (
    report_id VARCHAR NOT NULL,
    check_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    detail VARCHAR
);

CREATE TABLE IF NOT EXISTS warnings (
    report_id VARCHAR NOT NULL,
    message VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS report_text (
    report_id VARCHAR PRIMARY KEY,
    text_zlib BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS rejects (
    path VARCHAR NOT NULL,
    sha256 VARCHAR,
    reason VARCHAR NOT NULL,
    reason_zh VARCHAR,
    rejected_at TIMESTAMP NOT NULL,
    parser_version VARCHAR
);

COMMENT ON TABLE meta IS 'Build facts: schema_version, parser_version, regions_version, fingerprint, built_at, demo.';
COMMENT ON TABLE regions IS 'Ningxia''s region, cities and counties (data/regions.csv), with tile-map positions.';
COMMENT ON COLUMN regions.level IS 'province | city | county';
COMMENT ON COLUMN regions.city IS 'the city a county belongs to (its own name for a city)';
COMMENT ON COLUMN regions.tile_row IS 'row on the tile map (counties only)';
COMMENT ON TABLE cells IS 'Every cell id of each format with its Chinese labels (from etl/spec.py).';
COMMENT ON TABLE rules IS 'Every check rule: checks.check_id and cross_year.check_id start with rule || ''.'' (from etl/spec.py).';
COMMENT ON COLUMN rules.scope IS 'report (checks) | cross_year (cross_year)';
COMMENT ON TABLE reports IS 'One row per parsed report file (content); derived columns are in report_index.';
COMMENT ON COLUMN reports.id IS 'first 16 hex digits of sha256';
COMMENT ON COLUMN reports.source IS 'path as given to the build, e.g. data/reports/000_x.txt; a!b for a ZIP member';
COMMENT ON COLUMN reports.file_type IS 'the reader used: txt | md | docx | doc | pdf | html …';
COMMENT ON COLUMN reports.file_size IS 'bytes; with source and file_mtime: a file the next build need not read again';
COMMENT ON COLUMN reports.agency_key IS 'agency without spaces: joins a report to its other years';
COMMENT ON COLUMN reports.format IS '2019 | 2021 | NULL when no table could be read';
COMMENT ON COLUMN reports.in_ningxia IS 'NULL: the name does not tell';
COMMENT ON COLUMN reports.status IS 'ok | partial | narrative_only (spec.PARSE_STATUS)';
COMMENT ON TABLE facts IS 'Every cell of the report''s format, one row each; NULL value = blank or not found.';
COMMENT ON COLUMN facts.table_name IS 'active (表二) | requests (表三) | appeals (表四); labels in cells';
COMMENT ON COLUMN facts.value IS 'the printed number; NULL for blank, a mark (/, -, 无) or not found';
COMMENT ON COLUMN facts.raw IS 'the text printed in the cell';
COMMENT ON COLUMN facts.line IS 'line in report_text where the value was read';
COMMENT ON COLUMN facts.unit IS 'unit printed in the cell or its header (元, 万元)';
COMMENT ON TABLE narrative IS 'Figures the report''s prose states (spec.NARRATIVE_NAMES).';
COMMENT ON COLUMN narrative.key IS 'active_disclosure_items | applications_received';
COMMENT ON COLUMN narrative.value IS 'NULL when the text gives no exact figure';
COMMENT ON TABLE checks IS 'In-report checks (etl/checks.py): a failed check is a finding, the values stay as printed.';
COMMENT ON COLUMN checks.check_id IS '<rule>.<row or column>, rule in rules';
COMMENT ON COLUMN checks.status IS 'ok | failed | not_assessable (a blank input)';
COMMENT ON TABLE warnings IS 'What the parser could not place with certainty, one line each.';
COMMENT ON TABLE report_text IS 'The text read from the file: the line numbers of facts and narrative refer to it.';
COMMENT ON COLUMN report_text.text_zlib IS 'the text as zlib-compressed UTF-8 (etl.store.unpack_text; the Parquet export holds it as text)';
COMMENT ON TABLE rejects IS 'Files that could not be loaded as reports, with a one-line reason.';
COMMENT ON COLUMN rejects.reason IS 'English, one line';
COMMENT ON COLUMN rejects.reason_zh IS 'Chinese, one line, for the interface';
COMMENT ON COLUMN rejects.parser_version IS 'set when the content was refused (read/parse): the next build reuses the reason';
