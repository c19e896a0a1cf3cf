//! `recours backup` and `recours restore` on SQLite. A backup is `VACUUM INTO` through a
//! connection: SQLite writes the copy from one read transaction, so it is consistent while the
//! portal serves and writes, and it holds the WAL's committed pages (a file copy would not).
//! Both write beside their target, check the copy, make it durable and only then give it its
//! name, so a failure leaves the target as it was.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::{Backend, DbConnection};
use crate::ops::serve_lock::ExclusiveLock;

/// Why a backup or restore did not happen. Nothing was changed in either case.
#[derive(Debug)]
pub enum OpsError {
    /// The request cannot be done as asked (target exists, portal running, not a backup…).
    Refused(String),
    /// It could be done but failed (disk, database).
    Failed(String),
}

impl OpsError {
    fn failed(context: &str, e: impl std::fmt::Display) -> OpsError {
        OpsError::Failed(format!("{context}: {e}"))
    }
}

/// What a verified copy holds.
#[derive(Debug)]
pub struct CopyFacts {
    pub complaints: i64,
    pub users: i64,
}

pub const POSTGRES_ADVICE: &str = "on PostgreSQL, back up with pg_dump -Fc and restore with \
     pg_restore --clean --if-exists --no-owner (see the README's \"Backups\" section)";

fn sqlite_path(database_url: &str) -> Result<PathBuf, OpsError> {
    match Backend::from_url(database_url) {
        Backend::Sqlite(path) => Ok(PathBuf::from(path)),
        Backend::Postgres(_) => Err(OpsError::Refused(POSTGRES_ADVICE.into())),
    }
}

/// Copies the live database to `to` (which must not exist), checks the copy, and returns
/// what it holds.
pub fn backup(database_url: &str, to: &Path) -> Result<CopyFacts, OpsError> {
    let database = sqlite_path(database_url)?;
    if !database.is_file() {
        return Err(OpsError::Refused(format!(
            "no database at {}",
            database.display()
        )));
    }
    let partial = Partial::create(to, true)?;
    let mut live = crate::db::connect(database_url).map_err(OpsError::Failed)?;
    vacuum_into(&mut live, &partial.path)?;
    drop(live);
    let facts = check(&partial.path, false)?;
    partial.publish(to)?;
    Ok(facts)
}

/// Replaces the database with the backup `from`, once it is checked, migrated to this
/// version's schema, and durable. Refused while a portal serves the database.
pub fn restore(database_url: &str, from: &Path) -> Result<CopyFacts, OpsError> {
    let database = sqlite_path(database_url)?;
    if !from.is_file() {
        return Err(OpsError::Refused(format!("no file at {}", from.display())));
    }
    let Some(_lock) = ExclusiveLock::take(&database).map_err(OpsError::Failed)? else {
        return Err(OpsError::Refused(format!(
            "the portal is running on {}: stop it first (nothing was changed)",
            database.display()
        )));
    };
    let partial = Partial::create(&database, false)?;
    let mut source = open_read_only(from)?;
    vacuum_into(&mut source, &partial.path).map_err(|_| not_a_backup(from, "unreadable"))?;
    drop(source);
    let facts = check(&partial.path, true).map_err(|e| match e {
        OpsError::Failed(why) => not_a_backup(from, &why),
        refused => refused,
    })?;
    // The old database's WAL must not be applied to the new file: fold it into the old file
    // first (nothing else has it open: we hold the lock), so that it stays whole if we stop
    // before the rename, then drop the side files. A damaged database (perhaps the reason
    // for the restore) may refuse the checkpoint: it is replaced all the same.
    if database.is_file()
        && let Ok(mut old) = crate::db::connect(database_url)
    {
        let _ = old.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    for suffix in ["-wal", "-shm"] {
        let mut side = database.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(OpsError::failed("cannot remove the old WAL file", e));
            }
            _ => {}
        }
    }
    partial.replace(&database)?;
    Ok(facts)
}

fn not_a_backup(from: &Path, why: &str) -> OpsError {
    OpsError::Refused(format!(
        "{} is not a valid Recours database ({why}): nothing was changed",
        from.display()
    ))
}

fn vacuum_into(conn: &mut DbConnection, to: &Path) -> Result<(), OpsError> {
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(to.to_string_lossy())
        .execute(conn)
        .map(|_| ())
        .map_err(|e| OpsError::failed(&format!("cannot write {}", to.display()), e))
}

