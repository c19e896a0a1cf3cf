//! The daily complaint counters per provider, and the spikes the detector finds in them.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::StoreError;
use crate::db::DbConnection;
use crate::db::schema::{complaints, daily_counts};
use crate::domain::alerts::{self, BASELINE_DAYS, Spike};

/// Adds `n` complaints filed on `day` against the provider; part of the filing transaction.
pub fn count_filed(
    conn: &mut DbConnection,
    provider_id: &str,
    day: NaiveDate,
    n: i64,
) -> QueryResult<()> {
    let row = (
        daily_counts::provider_id.eq(provider_id),
        daily_counts::day.eq(day),
        daily_counts::value.eq(n),
    );
    let add =
        daily_counts::value.eq(daily_counts::value + diesel::upsert::excluded(daily_counts::value));
    crate::on_backend!(conn, c => diesel::insert_into(daily_counts::table)
        .values(row)
        .on_conflict((daily_counts::provider_id, daily_counts::day))
        .do_update()
        .set(add)
        .execute(c))?;
    Ok(())
}

/// Part of merging providers: the source's days move to the target.
pub(crate) fn merge(conn: &mut DbConnection, from: &str, into: &str) -> QueryResult<()> {
    let rows: Vec<(NaiveDate, i64)> = daily_counts::table
        .filter(daily_counts::provider_id.eq(from))
        .select((daily_counts::day, daily_counts::value))
        .load(conn)?;
    for (day, n) in rows {
        count_filed(conn, into, day, n)?;
    }
    diesel::delete(daily_counts::table.filter(daily_counts::provider_id.eq(from))).execute(conn)?;
    Ok(())
}

/// One provider's spike, for the reviewers' alerts page.
#[derive(Debug, Clone)]
pub struct Alert {
    pub provider_slug: String,
    pub provider_name: String,
    pub spike: Spike,
}

/// The spikes of the last `days` days up to `today`, every provider, newest first. Reads
/// the daily counters only: (BASELINE_DAYS + days) rows per provider at most.
pub fn recent(
    conn: &mut DbConnection,
    today: NaiveDate,
    days: i64,
) -> Result<Vec<Alert>, StoreError> {
    let from = today - Duration::days(days - 1);
    let rows: Vec<(String, NaiveDate, i64)> = daily_counts::table
        .filter(daily_counts::day.ge(from - Duration::days(BASELINE_DAYS)))
        .filter(daily_counts::day.le(today))
        .select((
            daily_counts::provider_id,
            daily_counts::day,
            daily_counts::value,
        ))
        .load(conn)?;
    let mut by_provider: BTreeMap<String, BTreeMap<NaiveDate, i64>> = BTreeMap::new();
    for (provider, day, n) in rows {
        by_provider.entry(provider).or_default().insert(day, n);
    }
    let ids: Vec<&str> = by_provider.keys().map(String::as_str).collect();
    let named = super::providers::by_ids(conn, &ids)?;
    let mut out: Vec<Alert> = by_provider
        .iter()
        .flat_map(|(id, daily)| {
            let provider = named.get(id);
            alerts::spikes(daily, from, today)
                .into_iter()
                .map(move |spike| Alert {
                    provider_slug: provider.map(|p| p.slug.clone()).unwrap_or_default(),
                    provider_name: provider.map(|p| p.name.clone()).unwrap_or_default(),
                    spike,
                })
        })
        .collect();
    out.sort_by(|a, b| {
        b.spike
            .day
            .cmp(&a.spike.day)
            .then(a.provider_name.cmp(&b.provider_name))
    });
    Ok(out)
}

/// Every daily counter that is not zero.
pub fn stored(conn: &mut DbConnection) -> Result<BTreeMap<(String, NaiveDate), i64>, StoreError> {
    let rows: Vec<(String, NaiveDate, i64)> = daily_counts::table
        .filter(daily_counts::value.ne(0))
        .select((
            daily_counts::provider_id,
            daily_counts::day,
            daily_counts::value,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(p, d, n)| ((p, d), n)).collect())
}

/// The daily counters recounted from the complaints (checks `stored`).
pub fn recount(conn: &mut DbConnection) -> Result<BTreeMap<(String, NaiveDate), i64>, StoreError> {
    let rows: Vec<(String, NaiveDateTime)> = complaints::table
        .select((complaints::provider_id, complaints::created_at))
        .load(conn)?;
    let mut out = BTreeMap::new();
    for (p, at) in rows {
        *out.entry((p, at.date())).or_default() += 1;
    }
    Ok(out)
}
