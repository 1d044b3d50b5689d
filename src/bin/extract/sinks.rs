//! Writing output: standard output, and what a closed pipe means. Kept
//! apart from `main` so every destination is handled in one place.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::fail;

pub fn write_all(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Exit status after writing: a closed pipe (`| head`) is a quiet success.
pub fn finish(written: io::Result<()>, failed: bool) -> ExitCode {
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(e.into(), 1),
        Ok(()) if failed => ExitCode::from(1),
        Ok(()) => ExitCode::SUCCESS,
    }
}
