//! Font containers: which one a font is in, its tables out (wuff decodes WOFF and WOFF2), and
//! a subset back into the same container.
//!
//! WOFF is zlib per table (flate2); WOFF2 is one brotli stream (the brotli crate) of the tables
//! as they are: `glyf` and `loca` with the null transform (version 3), which the format allows
//! and every WOFF2 decoder reads. The reference encoder's glyph transform would save a few
//! percent more; a font cut to its icons is already a fraction of what it was.

use std::io::Write;

use read_fonts::{FontRef, TableProvider, types::Tag};
use serde::{Deserialize, Serialize};

/// The container an embedded font comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
  /// TrueType or OpenType tables as they are (`.ttf`, `.otf`).
  Sfnt,
  Woff,
  Woff2,
}

impl Format {
  pub fn sniff(bytes: &[u8]) -> Option<Self> {
    match bytes.get(..4)? {
      b"wOFF" => Some(Self::Woff),
      b"wOF2" => Some(Self::Woff2),
      [0, 1, 0, 0] | b"OTTO" | b"true" => Some(Self::Sfnt),
      _ => None,
    }
  }
}

/// The most a font may hold decoded. An embedded icon font holds tens of KB; a WOFF header that
/// declares more is broken or hostile, and the decoder would allocate what it declares (found by
/// the `icon_fonts` fuzz target: a table length of 4 GB).
const MAX_SFNT: u64 = 32 << 20;

/// The font's tables as one sfnt file, or `None` when it cannot be read.
pub fn decode(bytes: &[u8], format: Format) -> Option<Vec<u8>> {
  if declared_size(bytes, format)? > MAX_SFNT {
    return None;
  }
  match format {
    Format::Sfnt => Some(bytes.to_vec()),
    Format::Woff => wuff::decompress_woff1(bytes).ok(),
    Format::Woff2 => wuff::decompress_woff2(bytes).ok(),
  }
}

/// What a font's header says it holds decoded: its `totalSfntSize` or the sum of its tables'
/// lengths, whichever is larger (a WOFF2 table's transformed length too); `None` when the
/// header or directory is cut short.
fn declared_size(bytes: &[u8], format: Format) -> Option<u64> {
  let u32_at = |at: usize| bytes.get(at..at + 4).map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])));
  let u16_at = |at: usize| bytes.get(at..at + 2).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])));
  match format {
    Format::Sfnt => Some(bytes.len() as u64),
    Format::Woff => {
      let tables = u16_at(12)?;
      let lengths = (0..tables).map(|i| u32_at(44 + 20 * i + 12)).sum::<Option<u64>>()?;
      Some(lengths.max(u32_at(16)?))
    }
    Format::Woff2 => {
      let tables = u16_at(12)?;
      let mut at = 48;
      let mut sum = 0u64;
      for _ in 0..tables {
        let flags = *bytes.get(at)?;
        at += 1;
        let tag: [u8; 4] = match KNOWN.get(usize::from(flags & 0x3f)) {
          Some(known) => **known,
          None => {
            let t = bytes.get(at..at + 4)?;
            at += 4;
            [t[0], t[1], t[2], t[3]]
          }
        };
        let version = flags >> 6;
        let transformed = if &tag == b"glyf" || &tag == b"loca" { version == 0 } else { version != 0 };
        for _ in 0..(1 + usize::from(transformed)) {
          let (n, len) = read_base128(bytes.get(at..)?)?;
          sum += n;
          at += len;
        }
      }
      Some(sum.max(u32_at(16)?))
    }
  }
}

/// A UIntBase128 and how many bytes it took, or `None` when it is not one.
fn read_base128(bytes: &[u8]) -> Option<(u64, usize)> {
  let mut n = 0u64;
  for (i, b) in bytes.iter().take(5).enumerate() {
    n = (n << 7) | u64::from(b & 0x7f);
    if b & 0x80 == 0 {
      return Some((n, i + 1));
    }
  }
  None
}

/// `sfnt` in `format`, or `None` when its tables cannot be read.
pub fn encode(sfnt: &[u8], format: Format) -> Option<Vec<u8>> {
  match format {
    Format::Sfnt => Some(sfnt.to_vec()),
    Format::Woff => woff(sfnt),
    Format::Woff2 => woff2(sfnt),
  }
}

/// Whether two sfnt files hold the same tables with the same data (`head`'s whole-font
/// checksum aside: a decoder may compute it again).
pub fn same_tables(a: &[u8], b: &[u8]) -> bool {
  let (Some((fa, ta)), Some((fb, tb))) = (tables(a), tables(b)) else { return false };
  let head = |tag: &Tag, d: &[u8]| -> Vec<u8> {
    let mut d = d.to_vec();
    if tag == &Tag::new(b"head") && d.len() >= 12 {
      d[8..12].fill(0);
    }
    d
  };
  fa == fb && ta.len() == tb.len() && ta.iter().zip(&tb).all(|((x, dx), (y, dy))| x == y && head(x, dx) == head(y, dy))
}

