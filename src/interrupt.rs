//! Ctrl-C and SIGTERM. The binary installs a handler ([`install`]); before the output is being
//! written the process just ends (nothing was written), and while it is, the emit stage sees
//! [`requested`], removes its temporary folder and returns, leaving the previous output as it
//! was. A library user (the JS API) installs nothing and is never stopped this way.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The exit status of an interrupted build, as shells report a SIGINT (128 + 2).
pub const EXIT_STATUS: i32 = crate::ExitStatus::Interrupted as i32;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static WRITING: AtomicBool = AtomicBool::new(false);
static STOP_STATUS: AtomicI32 = AtomicI32::new(EXIT_STATUS);

/// Installs the handler; call once, from `main`.
pub fn install() -> Result<(), String> {
  ctrlc::set_handler(|| {
    REQUESTED.store(true, Ordering::SeqCst);
    if !WRITING.load(Ordering::SeqCst) {
      std::process::exit(STOP_STATUS.load(Ordering::SeqCst));
    }
  })
  .map_err(|e| e.to_string())
}

/// The status the process ends with when stopped outside a write ([`EXIT_STATUS`] unless set:
/// `wxpack build --watch` ends with 0, as a watcher stopped by hand did its job).
pub fn stop_status(code: i32) {
  STOP_STATUS.store(code, Ordering::SeqCst);
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
