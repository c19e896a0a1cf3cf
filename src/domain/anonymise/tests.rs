use super::*;
use proptest::prelude::*;

fn clean(text: &str) -> String {
    anonymise(text, &[])
}

/// The longest run of consecutive ASCII digits.
fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

#[test]
fn emails_are_replaced() {
    assert_eq!(clean("jean.dupont@example.fr"), "[e-mail]");
    assert_eq!(
        clean("écrivez à jean.dupont@example.fr."),
        "écrivez à [e-mail]."
    );
    assert_eq!(
        clean("(a_b%c+tag-x@mail.sub-domain.example.com)"),
        "([e-mail])"
    );
    assert_eq!(clean("X.Y@Example.ORG, merci"), "[e-mail], merci");
    assert_eq!(clean("a@b.fr et c@d.ma"), "[e-mail] et [e-mail]");
    assert_eq!(clean("0612345678@sms.example.fr"), "[e-mail]");
}

#[test]
fn near_emails_are_kept() {
    for text in [
        "rendez-vous @ 10h",
        "user@localhost",
        "a@b.c",
        "a@b.f2",
        "@example.fr",
        "a@.fr",
        "a@b..fr",
        "prix @ 3.50",
    ] {
        assert_eq!(clean(text), text);
    }
    // A trailing label that is not a TLD stays text.
    assert_eq!(clean("a@b.fr.2009"), "[e-mail].2009");
}

#[test]
fn phones_are_replaced() {
    assert_replaced(
        &[
            "06 12 34 56 78",
            "+33 6 12 34 56 78",
            "0612345678",
            "+212 661-234567",
            "(+33) 1.23.45.67.89",
            "00 33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "06-12-34-56-78",
            "06/12/34/56/78",
            "+216 71 123 456",
            "0 800 123 456",
        ],
        PHONE,
    );
}

#[test]
fn parentheses_around_a_number_stay_balanced() {
    assert_eq!(clean("(06 12 34 56 78)"), "([phone])");
    assert_eq!(clean("(tél. 06 12 34 56 78)"), "(tél. [phone])");
    assert_eq!(clean("06 12 34 56 78 (2"), "[phone] (2");
    assert_eq!(clean("06 12 34 56 78 (24h/24)"), "[phone] (24h/24)");
    assert_eq!(
        clean("06 12 34 56 (78"),
        "[phone]",
        "hidden rather than cut short"
    );
    assert_eq!(clean("+33 (0)6 12 34 56 78)"), "[phone])");
    assert_eq!(clean("1) 06 12 34 56 78"), "1) [phone]");
}

#[test]
fn numbers_that_are_not_phones_are_kept() {
    for text in [
        "le 2009-09-07",
        "le 07/09/2009",
        "le 07.09.2009 à 10:30",
        "89,50 EUR",
        "1 234,56 EUR",
        "12 345 678,90 EUR",
        "en 2009 puis 2010",
        "hausse de 493 %",
        "12345678",
        "3 fois, 15 jours, 48 h",
        "du 07/09/2009 au 15/10/2009",
        "1234567890123456789",
        "factures 2009 2010 2011",
        "2009-2010-2011-2012",
    ] {
        assert_eq!(clean(text), text);
    }
}

#[test]
fn long_runs_are_cut_into_numbers() {
    assert_eq!(clean("06 12 34 56 78 01 23 45 67 89"), "[phone] [phone]");
    assert_eq!(
        clean("le 07/09/2009 06 12 34 56 78"),
        "le 07/09/2009 [phone]"
    );
    assert_eq!(clean("07/09/2009-15/10/2009"), "07/09/2009-15/10/2009");
}