/// A font's tables, sorted by tag, with their data.
type Tables<'a> = Vec<(Tag, &'a [u8])>;

/// The flavor (sfnt version) and tables of `sfnt`.
fn tables(sfnt: &[u8]) -> Option<(u32, Tables<'_>)> {
  let font = FontRef::new(sfnt).ok()?;
  let flavor = font.table_directory.sfnt_version();
  let mut out = Vec::new();
  for record in font.table_directory.table_records() {
    let tag = record.tag();
    out.push((tag, font.table_data(tag)?.as_bytes()));
  }
  out.sort_by_key(|(tag, _)| *tag);
  // The head table is read for nothing here, but a font without one is no font.
  font.head().ok()?;
  Some((flavor, out))
}

fn pad4(out: &mut Vec<u8>) {
  while !out.len().is_multiple_of(4) {
    out.push(0);
  }
}

/// The size of the sfnt a decoder rebuilds from these tables.
fn sfnt_size(tables: &[(Tag, &[u8])]) -> u32 {
  let data: usize = tables.iter().map(|(_, d)| d.len().next_multiple_of(4)).sum();
  (12 + 16 * tables.len() + data) as u32
}

fn checksum(data: &[u8]) -> u32 {
  data.chunks(4).fold(0u32, |sum, c| {
    let mut word = [0u8; 4];
    word[..c.len()].copy_from_slice(c);
    sum.wrapping_add(u32::from_be_bytes(word))
  })
}

/// WOFF 1.0: a header, a directory, each table zlib-compressed where that is smaller.
fn woff(sfnt: &[u8]) -> Option<Vec<u8>> {
  let (flavor, tables) = tables(sfnt)?;
  let mut data = Vec::new();
  let mut directory = Vec::new();
  let data_start = 44 + 20 * tables.len();
  for (tag, table) in &tables {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(table).ok()?;
    let packed = z.finish().ok()?;
    let stored: &[u8] = if packed.len() < table.len() { &packed } else { table };
    directory.extend_from_slice(&tag.to_be_bytes());
    directory.extend_from_slice(&((data_start + data.len()) as u32).to_be_bytes());
    directory.extend_from_slice(&(stored.len() as u32).to_be_bytes());
    directory.extend_from_slice(&(table.len() as u32).to_be_bytes());
    directory.extend_from_slice(&checksum(table).to_be_bytes());
    data.extend_from_slice(stored);
    pad4(&mut data);
  }
  let mut out = Vec::with_capacity(data_start + data.len());
  out.extend_from_slice(b"wOFF");
  out.extend_from_slice(&flavor.to_be_bytes());
  out.extend_from_slice(&((data_start + data.len()) as u32).to_be_bytes());
  out.extend_from_slice(&(tables.len() as u16).to_be_bytes());
  out.extend_from_slice(&[0, 0]);
  out.extend_from_slice(&sfnt_size(&tables).to_be_bytes());
  out.extend_from_slice(&[0, 1, 0, 0]); // version 1.0
  out.extend_from_slice(&[0; 20]); // no metadata, no private data
  out.extend_from_slice(&directory);
  out.extend_from_slice(&data);
  Some(out)
}

/// The tags WOFF2 writes as one byte (its specification's table of known tags, in order).
const KNOWN: [&[u8; 4]; 63] = [
  b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post", b"cvt ", b"fpgm", b"glyf", b"loca", b"prep",
  b"CFF ", b"VORG", b"EBDT", b"EBLC", b"gasp", b"hdmx", b"kern", b"LTSH", b"PCLT", b"VDMX", b"vhea", b"vmtx", b"BASE",
  b"GDEF", b"GPOS", b"GSUB", b"EBSC", b"JSTF", b"MATH", b"CBDT", b"CBLC", b"COLR", b"CPAL", b"SVG ", b"sbix", b"acnt",
  b"avar", b"bdat", b"bloc", b"bsln", b"cvar", b"fdsc", b"feat", b"fmtx", b"fvar", b"gvar", b"hsty", b"just", b"lcar",
  b"mort", b"morx", b"opbd", b"prop", b"trak", b"Zapf", b"Silf", b"Glat", b"Gloc", b"Feat", b"Sill",
];

fn base128(mut n: u32, out: &mut Vec<u8>) {
  let mut bytes = [0u8; 5];
  let mut len = 0;
  loop {
    bytes[len] = (n & 0x7f) as u8;
    len += 1;
    n >>= 7;
    if n == 0 {
      break;
    }
  }
  for (i, b) in bytes[..len].iter().rev().enumerate() {
    out.push(if i + 1 < len { b | 0x80 } else { *b });
  }
}

