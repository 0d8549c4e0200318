-- Everything computed from the stored tables (schema.sql). The build runs this file top to
-- bottom at the end of every build that changed something (Writer.refresh_derived in
-- etl/store.py): the tables here are stored so that the dashboard reads 100k reports'
-- flags and counts without aggregating millions of checks and facts; the views name what
-- the dashboard and outside tools read. Order matters: each statement reads only what the
-- ones above it made.

-- One row per report. Of two reports of one agency and year the newer file is current.
-- Zero filing: tables 二, 三 and 四 hold no number other than 0 (blank is nothing); NULL
-- when the tables could not be read.
CREATE OR REPLACE TABLE report_index AS
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
    fz.new_total,
    CASE WHEN ranked.status <> 'ok' THEN NULL ELSE coalesce(fz.n_nonzero, 0) = 0 END
        AS zero_filing,
    fz.new_total = 0 AS zero_application,
    CAST(row_number() OVER (ORDER BY ranked.id) AS INTEGER) AS report_no
FROM ranked
LEFT JOIN ck ON ck.report_id = ranked.id
LEFT JOIN wn ON wn.report_id = ranked.id
LEFT JOIN fz ON fz.report_id = ranked.id;
COMMENT ON TABLE report_index IS 'One row per report with its version, check, warning and zero-filing figures (derived.sql).';
COMMENT ON COLUMN report_index.is_current IS 'the newest file of its agency and year';
COMMENT ON COLUMN report_index.n_numbers IS 'cells holding a number';
COMMENT ON COLUMN report_index.new_total IS 'table 三 new applications, total column';
COMMENT ON COLUMN report_index.zero_filing IS 'every number printed is 0; NULL when the tables were not all read';
COMMENT ON COLUMN report_index.zero_application IS 'no new application (new_total = 0)';
COMMENT ON COLUMN report_index.report_no IS 'a number for the report within this build: how figures names it (an integer sorts and joins faster than id)';

-- One report's facts (报告详情, `facts WHERE report_id = ?`) through an index: report ids are
-- random hex, so no zone map narrows that scan of every fact (20M at 100k reports, 40–220 ms
-- cold); the index finds a report's ~200 rows in ~6 ms and takes ~17 MB. Created once, after
-- the first build's bulk insert (~12 s CPU at 100k; a table sorted by report instead took
-- 134 MB and a sort at every build); later builds keep it as they delete and insert (+0.4 s
-- for 1% of the reports changed) and compaction copies it.
CREATE INDEX IF NOT EXISTS facts_report ON facts (report_id);
-- The same for one report's checks (报告详情, `checks WHERE report_id = ?`): 4M checks at 100k
-- reports, 20–110 ms cold by a scan, ~10 ms through the index (+12 MB, ~3 s once).
CREATE INDEX IF NOT EXISTS checks_report ON checks (report_id);

-- The dashboard's names: report_index and the facts with each report's index columns.
CREATE OR REPLACE VIEW v_reports AS SELECT * FROM report_index;

CREATE OR REPLACE VIEW v_facts AS
SELECT f.report_id, f.table_name, f.row_id, f.col_id, f.value, f.raw, f.line, f.unit,
    r.agency, r.agency_key, r.year, r.format, r.province, r.city, r.county, r.region_code,
    r.in_ningxia, r.agency_type, r.is_current
FROM facts f JOIN v_reports r ON r.id = f.report_id;

-- The figures of tables 二, 三 and 四 as the dashboard sums them: one row per fact, stored
-- sorted by current version and cell, so that a page asking for a few cells reads only their
-- row groups (DuckDB's zone maps on is_current and cell_no skip the rest; a join to
-- figure_cells pushes the cells asked for down to the scan) instead of joining all facts to
-- the index on every query. Every page reads current versions only (queries.where), ~10% of
-- the figures, and mostly one column of many rows (table 三's outcomes: 22 rows of column
-- 总计), so the cells are numbered column by column: at 100k reports the outcomes' current
-- figures fill 6 row groups, not the 39 they spanned sorted by cell (row by row) first.
-- Numbers only (cell_no, report_no), no text: sorting 20M rows with their text took 6× as long
-- at each build. The printed text, line and unit of a cell stay in facts (v_facts).
CREATE OR REPLACE TABLE figure_cells AS
SELECT CAST(row_number() OVER (ORDER BY table_name, col_id, row_id) AS SMALLINT) AS cell_no,
    table_name, row_id, col_id
FROM (SELECT DISTINCT table_name, row_id, col_id FROM facts);
COMMENT ON TABLE figure_cells IS 'The cells facts hold, numbered in the order of table, column and row (derived.sql).';

