//! Lossless JPEG slimming: drop the segments that do not affect display (comments, XMP,
//! Photoshop and other application data), keep JFIF, the colour profile (APP2 ICC) and an
//! Exif segment whose orientation is not "normal" (dropping it would show the photo rotated).
//! The entropy-coded data is copied untouched, so the pixels are the same.

/// A segment: its marker and its whole bytes (marker and length included).
type Segment<'a> = (u8, &'a [u8]);

/// The segments up to the start of scan, and the rest of the file from there.
fn segments(b: &[u8]) -> Option<(Vec<Segment<'_>>, &[u8])> {
  if b.get(..2)? != [0xff, 0xd8] {
    return None;
  }
  let mut i = 2;
  let mut out = Vec::new();
  loop {
    if b.get(i)? != &0xff {
      return None;
    }
    let marker = *b.get(i + 1)?;
    if marker == 0xff {
      i += 1; // fill byte
      continue;
    }
    if marker == 0xda {
      return Some((out, &b[i..])); // start of scan: the rest is image data
    }
    let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
    let seg = b.get(i..i + 2 + len)?;
    out.push((marker, seg));
    i += 2 + len;
  }
}

/// The Exif orientation (1 to 8) in an APP1 segment, if it is one.
pub fn exif_orientation(seg: &[u8]) -> Option<u16> {
  let tiff = seg.get(4..)?.strip_prefix(b"Exif\0\0")?;
  let big = match tiff.get(..2)? {
    b"MM" => true,
    b"II" => false,
    _ => return None,
  };
  let u16_at = |o: usize| {
    tiff.get(o..o + 2).map(|s| if big { u16::from_be_bytes([s[0], s[1]]) } else { u16::from_le_bytes([s[0], s[1]]) })
  };
  let u32_at = |o: usize| {
    tiff.get(o..o + 4).map(|s| {
      if big { u32::from_be_bytes([s[0], s[1], s[2], s[3]]) } else { u32::from_le_bytes([s[0], s[1], s[2], s[3]]) }
    })
  };
  let ifd = usize::try_from(u32_at(4)?).ok()?;
  let count = usize::from(u16_at(ifd)?);
  (0..count).find_map(|k| {
    let e = ifd + 2 + k * 12;
    (u16_at(e)? == 0x0112).then(|| u16_at(e + 8)).flatten()
  })
}

/// The file without its non-display segments; `None` when it is not a JPEG we can walk.
pub fn strip(b: &[u8]) -> Option<Vec<u8>> {
  let (segs, scan) = segments(b)?;
  let mut out = Vec::with_capacity(b.len());
  out.extend_from_slice(&[0xff, 0xd8]);
  for (marker, seg) in segs {
    let keep = match marker {
      0xe0 => true,                                                // APP0 JFIF
      0xe1 => exif_orientation(seg).is_some_and(|o| o != 1),       // Exif, only if rotated
      0xe2 => seg.get(4..16) == Some(b"ICC_PROFILE\0".as_slice()), // colour profile
      0xe3..=0xef | 0xfe => false,                                 // other APPn, COM
      _ => true,                                                   // tables, frame header
    };
    if keep {
      out.extend_from_slice(seg);
    }
  }
  out.extend_from_slice(scan);
  Some(out)
}

/// The segments a re-encode must carry over: rotated Exif and ICC.
pub fn display_segments(b: &[u8]) -> Vec<u8> {
  segments(b)
    .map(|(segs, _)| {
      segs
        .into_iter()
        .filter(|(m, s)| {
          (*m == 0xe1 && exif_orientation(s).is_some_and(|o| o != 1))
            || (*m == 0xe2 && s.get(4..16) == Some(b"ICC_PROFILE\0".as_slice()))
        })
        .flat_map(|(_, s)| s.iter().copied())
        .collect()
    })
    .unwrap_or_default()
}

/// Inserts `segments` right after SOI (and APP0, when present).
pub fn with_segments(jpeg: &[u8], segments: &[u8]) -> Vec<u8> {
  let mut at = 2;
  if let (Some(&[0xff, 0xe0]), Some(&[hi, lo])) = (jpeg.get(2..4), jpeg.get(4..6)) {
    at = 4 + usize::from(u16::from_be_bytes([hi, lo]));
  }
  let at = at.min(jpeg.len());
  [&jpeg[..at], segments, &jpeg[at..]].concat()
}
