//! The statistics pages' figures, kept per filter until the counters change.
//!
//! Every change to the counters moves a generation number in the database (in the same
//! transaction); a cached answer is used only while the generation it was computed at is
//! still current, so every instance serves fresh figures and none needs to tell the others.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::db::{Db, DbConnection};
use crate::error::AppError;
use crate::store::stats::{self, Filter};

/// Past this many entries the cache starts afresh: filters come from the query string.
const MAX_ENTRIES: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// Which figures: the route that needs them.
    pub what: &'static str,
    pub filter: Filter,
    pub slug: Option<String>,
}

type Entry = (i64, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub struct StatsCache {
    entries: Mutex<HashMap<Key, Entry>>,
    /// One computation at a time: a crowd arriving on a cold cache waits for the first
    /// instead of computing the same figures side by side.
    computing: rocket::tokio::sync::Mutex<()>,
}

impl StatsCache {
    /// The figures for `key`, computed by `compute` unless the cache holds them for the
    /// current generation.
    pub async fn get<T, F>(&self, db: &Db, key: Key, compute: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let generation = db.run(stats::generation).await?;
        if let Some(value) = self.fresh::<T>(&key, generation)? {
            return Ok(value);
        }
        let _turn = self.computing.lock().await;
        // Another request may have computed it while this one waited its turn.
        let generation = db.run(stats::generation).await?;
        if let Some(value) = self.fresh::<T>(&key, generation)? {
            return Ok(value);
        }
        let (generation, value) = db
            .run(move |conn| {
                // Read before computing: what is computed is at least this fresh.
                let generation = stats::generation(conn)?;
                Ok((generation, Arc::new(compute(conn)?)))
            })
            .await?;
        let mut entries = self.entries.lock().map_err(|_| poisoned())?;
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            key,
            (generation, value.clone() as Arc<dyn Any + Send + Sync>),
        );
        Ok(value)
    }

    /// The cached value for `key` if it was computed at `generation`.
    fn fresh<T: Send + Sync + 'static>(
        &self,
        key: &Key,
        generation: i64,
    ) -> Result<Option<Arc<T>>, AppError> {
        let entries = self.entries.lock().map_err(|_| poisoned())?;
        Ok(entries
            .get(key)
            .filter(|(g, _)| *g == generation)
            .and_then(|(_, value)| value.clone().downcast::<T>().ok()))
    }
}

fn poisoned() -> AppError {
    AppError::Internal("statistics cache poisoned".into())
}
