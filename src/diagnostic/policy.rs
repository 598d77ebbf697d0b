//! `--strict` and `--keep-going`, applied in one place: each stage reports what it found as it
//! is (a reference that names nothing is a warning, a file that does not parse an error), and
//! the flags decide at the stage's end which messages stop the build.

use super::{Code, Diagnostic, Severity};

#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
  /// What DevTools compiles but the platform cannot load ([`Code::is_strict_error`]) stops the
  /// build.
  pub strict: bool,
  /// A file with a syntax error ships unchanged, with a warning.
  pub keep_going: bool,
}

impl Policy {
  /// One message as the flags make it.
  pub fn apply(self, mut d: Diagnostic) -> Diagnostic {
    if self.strict && !d.is_error() && d.code.is_strict_error() {
      d.severity = Severity::Error;
    }
    if self.keep_going && d.is_error() && d.code == Code::Syntax {
      d.severity = Severity::Warning;
      d.help = Some("shipped unchanged (--keep-going)".into());
    }
    d
  }

  /// A stage's messages, as (errors, which stop the build; warnings).
  pub fn split(self, messages: impl IntoIterator<Item = Diagnostic>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    messages.into_iter().map(|d| self.apply(d)).partition(Diagnostic::is_error)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn strict_makes_errors_of_strict_codes_only_and_keep_going_of_syntax_warnings() {
    let unresolved = Diagnostic::warning(Code::Unresolved, "x");
    let unanalysable = Diagnostic::warning(Code::Unanalysable, "x");
    let syntax = Diagnostic::error(Code::Syntax, "x");
    let all = [unresolved, unanalysable, syntax];
    let codes = |ds: &[Diagnostic]| ds.iter().map(|d| d.code).collect::<Vec<_>>();
    let (e, w) = Policy::default().split(all.clone());
    assert_eq!((codes(&e), codes(&w)), (vec![Code::Syntax], vec![Code::Unresolved, Code::Unanalysable]));
    let (e, w) = Policy { strict: true, keep_going: false }.split(all.clone());
    assert_eq!((codes(&e), codes(&w)), (vec![Code::Unresolved, Code::Syntax], vec![Code::Unanalysable]));
    let (e, w) = Policy { strict: false, keep_going: true }.split(all);
    assert!(e.is_empty());
    assert_eq!(w[2].help.as_deref(), Some("shipped unchanged (--keep-going)"));
  }
}
