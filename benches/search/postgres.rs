//! The PostgreSQL side of the search benchmark: what a PHP or Django archive would run.
//!
//! A throwaway cluster (Debian's `postgresql` binaries) in the scratch folder, listening only on a
//! Unix socket there, holding the same records. Text search is configured the way PostgreSQL's
//! documentation suggests for accented languages it has no dictionary for: a `vn` configuration
//! that is `simple` with the `unaccent` dictionary in front, so "det lua" matches "dệt lụa" and
//! `ts_headline` marks words in the text as written. The title is weighted `A`, the rest
//! (descriptions, village and craft names) is unweighted, in a stored generated `tsvector` with a
//! GIN index. Typos are answered two ways with `pg_trgm`: as Disan does (a word found nowhere is
//! replaced by close spellings from the list of indexed words, which `ts_stat` makes and a trigram
//! index serves, as pg_trgm's documentation suggests) and the cheaper Django way (trigram word
//! similarity to the unaccented title, `TrigramWordSimilarity`). Suggestions are title prefix
//! queries (`'lang' & 'ngh':*`, weight `A`).
//!
//! Queries are timed by one long-lived `psql` (`\timing`): each statement's round trip over the
//! Unix socket, sending, executing and receiving the whole result, as an application server sees
//! it (results go to a file, at most a few dozen short rows).
//!
//! When run as root, the server runs as the `postgres` user (through `runuser`); `psql` connects
//! as the `postgres` database role with `trust` authentication on the private socket.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use disan::model::Lang;

use crate::queries::{Class, Filter, Query, QuerySet};
use crate::synthetic::{self, Collection};

/// Settings appended to `postgresql.conf`: memory a small dedicated server would be given, so
/// the whole table and its indexes stay cached, and no JIT (it only slows short queries down).
const SETTINGS: &str = "
listen_addresses = ''
port = 5432
shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 1GB
effective_cache_size = 4GB
max_wal_size = 8GB
jit = off
";

/// A running throwaway cluster, stopped when dropped.
pub struct Cluster {
    bin: PathBuf,
    psql: PathBuf,
    root: PathBuf,
    data: PathBuf,
    run_as: Option<String>,
    /// `major.minor` as the server reports it.
    pub version: String,
}

/// How loading went.
pub struct Loaded {
    /// COPY, the full-text and trigram indexes, the word list and ANALYZE.
    pub elapsed: Duration,
    /// `pg_total_relation_size` of the table and of the word list: heap, TOAST and every index.
    pub bytes: u64,
}

/// How PostgreSQL answers a class of queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `plainto_tsquery`, ranked, headlines, counted.
    Term,
    /// `phraseto_tsquery`, ranked, headlines, counted.
    Phrase,
    /// As `Term`, narrowed by a column, with counts per kind, village and decade.
    Facet,
    /// Each word found in no record replaced by close spellings from the list of indexed words
    /// (`ts_stat` with a trigram index, as pg_trgm's documentation suggests), then as `Term`:
    /// what Disan's typo fallback does.
    TypoWords,
    /// Trigram word similarity to the unaccented title, best first (Django's
    /// `TrigramWordSimilarity`): cheaper, but finds only titles.
    TypoTitle,
    /// Titles holding the complete words typed and a word beginning with the last (`:*A`).
    Suggest,
    /// The record whose id is the text typed, lowercased (a primary-key lookup).
    Identifier,
}

impl Variant {
    /// How PostgreSQL answers `class`.
    pub fn of(class: Class) -> &'static [Variant] {
        match class {
            Class::Term => &[Variant::Term],
            Class::Phrase => &[Variant::Phrase],
            Class::Facet => &[Variant::Facet],
            Class::Typo => &[Variant::TypoWords, Variant::TypoTitle],
            Class::Suggest => &[Variant::Suggest],
            Class::Identifier => &[Variant::Identifier],
            // PostgreSQL has no reading of input-method keys: it searches the keys as typed.
            Class::Telex => &[Variant::Term],
        }
    }
}

