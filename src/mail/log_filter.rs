//! The server's log, with the tokens of e-mailed links blanked. At `log_level = "normal"`
//! Rocket writes every request line (`GET /password/reset/<token> text/html:`); a token in a
//! log would let whoever reads the log reset that password. Installed before Rocket's own
//! logger, which then stays out (Rocket sets its logger only if none is set yet), it writes
//! what Rocket's would, without colours, each line passed through `redact`.

use std::io::Write;

/// The paths whose last segment is a token.
const TOKEN_PATHS: [&str; 4] = [
    "/password/reset/",
    "/verify/",
    "/unsubscribe/",
    "/email/confirm/",
];

/// `line` with every token of a link path replaced by `[redacted]`.
pub fn redact(line: &str) -> String {
    let mut out = line.to_string();
    for prefix in TOKEN_PATHS {
        let mut from = 0;
        while let Some(at) = out[from..].find(prefix) {
            let start = from + at + prefix.len();
            let len = out[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '%'))
                .unwrap_or(out.len() - start);
            if len > 0 {
                out.replace_range(start..start + len, "[redacted]");
            }
            from = start;
        }
    }
    out
}

struct Redacting;

fn is_launch(meta: &log::Metadata<'_>) -> bool {
    meta.target().contains("rocket::launch")
}

impl log::Log for Redacting {
    fn enabled(&self, meta: &log::Metadata<'_>) -> bool {
        meta.level() <= log::max_level() || is_launch(meta)
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let from = |path| record.module_path().is_some_and(|m| m.starts_with(path));
        if log::max_level() < log::LevelFilter::Debug
            && (from("hyper") || from("rustls") || from("r2d2"))
        {
            return;
        }
        let indent = if record.target().ends_with('_') {
            "   >> "
        } else {
            ""
        };
        let label = match record.level() {
            log::Level::Error if indent.is_empty() => "Error: ",
            log::Level::Warn if indent.is_empty() && !is_launch(record.metadata()) => "Warning: ",
            _ => "",
        };
        let line = redact(&format!("{indent}{label}{}", record.args()));
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }

    fn flush(&self) {
        let _ = std::io::stdout().flush();
    }
}

/// Installs the redacting logger at the configured level. Call it before Rocket starts.
pub fn install(level: log::LevelFilter) {
    if log::set_boxed_logger(Box::new(Redacting)).is_ok() {
        log::set_max_level(level);
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn tokens_in_link_paths_are_blanked() {
        assert_eq!(
            redact("GET /password/reset/abc-DEF_123 text/html:"),
            "GET /password/reset/[redacted] text/html:"
        );
        assert_eq!(
            redact("POST /unsubscribe/x1 and GET /verify/y2?z"),
            "POST /unsubscribe/[redacted] and GET /verify/[redacted]?z"
        );
        assert_eq!(
            redact("GET /password/reset text/html:"),
            "GET /password/reset text/html:"
        );
        assert_eq!(redact("GET /complaints/42"), "GET /complaints/42");
    }
}