CREATE OR REPLACE TABLE figures AS
SELECT c.cell_no, r.is_current, r.report_no, f.value
FROM facts f
JOIN figure_cells c ON c.table_name = f.table_name AND c.row_id = f.row_id
    AND c.col_id = f.col_id
JOIN report_index r ON r.id = f.report_id
ORDER BY r.is_current, c.cell_no, r.report_no;
COMMENT ON TABLE figures IS 'Every fact as numbers, sorted by is_current, cell_no (derived.sql): what the dashboard sums, through v_figures.';
COMMENT ON COLUMN figures.value IS 'the printed number; NULL for blank, a mark or not found (as facts.value)';

-- The figures with their cell ids and their report's filter columns: what the dashboard reads
-- (report_no too: a per-report step groups by it faster than by the text report_id).
CREATE OR REPLACE VIEW v_figures AS
SELECT c.table_name, c.row_id, c.col_id, g.value, g.is_current, r.id AS report_id, g.report_no,
    r.agency, r.agency_key, r.year, r.format, r.province, r.city, r.county, r.region_code,
    r.in_ningxia, r.agency_type
FROM figures g
JOIN figure_cells c ON c.cell_no = g.cell_no
JOIN report_index r ON r.report_no = g.report_no;

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

-- The same figures without the report columns, for a query that has its reports already
-- (主动公开 joins them to report_index filtered): joining v_active_narrative there joined
-- every version's narrative to report_index twice (80 → 30 ms cold at 100k reports).
CREATE OR REPLACE VIEW v_active_items AS
SELECT report_id, value AS items, evidence, line, approximate
FROM narrative WHERE key = 'active_disclosure_items';

-- The checks the 数据质量 page lists (failed or not assessable): 6% of all checks at 100k
-- reports, so the page reads 0.3M rows instead of 4M; the passed ones are only counted
-- (report_index.failed_checks, checks itself).
CREATE OR REPLACE TABLE check_findings AS
SELECT * FROM checks WHERE status <> 'ok' ORDER BY report_id, check_id;
COMMENT ON TABLE check_findings IS 'The checks that failed or could not be assessed (derived.sql).';

-- Procurement (2019 format only), amount converted to 万元. The unit is `stated` when the
-- report prints it, `inferred` from the amount per project otherwise: a 万元 figure of
-- 1000 or more per project is implausible for one agency's central procurement.
CREATE OR REPLACE TABLE procurement AS
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

COMMENT ON TABLE procurement IS 'Table 二 central procurement (2019 format), amount in 万元 (derived.sql).';
CREATE OR REPLACE VIEW v_procurement AS SELECT * FROM procurement;

-- The zero-filing columns of report_index under the names the dashboard reads.
CREATE OR REPLACE VIEW v_zero_filing AS
SELECT r.id AS report_id, r.n_numbers, r.n_nonzero, r.zero_filing, r.new_total,
    r.zero_application,
    r.agency, r.agency_key, r.year, r.format, r.province, r.city, r.county, r.region_code,
    r.in_ningxia, r.agency_type, r.is_current
FROM v_reports r;

-- Stored: computing it joins every current fact of every year.
-- Cross-year checks between the current reports of one agency in consecutive years:
-- carry-over (last year's carried_out = this year's carried_in, per column) and, in the
-- 2021 format, the stock of rules and normative documents in force.
CREATE OR REPLACE TABLE cross_year AS
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

COMMENT ON TABLE cross_year IS 'Cross-year checks of consecutive current reports of one agency (derived.sql).';
CREATE OR REPLACE VIEW v_cross_year AS SELECT * FROM cross_year;

-- Agencies with more than one report for the same year: both kept, the newer current.
-- Stored in the order 数据质量 lists them (list_no): the page counts the list and reads one
-- window of it, and at 100k reports (98k versions in the generated corpus) counting and
-- sorting them from report_index took 50–100 ms cold on every visit.
CREATE OR REPLACE TABLE conflicts AS
SELECT CAST(row_number() OVER (ORDER BY agency, year, is_current DESC, id) AS INTEGER)
        AS list_no,
    agency_key, year, id AS report_id, source, agency, is_current, loaded_at, file_mtime
FROM report_index WHERE n_versions > 1
ORDER BY list_no;
COMMENT ON TABLE conflicts IS 'Reports of an agency and year that has more than one, in list order (derived.sql).';
COMMENT ON COLUMN conflicts.list_no IS 'position in the list: agency, year, current first, report id';
CREATE OR REPLACE VIEW v_conflicts AS SELECT * EXCLUDE (list_no) FROM conflicts;