/// The timings and hits of one class of queries.
pub struct ClassTimes {
    /// The class.
    pub class: Class,
    /// How PostgreSQL answered it.
    pub variant: Variant,
    /// One timing per query per timed pass, in milliseconds.
    pub millis: Vec<f64>,
    /// Mean number of matching records per query.
    pub mean_hits: f64,
    /// Mean number of results returned per query.
    pub mean_rows: f64,
}

fn run(command: &mut Command) -> Result<Output, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{command:?} failed ({}): {}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn shell_finds(program: &str) -> Option<PathBuf> {
    let output = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .ok()?;
    let path = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
}

/// The newest `/usr/lib/postgresql/<version>/bin` with a server, else the folder of `pg_ctl` on
/// the PATH.
fn find_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            ["initdb", "pg_ctl", "postgres"]
                .iter()
                .all(|p| bin.join(p).is_file())
                .then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let pg_ctl = fs::canonicalize(shell_finds("pg_ctl")?).ok()?;
    let bin = pg_ctl.parent()?.to_path_buf();
    bin.join("initdb").is_file().then_some(bin)
}

impl Cluster {
    /// Creates and starts a cluster under `scratch/postgres`, or says why it cannot.
    pub fn start(scratch: &Path) -> Result<Cluster, String> {
        let bin = find_bin().ok_or(
            "PostgreSQL server binaries not found (apt-get install postgresql postgresql-contrib)",
        )?;
        let psql = if bin.join("psql").is_file() {
            bin.join("psql")
        } else {
            shell_finds("psql").ok_or("psql not found (apt-get install postgresql-client)")?
        };
        let uid = run(Command::new("id").arg("-u"))?;
        let root_user = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        let root = scratch.join("postgres");
        fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let run_as = if root_user {
            // The server refuses to run as root: hand its folder to the postgres user.
            let id = |flag: &str| -> Result<u32, String> {
                let output = run(Command::new("id").args([flag, "postgres"]))
                    .map_err(|_| "running as root and there is no postgres user".to_string())?;
                String::from_utf8_lossy(&output.stdout)
                    .trim()
                    .parse()
                    .map_err(|_| "unreadable id of the postgres user".to_string())
            };
            let (user, group) = (id("-u")?, id("-g")?);
            if shell_finds("runuser").is_none() {
                return Err("running as root and runuser (util-linux) is missing".into());
            }
            use std::os::unix::fs::PermissionsExt;
            let reachable = fs::Permissions::from_mode(0o711);
            fs::set_permissions(scratch, reachable).map_err(|e| e.to_string())?;
            std::os::unix::fs::chown(&root, Some(user), Some(group)).map_err(|e| e.to_string())?;
            Some("postgres".to_string())
        } else {
            None
        };
        let mut cluster = Cluster {
            bin,
            psql,
            data: root.join("data"),
            root,
            run_as,
            version: String::new(),
        };
        if cluster.run_as.is_some() {
            run(cluster.server_tool("test").arg("-w").arg(&cluster.root)).map_err(|_| {
                format!(
                    "the postgres user cannot write to {}: set DISAN_BENCH_DIR to a folder every \
                     user can reach, such as /tmp",
                    cluster.root.display()
                )
            })?;
        }
        let initdb = cluster.bin.join("initdb");
        run(cluster
            .server_tool(&initdb.to_string_lossy())
            .arg("-D")
            .arg(&cluster.data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]))?;
        let mut conf = fs::OpenOptions::new()
            .append(true)
            .open(cluster.data.join("postgresql.conf"))
            .map_err(|e| format!("postgresql.conf: {e}"))?;
        writeln!(
            conf,
            "{SETTINGS}unix_socket_directories = '{}'",
            cluster.root.display()
        )
        .map_err(|e| format!("postgresql.conf: {e}"))?;
        drop(conf);
        let pg_ctl = cluster.bin.join("pg_ctl").to_string_lossy().into_owned();
        let log = cluster.root.join("server.log");
        if let Err(error) = run(cluster
            .server_tool(&pg_ctl)
            .arg("-D")
            .arg(&cluster.data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "120", "start"]))
        {
            let log = fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("{error}\nserver log:\n{log}"));
        }
        let version = run(cluster
            .psql_command()
            .args(["-At", "-c", "SHOW server_version"]))?;
        cluster.version = String::from_utf8_lossy(&version.stdout)
            .split_whitespace()
            .next()
            .unwrap_or("?")
            .to_string();
        Ok(cluster)
    }

    /// A server tool, run as the postgres user when we are root.
    fn server_tool(&self, program: &str) -> Command {
        match &self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--", program]);
                command
            }
            None => Command::new(program),
        }
    }

    fn psql_command(&self) -> Command {
        let mut command = Command::new(&self.psql);
        command
            .arg("-X")
            .arg("-q")
            .arg("-h")
            .arg(&self.root)
            .args(["-p", "5432", "-U", "postgres", "-d", "postgres"])
            .args(["-v", "ON_ERROR_STOP=1"]);
        command
    }

    /// Runs a script file through psql, returning its standard output.
    fn script(&self, path: &Path) -> Result<String, String> {
        let output = run(self.psql_command().arg("-f").arg(path))?;
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// Creates the schema and loads `collection` into it; times the load and the indexing.
    pub fn load(&self, collection: &Collection, scratch: &Path) -> Result<Loaded, String> {
        let setup = scratch.join("pg-setup.sql");
        fs::write(
            &setup,
            "CREATE EXTENSION unaccent;
CREATE EXTENSION pg_trgm;
CREATE FUNCTION f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN public.unaccent('public.unaccent'::regdictionary, $1);
CREATE TEXT SEARCH CONFIGURATION vn (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION vn
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE TABLE records (
    id text PRIMARY KEY,
    access text NOT NULL,
    kind text NOT NULL,
    village text,
    craft text,
    decade integer,
    title text NOT NULL,
    title_en text,
    body text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('vn', title || ' ' || coalesce(title_en, '')), 'A')
        || to_tsvector('vn', body)
    ) STORED
);
",
        )
        .map_err(|e| e.to_string())?;
        self.script(&setup)?;
        let tsv = scratch.join("records.tsv");
        write_tsv(collection, &tsv).map_err(|e| format!("{}: {e}", tsv.display()))?;
        let load = scratch.join("pg-load.sql");
        fs::write(
            &load,
            format!(
                "\\copy records (id, access, kind, village, craft, decade, title, title_en, body) FROM {}
CREATE INDEX records_tsv ON records USING gin (tsv);
CREATE INDEX records_title_trgm ON records USING gin (f_unaccent(lower(title)) gin_trgm_ops);
CREATE INDEX records_village ON records (village);
CREATE INDEX records_kind ON records (kind);
CREATE INDEX records_decade ON records (decade);
CREATE TABLE words AS SELECT word, ndoc FROM ts_stat('SELECT tsv FROM records');
CREATE UNIQUE INDEX words_word ON words (word);
CREATE INDEX words_trgm ON words USING gin (word gin_trgm_ops);
ANALYZE records;
ANALYZE words;
CHECKPOINT;
",
                literal(&tsv.to_string_lossy())
            ),
        )
        .map_err(|e| e.to_string())?;
        let start = Instant::now();
        self.script(&load)?;
        let elapsed = start.elapsed();
        let size = run(self.psql_command().args([
            "-At",
            "-c",
            "SELECT pg_total_relation_size('records') + pg_total_relation_size('words')",
        ]))?;
        let bytes = String::from_utf8_lossy(&size.stdout)
            .trim()
            .parse()
            .map_err(|_| "unreadable table size".to_string())?;
        Ok(Loaded { elapsed, bytes })
    }

    /// Runs every query once untimed, then `passes` times timed; class by class, each way
    /// PostgreSQL answers it.
    pub fn time_queries(
        &self,
        sets: &[QuerySet],
        passes: usize,
        scratch: &Path,
    ) -> Result<Vec<ClassTimes>, String> {
        let script_path = scratch.join("pg-queries.sql");
        let results_path = |n: usize| scratch.join(format!("pg-results-{n}.txt"));
        let runs: Vec<(&QuerySet, Variant)> = sets
            .iter()
            .flat_map(|set| Variant::of(set.class).iter().map(move |&v| (set, v)))
            .collect();
        let mut script = String::from(
            "\\pset format unaligned\n\\pset tuples_only on\n\\pset pager off\n\\timing on\n",
        );
        for (n, (set, variant)) in runs.iter().enumerate() {
            let _ = writeln!(script, "\\o /dev/null");
            for query in &set.queries {
                let _ = writeln!(script, "{}", sql(*variant, query));
            }
            let results = results_path(n);
            let _ = writeln!(script, "\\o {}", literal(&results.to_string_lossy()));
            for _ in 0..passes {
                for query in &set.queries {
                    let _ = writeln!(script, "\\qecho @@\n{}", sql(*variant, query));
                }
            }
        }
        let _ = writeln!(script, "\\o");
        fs::write(&script_path, script).map_err(|e| e.to_string())?;
        let stdout = self.script(&script_path)?;
        let times: Vec<f64> = stdout
            .lines()
            .filter_map(|line| line.strip_prefix("Time: "))
            .filter_map(|rest| rest.split_whitespace().next()?.parse().ok())
            .collect();
        let expected: usize = runs
            .iter()
            .map(|(s, _)| s.queries.len() * (passes + 1))
            .sum();
        if times.len() != expected {
            return Err(format!(
                "psql reported {} timings for {expected} queries",
                times.len()
            ));
        }
        let mut classes = Vec::new();
        let mut at = 0;
        for (n, (set, variant)) in runs.iter().enumerate() {
            let count = set.queries.len();
            at += count; // the untimed pass
            let millis = times[at..at + count * passes].to_vec();
            at += count * passes;
            let path = results_path(n);
            let results =
                fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            // Each timed query's output starts with "@@"; its `hit` rows end with the total.
            let (mut totals, mut rows, mut queries) = (0u64, 0usize, 0usize);
            for block in results.split("@@\n").skip(1) {
                queries += 1;
                let hits: Vec<&str> = block.lines().filter(|l| l.starts_with("hit|")).collect();
                rows += hits.len();
                totals += hits
                    .first()
                    .and_then(|line| line.rsplit('|').next()?.parse::<u64>().ok())
                    .unwrap_or(0);
            }
            let queries = queries.max(1) as f64;
            classes.push(ClassTimes {
                class: set.class,
                variant: *variant,
                millis,
                mean_hits: totals as f64 / queries,
                mean_rows: rows as f64 / queries,
            });
        }
        Ok(classes)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let pg_ctl = self.bin.join("pg_ctl").to_string_lossy().into_owned();
        let _ = self
            .server_tool(&pg_ctl)
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w", "stop"])
            .output();
    }
}

