//! Every CSV the portal writes: RFC 4180 with CRLF line ends, and text cells neutralised so
//! that a spreadsheet never runs what a subscriber typed as a formula (OWASP "CSV
//! injection"), while numbers stay numbers. Amounts are written in currency units with the
//! currency's decimals (`12.50`), never in minor units.

use std::borrow::Cow;

use crate::domain::money::{Currency, amount_input};
use crate::web::errors::AppError;
use crate::web::query::ParamError;

/// What spreadsheets (Excel above all) need to read a CSV as UTF-8 rather than as the
/// system's legacy code page: the byte-order mark, first. Opt-in (`bom=true`), as other
/// tools would take it for part of the first header.
const BOM: &[u8] = "\u{feff}".as_bytes();

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

    /// An amount in minor units written in currency units (`1250` EUR is `12.50`), or an
    /// empty cell.
    pub fn money(minor: Option<i64>, currency: Currency) -> Cell {
        Cell::Number(minor.map(|m| amount_input(m, currency)).unwrap_or_default())
    }

    /// `true`, `false`, or an empty cell where the fact does not apply.
    pub fn flag(value: Option<bool>) -> Cell {
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

/// A CSV being written in memory: a header row, then rows of cells. A long one is sent a
/// part at a time (`take`), so that memory stays flat however many rows there are.
pub struct Sheet(csv::Writer<Vec<u8>>);

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("CSV: {e}"))
}

impl Sheet {
    pub fn new<S: AsRef<str>>(header: impl IntoIterator<Item = S>) -> Result<Sheet, AppError> {
        let mut sheet = Sheet(writer());
        let header: Vec<Cell> = header.into_iter().map(|h| Cell::text(h.as_ref())).collect();
        sheet.row(&header)?;
        Ok(sheet)
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<(), AppError> {
        self.0
            .write_record(cells.iter().map(|c| c.written().into_owned()))
            .map_err(failed)
    }

    /// What was written since the last `take`.
    pub fn take(&mut self) -> Result<Vec<u8>, AppError> {
        std::mem::replace(&mut self.0, writer())
            .into_inner()
            .map_err(failed)
    }

    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.0.into_inner().map_err(failed)
    }
}

/// The `bom` parameter of a CSV download ("" when absent): `true` or `false`; anything
/// else is refused rather than guessed.
pub fn bom_param(value: &str) -> Result<bool, ParamError> {
    match value {
        "" | "false" => Ok(false),
        "true" => Ok(true),
        _ => Err(ParamError::invalid("bom", "error-choice")),
    }
}

/// The start of a CSV file, after the byte-order mark when `bom`.
pub fn with_bom(bom: bool, start: Vec<u8>) -> Vec<u8> {
    if bom { [BOM, &start].concat() } else { start }
}

/// A download's file name that says what it holds: `base`, then each filter that is set as
/// `_name-value`, e.g. `recours-complaints_from-2026-01_kind-billing.csv`. Values are
/// reduced to letters, digits and `-` (at most 40 of them), so nothing typed can break the
/// header or the file system.
pub fn file_name(base: &str, filters: &[(&str, Option<String>)]) -> String {
    let mut name = base.to_string();
    for (key, value) in filters {
        let value: String = value
            .as_deref()
            .unwrap_or("")
            .trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(40)
            .collect();
        let value = value.trim_matches('-');
        if !value.is_empty() {
            name.push_str(&format!("_{key}-{value}"));
        }
    }
    name.push_str(".csv");
    name
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

    #[test]
    fn amounts_in_currency_units_a_bom_on_request_and_parts_that_add_up() {
        let mut sheet = Sheet::new(["amount", "flag"]).unwrap();
        let first = with_bom(true, sheet.take().unwrap());
        assert_eq!(first, b"\xef\xbb\xbfamount,flag\r\n");
        sheet
            .row(&[
                Cell::money(Some(1205), Currency::Eur),
                Cell::flag(Some(true)),
            ])
            .unwrap();
        sheet
            .row(&[Cell::money(Some(5), Currency::Tnd), Cell::flag(None)])
            .unwrap();
        sheet
            .row(&[Cell::money(None, Currency::Eur), Cell::flag(Some(false))])
            .unwrap();
        assert_eq!(sheet.take().unwrap(), b"12.05,true\r\n0.005,\r\n,false\r\n");
        assert!(sheet.finish().unwrap().is_empty());
        assert_eq!(with_bom(false, b"a\r\n".to_vec()), b"a\r\n");
    }

    #[test]
    fn the_bom_parameter_is_true_false_or_refused() {
        assert!(!bom_param("").unwrap());
        assert!(!bom_param("false").unwrap());
        assert!(bom_param("true").unwrap());
        for bad in ["1", "TRUE", "yes"] {
            assert!(bom_param(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_names_say_the_filters_and_nothing_else() {
        assert_eq!(
            file_name("recours-providers", &[("from", None)]),
            "recours-providers.csv"
        );
        assert_eq!(
            file_name(
                "recours-complaints",
                &[
                    ("from", Some("2026-01".to_string())),
                    ("kind", Some(String::new())),
                    ("q", Some("\"a b/../é\r\n".to_string()))
                ]
            ),
            "recours-complaints_from-2026-01_q-a-b.csv"
        );
    }
}
