// Embedded files (migrations, templates, catalogs, CSS) are read at compile time;
// cargo does not notice new files in those folders unless told.
fn main() {
    for dir in ["migrations", "templates", "i18n", "static"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
