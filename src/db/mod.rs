//! Connections to SQLite (always) or PostgreSQL (cargo feature `postgres`), chosen by the
//! database URL's scheme, pooled with r2d2 and always used from the blocking pool.

mod error;
mod migration_state;
pub mod schema;
mod types;
mod writer;

pub use migration_state::MigrationState;

use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub use error::StoreError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
#[cfg(feature = "postgres")]
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[cfg(feature = "postgres")]
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

#[cfg(not(feature = "postgres"))]
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
}

/// Runs `$body` with `$c` bound to the backend's own connection, for what the
/// multi-backend connection cannot express (upserts, batch inserts).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            #[cfg(feature = "postgres")]
            $crate::db::DbConnection::Postgres($c) => $body,
        }
    };
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    Sqlite(String),
    Postgres(String),
}

impl Backend {
    /// `postgres://` or `postgresql://` selects PostgreSQL; `sqlite://path`, `sqlite:path` or a
    /// plain path selects SQLite.
    pub fn from_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(url.to_string())
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            Backend::Sqlite(path.to_string())
        }
    }
}

/// Opens connections for the pool and sets each SQLite connection up.
#[derive(Debug, Clone)]
pub struct Manager {
    backend: Backend,
}

impl Manager {
    fn establish(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match &self.backend {
            Backend::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(path)?;
                // Each its own statement: PRAGMAs do not all apply inside one batch.
                for pragma in [
                    "PRAGMA busy_timeout = 10000",
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = FULL",
                    "PRAGMA foreign_keys = ON",
                    // Savepoints' journals stay in memory: the group writer opens one per write.
                    "PRAGMA temp_store = MEMORY",
                    // Reads map the file instead of copying each page out of the kernel's
                    // cache: a full export read every row's page again through `read`.
                    "PRAGMA mmap_size = 1073741824",
                ] {
                    conn.batch_execute(pragma)
                        .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                }
                Ok(DbConnection::Sqlite(conn))
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(url) => Ok(DbConnection::Postgres(diesel::PgConnection::establish(
                url,
            )?)),
            #[cfg(not(feature = "postgres"))]
            Backend::Postgres(_) => Err(diesel::ConnectionError::BadConnection(
                "this build has no PostgreSQL support (build with --features postgres)".into(),
            )),
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.establish().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

impl DbConnection {
    /// Runs `f` in one write transaction. On SQLite it is `BEGIN IMMEDIATE`: a deferred
    /// transaction that reads and then writes fails at once with "database is locked"
    /// instead of waiting its turn.
    pub fn write<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        let Some(c) = self.as_sqlite() else {
            return self.transaction(f);
        };
        // Inside a transaction already (the group writer's): a savepoint of its own.
        if let Ok(Some(_)) =
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth()
        {
            return self.transaction(f);
        }
        // Writers of this process queue here, in order, instead of polling SQLite's lock in
        // its busy handler, whose growing sleeps would make the slowest wait very long.
        let writer = WRITER.with(|w| w.borrow().clone());
        let _turn = writer
            .as_ref()
            .map(|m| m.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        let result = f(self);
        let c = self.as_sqlite().expect("the connection is still SQLite");
        match result {
            Ok(value) => {
                AnsiTransactionManager::commit_transaction(c)?;
                Ok(value)
            }
            Err(e) => {
                AnsiTransactionManager::rollback_transaction(c)?;
                Err(e)
            }
        }
    }

    pub(crate) fn as_sqlite(&mut self) -> Option<&mut diesel::SqliteConnection> {
        match self {
            DbConnection::Sqlite(c) => Some(c),
            #[cfg(feature = "postgres")]
            DbConnection::Postgres(_) => None,
        }
    }

    /// Applies the migrations of this connection's backend that are not applied yet.
    pub fn migrate(&mut self) -> Result<usize, String> {
        let applied = match self {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
            #[cfg(feature = "postgres")]
            DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        };
        let applied = applied.map(|v| v.len()).map_err(|e| e.to_string())?;
        // Derived data only Rust can write follows the schema: the anonymised copies.
        crate::store::complaints::refresh_shared_copies(self).map_err(|e| e.to_string())?;
        Ok(applied)
    }
}

thread_local! {
    /// The writer lock of the database the current blocking task works on (set by `Db::run`).
    static WRITER: RefCell<Option<Arc<Mutex<()>>>> = const { RefCell::new(None) };
}

/// The statistics' generation number, which every transaction that changes a published
/// figure moves: a write whose transaction ends with another number than it began with
/// changed what caches derive from the counters.
pub(crate) fn generation(conn: &mut DbConnection) -> QueryResult<i64> {
    schema::stats_generation::table
        .find(1)
        .select(schema::stats_generation::n)
        .first(conn)
}

/// Clears the thread's writer lock when the task ends, even by a panic.
struct WriterScope;

impl Drop for WriterScope {
    fn drop(&mut self) {
        WRITER.with(|w| *w.borrow_mut() = None);
    }
}

/// The shared handle to the database: a pool, used only from the blocking thread pool,
/// and on SQLite the one writer (see `writer`).
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    /// Serialises this process's SQLite write transactions.
    lock: Arc<Mutex<()>>,
    writer: Option<Arc<writer::Writer>>,
    changes: Arc<AtomicU64>,
}

impl Db {
    /// Opens the database named by `url` (creating a SQLite file and its folder if need be)
    /// and checks that it answers. The error is one line meant for a person.
    pub fn open(url: &str) -> Result<Db, String> {
        let backend = Backend::from_url(url);
        let max_size = match backend {
            Backend::Sqlite(_) => 8,
            Backend::Postgres(_) => 16,
        };
        // One direct connection first, so a wrong URL fails now with its real reason
        // instead of after the pool's connection timeout.
        drop(connect(url)?);
        let manager = Manager { backend };
        let pool = Pool::builder()
            .max_size(max_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(manager.clone())
            .map_err(|e| open_error(url, &e.to_string()))?;
        let lock = Arc::new(Mutex::new(()));
        let changes = Arc::new(AtomicU64::new(0));
        let writer = match manager.backend {
            Backend::Sqlite(_) => Some(Arc::new(
                writer::Writer::start(manager, lock.clone(), changes.clone())
                    .map_err(|e| open_error(url, &e))?,
            )),
            Backend::Postgres(_) => None,
        };
        Ok(Db {
            pool,
            lock,
            writer,
            changes,
        })
    }

    /// A number that moves after each committed write of this process that moved the
    /// statistics' generation: what was derived while it had one value is current while it
    /// keeps it (in this process).
    pub fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// At a stop: waits, at most `timeout`, for the writes already queued to be committed.
    pub fn finish_writes(&self, timeout: Duration) -> bool {
        self.writer.as_ref().is_none_or(|w| w.flush(timeout))
    }

    /// The pool's connections: open, and of those idle.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    pub fn conn(&self) -> Result<PooledConnection<Manager>, StoreError> {
        self.pool
            .get()
            .map_err(|e| StoreError::Unavailable(e.to_string()))
    }

    /// Runs blocking database work on the blocking pool, never on an async worker. The
    /// error is the caller's own, as long as it can say what the store's errors say.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let db = self.clone();
        rocket::tokio::task::spawn_blocking(move || {
            WRITER.with(|w| *w.borrow_mut() = Some(db.lock.clone()));
            let _scope = WriterScope;
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
        .unwrap_or_else(|e| match e.try_into_panic() {
            // A panic stays a panic: Rocket answers 500, as for one in the handler.
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => Err(StoreError::Unavailable(format!("database task failed: {e}")).into()),
        })
    }

    /// Runs `f` as one write transaction and answers once it is durable. On SQLite it is
    /// queued to the group writer, in a savepoint of the writer's transaction; on
    /// PostgreSQL it is a transaction of its own on the blocking pool.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let Some(writer) = &self.writer else {
            let changes = self.changes.clone();
            return self
                .run(move |conn| {
                    let (value, changed) = in_transaction::<_, E, _>(conn, |conn| {
                        let read = |conn: &mut DbConnection| {
                            generation(conn).map_err(|e| E::from(StoreError::from(e)))
                        };
                        let before = read(conn)?;
                        let value = f(conn)?;
                        let after = read(conn)?;
                        Ok((value, before != after))
                    })?;
                    // Committed: what the caches hold may be stale now.
                    if changed {
                        changes.fetch_add(1, Ordering::Release);
                    }
                    Ok::<_, E>(value)
                })
                .await;
        };
        let (sender, answer) = rocket::tokio::sync::oneshot::channel();
        writer.submit(Box::new(move |conn| {
            let result = in_transaction(conn, f);
            writer::Ran {
                failed: result.is_err(),
                answer: Box::new(move |commit| {
                    let _ = sender.send(commit.map_err(E::from).and(result));
                }),
            }
        }))?;
        answer
            .await
            .map_err(|_| StoreError::Unavailable("the write was not done".into()))?
    }
}

/// Runs `f` in a transaction (a savepoint inside one), with the caller's error type.
fn in_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError>,
{
    /// The caller's error, or the database's own while beginning or ending.
    enum Failure<E> {
        Caller(E),
        Database(diesel::result::Error),
    }
    impl<E> From<diesel::result::Error> for Failure<E> {
        fn from(e: diesel::result::Error) -> Self {
            Failure::Database(e)
        }
    }
    conn.transaction(|conn| f(conn).map_err(Failure::Caller))
        .map_err(|e| match e {
            Failure::Caller(e) => e,
            Failure::Database(e) => StoreError::Database(e).into(),
        })
}

/// One connection without a pool, for the command line: nothing keeps running behind it.
/// Creates a SQLite file and its folder if need be. The error is one line for a person.
pub fn connect(url: &str) -> Result<DbConnection, String> {
    let backend = Backend::from_url(url);
    if let Backend::Sqlite(path) = &backend
        && let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            open_error(url, &format!("cannot create folder {}: {e}", dir.display()))
        })?;
    }
    Manager { backend }
        .establish()
        .map_err(|e| open_error(url, &e.to_string()))
}

fn open_error(url: &str, reason: &str) -> String {
    format!("cannot open database {}: {}", redact(url), one_line(reason))
}

/// Hides a password in a URL before it is printed.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_selects_backend() {
        assert_eq!(
            Backend::from_url("postgres://u@h/db"),
            Backend::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            Backend::from_url("postgresql://h/db"),
            Backend::Postgres("postgresql://h/db".into())
        );
        assert_eq!(
            Backend::from_url("sqlite://data/x.db"),
            Backend::Sqlite("data/x.db".into())
        );
        assert_eq!(
            Backend::from_url("sqlite:x.db"),
            Backend::Sqlite("x.db".into())
        );
        assert_eq!(
            Backend::from_url("data/x.db"),
            Backend::Sqlite("data/x.db".into())
        );
    }

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(
            redact("postgres://bob:secret@h/db"),
            "postgres://bob:***@h/db"
        );
        assert_eq!(redact("postgres://bob@h/db"), "postgres://bob@h/db");
        assert_eq!(redact("data/x.db"), "data/x.db");
    }
}
