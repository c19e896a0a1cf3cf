//! Brotli or gzip, as the client's `Accept-Encoding` allows, on every text answer whose size
//! is known (pages, CSV, JSON, the stylesheet); a streamed body is left as it is, so a
//! large export is never held in memory to be compressed.

use std::io::{Cursor, Write};

use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Header;
use rocket::{Request, Response};

/// Below this, compression saves less than it costs.
const MIN_BYTES: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    fn name(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }
}

/// The coding to answer with: brotli when accepted, else gzip when accepted, else none.
pub fn negotiate(accept_encoding: &str) -> Option<Coding> {
    let accepted = |name: &str| {
        accept_encoding.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let q = parts
                .find_map(|p| p.strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (coding.eq_ignore_ascii_case(name) || coding == "*") && q > 0.0
        })
    };
    [Coding::Brotli, Coding::Gzip]
        .into_iter()
        .find(|c| accepted(c.name()))
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("image/svg+xml")
}

fn compress(coding: Coding, body: &[u8]) -> std::io::Result<Vec<u8>> {
    match coding {
        Coding::Brotli => {
            let mut out = Vec::new();
            // Quality 5: most of the gain at a fraction of the default's time.
            let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            writer.write_all(body)?;
            drop(writer);
            Ok(out)
        }
        Coding::Gzip => {
            let mut writer =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            writer.write_all(body)?;
            writer.finish()
        }
    }
}

pub struct Compression;

#[rocket::async_trait]
impl Fairing for Compression {
    fn info(&self) -> Info {
        Info {
            name: "compression",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        let text = res
            .headers()
            .get_one("Content-Type")
            .is_some_and(compressible);
        if !text || res.headers().contains("Content-Encoding") {
            return;
        }
        // The answer depends on Accept-Encoding whether or not this one is compressed.
        res.adjoin_header(Header::new("Vary", "Accept-Encoding"));
        let Some(coding) = req.headers().get_one("Accept-Encoding").and_then(negotiate) else {
            return;
        };
        if res.body().preset_size().is_none_or(|n| n < MIN_BYTES) {
            return;
        }
        let Ok(body) = res.body_mut().to_bytes().await else {
            return;
        };
        match compress(coding, &body) {
            Ok(packed) => {
                res.set_header(Header::new("Content-Encoding", coding.name()));
                res.set_sized_body(packed.len(), Cursor::new(packed));
            }
            Err(e) => {
                log::error!("compression failed: {e}");
                res.set_sized_body(body.len(), Cursor::new(body));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_first_then_gzip_never_what_is_refused() {
        assert_eq!(negotiate("gzip, deflate, br"), Some(Coding::Brotli));
        assert_eq!(negotiate("gzip"), Some(Coding::Gzip));
        assert_eq!(negotiate("br;q=0, gzip;q=0.5"), Some(Coding::Gzip));
        assert_eq!(negotiate("identity"), None);
        assert_eq!(negotiate("gzip;q=0"), None);
        assert_eq!(negotiate("*"), Some(Coding::Brotli));
    }
}