/// A connection that cannot change `path`, through SQLite's URI syntax.
fn open_read_only(path: &Path) -> Result<DbConnection, OpsError> {
    let escaped = path
        .to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    diesel::SqliteConnection::establish(&format!("file:{escaped}?mode=ro"))
        .map(DbConnection::Sqlite)
        .map_err(|e| OpsError::failed(&format!("cannot open {}", path.display()), e))
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Checks a copy: SQLite's integrity check, Recours's tables, a schema this binary knows
/// (migrated to it when `migrate`), and the statistics equal to their recount.
fn check(path: &Path, migrate: bool) -> Result<CopyFacts, OpsError> {
    let bad = |why: String| OpsError::Failed(why);
    let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())
        .map(DbConnection::Sqlite)
        .map_err(|e| bad(e.to_string()))?;
    let integrity: Vec<Row> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(|e| bad(e.to_string()))?;
    if integrity.len() != 1 || integrity[0].integrity_check != "ok" {
        let first = integrity.first().map_or("", |r| r.integrity_check.as_str());
        return Err(bad(format!("integrity check: {first}")));
    }
    let tables: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' \
         AND name IN ('__diesel_schema_migrations', 'users', 'complaints')",
    )
    .get_result(&mut conn)
    .map_err(|e| bad(e.to_string()))?;
    if tables.n != 3 {
        return Err(bad("not Recours's tables".into()));
    }
    let state = conn.migration_state().map_err(bad)?;
    if !state.unknown.is_empty() {
        return Err(OpsError::Refused(format!(
            "the copy comes from a newer version of Recours (migrations {} unknown to this one): \
             upgrade first; nothing was changed",
            state.unknown.join(", ")
        )));
    }
    if migrate && !state.pending.is_empty() {
        conn.migrate()
            .map_err(|e| bad(format!("cannot migrate: {e}")))?;
    }
    let differences = crate::store::stats::verify(&mut conn).map_err(|e| bad(e.to_string()))?;
    if !differences.is_empty() {
        return Err(bad(format!(
            "{} statistics figure(s) differ from their recount",
            differences.len()
        )));
    }
    let count = |table: &str, conn: &mut DbConnection| {
        diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result::<Count>(conn)
            .map(|c| c.n)
            .map_err(|e| bad(e.to_string()))
    };
    Ok(CopyFacts {
        complaints: count("complaints", &mut conn)?,
        users: count("users", &mut conn)?,
    })
}

/// A file being written beside its final name; removed unless published.
struct Partial {
    path: PathBuf,
    done: bool,
}

impl Partial {
    /// Creates an empty file beside `target` (refusing an existing target if `new`), which
    /// proves the folder writable before any work.
    fn create(target: &Path, new: bool) -> Result<Partial, OpsError> {
        if new && target.symlink_metadata().is_ok() {
            return Err(OpsError::Refused(format!(
                "{} already exists: choose another name (nothing was written)",
                target.display()
            )));
        }
        let name = target
            .file_name()
            .ok_or_else(|| OpsError::Refused(format!("{} names no file", target.display())))?;
        let mut partial = std::ffi::OsString::from(".");
        partial.push(name);
        partial.push(format!(".partial-{}", std::process::id()));
        let path = parent(target).join(partial);
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                OpsError::Refused(format!(
                    "cannot write in {}: {e} (nothing was written)",
                    parent(target).display()
                ))
            })?;
        Ok(Partial { path, done: false })
    }

    fn sync(&self) -> Result<(), OpsError> {
        File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(|e| OpsError::failed(&format!("cannot sync {}", self.path.display()), e))
    }

    /// Gives the copy its name, refusing to overwrite a file that appeared meanwhile.
    fn publish(mut self, target: &Path) -> Result<(), OpsError> {
        self.sync()?;
        std::fs::hard_link(&self.path, target).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                OpsError::Refused(format!("{} already exists", target.display()))
            } else {
                OpsError::failed(&format!("cannot create {}", target.display()), e)
            }
        })?;
        let _ = std::fs::remove_file(&self.path);
        self.done = true;
        sync_dir(parent(target))
    }

    /// Puts the copy in place of `target`, atomically.
    fn replace(mut self, target: &Path) -> Result<(), OpsError> {
        self.sync()?;
        std::fs::rename(&self.path, target)
            .map_err(|e| OpsError::failed(&format!("cannot replace {}", target.display()), e))?;
        self.done = true;
        sync_dir(parent(target))
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Makes a new name in `dir` durable.
fn sync_dir(dir: &Path) -> Result<(), OpsError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| OpsError::failed(&format!("cannot sync {}", dir.display()), e))
}
