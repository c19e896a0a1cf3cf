//! The one writer of a SQLite database in this process. Writes wait in a queue; the writer
//! takes all that are waiting and commits them together (group commit), so a crowd filing
//! at once shares one durable commit instead of queueing for one each. Each write runs in
//! its own savepoint, so a refused or failed one does not undo the others, and its answer
//! is given only once the commit that holds it is durable.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::StoreError;
use super::{DbConnection, Manager, generation};
use crate::ops::metrics::METRICS;

/// A queued write: it runs in the writer's open transaction and says whether it failed,
/// and how to answer once the commit is known.
pub(crate) type Job = Box<dyn FnOnce(&mut DbConnection) -> Ran + Send>;

pub(crate) struct Ran {
    /// The write failed (it was rolled back to its savepoint).
    pub failed: bool,
    /// Gives the write's answer: called with the outcome of the commit.
    pub answer: Box<dyn FnOnce(Result<(), StoreError>) + Send>,
}

/// Enough to share one commit among a crowd, few enough to keep each wait short.
const MAX_BATCH: usize = 256;

pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's own connection and starts its thread, which ends when the last
    /// handle to the database is dropped.
    pub fn start(
        manager: Manager,
        lock: Arc<Mutex<()>>,
        changes: Arc<AtomicU64>,
    ) -> Result<Writer, String> {
        let conn = manager.establish().map_err(|e| e.to_string())?;
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name("recours-writer".into())
            .spawn(move || {
                Worker {
                    manager,
                    conn,
                    lock,
                    changes,
                }
                .run(queue)
            })
            .map_err(|e| e.to_string())?;
        Ok(Writer { jobs })
    }

    /// Queues a write. A job that is dropped without running answers "not done".
    pub fn submit(&self, job: Job) -> Result<(), StoreError> {
        self.jobs
            .send(job)
            .map_err(|_| StoreError::Unavailable("the database writer has stopped".into()))?;
        METRICS.writer_waiting.inc();
        Ok(())
    }

    /// Waits, at most `timeout`, until every write queued before this call is committed or
    /// refused: the queue is in order, so an empty job's answer comes after theirs.
    pub fn flush(&self, timeout: std::time::Duration) -> bool {
        let (done, wait) = mpsc::channel();
        let marker: Job = Box::new(move |_| Ran {
            failed: false,
            answer: Box::new(move |_| {
                let _ = done.send(());
            }),
        });
        self.submit(marker).is_ok() && wait.recv_timeout(timeout).is_ok()
    }
}

struct Worker {
    manager: Manager,
    conn: DbConnection,
    /// Shared with the writes other paths of this process make (see `DbConnection::write`).
    lock: Arc<Mutex<()>>,
    changes: Arc<AtomicU64>,
}

impl Worker {
    fn run(mut self, queue: mpsc::Receiver<Job>) {
        let mut waiting: VecDeque<Job> = VecDeque::new();
        loop {
            if waiting.is_empty() {
                match queue.recv() {
                    Ok(job) => waiting.push_back(job),
                    Err(_) => return,
                }
            }
            waiting.extend(
                queue
                    .try_iter()
                    .take(MAX_BATCH.saturating_sub(waiting.len())),
            );
            self.batch(&mut waiting);
        }
    }

    /// Runs the waiting jobs in one transaction and commits it. A job that fails stops the
    /// batch after it (SQLite may have rolled the whole transaction back): the ones behind
    /// it wait for the next batch, having run nowhere.
    fn batch(&mut self, waiting: &mut VecDeque<Job>) {
        let lock = self.lock.clone();
        let _turn = lock.lock().unwrap_or_else(|p| p.into_inner());
        let Some(c) = self.conn.as_sqlite() else {
            unreachable!("the writer is only started for SQLite")
        };
        if let Err(e) = AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE") {
            log::error!("writer: cannot begin: {e}");
            // Dropped jobs answer "not done"; the next request may find the disk back.
            METRICS.writer_waiting.dec_by(waiting.len() as i64);
            waiting.clear();
            self.reconnect();
            return;
        }
        // Compared with the number at the end: the batch's commit outcome says whether it
        // changed the statistics.
        let before = generation(&mut self.conn).ok();
        let mut answers = Vec::new();
        while answers.len() < MAX_BATCH
            && let Some(job) = waiting.pop_front()
        {
            METRICS.writer_waiting.dec();
            match catch_unwind(AssertUnwindSafe(|| job(&mut self.conn))) {
                Ok(ran) => {
                    answers.push(ran.answer);
                    if ran.failed {
                        break;
                    }
                }
                Err(_) => {
                    // The transaction's state is unknown: drop it with the connection.
                    // The jobs that ran answer "not done", having been rolled back.
                    log::error!("writer: a write panicked; its batch is rolled back");
                    self.reconnect();
                    return;
                }
            }
        }
        // An unreadable number counts as a change: a cache recomputes rather than go stale.
        let changed = before.is_none() || generation(&mut self.conn).ok() != before;
        let c = self.conn.as_sqlite().expect("still SQLite");
        let commit = std::time::Instant::now();
        match AnsiTransactionManager::commit_transaction(c) {
            Ok(()) => {
                METRICS.writer_batch_size.observe(answers.len() as f64);
                let seconds = commit.elapsed().as_secs_f64();
                METRICS.writer_commit_seconds.observe(seconds);
                if changed {
                    self.changes.fetch_add(1, Ordering::Release);
                }
                for answer in answers {
                    answer(Ok(()));
                }
            }
            Err(e) => {
                log::error!("writer: commit failed: {e}");
                let _ = AnsiTransactionManager::rollback_transaction(c);
                for answer in answers {
                    answer(Err(StoreError::Unavailable(format!("not saved: {e}"))));
                }
                self.reconnect();
            }
        }
    }

    /// A fresh connection, whatever state the old one was left in.
    fn reconnect(&mut self) {
        match self.manager.establish() {
            Ok(conn) => self.conn = conn,
            Err(e) => log::error!("writer: cannot reconnect: {e}"),
        }
    }
}