#[test]
fn ibans_are_replaced() {
    for iban in [
        "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189",
        "MA64011519000001205000534921",
        "MA64 0115 1900 0001 2050 0053 4921",
        "fr76 3000 6000 0112 3456 7890 189",
        "GB29 NWBK 6016 1331 9268 19",
        "TN59 1000 6035 1835 9847 8831",
    ] {
        assert_eq!(clean(iban), "[IBAN]", "{iban}");
        let sentence = format!("IBAN : {iban}. Merci");
        assert_eq!(clean(&sentence), "IBAN : [IBAN]. Merci", "{iban}");
    }
    // What follows an IBAN is not swallowed.
    assert_eq!(
        clean("FR76 3000 6000 0112 3456 7890 189 pour le remboursement"),
        "[IBAN] pour le remboursement"
    );
    assert_eq!(
        clean("MA64 0115 1900 0001 2050 0053 4921 pour le 06 12 34 56 78"),
        "[IBAN] pour le [phone]"
    );
}

#[test]
fn near_ibans_are_kept() {
    for text in [
        "FR76",
        "FR76 3000",
        "AB12 word",
        "ab12abcdefghijkl",
        "mp3 et mp4",
        "code FR12 rue",
    ] {
        assert_eq!(clean(text), text);
    }
}

#[test]
fn contract_references_are_replaced() {
    let refs = [" CLI-2009-42 ", "", "   ", "ab"];
    assert_eq!(
        anonymise("contrat cli-2009-42, rappel CLI-2009-42", &refs),
        "contrat [reference], rappel [reference]"
    );
    assert_eq!(anonymise("abc", &["ab"]), "[reference]c");
    assert_eq!(anonymise("aaa", &["aa"]), "[reference]");
    assert_eq!(anonymise("rien ici", &["", " "]), "rien ici");
    assert_eq!(anonymise("Réf ÉLAN-7", &["élan-7"]), "Réf [reference]");
    assert_eq!(anonymise("court", &["beaucoup plus long"]), "court");
}

#[test]
fn overlapping_findings_leave_nothing_behind() {
    // A reference inside an e-mail: the whole address goes.
    assert_eq!(anonymise("jean.dupont@example.fr", &["dupont"]), "[e-mail]");
    // A reference reaching past a phone number: the whole reference goes.
    assert_eq!(
        anonymise("ligne 0612345678-B", &["0612345678-B"]),
        "ligne [reference]"
    );
}

#[test]
fn multi_byte_characters_next_to_matches() {
    assert_eq!(clean("é0612345678é"), "é[phone]é");
    assert_eq!(clean("€06 12 34 56 78€"), "€[phone]€");
    // Letters of any script belong to an address: the 'é's are part of this one.
    assert_eq!(clean("éjean@example.fré"), "[e-mail]");
    assert_eq!(clean("«jean@example.fr»"), "«[e-mail]»");
    assert_eq!(clean("«FR7630006000011234567890189»"), "«[IBAN]»");
    assert_eq!(
        anonymise("日本CLI-1日本", &["cli-1"]),
        "日本[reference]日本"
    );
    assert_eq!(clean("😀@😀.fr 😀"), "😀@😀.fr 😀");
    assert_eq!(clean(""), "");
}

#[test]
fn kleema_sentence() {
    let text = "Depuis le 07/09/2009 la ligne est coupée, j'ai payé 89,50 EUR \
                (hausse de 493 %), appelez-moi au 06 12 34 56 78 ou écrivez à \
                jean.dupont@example.fr, IBAN FR76 3000 6000 0112 3456 7890 189, \
                contrat CLI-2009-42";
    let out = anonymise(text, &["CLI-2009-42"]);
    assert_eq!(
        out,
        "Depuis le 07/09/2009 la ligne est coupée, j'ai payé 89,50 EUR \
         (hausse de 493 %), appelez-moi au [phone] ou écrivez à [e-mail], \
         IBAN [IBAN], contrat [reference]"
    );
    assert!(longest_digit_run(&out) < 9);
}

/// Whether `word` could announce a name or an address, or be a currency: such words are not
/// filler.
fn announces(word: &str) -> bool {
    let folded: String = word.chars().map(normalise::fold).collect();
    let first_words = names::PHRASES
        .iter()
        .chain(names::INTRODUCTIONS)
        .chain(references::LABELS)
        .filter_map(|p| p.split(' ').next());
    addresses::STREETS_BEFORE_NAME
        .iter()
        .chain(addresses::STREETS_AFTER_NAME)
        .chain(names::CIVILITIES)
        .chain(phones::CURRENCY_WORDS)
        .copied()
        .chain(first_words)
        .any(|w| w == folded)
}

