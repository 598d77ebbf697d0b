//! Ctrl-C and SIGTERM. The binary installs a handler ([`install`]); before the output is being
//! written the process just ends (nothing was written), and while it is, the emit stage sees
//! [`requested`], removes its temporary folder and returns, leaving the previous output as it
//! was. A library user (the JS API) installs nothing and is never stopped this way.

use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status of an interrupted build, as shells report a SIGINT (128 + 2).
pub const EXIT_STATUS: i32 = crate::ExitStatus::Interrupted as i32;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static WRITING: AtomicBool = AtomicBool::new(false);

/// Installs the handler; call once, from `main`.
pub fn install() -> Result<(), String> {
  ctrlc::set_handler(|| {
    REQUESTED.store(true, Ordering::SeqCst);
    if !WRITING.load(Ordering::SeqCst) {
      std::process::exit(EXIT_STATUS);
    }
  })
  .map_err(|e| e.to_string())
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
  REQUESTED.load(Ordering::SeqCst)
}

/// While alive, a stop does not end the process: the writer checks [`requested`] between files
/// and cleans up itself.
pub struct Writing(());

impl Writing {
  pub fn start() -> Self {
    WRITING.store(true, Ordering::SeqCst);
    Self(())
  }
}

impl Drop for Writing {
  fn drop(&mut self) {
    WRITING.store(false, Ordering::SeqCst);
  }
}
