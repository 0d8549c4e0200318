-- The DuckDB schema. Only etl/load.py writes these tables; the dashboard reads the views.
-- Blank and not-applicable cells are NULL in `value` with the printed mark in `raw`;
-- only a printed 0 is 0.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS regions (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,          -- province | city | county
    parent_code VARCHAR,
    city VARCHAR,                    -- the city a county belongs to (its own name for a city)
    tile_row INTEGER,                -- position on the tile map (counties only)
    tile_col INTEGER
);

CREATE TABLE IF NOT EXISTS reports (
    id VARCHAR PRIMARY KEY,          -- first 16 hex digits of sha256
    sha256 VARCHAR NOT NULL UNIQUE,
    source VARCHAR NOT NULL,         -- path as given to the build, e.g. data/reports/000_x.txt
    file_type VARCHAR,               -- txt | docx | pdf | html | doc
    file_mtime TIMESTAMP,
    agency VARCHAR,
    agency_key VARCHAR,              -- agency without spaces: joins a report to its other years
    year INTEGER,
    format VARCHAR,                  -- '2019' | '2021' | NULL when no table could be read
    province VARCHAR,
    city VARCHAR,
    county VARCHAR,
    region_code VARCHAR,
    in_ningxia BOOLEAN,              -- NULL: the name does not tell
    agency_type VARCHAR,
    status VARCHAR NOT NULL,         -- ok | partial (title read, tables not)
    parser_version VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS facts (
    report_id VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,     -- active | requests | appeals
    row_id VARCHAR NOT NULL,
    col_id VARCHAR NOT NULL,
    value DOUBLE,
    raw VARCHAR,
    line INTEGER,
    unit VARCHAR                     -- unit printed in the cell or its header (元, 万元)
);

CREATE TABLE IF NOT EXISTS narrative (
    report_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,            -- active_disclosure_items | applications_received
    value DOUBLE,                    -- NULL when the text gives no exact figure
    evidence VARCHAR,
    line INTEGER,
    approximate BOOLEAN
);

CREATE TABLE IF NOT EXISTS checks (
    report_id VARCHAR NOT NULL,
    check_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,         -- ok | failed | not_assessable
    detail VARCHAR
);

CREATE TABLE IF NOT EXISTS warnings (
    report_id VARCHAR NOT NULL,
    message VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS report_text (
    report_id VARCHAR PRIMARY KEY,
    text VARCHAR NOT NULL            -- the text the line numbers of facts refer to
);

CREATE TABLE IF NOT EXISTS rejects (
    path VARCHAR NOT NULL,
    sha256 VARCHAR,
    reason VARCHAR NOT NULL,         -- English, one line
    reason_zh VARCHAR,               -- Chinese, one line, for the interface
    rejected_at TIMESTAMP NOT NULL,
    parser_version VARCHAR           -- set when the content was refused (read/parse): the next
                                     -- build reuses the reason instead of parsing it again
);

-- One row per report. Of two reports of one agency and year the newer file is current.
-- v_report_index_source computes it; the build stores it in report_index at the end of
-- every build that changed something (refresh_derived in etl/build.py), so the dashboard
-- reads 100k reports' flags and counts without aggregating millions of checks and facts.
CREATE OR REPLACE VIEW v_report_index_source AS
WITH ranked AS (
    SELECT r.*,
        count(*) OVER (PARTITION BY coalesce(agency_key, id), coalesce(year, -1)) AS n_versions,
        row_number() OVER (
            PARTITION BY coalesce(agency_key, id), coalesce(year, -1)
            ORDER BY file_mtime DESC NULLS LAST, loaded_at DESC, source DESC
        ) AS version_rank
    FROM reports r
), ck AS (
    SELECT report_id,
        count(*) FILTER (WHERE status = 'failed') AS failed_checks,
        count(*) FILTER (WHERE status = 'not_assessable') AS unassessable_checks
    FROM checks GROUP BY report_id
), wn AS (
    SELECT report_id, count(*) AS n_warnings FROM warnings GROUP BY report_id
), fz AS (
    SELECT report_id,
        count(value) AS n_numbers,
        count(*) FILTER (WHERE value <> 0) AS n_nonzero,
        max(value) FILTER (
            WHERE table_name = 'requests' AND row_id = 'new' AND col_id = 'total'
        ) AS new_total
    FROM facts GROUP BY report_id
)
SELECT ranked.* EXCLUDE (version_rank),
    version_rank = 1 AS is_current,
    coalesce(ck.failed_checks, 0) AS failed_checks,
    coalesce(ck.unassessable_checks, 0) AS unassessable_checks,
    coalesce(wn.n_warnings, 0) AS n_warnings,
    coalesce(fz.n_numbers, 0) AS n_numbers,
    coalesce(fz.n_nonzero, 0) AS n_nonzero,
    fz.new_total
FROM ranked
LEFT JOIN ck ON ck.report_id = ranked.id
LEFT JOIN wn ON wn.report_id = ranked.id
LEFT JOIN fz ON fz.report_id = ranked.id;

CREATE TABLE IF NOT EXISTS report_index AS SELECT * FROM v_report_index_source;

CREATE OR REPLACE VIEW v_reports AS SELECT * FROM report_index;

CREATE OR REPLACE VIEW v_facts AS
SELECT f.report_id, f.table_name, f.row_id, f.col_id, f.value, f.raw, f.line, f.unit,
    r.agency, r.agency_key, r.year, r.format, r.province, r.city, r.county, r.region_code,
    r.in_ningxia, r.agency_type, r.is_current
FROM facts f JOIN v_reports r ON r.id = f.report_id;

CREATE OR REPLACE VIEW v_active AS SELECT * FROM v_facts WHERE table_name = 'active';
CREATE OR REPLACE VIEW v_requests AS SELECT * FROM v_facts WHERE table_name = 'requests';
CREATE OR REPLACE VIEW v_appeals AS SELECT * FROM v_facts WHERE table_name = 'appeals';

-- Narrative totals of active disclosure, with the sentence they came from.
CREATE OR REPLACE VIEW v_active_narrative AS
SELECT n.report_id, n.value AS items, n.evidence, n.line, n.approximate,
    r.agency, r.agency_key, r.year, r.format, r.province, r.city, r.county, r.region_code,
    r.in_ningxia, r.agency_type, r.is_current
FROM narrative n JOIN v_reports r ON r.id = n.report_id
WHERE n.key = 'active_disclosure_items';

-- Procurement (2019 format only), amount converted to 万元. The unit is `stated` when the
-- report prints it, `inferred` from the amount per project otherwise: a 万元 figure of
-- 1000 or more per project is implausible for one agency's central procurement.
CREATE OR REPLACE VIEW v_procurement_source AS
WITH p AS (
    SELECT report_id,
        max(value) FILTER (WHERE col_id = 'projects') AS projects,
        max(value) FILTER (WHERE col_id = 'amount') AS amount,
        max(raw) FILTER (WHERE col_id = 'amount') AS amount_raw,
        max(line) FILTER (WHERE col_id = 'amount') AS amount_line,
        max(unit) FILTER (WHERE col_id = 'amount') AS stated_unit
    FROM facts WHERE table_name = 'active' AND row_id = 'procurement'
    GROUP BY report_id
), u AS (
    SELECT p.*,
        CASE
            WHEN stated_unit IS NOT NULL THEN stated_unit
            WHEN amount IS NULL OR amount = 0 THEN NULL
            WHEN amount / greatest(coalesce(projects, 1), 1) >= 1000 THEN '元'
            ELSE '万元'
        END AS unit,
        CASE
            WHEN stated_unit IS NOT NULL THEN 'stated'
            WHEN amount IS NULL OR amount = 0 THEN NULL
            ELSE 'inferred'
        END AS unit_source
    FROM p
)
SELECT u.report_id, u.projects, u.amount, u.amount_raw, u.amount_line, u.unit, u.unit_source,
    CAST(CASE WHEN u.unit = '元' THEN u.amount / 10000.0 ELSE u.amount END AS DOUBLE)
        AS amount_wan,
    r.agency, r.agency_key, r.year, r.format, r.province, r.city, r.county, r.region_code,
    r.in_ningxia, r.agency_type, r.is_current
FROM u JOIN v_reports r ON r.id = u.report_id;

-- Stored at the end of each build, like report_index: every page asks for it.
CREATE TABLE IF NOT EXISTS procurement AS SELECT * FROM v_procurement_source;
CREATE OR REPLACE VIEW v_procurement AS SELECT * FROM procurement;

-- Zero filing: tables 二, 三 and 四 hold no number other than 0 (blank is nothing).
-- NULL when the tables could not be read.
CREATE OR REPLACE VIEW v_zero_filing AS
SELECT r.id AS report_id, r.n_numbers, r.n_nonzero,
    CASE WHEN r.status <> 'ok' THEN NULL ELSE r.n_nonzero = 0 END AS zero_filing,
    r.new_total,
    r.new_total = 0 AS zero_application,
    r.agency, r.agency_key, r.year, r.format, r.province, r.city, r.county, r.region_code,
    r.in_ningxia, r.agency_type, r.is_current
FROM v_reports r;

-- Cross-year checks between the current reports of one agency in consecutive years:
-- carry-over (last year's carried_out = this year's carried_in, per column) and, in the
-- 2021 format, the stock of rules and normative documents in force.
CREATE OR REPLACE VIEW v_cross_year_source AS
WITH cur AS (
    SELECT f.* FROM v_facts f WHERE f.is_current AND f.agency_key IS NOT NULL
), carry AS (
    SELECT this.agency, this.agency_key, this.year, this.report_id,
        prev.report_id AS prev_report_id,
        'carryover.' || this.col_id AS check_id,
        prev.value AS expected, this.value AS actual,
        printf('%d年结转下年度 %s → %d年上年结转 %s', this.year - 1,
            coalesce(CAST(prev.value AS VARCHAR), '空'), this.year,
            coalesce(CAST(this.value AS VARCHAR), '空')) AS detail
    FROM cur this JOIN cur prev
        ON prev.agency_key = this.agency_key AND prev.year = this.year - 1
        AND prev.table_name = 'requests' AND prev.row_id = 'carried_out'
        AND prev.col_id = this.col_id
    WHERE this.table_name = 'requests' AND this.row_id = 'carried_in'
), stock AS (
    SELECT this.agency, this.agency_key, this.year, this.report_id,
        prev.report_id AS prev_report_id,
        'in_force.' || this.row_id AS check_id,
        prev.value + iss.value - rep.value AS expected, this.value AS actual,
        printf('%d年现行有效 %s + 本年制发 %s − 废止 %s ≟ %s', this.year - 1,
            coalesce(CAST(prev.value AS VARCHAR), '空'), coalesce(CAST(iss.value AS VARCHAR), '空'),
            coalesce(CAST(rep.value AS VARCHAR), '空'), coalesce(CAST(this.value AS VARCHAR), '空'))
            AS detail
    FROM cur this
    JOIN cur prev ON prev.agency_key = this.agency_key AND prev.year = this.year - 1
        AND prev.table_name = 'active' AND prev.row_id = this.row_id AND prev.col_id = 'in_force'
    JOIN cur iss ON iss.report_id = this.report_id AND iss.table_name = 'active'
        AND iss.row_id = this.row_id AND iss.col_id = 'issued'
    JOIN cur rep ON rep.report_id = this.report_id AND rep.table_name = 'active'
        AND rep.row_id = this.row_id AND rep.col_id = 'repealed'
    WHERE this.table_name = 'active' AND this.col_id = 'in_force'
)
SELECT *, CASE
        WHEN expected IS NULL OR actual IS NULL THEN 'not_assessable'
        WHEN expected = actual THEN 'ok'
        ELSE 'failed'
    END AS status
FROM (SELECT * FROM carry UNION ALL SELECT * FROM stock);

-- Stored at the end of each build: computing it joins every current fact of every year.
CREATE TABLE IF NOT EXISTS cross_year AS SELECT * FROM v_cross_year_source;
CREATE OR REPLACE VIEW v_cross_year AS SELECT * FROM cross_year;

-- Agencies with more than one report for the same year: both kept, the newer current.
CREATE OR REPLACE VIEW v_conflicts AS
SELECT agency_key, year, id AS report_id, source, agency, is_current, loaded_at, file_mtime
FROM v_reports WHERE n_versions > 1;
