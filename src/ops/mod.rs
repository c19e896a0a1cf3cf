//! Operating the portal: backups and restores, the serving lock, metrics.

pub mod backup;
pub mod metrics;
pub mod serve_lock;
