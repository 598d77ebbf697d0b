//! Byte sizes as WeChat counts them: 1 KB = 1024 bytes, so 2 MB = 2,097,152 bytes.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize};

/// A number of bytes, parsed from `2MB`, `2048KB`, `2MiB`, `1.5 MB` or plain `2097152`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ByteSize(pub u64);

impl ByteSize {
  pub const KB: u64 = 1024;
  pub const MB: u64 = 1024 * 1024;

  pub fn mb(n: u64) -> Self {
    Self(n * Self::MB)
  }
}

impl FromStr for ByteSize {
  type Err = String;

  fn from_str(s: &str) -> Result<Self, String> {
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let mult = match unit.as_str() {
      "" | "b" => 1,
      "k" | "kb" | "kib" => Self::KB,
      "m" | "mb" | "mib" => Self::MB,
      "g" | "gb" | "gib" => Self::MB * 1024,
      _ => return Err(format!("unknown size unit {unit:?} in {s:?} (use B, KB, MB or GB; 1 KB = 1024 bytes)")),
    };
    let n: f64 = num.parse().map_err(|_| format!("{s:?} is not a size (examples: 2MB, 2048KB, 2097152)"))?;
    let bytes = n * mult as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
      return Err(format!("{s:?} is out of range"));
    }
    Ok(Self(bytes.round() as u64))
  }
}

impl<'de> Deserialize<'de> for ByteSize {
  fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
      Int(u64),
      Text(String),
    }
    match Raw::deserialize(d)? {
      Raw::Int(n) => Ok(Self(n)),
      Raw::Text(s) => s.parse().map_err(serde::de::Error::custom),
    }
  }
}

impl fmt::Display for ByteSize {
  /// Human form with WeChat's units: `1.50 MB`, `312.4 KB`, `87 B`.
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let b = self.0 as f64;
    if self.0 >= Self::MB {
      write!(f, "{:.2} MB", b / Self::MB as f64)
    } else if self.0 >= Self::KB {
      write!(f, "{:.1} KB", b / Self::KB as f64)
    } else {
      write!(f, "{} B", self.0)
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn parses_wechat_units() {
    for (s, n) in [
      ("2MB", 2_097_152),
      ("2048KB", 2_097_152),
      ("2MiB", 2_097_152),
      ("2 mb", 2_097_152),
      ("1.5MB", 1_572_864),
      ("30MB", 31_457_280),
      ("12345", 12345),
      ("100B", 100),
    ] {
      assert_eq!(s.parse::<ByteSize>(), Ok(ByteSize(n)), "{s}");
    }
    assert!("2XB".parse::<ByteSize>().is_err());
    assert!("MB".parse::<ByteSize>().is_err());
    assert!("-1MB".parse::<ByteSize>().is_err());
  }

  #[test]
  fn displays() {
    assert_eq!(ByteSize(2_097_152).to_string(), "2.00 MB");
    assert_eq!(ByteSize(1536).to_string(), "1.5 KB");
    assert_eq!(ByteSize(87).to_string(), "87 B");
  }
}
