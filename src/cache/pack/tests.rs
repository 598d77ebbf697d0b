use super::*;

fn key(s: &str) -> Key {
  Key::builder("test").part(s.as_bytes()).finish()
}

fn segments(dir: &Path) -> Vec<PathBuf> {
  let mut all: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
  all.sort();
  all
}

/// A pack with `entries` sealed into one segment of its own.
fn sealed(dir: &Path, name: &Key, entries: &[(&str, &[u8])]) {
  let pack = Pack::new(dir.to_path_buf(), name);
  for (k, v) in entries {
    pack.put(&key(k), v);
  }
  assert!(pack.seal(true).added > 0);
}

#[test]
fn entries_come_back_from_the_next_build_and_only_for_their_project() {
  let tmp = tempfile::tempdir().unwrap();
  let (mine, other) = (key("project a"), key("project b"));
  sealed(tmp.path(), &mine, &[("x", b"one"), ("y", b"")]);
  let pack = Pack::new(tmp.path().to_path_buf(), &mine);
  assert_eq!(pack.get(&key("x")).as_deref(), Some(&b"one"[..]));
  assert_eq!(pack.get(&key("y")).as_deref(), Some(&b""[..]));
  assert_eq!(pack.get(&key("z")), None);
  assert_eq!(pack.seal(true), Sealed::default(), "nothing new: nothing written");
  assert_eq!(Pack::new(tmp.path().to_path_buf(), &other).get(&key("x")), None);
  assert_eq!(pack.bad(), 0);
}

#[test]
fn a_damaged_record_is_a_miss_and_a_cut_segment_keeps_its_whole_records() {
  let tmp = tempfile::tempdir().unwrap();
  let name = key("p");
  sealed(tmp.path(), &name, &[("a", b"first payload"), ("b", b"second payload"), ("c", b"third payload")]);
  let path = segments(tmp.path()).remove(0);
  let mut bytes = fs::read(&path).unwrap();
  // Alter the first record's payload, cut the last one in half.
  bytes[MAGIC.len() + RECORD] ^= 0xff;
  bytes.truncate(bytes.len() - 6);
  fs::write(&path, &bytes).unwrap();
  let pack = Pack::new(tmp.path().to_path_buf(), &name);
  let got: Vec<_> = ["a", "b", "c"].iter().map(|k| pack.get(&key(k))).collect();
  assert_eq!(got, [None, Some(b"second payload".to_vec()), None]);
  assert_eq!(pack.bad(), 2, "one altered, one cut");
  // A file that is no segment at all serves nothing.
  fs::write(&path, b"not a segment").unwrap();
  let pack = Pack::new(tmp.path().to_path_buf(), &name);
  assert_eq!(pack.get(&key("b")), None);
  assert_eq!(pack.bad(), 1);
}

#[test]
fn many_segments_become_one_of_the_entries_used() {
  let tmp = tempfile::tempdir().unwrap();
  let name = key("p");
  for i in 0..MAX_SEGMENTS {
    let k = format!("k{i}");
    sealed(tmp.path(), &name, &[(&k, format!("v{i}").as_bytes())]);
  }
  let pack = Pack::new(tmp.path().to_path_buf(), &name);
  assert_eq!(pack.get(&key("k1")).as_deref(), Some(&b"v1"[..]));
  assert_eq!(pack.get(&key("k5")).as_deref(), Some(&b"v5"[..]));
  pack.put(&key("new"), b"fresh");
  let sealed = pack.seal(true);
  assert!(sealed.freed > 0 && sealed.added > 0, "{sealed:?}");
  assert_eq!(segments(tmp.path()).len(), 1);
  let pack = Pack::new(tmp.path().to_path_buf(), &name);
  assert_eq!(pack.get(&key("k1")).as_deref(), Some(&b"v1"[..]));
  assert_eq!(pack.get(&key("k5")).as_deref(), Some(&b"v5"[..]));
  assert_eq!(pack.get(&key("new")).as_deref(), Some(&b"fresh"[..]));
  assert_eq!(pack.get(&key("k2")), None, "unused: gone with its segment");
  // A build that did not finish adds its entries and compacts nothing.
  let pack = Pack::new(tmp.path().to_path_buf(), &name);
  pack.put(&key("later"), b"x");
  pack.seal(false);
  assert_eq!(segments(tmp.path()).len(), 2);
}