/// A SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The statement a PHP or Django archive would send for `query`: the public matches ranked by
/// `ts_rank`, the 20 best with a `ts_headline`, and the number of matches. Facet queries also
/// count matches per kind, village and decade (Disan counts seven facets on every query).
fn sql(variant: Variant, query: &Query) -> String {
    let words = literal(&query.words);
    let tsquery = match variant {
        Variant::TypoTitle => {
            return format!(
                "SELECT 'hit', id, title, '', count(*) OVER () FROM records \
                 WHERE access = 'public' AND f_unaccent(lower({words})) <% f_unaccent(lower(title)) \
                 ORDER BY word_similarity(f_unaccent(lower({words})), f_unaccent(lower(title))) \
                 DESC LIMIT 20;"
            );
        }
        Variant::Suggest => {
            let folded = crate::queries::words(&disan::model::text::fold(&query.words));
            let Some((last, complete)) = folded.split_last() else {
                return "SELECT 1 WHERE false;".to_string();
            };
            let mut terms: Vec<String> = complete.iter().map(|w| format!("{w}:A")).collect();
            terms.push(format!("{last}:*A"));
            let tsquery = literal(&terms.join(" & "));
            return format!(
                "SELECT 'hit', id, title FROM records, to_tsquery('vn', {tsquery}) AS q \
                 WHERE access = 'public' AND tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT 8;"
            );
        }
        Variant::Identifier => {
            return format!(
                "SELECT 'hit', id, title, '', 1 FROM records \
                 WHERE access = 'public' AND id = lower({words});"
            );
        }
        Variant::Phrase => format!("phraseto_tsquery('vn', {words})"),
        Variant::Term | Variant::Facet => format!("plainto_tsquery('vn', {words})"),
        Variant::TypoWords => "(SELECT q FROM respelled)".to_string(),
    };
    let respelled = if variant == Variant::TypoWords {
        format!(
            "typed AS (SELECT DISTINCT w FROM regexp_split_to_table(f_unaccent(lower({words})), '\\s+') AS w \
             WHERE w <> ''), \
             alternatives AS (SELECT CASE WHEN EXISTS (SELECT 1 FROM words WHERE word = typed.w) \
             THEN quote_literal(typed.w) ELSE (SELECT string_agg(quote_literal(c.word), ' | ') \
             FROM (SELECT word FROM words WHERE word % typed.w \
             ORDER BY similarity(word, typed.w) DESC, ndoc DESC LIMIT 8) AS c) END AS alternative \
             FROM typed), \
             respelled AS (SELECT to_tsquery('simple', string_agg('(' || alternative || ')', ' & ')) AS q \
             FROM alternatives WHERE alternative IS NOT NULL), "
        )
    } else {
        String::new()
    };
    let filter = match &query.filter {
        None => String::new(),
        Some(Filter::Village(id)) => format!(" AND village = {}", literal(id)),
        Some(Filter::Kind(kind)) => format!(" AND kind = {}", literal(kind)),
        Some(Filter::Decade(decade)) => format!(" AND decade = {decade}"),
    };
    let matches = format!(
        "WITH {respelled}m AS MATERIALIZED (SELECT id, kind, village, decade, ts_rank(tsv, q) AS rank \
         FROM records, {tsquery} AS q WHERE access = 'public'{filter} AND tsv @@ q)"
    );
    let page = format!(
        "(SELECT 'hit', r.id, r.title, ts_headline('vn', r.body, {tsquery}), \
         (SELECT count(*) FROM m) FROM (SELECT id, rank FROM m ORDER BY rank DESC LIMIT 20) AS p \
         JOIN records AS r USING (id) ORDER BY p.rank DESC)"
    );
    if variant == Variant::Facet {
        format!(
            "{matches} {page} \
             UNION ALL SELECT 'kind', kind, NULL, NULL, count(*) FROM m GROUP BY kind \
             UNION ALL SELECT 'village', village, NULL, NULL, count(*) FROM m GROUP BY village \
             UNION ALL SELECT 'decade', decade::text, NULL, NULL, count(*) FROM m GROUP BY decade;"
        )
    } else {
        format!("{matches} {page};")
    }
}

