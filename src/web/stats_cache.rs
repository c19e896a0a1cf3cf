//! The statistics pages' figures, and what is made from them (page fragments, CSV, JSON),
//! kept per filter until the counters change.
//!
//! A cached answer carries the version of the counters it was made from: the generation
//! number every counter transaction moves in the database, and this process's count of
//! committed counter changes (`Db::changes`). This process's own changes show at once; the
//! generation, which tells of other instances' and the command line's, is read from the
//! database at most once per `stats_recheck_ms`, so a crowd reading the statistics costs
//! the database nothing.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::value::RawValue;

use crate::db::{Db, DbConnection};
use crate::ops::metrics::METRICS;
use crate::store::StoreError;
use crate::store::stats::{self, Detail, Filter, Generation, Published};
use crate::web::errors::AppError;

use super::i18n::Lang;

/// Past this many entries a slot starts afresh: filters come from the query string.
const MAX_ENTRIES: usize = 1024;

/// Which counters an answer was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    generation: Generation,
    changes: u64,
}

impl Version {
    /// The published statistics' generation: the open data's `data_version`.
    pub fn data_version(&self) -> i64 {
        self.generation.n
    }

    /// When the published statistics last changed, if they ever did.
    pub fn changed_at(&self) -> Option<chrono::NaiveDateTime> {
        self.generation.changed_at
    }
}

/// The figures of the statistics' home page: the providers and the complaints per month.
pub type IndexFigures = (Vec<Published>, BTreeMap<String, i64>);

/// What is kept, one slot per kind of thing, keyed by what it depends on.
pub struct StatsCache {
    /// Every provider's published figures.
    pub providers: Slot<Filter, Vec<Published>>,
    /// One provider (by slug) in detail.
    pub provider: Slot<(String, Filter), Detail>,
    pub index: Slot<Filter, IndexFigures>,
    pub index_html: Slot<(Filter, Lang), String>,
    pub provider_html: Slot<(String, Filter, Lang), String>,
    pub providers_csv: Slot<Filter, Vec<u8>>,
    pub providers_json: Slot<Filter, Box<RawValue>>,
    pub provider_json: Slot<(String, Filter), Box<RawValue>>,
    /// The generation last read from the database, and when.
    seen: Mutex<Option<(Generation, Instant)>>,
    recheck: Duration,
}

/// The entries of one kind of thing. The map's lock is held only to find an entry; each
/// entry has its own locks.
pub struct Slot<K, V> {
    entries: Mutex<HashMap<K, Arc<Entry<V>>>>,
}

struct Entry<V> {
    /// The value and the version it was made from, held only to read or replace them.
    value: Mutex<Option<(Version, Arc<V>)>>,
    /// Held while the value is computed: a crowd arriving on a cold entry waits for the
    /// first instead of computing the same figures side by side.
    computing: rocket::tokio::sync::Mutex<()>,
}

impl<K, V> Default for Slot<K, V> {
    fn default() -> Self {
        Slot {
            entries: Mutex::default(),
        }
    }
}

impl<K: Eq + Hash, V> Slot<K, V> {
    fn entry(&self, key: K) -> Result<Arc<Entry<V>>, AppError> {
        let mut entries = self.entries.lock().map_err(|_| poisoned())?;
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        Ok(entries
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Entry {
                    value: Mutex::new(None),
                    computing: rocket::tokio::sync::Mutex::new(()),
                })
            })
            .clone())
    }
}

impl<V> Entry<V> {
    /// The value if it was made at `version`.
    fn fresh(&self, version: Version) -> Result<Option<(Arc<V>, Version)>, AppError> {
        let value = self.value.lock().map_err(|_| poisoned())?;
        Ok(value
            .as_ref()
            .filter(|(v, _)| *v == version)
            .map(|(_, value)| (value.clone(), version)))
    }

    fn keep(&self, version: Version, value: Arc<V>) -> Result<(), AppError> {
        *self.value.lock().map_err(|_| poisoned())? = Some((version, value));
        Ok(())
    }
}

impl StatsCache {
    pub fn new(recheck: Duration) -> StatsCache {
        StatsCache {
            providers: Slot::default(),
            provider: Slot::default(),
            index: Slot::default(),
            index_html: Slot::default(),
            provider_html: Slot::default(),
            providers_csv: Slot::default(),
            providers_json: Slot::default(),
            provider_json: Slot::default(),
            seen: Mutex::default(),
            recheck,
        }
    }

    /// The figures for `key` in `slot` and their version, computed by `compute` unless the
    /// slot holds them for the current version.
    pub async fn get<K, V, F>(
        &self,
        db: &Db,
        slot: &Slot<K, V>,
        key: K,
        compute: F,
    ) -> Result<(Arc<V>, Version), AppError>
    where
        K: Eq + Hash,
        V: Send + Sync + 'static,
        F: FnOnce(&mut DbConnection) -> Result<V, StoreError> + Send + 'static,
    {
        let entry = slot.entry(key)?;
        if let Some(found) = entry.fresh(self.version(db).await?)? {
            METRICS.stats_cache(true);
            return Ok(found);
        }
        let _turn = entry.computing.lock().await;
        // Another request may have computed it while this one waited its turn.
        if let Some(found) = entry.fresh(self.version(db).await?)? {
            METRICS.stats_cache(true);
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
                Ok::<_, StoreError>((version, Arc::new(compute(conn)?)))
            })
            .await?;
        METRICS.stats_cache(false);
        self.saw(version.generation);
        entry.keep(version, value.clone())?;
        Ok((value, version))
    }

    /// What `make` makes from figures of `version`, made once per version.
    pub fn made<K, V, F>(
        &self,
        slot: &Slot<K, V>,
        key: K,
        version: Version,
        make: F,
    ) -> Result<Arc<V>, AppError>
    where
        K: Eq + Hash,
        F: FnOnce() -> Result<V, AppError>,
    {
        let entry = slot.entry(key)?;
        if let Some((value, _)) = entry.fresh(version)? {
            return Ok(value);
        }
        let value = Arc::new(make()?);
        entry.keep(version, value.clone())?;
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

    fn saw(&self, generation: Generation) {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((generation, Instant::now()));
        }
    }
}

fn poisoned() -> AppError {
    AppError::Internal("statistics cache poisoned".into())
}
