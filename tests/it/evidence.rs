use rocket::http::Status;

use crate::common::{PDF, PNG, TestApp};
use recours::domain::account::Role;

fn app_with_complaint() -> (TestApp, String) {
    let app = TestApp::new();
    app.provider("kleema", "Kleema", None, None);
    app.logged_in_as("jade@example.org", Role::Subscriber);
    let path = app.filed(&[]);
    (app, path)
}

#[test]
fn pdf_png_and_jpeg_are_stored_and_downloaded_as_attachments() {
    let (app, path) = app_with_complaint();
    app.upload(&path, "facture octobre.pdf", PDF)
        .assert_redirect(&format!("{path}#evidence"));
    app.upload(&path, "screen.png", PNG)
        .assert_redirect(&format!("{path}#evidence"));
    app.upload(&path, "photo.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])
        .assert_redirect(&format!("{path}#evidence"));
    let page = app.get(&path);
    page.assert_contains("facture octobre.pdf");
    page.assert_contains("screen.png");
    page.assert_contains("photo.jpg");
    let href = crate::common::after(&page.body, &format!("{path}/attachments/"));
    let file = app
        .client
        .get(format!("{path}/attachments/{href}"))
        .dispatch();
    assert_eq!(file.status(), Status::Ok);
    assert_eq!(
        file.headers().get_one("Content-Disposition"),
        Some("attachment; filename=\"facture octobre.pdf\"")
    );
    assert_eq!(
        file.headers().get_one("Content-Type"),
        Some("application/pdf")
    );
    assert_eq!(file.into_bytes().unwrap(), PDF);
}

#[test]
fn the_type_comes_from_the_content_not_the_name() {
    let (app, path) = app_with_complaint();
    let res = app.upload(
        &path,
        "invoice.pdf",
        b"<html><script>alert(1)</script></html>",
    );
    assert_eq!(res.status, Status::UnsupportedMediaType);
    res.assert_contains("Only PDF, PNG and JPEG files are accepted.");
    let res = app.upload(&path, "empty.pdf", b"");
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("Choose a file to add.");
    assert_eq!(app.count("attachments"), 0);
}

#[test]
fn files_over_5_mib_are_refused() {
    let (app, path) = app_with_complaint();
    let mut big = PDF.to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'0');
    let res = app.upload(&path, "big.pdf", &big);
    assert_eq!(res.status, Status::PayloadTooLarge);
    res.assert_contains("This file is larger than 5 MiB.");
    assert_eq!(app.count("attachments"), 0);
    let mut fits = PDF.to_vec();
    fits.resize(5 * 1024 * 1024, b'0');
    app.upload(&path, "fits.pdf", &fits)
        .assert_redirect(&format!("{path}#evidence"));
}

#[test]
fn at_most_ten_files_per_complaint() {
    let (app, path) = app_with_complaint();
    for i in 0..10 {
        app.upload(&path, &format!("page{i}.pdf"), PDF)
            .assert_redirect(&format!("{path}#evidence"));
    }
    let res = app.upload(&path, "page11.pdf", PDF);
    assert_eq!(res.status, Status::UnprocessableEntity);
    res.assert_contains("at most 10 documents");
    assert_eq!(app.count("attachments"), 10);
}

#[test]
fn an_upload_without_the_csrf_token_is_refused() {
    let (app, path) = app_with_complaint();
    let boundary = "b";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nforged\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n"
    );
    let ct = rocket::http::ContentType::new("multipart", "form-data")
        .with_params(("boundary", boundary));
    let res = crate::common::send(
        app.client
            .post(format!("{path}/attachments"))
            .header(ct)
            .body(body),
    );
    assert_eq!(res.status, Status::Forbidden);
    assert_eq!(app.count("attachments"), 0);
}