fn word() -> impl Strategy<Value = String> {
    "[a-zA-Zéèàçœ]{1,8}".prop_filter("an announcing word", |w| !announces(w))
}

fn words() -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 0..4).prop_map(|w| w.join(" "))
}

fn email() -> impl Strategy<Value = String> {
    (
        "[A-Za-z0-9][A-Za-z0-9._%+-]{0,12}",
        proptest::collection::vec("[A-Za-z0-9][A-Za-z0-9-]{0,8}", 1..4),
        "[A-Za-z]{2,6}",
    )
        .prop_map(|(local, labels, tld)| format!("{local}@{}.{tld}", labels.join(".")))
}

fn phone() -> impl Strategy<Value = String> {
    (
        "[0-9]{9,15}",
        proptest::collection::vec(0usize..6, 15),
        prop_oneof![Just(""), Just("+")],
    )
        .prop_map(|(digits, cuts, prefix)| {
            let mut out = String::from(prefix);
            for (k, d) in digits.chars().enumerate() {
                if k > 0 {
                    out.push_str(["", "", " ", ".", "-", "/"][cuts[k - 1]]);
                }
                out.push(d);
            }
            out
        })
        .prop_filter(
            "one dot before the last digits is an amount (89.50)",
            |phone| {
                let separators: Vec<char> = phone.chars().filter(|c| !c.is_ascii_digit()).collect();
                let tail = phone.rsplit('.').next().map_or(0, str::len);
                !(separators == ['.'] && tail <= 2)
            },
        )
        .prop_filter("a list of years is not a phone number", |phone| {
            !phone
                .split(|c: char| !c.is_ascii_digit())
                .filter(|g| !g.is_empty())
                .all(|g| g.len() == 4 && (g.starts_with("19") || g.starts_with("20")))
        })
}

fn iban() -> impl Strategy<Value = String> {
    (
        "[A-Za-z]{2}[0-9]{2}",
        "[A-Z0-9]{4}[0-9]{6,26}",
        any::<bool>(),
    )
        .prop_map(|(head, bban, grouped)| {
            let all: Vec<char> = format!("{head}{bban}").chars().collect();
            if grouped {
                let groups: Vec<String> = all.chunks(4).map(|g| g.iter().collect()).collect();
                groups.join(" ")
            } else {
                all.into_iter().collect()
            }
        })
}

fn around(before: &str, middle: &str, after: &str) -> String {
    [before, middle, after]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

proptest! {
    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,120}", r in "\\PC{0,6}") {
        let _ = anonymise(&text, &[r.as_str()]);
    }

    #[test]
    fn never_panics_on_text_made_of_the_scanned_characters(
        text in "[0-9a-zA-Z@.+()/ %,_é€-]{0,120}",
    ) {
        let out = anonymise(&text, &["a1"]);
        prop_assert!(!out.is_empty() || text.is_empty());
    }

    #[test]
    // Names need a capital letter, except after a civility or an introduction ("mr dupont",
    // "je m'appelle jean"): with none of those, such a text is kept whole.
    fn text_without_digits_at_signs_or_capitals_is_kept(text in "[^0-9@\\p{Lu}\\p{Lt}]{0,80}") {
        let folded: String = unicode_normalization::UnicodeNormalization::nfkc(text.as_str())
            .map(super::normalise::fold)
            .collect();
        let folded = folded.to_lowercase();
        prop_assume!(
            !folded
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| super::names::CIVILITIES.contains(&w))
                && !super::names::INTRODUCTIONS.iter().any(|i| folded.contains(i))
        );
        prop_assert_eq!(clean(&text), text);
    }

    #[test]
    fn inserted_emails_are_removed(before in words(), item in email(), after in words()) {
        let out = clean(&around(&before, &item, &after));
        prop_assert_eq!(out, around(&before, EMAIL, &after));
    }

    #[test]
    fn inserted_phones_are_removed(before in words(), item in phone(), after in words()) {
        let out = clean(&around(&before, &item, &after));
        prop_assert_eq!(&out, &around(&before, PHONE, &after));
        prop_assert!(longest_digit_run(&out) < 9);
    }

    #[test]
    fn inserted_ibans_are_removed(before in words(), item in iban(), after in words()) {
        let out = clean(&around(&before, &item, &after));
        prop_assert_eq!(&out, &around(&before, IBAN, &after));
        prop_assert!(longest_digit_run(&out) < 9);
    }

    #[test]
    fn all_three_together(
        a in words(), e in email(), b in words(), p in phone(), c in words(), i in iban(),
    ) {
        let text = format!("{a} : {e}, {b} : {p}, {c} : {i}.");
        let out = clean(&text);
        prop_assert_eq!(out, format!("{a} : {EMAIL}, {b} : {PHONE}, {c} : {IBAN}."));
    }
}

