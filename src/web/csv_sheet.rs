//! Every CSV the portal writes: RFC 4180 with CRLF line ends, and text cells neutralised so
//! that a spreadsheet never runs what a subscriber typed as a formula (OWASP "CSV
//! injection"), while numbers stay numbers.

use std::borrow::Cow;

use crate::web::errors::AppError;

/// One cell: text (neutralised) or a number (written as it is).
pub enum Cell {
    Text(String),
    /// A number already written out (`12`, `12.3`), or "" when there is none.
    Number(String),
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    pub fn int(value: i64) -> Cell {
        Cell::Number(value.to_string())
    }

    /// A number, or an empty cell.
    pub fn opt(value: Option<i64>) -> Cell {
        Cell::Number(value.map(|v| v.to_string()).unwrap_or_default())
    }

    fn written(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(t) => neutralise(t),
            Cell::Number(n) => Cow::Borrowed(n),
        }
    }
}

/// A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets show as text.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV being written in memory: a header row, then rows of cells.
pub struct Sheet(csv::Writer<Vec<u8>>);

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("CSV: {e}"))
}

impl Sheet {
    pub fn new<S: AsRef<str>>(header: impl IntoIterator<Item = S>) -> Result<Sheet, AppError> {
        let mut sheet = Sheet(
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        );
        let header: Vec<Cell> = header.into_iter().map(|h| Cell::text(h.as_ref())).collect();
        sheet.row(&header)?;
        Ok(sheet)
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<(), AppError> {
        self.0
            .write_record(cells.iter().map(|c| c.written().into_owned()))
            .map_err(failed)
    }

    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.0.into_inner().map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        for risky in ["=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["Kleema", "", " =1", "1=1", "'quoted"] {
            assert_eq!(neutralise(plain), plain);
        }
        let mut sheet = Sheet::new(["name", "n"]).unwrap();
        sheet
            .row(&[Cell::text("=HYPERLINK(\"x\")"), Cell::int(-3)])
            .unwrap();
        sheet.row(&[Cell::text("ok"), Cell::opt(None)]).unwrap();
        let body = String::from_utf8(sheet.finish().unwrap()).unwrap();
        assert_eq!(body, "name,n\r\n\"'=HYPERLINK(\"\"x\"\")\",-3\r\nok,\r\n");
    }
}
