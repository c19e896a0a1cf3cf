//! The filing form's steps: which provider and problems (1), their facts and the claim (2),
//! check the answers (3). Which fields each step asks, so that a step keeps exactly its own.

use super::complaint::Kind;

choices!(Step { Problems = "problems", Facts = "facts", Check = "check" });

/// The fields of step 1.
pub const PROBLEM_FIELDS: [&str; 3] = ["provider", "provider_other", "kind"];
/// The fields of step 2 beside the facts of each kind.
pub const DETAIL_FIELDS: [&str; 6] = [
    "title",
    "description",
    "contract_ref",
    "amount_claimed",
    "currency",
    "share_with_associations",
];
/// Fields whose value is a ticked checkbox.
pub const CHECKBOXES: [&str; 4] = [
    "partly_restored",
    "still_billed",
    "notice_received",
    "share_with_associations",
];

impl Step {
    /// The form fields this step's page posts.
    pub fn fields(self) -> Vec<&'static str> {
        match self {
            Step::Problems => PROBLEM_FIELDS.to_vec(),
            Step::Facts => DETAIL_FIELDS
                .iter()
                .copied()
                .chain(Kind::ALL.iter().flat_map(|k| k.form_fields()))
                .collect(),
            Step::Check => Vec::new(),
        }
    }

    /// The step whose page holds `field`.
    pub fn of(field: &str) -> Step {
        if PROBLEM_FIELDS.contains(&field) {
            Step::Problems
        } else {
            Step::Facts
        }
    }

    /// Every field of a whole complaint.
    pub fn all_fields() -> Vec<&'static str> {
        let mut all = Step::Problems.fields();
        all.extend(Step::Facts.fields());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_belongs_to_one_step() {
        let all = Step::all_fields();
        for field in &all {
            let step = Step::of(field);
            assert!(step.fields().contains(field), "{field}");
            assert_eq!(all.iter().filter(|f| *f == field).count(), 1, "{field}");
        }
        for kind in Kind::ALL {
            for field in kind.fields() {
                assert_eq!(Step::of(field), Step::Facts);
            }
        }
        assert_eq!(Step::of("kind"), Step::Problems);
        // A date is kept as typed in its boxes, and as one field from scripts.
        for name in ["started_on", "started_on-day", "charged_on-year"] {
            assert!(Step::Facts.fields().contains(&name), "{name}");
        }
        assert!(Step::Check.fields().is_empty());
    }
}
