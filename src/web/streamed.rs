//! A response body read from the database a part at a time while it is sent: memory stays
//! at a couple of parts however long the body is, and no connection is held between parts.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use rocket::tokio::io::{AsyncRead, ReadBuf};
use rocket::tokio::sync::mpsc;

use crate::db::{Db, DbConnection};
use crate::web::csv_sheet::Sheet;
use crate::web::errors::AppError;

/// Parts waiting to be sent: past it, reading the next one waits for the client.
const QUEUED_PARTS: usize = 2;

/// Bytes handed to the connection at a time (Rocket's default is 4 KiB).
const CHUNK: usize = 64 * 1024;

/// The body: `first`, then the bytes each call of `part` answers, a call on the blocking
/// pool after the other, until one answers no next cursor. A failure after the first part
/// aborts the response (the client sees a broken transfer, never a file that looks whole).
/// One part of a streamed body: its bytes, and where the next part starts (none after the
/// last).
pub type StreamPart<C> = Result<(Vec<u8>, Option<C>), AppError>;

/// One part of a streamed CSV: the sheet goes on with the next part.
pub type SheetPart<P> = StreamPart<(Sheet, P)>;

pub fn streamed<C, F>(db: Db, first: Vec<u8>, cursor: Option<C>, part: F) -> Streamed
where
    C: Send + 'static,
    F: Fn(&mut DbConnection, C) -> StreamPart<C> + Send + Sync + Clone + 'static,
{
    let (tx, rx) = mpsc::channel(QUEUED_PARTS);
    rocket::tokio::spawn(async move {
        let mut cursor = cursor;
        if tx.send(Ok(first)).await.is_err() {
            return;
        }
        while let Some(at) = cursor.take() {
            let part = part.clone();
            match db.run(move |conn| part(conn, at)).await {
                Ok((bytes, next)) => {
                    // The client went away: stop reading.
                    if tx.send(Ok(bytes)).await.is_err() {
                        return;
                    }
                    cursor = next;
                }
                Err(e) => {
                    log::error!("streamed response stopped: {e}");
                    let _ = tx.send(Err(io::Error::other(e.to_string()))).await;
                    return;
                }
            }
        }
    });
    Streamed {
        parts: rx,
        current: Vec::new(),
        at: 0,
    }
}

pub struct Streamed {
    parts: mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl AsyncRead for Streamed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        out: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            let this = &mut *self;
            if this.at < this.current.len() {
                let n = out.remaining().min(this.current.len() - this.at);
                out.put_slice(&this.current[this.at..this.at + n]);
                this.at += n;
                return Poll::Ready(Ok(()));
            }
            match ready!(this.parts.poll_recv(cx)) {
                Some(Ok(bytes)) => {
                    this.current = bytes;
                    this.at = 0;
                }
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => return Poll::Ready(Ok(())),
            }
        }
    }
}

impl<'r> Responder<'r, 'static> for Streamed {
    fn respond_to(self, _: &'r Request<'_>) -> response::Result<'static> {
        Response::build()
            .streamed_body(self)
            .max_chunk_size(CHUNK)
            .ok()
    }
}
