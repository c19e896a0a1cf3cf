//! How messages leave: SMTP from `smtp_url` (lettre's URL form: `smtp://` plain,
//! `?tls=required` STARTTLS, `smtps://` TLS, credentials in the URL), or without it `.eml`
//! files under `<data_dir>/outbox/`, so a trial run needs no mail server.

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::render::Rendered;
use crate::config::AppConfig;
use crate::domain::mail::one_line;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
}

/// Why a message was not delivered, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// The server refused it for good (a 5xx answer), or the message cannot be built.
    pub permanent: bool,
}

impl SendError {
    fn permanent(message: impl std::fmt::Display) -> SendError {
        SendError {
            message: message.to_string(),
            permanent: true,
        }
    }
}

impl Transport {
    /// The transport `config` names. The error is one line for a person.
    pub fn from_config(config: &AppConfig) -> Result<Transport, String> {
        match config.smtp_url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| {
                    Transport::Smtp(b.timeout(Some(std::time::Duration::from_secs(30))).build())
                })
                .map_err(|e| format!("invalid smtp_url: {e}")),
            None => {
                let dir = config.data_dir.join("outbox");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                Ok(Transport::Files(AsyncFileTransport::new(&dir), dir))
            }
        }
    }

    /// Where messages go, for the log (never the credentials).
    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP (smtp_url)".into(),
            Transport::Files(_, dir) => format!(
                "no smtp_url: messages are written as .eml files under {}",
                dir.display()
            ),
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp(t) => t.send(message).await.map(drop).map_err(|e| SendError {
                message: one_line(&e.to_string()),
                permanent: e.is_permanent(),
            }),
            Transport::Files(t, _) => t.send(message).await.map(drop).map_err(|e| SendError {
                message: one_line(&e.to_string()),
                permanent: false,
            }),
        }
    }
}

/// `List-Unsubscribe` (RFC 2369), the address of the one-click POST.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post` (RFC 8058): the POST needs no confirmation.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// The Message-ID of outbox row `id`: the same on every attempt, so a message sent again
/// after a crash is recognisably the same message. `stamp` (the row's creation time) keeps
/// ids of two installations apart.
pub fn message_id(id: i64, stamp: i64, domain: &str) -> String {
    format!("<recours.{id}.{stamp}@{domain}>")
}

/// Builds the MIME message. Every header value goes through lettre's typed builders, and
/// the subject is one line: no field can add a header.
pub fn build(
    from: &str,
    to: &str,
    message_id: String,
    rendered: Rendered,
    unsubscribe: Option<&str>,
) -> Result<Message, SendError> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| SendError::permanent(format!("invalid mail_from: {e}")))?;
    let to: Mailbox = to
        .parse()
        .map_err(|e| SendError::permanent(format!("invalid recipient: {e}")))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(one_line(&rendered.subject))
        .message_id(Some(message_id))
        .date_now();
    if let Some(url) = unsubscribe {
        builder = builder
            .header(ListUnsubscribe(url.to_string()))
            .header(ListUnsubscribePost);
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(rendered.text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(rendered.html),
                ),
        )
        .map_err(SendError::permanent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_field_adds_a_header() {
        let rendered = Rendered {
            subject: "Hello\r\nBcc: victim@example.com".into(),
            text: "t".into(),
            html: "h".into(),
        };
        let m = build(
            "Recours <noreply@r.example>",
            "a@example.com",
            message_id(7, 1, "r.example"),
            rendered,
            Some("https://r.example/unsubscribe/T"),
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(!raw.lines().any(|l| l.starts_with("Bcc:")), "{raw}");
        assert!(raw.contains("Message-ID: <recours.7.1@r.example>"), "{raw}");
        assert!(raw.contains("List-Unsubscribe: <https://r.example/unsubscribe/T>"));
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        // A recipient smuggling a header is refused, never sent.
        let bad = build(
            "noreply@r.example",
            "a@example.com\r\nBcc: b@example.com",
            message_id(7, 1, "r"),
            Rendered {
                subject: "s".into(),
                text: "t".into(),
                html: "h".into(),
            },
            None,
        );
        assert!(bad.is_err_and(|e| e.permanent));
    }
}
