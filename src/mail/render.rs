//! A queued message made into a subject, a text part and an HTML part, in the recipient's
//! language, from the Fluent catalog and two Askama templates. No tracking: no remote
//! image, no per-recipient link but the ones the message is for.

use askama::Template;
use chrono::{Datelike, NaiveDate};
use fluent_bundle::FluentArgs;
use serde_json::Value;

use crate::domain::claim::State;
use crate::domain::mail::{Kind, reference};
use crate::web::i18n::{CATALOG, Lang};

/// A message ready to be put into MIME.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextPart<'a> {
    m: &'a Content,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlPart<'a> {
    m: &'a Content,
}

/// What both parts show.
struct Content {
    lang: &'static str,
    subject: String,
    paragraphs: Vec<String>,
    /// The button (HTML) or line (text): label and address.
    action: Option<(String, String)>,
    signature: String,
    /// The one-click unsubscribe link, with its explanation.
    unsubscribe: Option<(String, String)>,
}

/// Why a queued message cannot be rendered: its row is not what this version wrote.
#[derive(Debug, thiserror::Error)]
#[error("cannot render message: {0}")]
pub struct RenderError(String);

fn text(params: &Value, name: &str) -> Result<String, RenderError> {
    params
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| RenderError(format!("parameter {name} missing")))
}

/// A date in words: `7 septembre 2009`, `7 September 2009`.
fn date_in_words(lang: Lang, date: NaiveDate) -> String {
    let month = CATALOG.message(lang, &format!("month-{}", date.month()), None);
    format!("{} {month} {}", date.day(), date.year())
}

/// Renders `kind` for `lang`. `public_url` starts every link; `unsubscribe` is the
/// one-click address, given for optional messages.
pub fn render(
    kind: Kind,
    lang: Lang,
    params: &Value,
    public_url: &str,
    unsubscribe: Option<&str>,
) -> Result<Rendered, RenderError> {
    let base = public_url.trim_end_matches('/');
    let mut args = FluentArgs::new();
    let mut action = None;
    let t = |key: &str, args: &FluentArgs| CATALOG.message(lang, key, Some(args));
    let complaint_link = |args: &mut FluentArgs| -> Result<String, RenderError> {
        let id = text(params, "complaint_id")?;
        args.set("ref", reference(&id));
        args.set("title", text(params, "title")?);
        Ok(format!("{base}/complaints/{id}"))
    };
    match kind {
        Kind::Welcome => {
            let url = format!("{base}/verify/{}", text(params, "token")?);
            action = Some(("mail-welcome-action", url));
        }
        Kind::PasswordReset => {
            let url = format!("{base}/password/reset/{}", text(params, "token")?);
            action = Some(("mail-password-reset-action", url));
        }
        Kind::ProviderInvite => {
            args.set("provider", text(params, "provider")?);
            let url = format!("{base}/password/reset/{}", text(params, "token")?);
            action = Some(("mail-provider-invite-action", url));
        }
        Kind::ProviderAnswerDue | Kind::ProviderAnswerOverdue => {
            let id = text(params, "complaint_id")?;
            args.set("ref", reference(&id));
            args.set("title", text(params, "title")?);
            let deadline: NaiveDate = text(params, "deadline")?
                .parse()
                .map_err(|_| RenderError("deadline is not a date".into()))?;
            args.set("date", date_in_words(lang, deadline));
            action = Some((
                "mail-provider-open-case",
                format!("{base}/provider/complaints/{id}"),
            ));
        }
        Kind::RegisterAttempt => {
            action = Some((
                "mail-register-attempt-action",
                format!("{base}/password/forgot"),
            ));
        }
        Kind::EmailChangeConfirm => {
            let url = format!("{base}/email/confirm/{}", text(params, "token")?);
            action = Some(("mail-email-change-confirm-action", url));
        }
        Kind::EmailChanged => {
            args.set("new_email", text(params, "new_email")?);
            action = Some((
                "mail-register-attempt-action",
                format!("{base}/password/forgot"),
            ));
        }
        Kind::ComplaintFiled => {
            let url = complaint_link(&mut args)?;
            let next = if params.get("has_claim").and_then(Value::as_bool) == Some(true) {
                "mail-next-send-claim"
            } else {
                "mail-next-follow"
            };
            args.set("next", CATALOG.message(lang, next, None));
            action = Some(("mail-open-complaint", url));
        }
        Kind::ClaimMoved => {
            let url = complaint_link(&mut args)?;
            let state = State::parse(&text(params, "state")?)
                .ok_or_else(|| RenderError("unknown state".into()))?;
            args.set("state", CATALOG.message(lang, state.label_key(), None));
            action = Some(("mail-open-complaint", url));
        }
        Kind::Reminder(_) => {
            let url = complaint_link(&mut args)?;
            let deadline: NaiveDate = text(params, "deadline")?
                .parse()
                .map_err(|_| RenderError("deadline is not a date".into()))?;
            args.set("date", date_in_words(lang, deadline));
            action = Some(("mail-open-complaint", url));
        }
        Kind::Test => {}
    }
    let name = kind.as_str();
    let subject = crate::domain::mail::one_line(&t(&format!("mail-{name}-subject"), &args));
    let paragraphs = t(&format!("mail-{name}-body"), &args)
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let content = Content {
        lang: lang.code(),
        subject: subject.clone(),
        paragraphs,
        action: action.map(|(key, url)| (t(key, &args), url)),
        signature: t("mail-signature", &args),
        unsubscribe: unsubscribe.map(|url| (t("mail-unsubscribe", &args), url.to_string())),
    };
    let failed = |e: askama::Error| RenderError(e.to_string());
    Ok(Rendered {
        subject,
        text: TextPart { m: &content }.render().map_err(failed)?,
        html: HtmlPart { m: &content }.render().map_err(failed)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mail::Reminder;
    use serde_json::json;

    fn params() -> Value {
        json!({
            "token": "TOKEN123", "complaint_id": "1a2b3c4d-x", "title": "Coupure <b>&",
            "has_claim": true, "state": "sent", "deadline": "2024-02-14",
            "new_email": "new@example.com", "provider": "Kleema",
        })
    }

    #[test]
    fn every_message_renders_in_both_languages_with_its_link() {
        for kind in Kind::all() {
            for lang in Lang::ALL {
                let unsub = kind
                    .is_optional()
                    .then_some("https://r.example/unsubscribe/U");
                let r = render(kind, lang, &params(), "https://r.example/", unsub).unwrap();
                assert!(
                    !r.subject.is_empty() && !r.subject.starts_with("mail-"),
                    "{kind:?}"
                );
                assert!(!r.text.contains("mail-"), "{kind:?} {lang:?}: {}", r.text);
                if kind.is_optional() {
                    assert!(r.text.contains("https://r.example/unsubscribe/U"));
                    assert!(r.html.contains("https://r.example/unsubscribe/U"));
                }
                assert!(!r.html.contains("<b>&"), "user text is escaped in HTML");
                assert!(!r.html.contains("<img"), "no tracking pixel");
            }
        }
        let r = render(
            Kind::PasswordReset,
            Lang::Fr,
            &params(),
            "https://r.example",
            None,
        )
        .unwrap();
        assert!(r.text.contains("https://r.example/password/reset/TOKEN123"));
        let en = render(
            Kind::Reminder(Reminder::AnswerDueSoon),
            Lang::En,
            &params(),
            "h",
            None,
        )
        .unwrap();
        assert!(en.text.contains("14 February 2024"), "{}", en.text);
    }
}