/// Escapes a value for COPY's text format.
fn copy_field(out: &mut String, value: Option<&str>) {
    match value {
        None => out.push_str("\\N"),
        Some(text) => {
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    _ => out.push(c),
                }
            }
        }
    }
}

/// The records as COPY text: the same text Disan indexes (titles; descriptions; village and
/// craft names, Vietnamese and English).
fn write_tsv(collection: &Collection, path: &Path) -> std::io::Result<()> {
    let mut out = String::with_capacity(collection.records.len() * 2048);
    for record in &collection.records {
        let mut body = Vec::new();
        for lang in [Lang::Vi, Lang::En] {
            if let Some(text) = record.dc_value("description", lang) {
                body.push(text.to_string());
            }
        }
        for authority in [collection.village(record), collection.craft(record)]
            .into_iter()
            .flatten()
        {
            body.push(authority.name.clone());
            body.push(authority.name_en.clone());
        }
        let decade = synthetic::decade(record).map(|d| d.to_string());
        let access = record.access.to_string();
        let fields = [
            Some(record.id.as_str()),
            Some(access.as_str()),
            Some(record.kind.as_str()),
            record.village.as_ref().map(|v| v.as_str()),
            record.craft.as_ref().map(|c| c.as_str()),
            decade.as_deref(),
            Some(record.title(Lang::Vi)),
            record.dc_value("title", Lang::En),
            Some(&body.join(" ")),
        ];
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            copy_field(&mut out, field);
        }
        out.push('\n');
    }
    fs::write(path, out)
}
