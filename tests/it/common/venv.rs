//! Python tools the tests drive, installed once (pinned, from PyPI) into a git-ignored
//! virtualenv under `target/`. Where a tool cannot be installed the tests that need it skip,
//! saying why, unless its variable says `required` (CI), where that is a failure.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

pub struct Tool {
    /// The virtualenv, under the crate's root.
    dir: &'static str,
    /// What pip installs: every package pinned.
    pins: &'static [&'static str],
    /// The variable that makes a missing tool a failure (`…=required`).
    required_by: &'static str,
    /// What the tests are called in messages.
    tests: &'static str,
    installed: Mutex<Option<Result<PathBuf, String>>>,
}

impl Tool {
    pub const fn new(
        dir: &'static str,
        pins: &'static [&'static str],
        required_by: &'static str,
        tests: &'static str,
    ) -> Tool {
        Tool {
            dir,
            pins,
            required_by,
            tests,
            installed: Mutex::new(None),
        }
    }

    /// The virtualenv's `bin` folder, the tool installed on first use.
    fn bin(&self) -> Result<PathBuf, String> {
        let mut done = self.installed.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(result) = done.as_ref() {
            return result.clone();
        }
        let result = self.install();
        *done = Some(result.clone());
        result
    }

    fn install(&self) -> Result<PathBuf, String> {
        let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(self.dir);
        let bin = venv.join("bin");
        // Named after the pins, so that changing one installs again.
        let marker = venv.join(self.pins.join("+"));
        if marker.exists() {
            return Ok(bin);
        }
        eprintln!(
            "{}: installing {} into {}",
            self.tests,
            self.pins.join(" "),
            venv.display()
        );
        let run = |cmd: &mut Command, what: &str| -> Result<(), String> {
            let out = cmd
                .output()
                .map_err(|e| format!("{what} failed to start: {e}"))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(format!(
                    "{what} failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ))
            }
        };
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&venv),
            "python3 -m venv (apt-get install python3-venv)",
        )?;
        run(
            Command::new(bin.join("python"))
                .args(["-m", "pip", "install", "-q"])
                .args(self.pins),
            &format!("pip install {}", self.pins.join(" ")),
        )?;
        std::fs::write(&marker, "").map_err(|e| e.to_string())?;
        Ok(bin)
    }

    /// The virtualenv's `bin` folder when the tests can run; when they cannot and are not
    /// required, says why.
    #[track_caller]
    pub fn available(&self) -> Option<PathBuf> {
        match self.bin() {
            Ok(bin) => Some(bin),
            Err(why) if std::env::var(self.required_by).as_deref() == Ok("required") => {
                panic!("{} required but cannot run: {why}", self.tests)
            }
            Err(why) => {
                eprintln!("{} skipped: {why}", self.tests);
                None
            }
        }
    }
}
