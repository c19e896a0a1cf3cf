//! The lock a serving portal holds on its SQLite database, so that `recours restore` can tell
//! that the portal runs. A file beside the database (`recours.db.lock`): each server holds a
//! shared `flock` on it for its whole life, a restore an exclusive one. The kernel drops the
//! lock when the process ends, even by SIGKILL, so a crash leaves nothing stale to clean.
//! (SQLite's own locks cannot say it: an idle server in WAL mode holds none.)

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::db::Backend;

/// Held by a serving portal (in Rocket's state) until it stops.
pub struct ServeLock {
    _file: Option<File>,
}

pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn open(path: &Path) -> Result<File, String> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))
}

impl ServeLock {
    /// Takes the shared lock of a SQLite database; nothing on PostgreSQL. Fails while a
    /// restore replaces the database.
    pub fn take(database_url: &str) -> Result<ServeLock, String> {
        let Backend::Sqlite(path) = Backend::from_url(database_url) else {
            return Ok(ServeLock { _file: None });
        };
        let path = lock_path(Path::new(&path));
        let file = open(&path)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(ServeLock { _file: Some(file) }),
            Err(TryLockError::WouldBlock) => Err(format!(
                "a restore is replacing the database (it holds {}): start the portal once it is done",
                path.display()
            )),
            Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
        }
    }
}

/// The exclusive lock a restore holds while it replaces the database.
pub struct ExclusiveLock {
    _file: File,
}

impl ExclusiveLock {
    pub fn take(database: &Path) -> Result<Option<ExclusiveLock>, String> {
        let path = lock_path(database);
        let file = open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(ExclusiveLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
        }
    }
}
