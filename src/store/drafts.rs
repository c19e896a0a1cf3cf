//! Complaints being written: the answers given so far, kept for their author only, until
//! the complaint is filed (the draft then goes, in the filing's transaction) or dropped.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::StoreError;
use crate::db::DbConnection;
use crate::db::schema::complaint_drafts;

/// A form's fields in the order they came, a name repeated for a group of checkboxes.
pub type Fields = Vec<(String, String)>;

/// Most drafts one account keeps: the oldest goes when a new one would pass it.
pub const MAX_DRAFTS: usize = 20;

#[derive(Debug, Clone)]
pub struct Draft {
    pub id: String,
    pub fields: Fields,
    pub updated_at: NaiveDateTime,
}

impl Draft {
    /// The field's value, "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// These fields' values replace the draft's (a field absent from `new` is emptied, as an
    /// unticked checkbox is absent from a form).
    pub fn replace(&mut self, names: &[&str], new: &Fields) {
        self.fields.retain(|(k, _)| !names.contains(&k.as_str()));
        self.fields.extend(
            new.iter()
                .filter(|(k, v)| names.contains(&k.as_str()) && !v.is_empty())
                .cloned(),
        );
    }
}

type Row = (String, String, NaiveDateTime);

fn decode((id, fields, updated_at): Row) -> Result<Draft, StoreError> {
    let fields: Fields = serde_json::from_str(&fields)
        .map_err(|e| StoreError::Corrupt(format!("draft {id}: {e}")))?;
    Ok(Draft {
        id,
        fields,
        updated_at,
    })
}

fn encode(fields: &Fields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Keeps new answers as a draft of `user_id`; returns its id.
pub fn create(
    conn: &mut DbConnection,
    user_id: &str,
    fields: &Fields,
) -> Result<String, StoreError> {
    let id = uuid::Uuid::new_v4().to_string();
    let now = super::now();
    diesel::insert_into(complaint_drafts::table)
        .values((
            complaint_drafts::id.eq(&id),
            complaint_drafts::user_id.eq(user_id),
            complaint_drafts::fields.eq(encode(fields)?),
            complaint_drafts::created_at.eq(now),
            complaint_drafts::updated_at.eq(now),
        ))
        .execute(conn)?;
    // Bounded per account: the oldest beyond the limit go.
    let old: Vec<String> = complaint_drafts::table
        .filter(complaint_drafts::user_id.eq(user_id))
        .order((
            complaint_drafts::updated_at.desc(),
            complaint_drafts::id.desc(),
        ))
        .offset(MAX_DRAFTS as i64)
        .select(complaint_drafts::id)
        .load(conn)?;
    if !old.is_empty() {
        diesel::delete(complaint_drafts::table.filter(complaint_drafts::id.eq_any(old)))
            .execute(conn)?;
    }
    Ok(id)
}

/// The draft if it is `user_id`'s; anyone else's is `None`, as one that does not exist.
pub fn mine(conn: &mut DbConnection, id: &str, user_id: &str) -> Result<Option<Draft>, StoreError> {
    let row: Option<Row> = complaint_drafts::table
        .filter(complaint_drafts::id.eq(id))
        .filter(complaint_drafts::user_id.eq(user_id))
        .select((
            complaint_drafts::id,
            complaint_drafts::fields,
            complaint_drafts::updated_at,
        ))
        .first(conn)
        .optional()?;
    row.map(decode).transpose()
}

/// Saves the draft's fields; `NotFound` unless it is `user_id`'s.
pub fn save(conn: &mut DbConnection, draft: &Draft, user_id: &str) -> Result<(), StoreError> {
    let n = diesel::update(
        complaint_drafts::table
            .filter(complaint_drafts::id.eq(&draft.id))
            .filter(complaint_drafts::user_id.eq(user_id)),
    )
    .set((
        complaint_drafts::fields.eq(encode(&draft.fields)?),
        complaint_drafts::updated_at.eq(super::now()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The account's drafts, the last changed first.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> Result<Vec<Draft>, StoreError> {
    let rows: Vec<Row> = complaint_drafts::table
        .filter(complaint_drafts::user_id.eq(user_id))
        .order((
            complaint_drafts::updated_at.desc(),
            complaint_drafts::id.desc(),
        ))
        .select((
            complaint_drafts::id,
            complaint_drafts::fields,
            complaint_drafts::updated_at,
        ))
        .load(conn)?;
    rows.into_iter().map(decode).collect()
}

/// Drops the draft; `NotFound` unless it is `user_id`'s.
pub fn delete(conn: &mut DbConnection, id: &str, user_id: &str) -> Result<(), StoreError> {
    let n = diesel::delete(
        complaint_drafts::table
            .filter(complaint_drafts::id.eq(id))
            .filter(complaint_drafts::user_id.eq(user_id)),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