/// Each text is anonymised as expected.
fn assert_cleaned(cases: &[(&str, &str)]) {
    for (text, expected) in cases {
        assert_eq!(clean(text), *expected, "{text}");
    }
}

/// Each text is kept as it is.
fn assert_kept(texts: &[&str]) {
    for text in texts {
        assert_eq!(clean(text), *text, "{text}");
    }
}

/// Each writing alone, then inside a sentence, gives `placeholder`.
fn assert_replaced(writings: &[&str], placeholder: &str) {
    for writing in writings {
        assert_eq!(clean(writing), placeholder, "{writing}");
        assert_eq!(
            clean(&format!("voici : {writing}, merci")),
            format!("voici : {placeholder}, merci"),
            "{writing}"
        );
    }
}

#[test]
fn phones_with_any_spaces_dashes_or_digits_are_replaced() {
    assert_replaced(
        &[
            "06  12  34  56  78",
            "06\u{a0}12\u{a0}34\u{a0}56\u{a0}78",
            "06\u{202f}12\u{202f}34\u{202f}56\u{202f}78",
            "06_12_34_56_78",
            "06,12,34,56,78",
            "06\u{2013}12\u{2013}34\u{2013}56\u{2013}78",
            "06\u{2014}12\u{2014}34\u{2014}56\u{2014}78",
            "06\u{2011}12\u{2011}34\u{2011}56\u{2011}78",
            "06 \u{2212} 12 \u{2212} 34 \u{2212} 56 \u{2212} 78",
            "06 - 12 - 34 - 56 - 78",
            "06\t12\n34 56 78",
            "０６ １２ ３４ ５６ ７８",
            "０６１２３４５６７８",
            "06\u{200b}12\u{200b}34\u{200b}56\u{200b}78",
            "٠٦١٢٣٤٥٦٧٨",
        ],
        PHONE,
    );
}

#[test]
fn phones_of_france_and_the_maghreb_are_replaced() {
    assert_replaced(
        &[
            "+33 6 12 34 56 78",
            "0033 6 12 34 56 78",
            "+33\u{a0}(0)6\u{a0}12\u{a0}34\u{a0}56\u{a0}78",
            "+212 6 61 23 45 67",
            "00212 661 234 567",
            "0661-234567",
            "0522 12 34 56",
            "+216 98 123 456",
            "00216 71 123 456",
            "98 123 456",
            "71.123.456",
            "22 33 44 55",
            "+213 5 51 23 45 67",
            "00213 21 23 45 67",
            "0551 23 45 67",
            "021 23 45 67",
            // Shaped like 2000-01-01, but nobody writes a date in pairs of digits.
            "20 00 01 01",
            "２０\u{3000}００\u{3000}０１\u{3000}０１",
        ],
        PHONE,
    );
}

