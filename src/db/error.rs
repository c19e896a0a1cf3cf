//! The error of the database and store layers: what went wrong, with no idea of HTTP
//! (the web layer maps it to a status, the command line to a message and exit code).

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// What was asked for does not exist (or is not the asker's to see).
    #[error("not found")]
    NotFound,
    /// A stored value the code cannot read back: a bug or a hand-edited row.
    #[error("internal error: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] diesel::result::Error),
    /// No connection, or the writer stopped: trying again later may work.
    #[error("database unavailable: {0}")]
    Unavailable(String),
}
