//! A progress bar on standard error for long runs, drawn only when standard
//! error is a terminal: piped or redirected runs (tests, CI, `2>log`) never
//! see a control character. Error lines are printed around the bar.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts finished inputs (files, or JSONL lines when their number is unknown).
pub struct Progress(ProgressBar);

impl Progress {
    /// A bar over `total` inputs, or a counter when the total is unknown.
    /// Hidden unless standard error is a terminal; it appears only once a
    /// run has lasted a moment, so short runs stay quiet.
    pub fn new(total: Option<u64>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(ProgressBar::hidden());
        }
        let (bar, template) = match total {
            Some(n) => (
                ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::hidden()),
                "{elapsed_precise} [{bar:40}] {pos}/{len} documents ({per_sec}, eta {eta})",
            ),
            None => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
                "{elapsed_precise} {spinner} {pos} documents ({per_sec})",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        let shown = bar.clone();
        // Drawn after a short delay: a one-file run finishes before it shows.
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(200));
            }
        });
        Progress(bar)
    }

    /// One more input done.
    pub fn inc(&self) {
        self.0.inc(1);
    }

    /// Prints a line on standard error without tearing the bar.
    pub fn eprintln(&self, line: &str) {
        self.0.suspend(|| eprintln!("{line}"));
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
