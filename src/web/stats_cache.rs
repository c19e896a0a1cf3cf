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
}

impl StatsCache {
    /// The figures for `key`, computed by `compute` unless the cache holds them for the
    /// current generation.
    pub async fn get<T, F>(&self, db: &Db, key: Key, compute: F) -> Result<Arc<T>, AppError>
    where
        T: Send + Sync + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let cached = self
            .entries
            .lock()
            .map_err(|_| AppError::Internal("stats cache poisoned".into()))?
            .get(&key)
            .cloned();
        let (generation, hit) = db
            .run(move |conn| {
                // Read before computing: what is computed is at least this fresh.
                let generation = stats::generation(conn)?;
                if let Some((g, value)) = cached
                    && g == generation
                    && let Ok(value) = value.downcast::<T>()
                {
                    return Ok((generation, Ok(value)));
                }
                Ok((generation, Err(Arc::new(compute(conn)?))))
            })
            .await?;
        match hit {
            Ok(value) => Ok(value),
            Err(fresh) => {
                let mut entries = self
                    .entries
                    .lock()
                    .map_err(|_| AppError::Internal("stats cache poisoned".into()))?;
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
                entries.insert(
                    key,
                    (generation, fresh.clone() as Arc<dyn Any + Send + Sync>),
                );
                Ok(fresh)
            }
        }
    }
}
