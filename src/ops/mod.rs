//! Operating the portal: backups and restores, the serving lock.

pub mod backup;
pub mod serve_lock;