#[test]
fn ibans_with_any_spaces_are_replaced() {
    assert_replaced(
        &[
            "FR76  3000  6000  0112  3456  7890  189",
            "FR76\u{a0}3000\u{a0}6000\u{a0}0112\u{a0}3456\u{a0}7890\u{a0}189",
            "FR76-3000-6000-0112-3456-7890-189",
            "ＦＲ７６ ３０００ ６０００ ０１１２ ３４５６ ７８９０ １８９",
            "MA64  0115  1900  0001  2050  0053  4921",
        ],
        IBAN,
    );
}

#[test]
fn spelled_out_spaced_and_accented_emails_are_replaced() {
    assert_replaced(
        &[
            "jean [at] gmail [dot] com",
            "jean (at) gmail (dot) com",
            "jean(at)gmail(dot)com",
            "jean {at} gmail {dot} com",
            "jean [arobase] gmail [point] com",
            "jean [AT] gmail [DOT] com",
            "jean.dupont [at] gmail.com",
            "jean @ gmail.com",
            "jean@ gmail.com",
            "jean＠gmail.com",
            "jean﹫gmail．com",
            "jéan.dupönt@gmail.com",
            "je\u{301}an.dupo\u{308}nt@gmail.com",
            "ÉLODIE@exämple.fr",
        ],
        EMAIL,
    );
    // The whole accented address goes, nothing of it is left around the placeholder.
    assert_eq!(clean("mail jéan.dupönt@gmail.com fin"), "mail [e-mail] fin");
}

#[test]
fn words_near_spelled_out_emails_are_kept() {
    assert_kept(&[
        "rendez-vous (at) 10h",
        "le prix (point) final",
        "un [at] deux",
        "a (dot) b",
        "voir [at] page 3",
    ]);
}

#[test]
fn labelled_customer_numbers_are_replaced() {
    assert_cleaned(&[
        ("numéro client : 12345678", "numéro client : [reference]"),
        ("Numéro client 12345678.", "Numéro client [reference]."),
        ("n° client: 1234 5678", "n° client: [reference]"),
        ("N° de client 87654321", "N° de client [reference]"),
        ("nº client 12345678", "nº client [reference]"),
        ("customer number 12345678", "customer number [reference]"),
        ("account number is 123456", "account number is [reference]"),
        (
            "mon numéro de client est le 87654321 depuis",
            "mon numéro de client est le [reference] depuis",
        ),
        (
            "numéro d'abonné : AB-123456",
            "numéro d'abonné : [reference]",
        ),
        (
            "numéro client ０１２３４５６７",
            "numéro client [reference]",
        ),
    ]);
    // Too short, or no label: kept.
    assert_kept(&[
        "numéro client 12345",
        "commande 12345678",
        "client depuis 2009",
    ]);
}

#[test]
fn contract_references_written_differently_are_replaced() {
    for writing in [
        "cli 2009 42",
        "CLI/2009/42",
        "cli.2009.42",
        "CLI200942",
        "Cli_2009_42",
        "cli \u{2013} 2009 \u{2013} 42",
        "CLI  2009  42",
        "ＣＬＩ－２００９－４２",
    ] {
        assert_eq!(
            anonymise(&format!("contrat {writing} résilié"), &["CLI-2009-42"]),
            "contrat [reference] résilié",
            "{writing}"
        );
    }
    // Letters and digits of the reference scattered further apart are not it.
    let text = "client depuis 2009, 42 euros";
    assert_eq!(anonymise(text, &["CLI-2009-42"]), text);
    assert_eq!(anonymise("réf ---", &["---"]), "réf ---");
}

