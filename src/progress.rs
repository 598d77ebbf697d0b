//! Progress bars on a terminal, nothing anywhere else. A disabled [`Progress`] costs one branch.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress(Option<ProgressBar>);

impl Progress {
  pub fn hidden() -> Self {
    Self(None)
  }

  /// A bar of `len` steps (a spinner with a count when `len` is 0), drawn on stderr.
  pub fn new(enabled: bool, label: &'static str, len: u64) -> Self {
    if !enabled {
      return Self::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len).filter(|&n| n > 0), ProgressDrawTarget::stderr());
    let template =
      if len > 0 { "{prefix:>7} [{bar:30}] {pos}/{len} {wide_msg}" } else { "{prefix:>7} {spinner} {pos} files" };
    if let Ok(style) = ProgressStyle::with_template(template) {
      bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(label);
    bar.enable_steady_tick(Duration::from_millis(100));
    Self(Some(bar))
  }

  pub fn inc(&self) {
    if let Some(b) = &self.0 {
      b.inc(1);
    }
  }

  pub fn finish(self) {
    if let Some(b) = self.0 {
      b.finish_and_clear();
    }
  }
}
