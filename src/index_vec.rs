//! Tables keyed by a typed id (`AssetId`, `UnitId`, `PackageId`), as oxc's and rustc's
//! `IndexVec`: a side table of files cannot be indexed by a package id by mistake, and no caller
//! converts between `usize` and `u32` by hand.

use std::{
  fmt,
  marker::PhantomData,
  ops::{Index, IndexMut},
};

/// A dense id: a position in the tables it keys.
pub trait Idx: Copy + Eq + fmt::Debug {
  /// The id of position `i`. Ids are 32 bits at most; tables grow one push at a time from data
  /// held in memory, so a position past `u32::MAX` would need tens of gigabytes before it.
  fn new(i: usize) -> Self;
  fn index(self) -> usize;
}

/// Declares `pub struct $name(pub $int)` as an [`Idx`].
#[macro_export]
macro_rules! define_idx {
  ($(#[$meta:meta])* $name:ident($int:ty)) => {
    $(#[$meta])*
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
    #[serde(transparent)]
    pub struct $name(pub $int);

    impl $crate::index_vec::Idx for $name {
      fn new(i: usize) -> Self {
        match <$int>::try_from(i) {
          Ok(v) => Self(v),
          Err(_) => $crate::index_vec::overflow(stringify!($name), i),
        }
      }

      fn index(self) -> usize {
        self.0 as usize
      }
    }

    impl $name {
      pub fn index(self) -> usize {
        <Self as $crate::index_vec::Idx>::index(self)
      }
    }
  };
}

#[cold]
#[doc(hidden)]
pub fn overflow(name: &str, i: usize) -> ! {
  panic!("{name} {i} does not fit its id type")
}

#[derive(Clone, PartialEq, Eq)]
pub struct IndexVec<I, T> {
  raw: Vec<T>,
  _id: PhantomData<fn(&I)>,
}

impl<I: Idx, T> IndexVec<I, T> {
  pub const fn new() -> Self {
    Self { raw: Vec::new(), _id: PhantomData }
  }

  pub fn with_capacity(n: usize) -> Self {
    Self::from_raw(Vec::with_capacity(n))
  }

  pub fn from_raw(raw: Vec<T>) -> Self {
    Self { raw, _id: PhantomData }
  }

  pub fn from_elem(value: T, n: usize) -> Self
  where
    T: Clone,
  {
    Self::from_raw(vec![value; n])
  }

  /// A table of `n` entries, each computed from its id.
  pub fn from_fn(n: usize, f: impl FnMut(I) -> T) -> Self {
    Self::from_raw((0..n).map(I::new).map(f).collect())
  }

  pub fn push(&mut self, value: T) -> I {
    let id = I::new(self.raw.len());
    self.raw.push(value);
    id
  }

  pub fn len(&self) -> usize {
    self.raw.len()
  }

  pub fn is_empty(&self) -> bool {
    self.raw.is_empty()
  }

  pub fn get(&self, id: I) -> Option<&T> {
    self.raw.get(id.index())
  }

  pub fn iter(&self) -> std::slice::Iter<'_, T> {
    self.raw.iter()
  }

  pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
    self.raw.iter_mut()
  }

  /// `(id, &value)` pairs in id order.
  pub fn iter_enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
    self.raw.iter().enumerate().map(|(i, v)| (I::new(i), v))
  }

  pub fn indices(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I, T> {
    (0..self.raw.len()).map(I::new)
  }

  pub fn as_raw(&self) -> &[T] {
    &self.raw
  }

  pub fn into_raw(self) -> Vec<T> {
    self.raw
  }
}

impl<I: Idx, T> Default for IndexVec<I, T> {
  fn default() -> Self {
    Self::new()
  }
}

impl<I: Idx, T: fmt::Debug> fmt::Debug for IndexVec<I, T> {
  fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    self.raw.fmt(f)
  }
}

impl<I: Idx, T> Index<I> for IndexVec<I, T> {
  type Output = T;

  fn index(&self, id: I) -> &T {
    &self.raw[id.index()]
  }
}

impl<I: Idx, T> IndexMut<I> for IndexVec<I, T> {
  fn index_mut(&mut self, id: I) -> &mut T {
    &mut self.raw[id.index()]
  }
}

impl<'a, I: Idx, T> IntoIterator for &'a IndexVec<I, T> {
  type Item = &'a T;
  type IntoIter = std::slice::Iter<'a, T>;

  fn into_iter(self) -> Self::IntoIter {
    self.raw.iter()
  }
}

impl<'a, I: Idx, T> IntoIterator for &'a mut IndexVec<I, T> {
  type Item = &'a mut T;
  type IntoIter = std::slice::IterMut<'a, T>;

  fn into_iter(self) -> Self::IntoIter {
    self.raw.iter_mut()
  }
}

impl<I: Idx, T> FromIterator<T> for IndexVec<I, T> {
  fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
    Self::from_raw(iter.into_iter().collect())
  }
}

impl<I: Idx, T: serde::Serialize> serde::Serialize for IndexVec<I, T> {
  fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
    self.raw.serialize(s)
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  crate::define_idx!(Small(u8));

  #[test]
  fn ids_follow_positions() {
    let mut t: IndexVec<Small, &str> = IndexVec::new();
    let a = t.push("a");
    let b = t.push("b");
    assert_eq!((a, b), (Small(0), Small(1)));
    assert_eq!(t[b], "b");
    assert_eq!(b.index(), 1);
    assert_eq!(t.iter_enumerated().map(|(i, _)| i).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(t.get(Small(2)), None);
  }

  #[test]
  #[should_panic(expected = "Small 256 does not fit")]
  fn an_id_past_its_type_is_refused() {
    let _ = Small::new(256);
  }
}
