//! How a database's applied migrations compare with the ones built into this binary: for
//! `/readyz` (all applied?) and `recours restore` (not from a newer schema?).

use diesel::migration::MigrationSource;
use diesel_migrations::MigrationHarness;

use super::DbConnection;

#[derive(Debug, PartialEq, Eq)]
pub struct MigrationState {
    /// Built into this binary, not applied to the database.
    pub pending: Vec<String>,
    /// Applied to the database, unknown to this binary: it comes from a newer version.
    pub unknown: Vec<String>,
}

impl MigrationState {
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.unknown.is_empty()
    }
}

impl DbConnection {
    /// Compares the migrations table with the embedded migrations (reads only).
    pub fn migration_state(&mut self) -> Result<MigrationState, String> {
        let (embedded, applied) = match self {
            DbConnection::Sqlite(c) => (
                versions(MigrationSource::<diesel::sqlite::Sqlite>::migrations(
                    &super::SQLITE_MIGRATIONS,
                )),
                c.applied_migrations(),
            ),
            #[cfg(feature = "postgres")]
            DbConnection::Postgres(c) => (
                versions(MigrationSource::<diesel::pg::Pg>::migrations(
                    &super::POSTGRES_MIGRATIONS,
                )),
                c.applied_migrations(),
            ),
        };
        let embedded = embedded?;
        let applied: Vec<String> = applied
            .map_err(|e| e.to_string())?
            .iter()
            .map(ToString::to_string)
            .collect();
        Ok(MigrationState {
            pending: embedded
                .iter()
                .filter(|v| !applied.contains(v))
                .cloned()
                .collect(),
            unknown: applied
                .iter()
                .filter(|v| !embedded.contains(v))
                .cloned()
                .collect(),
        })
    }
}

fn versions<DB: diesel::backend::Backend>(
    migrations: diesel::migration::Result<Vec<Box<dyn diesel::migration::Migration<DB>>>>,
) -> Result<Vec<String>, String> {
    Ok(migrations
        .map_err(|e| e.to_string())?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect())
}