/// WOFF 2.0 with every table as it is (the null transform), in one brotli stream.
fn woff2(sfnt: &[u8]) -> Option<Vec<u8>> {
  let (flavor, mut tables) = tables(sfnt)?;
  // loca follows glyf, as the reference encoder writes them.
  if let Some(loca) = tables.iter().position(|(t, _)| t == &Tag::new(b"loca"))
    && let Some(glyf) = tables.iter().position(|(t, _)| t == &Tag::new(b"glyf"))
  {
    let entry = tables.remove(loca);
    let at = if glyf < loca { glyf + 1 } else { glyf };
    tables.insert(at, entry);
  }
  let mut directory = Vec::new();
  let mut stream = Vec::new();
  for (tag, table) in &tables {
    let raw = tag.to_be_bytes();
    let null_transform = if &raw == b"glyf" || &raw == b"loca" { 3 << 6 } else { 0 };
    match KNOWN.iter().position(|k| **k == raw) {
      Some(i) => directory.push(i as u8 | null_transform),
      None => {
        directory.push(63 | null_transform);
        directory.extend_from_slice(&raw);
      }
    }
    base128(table.len() as u32, &mut directory);
    stream.extend_from_slice(table);
  }
  let params = brotli::enc::BrotliEncoderParams {
    quality: 11,
    lgwin: 22,
    mode: brotli::enc::backward_references::BrotliEncoderMode::BROTLI_MODE_FONT,
    size_hint: stream.len(),
    ..Default::default()
  };
  let mut compressed = Vec::new();
  brotli::BrotliCompress(&mut stream.as_slice(), &mut compressed, &params).ok()?;
  let mut out = Vec::with_capacity(48 + directory.len() + compressed.len() + 3);
  out.extend_from_slice(b"wOF2");
  out.extend_from_slice(&flavor.to_be_bytes());
  out.extend_from_slice(&[0; 4]); // the length, once known
  out.extend_from_slice(&(tables.len() as u16).to_be_bytes());
  out.extend_from_slice(&[0, 0]);
  out.extend_from_slice(&sfnt_size(&tables).to_be_bytes());
  out.extend_from_slice(&(compressed.len() as u32).to_be_bytes());
  out.extend_from_slice(&[0, 1, 0, 0]); // version 1.0
  out.extend_from_slice(&[0; 20]); // no metadata, no private data
  out.extend_from_slice(&directory);
  out.extend_from_slice(&compressed);
  pad4(&mut out);
  let len = (out.len() as u32).to_be_bytes();
  out[8..12].copy_from_slice(&len);
  Some(out)
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn base128_is_big_endian_without_leading_zeros() {
    let enc = |n| {
      let mut v = Vec::new();
      base128(n, &mut v);
      v
    };
    assert_eq!(enc(0), [0]);
    assert_eq!(enc(127), [127]);
    assert_eq!(enc(128), [0x81, 0]);
    assert_eq!(enc(63_000), [0x83, 0xEC, 0x18]);
  }

  #[test]
  fn base128_reads_back() {
    for n in [0, 127, 128, 63_000, u32::MAX] {
      let mut v = Vec::new();
      base128(n, &mut v);
      assert_eq!(read_base128(&v), Some((u64::from(n), v.len())));
    }
    assert_eq!(read_base128(&[0x80, 0x80]), None);
  }

  #[test]
  fn a_header_that_declares_gigabytes_is_not_decoded() {
    // WOFF: one table whose original length says 4 GB.
    let mut woff = vec![0u8; 64];
    woff[..4].copy_from_slice(b"wOFF");
    woff[12..14].copy_from_slice(&1u16.to_be_bytes());
    woff[44 + 12..44 + 16].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(declared_size(&woff, Format::Woff), Some(u64::from(u32::MAX)));
    assert_eq!(decode(&woff, Format::Woff), None);
    // WOFF2: a total that says 4 GB.
    let mut woff2 = vec![0u8; 48];
    woff2[..4].copy_from_slice(b"wOF2");
    woff2[16..20].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(decode(&woff2, Format::Woff2), None);
    assert_eq!(declared_size(&woff2[..10], Format::Woff2), None);
  }

  #[test]
  fn sniffs_each_container() {
    assert_eq!(Format::sniff(b"wOFFxxxx"), Some(Format::Woff));
    assert_eq!(Format::sniff(b"wOF2xxxx"), Some(Format::Woff2));
    assert_eq!(Format::sniff(&[0, 1, 0, 0, 9]), Some(Format::Sfnt));
    assert_eq!(Format::sniff(b"OTTO"), Some(Format::Sfnt));
    assert_eq!(Format::sniff(b"GIF8"), None);
    assert_eq!(Format::sniff(b"wO"), None);
  }
}