#[test]
fn names_after_a_civility_or_an_introduction_are_replaced() {
    assert_cleaned(&[
        ("M. Dupont a dit non", "M. [name] a dit non"),
        ("Mme Fatima Zahra El Amrani", "Mme [name]"),
        (
            "Monsieur Jean-Pierre Martin, conseiller",
            "Monsieur [name], conseiller",
        ),
        ("Mr O'Brien called", "Mr [name] called"),
        ("Dr. Gregory House", "Dr. [name]"),
        ("Mlle Léa Dubois.", "Mlle [name]."),
        ("M. J. Dupont", "M. [name]"),
        ("Mme DUPONT", "Mme [name]"),
        ("M. Mohamed ben Ali", "M. [name]"),
        ("madame d'Artagnan", "madame [name]"),
        ("je m'appelle Karim Benali et", "je m'appelle [name] et"),
        ("Je m\u{2019}appelle Karim", "Je m\u{2019}appelle [name]"),
        ("my name is John Smith.", "my name is [name]."),
        ("I am Sarah Connor", "I am [name]"),
        ("Cordialement, Jean Dupont", "Cordialement, [name]"),
        ("Cordialement\nJean Dupont", "Cordialement\n[name]"),
        ("mme dupont a dit", "mme [name] a dit"),
        (
            "bonjour monsieur jean martin et merci",
            "bonjour monsieur [name] et merci",
        ),
        ("je m'appelle karim benali et", "je m'appelle [name] et"),
        ("my name is john.", "my name is [name]."),
    ]);
    assert_kept(&[
        "Monsieur le Directeur,",
        "Madame, Monsieur,",
        "je suis client depuis 2009",
        "I am very angry",
        "M. le médiateur",
        "je suis Orange depuis",
        "Je suis Marocain",
        "Bonjour Madame, je vous écris",
        "merci monsieur pour votre aide",
        "madame la directrice",
        "je suis client",
        "10 m. de câble",
        "i am angry",
        "Mon contrat M12",
        "M.Dupont",
    ]);
}

#[test]
fn postal_addresses_are_replaced() {
    assert_cleaned(&[
        ("12 rue de la Paix", "[address]"),
        (
            "j'habite 12 rue de la Paix depuis",
            "j'habite [address] depuis",
        ),
        ("3 bis, avenue Hassan II", "[address]"),
        ("45 bd Mohammed V, Casablanca", "[address], Casablanca"),
        ("8 allée des Tilleuls", "[address]"),
        ("12 rue d'Alger", "[address]"),
        ("7 rue de la gare et", "[address] et"),
        ("221B Baker Street", "[address]"),
        ("10 Downing Street", "[address]"),
        ("12 rue de la Paix, 75002 Paris", "[address]"),
        ("12 rue de la Paix 75002 PARIS CEDEX", "[address]"),
        ("envoyé au 75011 Paris", "envoyé au [address]"),
        ("20000 Casablanca", "[address]"),
        ("12 derb Sidi Bouloukat", "[address]"),
        ("7 zanka Tarik, 1002 Tunis", "[address]"),
        ("14 hay Mohammadi", "[address]"),
    ]);
    assert_kept(&[
        "89 EUR",
        "3 fois",
        "10000 euros",
        "20000 clients",
        "2 places de cinéma",
        "le 12 mai",
        "en 2009 Orange a augmenté",
        "3 route",
        "sur la route de Paris",
    ]);
}

#[test]
fn amounts_dates_and_short_numbers_are_kept() {
    assert_kept(&[
        "89 EUR",
        "89,00 €",
        "€89",
        "1 234 567,89 €",
        "12 345 678 EUR",
        "1 200 000 MAD",
        "1234567890 DH",
        "12,345,678.90 USD",
        "le 07/09/2009",
        "le 2009-09-07",
        "le 20090907",
        "le 07092009",
        "le 7 septembre 2009 à 10h30",
        "une hausse de 15 %",
        "3 mois, 12 jours, 48 h",
        "de 19,99 € à 29,99 €",
        "forfait 20 Go à 9,99 €",
    ]);
}

#[test]
fn outside_what_is_replaced_the_text_stays_as_written() {
    // NFKC would turn "ﬁ" into "fi", "²" into "2" and 'Ｍ' into 'M': the output keeps them.
    assert_eq!(
        clean("Ｍ. Dupont a ﬁni: ０６ １２ ３４ ５６ ７８, 2 m²\u{a0}!"),
        "Ｍ. [name] a ﬁni: [phone], 2 m²\u{a0}!"
    );
}
