//! Complaints, their refund claims, the claims' timelines and the evidence attached.

mod attachments;
mod edit;
mod public;
mod read;
mod review;
mod rows;
mod write;

pub use attachments::*;
pub use edit::*;
pub use public::*;
pub use read::*;
pub use review::*;
pub use rows::*;
pub use write::*;
