//! The evidence attached to a complaint.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::*;
use crate::db::DbConnection;
use crate::db::schema::attachments;
use crate::store::StoreError;
use crate::store::WriteError;
use crate::store::users::User;

pub const MAX_ATTACHMENTS: i64 = 10;

/// Why a piece of evidence was not attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachRefused {
    /// The complaint holds `MAX_ATTACHMENTS` already.
    TooMany,
}

impl AttachRefused {
    /// The catalog key of the reason's text.
    pub fn message_key(self) -> &'static str {
        match self {
            AttachRefused::TooMany => "error-file-too-many",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentMeta {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: NaiveDateTime,
    /// Ticked when the claim was sent through Recours: the provider's staff may read it.
    pub sent_to_provider: bool,
}

/// A complaint with its timeline and its evidence.
pub type Dossier = (Complaint, Vec<Event>, Vec<AttachmentMeta>);

/// Stores one piece of evidence with its metadata, in one transaction.
pub fn attach(
    conn: &mut DbConnection,
    complaint_id: &str,
    viewer: &User,
    filename: &str,
    content_type: &str,
    data: &[u8],
) -> Result<(), WriteError<AttachRefused>> {
    visible(conn, complaint_id, viewer)?.ok_or(StoreError::NotFound)?;
    let count: i64 = attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .count()
        .get_result(conn)?;
    if count >= MAX_ATTACHMENTS {
        return Err(WriteError::Refused(AttachRefused::TooMany));
    }
    diesel::insert_into(attachments::table)
        .values((
            attachments::id.eq(uuid::Uuid::new_v4().to_string()),
            attachments::complaint_id.eq(complaint_id),
            attachments::filename.eq(filename),
            attachments::content_type.eq(content_type),
            attachments::size.eq(data.len() as i64),
            attachments::data.eq(data),
            attachments::created_at.eq(crate::store::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn attachments_of(
    conn: &mut DbConnection,
    complaint_id: &str,
) -> Result<Vec<AttachmentMeta>, StoreError> {
    Ok(attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .order(attachments::created_at.asc())
        .select(AttachmentMeta::as_select())
        .load(conn)?)
}

/// An attachment's metadata and bytes, if `viewer` may see its complaint.
pub fn attachment(
    conn: &mut DbConnection,
    complaint_id: &str,
    attachment_id: &str,
    viewer: &User,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>, StoreError> {
    if visible(conn, complaint_id, viewer)?.is_none() {
        return Ok(None);
    }
    let found: Option<(AttachmentMeta, Vec<u8>)> = attachments::table
        .filter(attachments::complaint_id.eq(complaint_id))
        .filter(attachments::id.eq(attachment_id))
        .select((AttachmentMeta::as_select(), attachments::data))
        .first(conn)
        .optional()?;
    Ok(found)
}
