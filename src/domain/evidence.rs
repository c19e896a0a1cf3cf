//! Evidence files: which types are accepted, decided from the content, never the name.

pub const MAX_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
        }
    }
}

/// The type from the file's first bytes (its magic number).
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else {
        None
    }
}

/// A name safe to store and to send back in `Content-Disposition`: letters, digits, dots,
/// dashes, underscores and spaces from the original, with the extension of the real type.
pub fn safe_filename(raw: Option<&str>, file_type: FileType) -> String {
    let raw = raw.unwrap_or("");
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let cleaned: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.'))
        .take(80)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    let stem = if cleaned.is_empty() {
        "evidence"
    } else {
        cleaned
    };
    format!("{stem}.{}", file_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(FileType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn filenames_are_cleaned() {
        assert_eq!(
            safe_filename(Some("facture octobre.pdf"), FileType::Pdf),
            "facture octobre.pdf"
        );
        assert_eq!(
            safe_filename(Some("../../etc/passwd.png"), FileType::Png),
            "passwd.png"
        );
        assert_eq!(
            safe_filename(Some("C:\\Users\\a\\scan.exe"), FileType::Jpeg),
            "scan.jpg"
        );
        assert_eq!(
            safe_filename(Some("\"quote\";.pdf"), FileType::Pdf),
            "quote.pdf"
        );
        assert_eq!(safe_filename(None, FileType::Pdf), "evidence.pdf");
        assert_eq!(
            safe_filename(Some("ééé.pdf"), FileType::Pdf),
            "evidence.pdf"
        );
    }
}
