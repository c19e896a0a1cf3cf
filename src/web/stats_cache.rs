//! The statistics pages' figures, and what is made from them (page fragments, CSV, JSON),
//! kept per filter until the counters change.
//!
//! A cached answer carries the version of the counters it was made from: the generation
//! number every counter transaction moves in the database, and this process's count of
//! committed counter changes (`Db::changes`). This process's own changes show at once; the
//! generation, which tells of other instances' and the command line's, is read from the
//! database at most once per `stats_recheck_ms`, so a crowd reading the statistics costs
//! the database nothing.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::{Db, DbConnection};
use crate::store::stats::{self, Filter};
use crate::web::errors::AppError;

use super::i18n::Lang;

/// Past this many entries the cache starts afresh: filters come from the query string.
const MAX_ENTRIES: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// What is kept: the figures a route needs, or what is made from them.
    pub what: &'static str,
    pub filter: Filter,
    pub slug: Option<String>,
    /// For what is written in one language.
    pub lang: Option<Lang>,
}

impl Key {
    pub fn new(what: &'static str, filter: &Filter, slug: Option<&str>) -> Key {
        Key {
            what,
            filter: filter.clone(),
            slug: slug.map(str::to_string),
            lang: None,
        }
    }

    /// The same figures, for something else made from them.
    pub fn made(&self, what: &'static str, lang: Option<Lang>) -> Key {
        Key {
            what,
            lang,
            ..self.clone()
        }
    }
}

/// Which counters an answer was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    generation: i64,
    changes: u64,
}

type Entry = (Version, Arc<dyn Any + Send + Sync>);

pub struct StatsCache {
    entries: Mutex<HashMap<Key, Entry>>,
    /// One computation at a time: a crowd arriving on a cold cache waits for the first
    /// instead of computing the same figures side by side.
    computing: rocket::tokio::sync::Mutex<()>,
    /// The generation last read from the database, and when.
    seen: Mutex<Option<(i64, Instant)>>,
    recheck: Duration,
}

impl StatsCache {
    pub fn new(recheck: Duration) -> StatsCache {
        StatsCache {
            entries: Mutex::default(),
            computing: rocket::tokio::sync::Mutex::new(()),
            seen: Mutex::default(),
            recheck,
        }
    }

    /// The figures for `key` and their version, computed by `compute` unless the cache
    /// holds them for the current version.
    pub async fn get<T, F>(
        &self,
        db: &Db,
        key: Key,
        compute: F,
    ) -> Result<(Arc<T>, Version), AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        if let Some(found) = self.fresh::<T>(&key, self.version(db).await?)? {
            return Ok(found);
        }
        let _turn = self.computing.lock().await;
        // Another request may have computed it while this one waited its turn.
        if let Some(found) = self.fresh::<T>(&key, self.version(db).await?)? {
            return Ok(found);
        }
        let changes_db = db.clone();
        let (version, value) = db
            .run(move |conn| {
                // Read before computing: what is computed is at least this fresh.
                let changes = changes_db.changes();
                let generation = stats::generation(conn)?;
                let version = Version {
                    generation,
                    changes,
                };
                Ok::<_, AppError>((version, Arc::new(compute(conn)?)))
            })
            .await?;
        self.saw(version.generation);
        self.keep(key, version, value.clone())?;
        Ok((value, version))
    }

    /// What `make` makes from figures of `version`, made once per version.
    pub fn made<T, F>(&self, key: Key, version: Version, make: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Result<T, AppError>,
    {
        if let Some((value, _)) = self.fresh::<T>(&key, version)? {
            return Ok(value);
        }
        let value = Arc::new(make()?);
        self.keep(key, version, value.clone())?;
        Ok(value)
    }

    /// The counters' current version, reading the generation from the database only when
    /// the last reading is older than `recheck`.
    async fn version(&self, db: &Db) -> Result<Version, AppError> {
        // Read before the generation: a change committed meanwhile is seen next time.
        let changes = db.changes();
        let seen = *self.seen.lock().map_err(|_| poisoned())?;
        let generation = match seen {
            Some((generation, at)) if at.elapsed() < self.recheck => generation,
            _ => {
                let generation = db.run(stats::generation).await?;
                self.saw(generation);
                generation
            }
        };
        Ok(Version {
            generation,
            changes,
        })
    }

    fn saw(&self, generation: i64) {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((generation, Instant::now()));
        }
    }

    fn keep<T: Send + Sync + 'static>(
        &self,
        key: Key,
        version: Version,
        value: Arc<T>,
    ) -> Result<(), AppError> {
        let mut entries = self.entries.lock().map_err(|_| poisoned())?;
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (version, value as Arc<dyn Any + Send + Sync>));
        Ok(())
    }

    /// The cached value for `key` if it was made at `version`.
    fn fresh<T: Send + Sync + 'static>(
        &self,
        key: &Key,
        version: Version,
    ) -> Result<Option<(Arc<T>, Version)>, AppError> {
        let entries = self.entries.lock().map_err(|_| poisoned())?;
        Ok(entries
            .get(key)
            .filter(|(v, _)| *v == version)
            .and_then(|(_, value)| value.clone().downcast::<T>().ok())
            .map(|value| (value, version)))
    }
}

fn poisoned() -> AppError {
    AppError::Internal("statistics cache poisoned".into())
}
