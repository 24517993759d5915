//! A counting table for 64-bit n-gram fingerprints.
//!
//! Repetition rules look up every n-gram of every document several times;
//! a general-purpose hash map spends most of that time hashing keys and
//! growing. Here keys are fingerprints (equal keys, equal n-grams), a slot is
//! found from the top bits of one multiplication, the table is sized
//! once per use from the number of n-grams, and its memory is reused across
//! documents on the same thread.

use std::cell::RefCell;

/// Key 0 marks an empty slot; a real fingerprint of 0 is stored as 1.
const EMPTY: u64 = 0;

#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    count: u32,
    first: u32,
}

pub struct FingerprintCounter {
    slots: Vec<Slot>,
    mask: usize,
    shift: u32,
}

/// The home slot of `key` in a table of `2^(64 - shift)` slots: the top bits
/// of one multiplication, so keys need no separate mixing beforehand.
#[inline(always)]
fn home(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0xd6e8_feb8_6659_fd93) >> shift) as usize
}

thread_local! {
    static SCRATCH: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

impl FingerprintCounter {
    /// Runs `f` with an empty table sized for up to `items` distinct keys.
    pub fn with<R>(items: usize, f: impl FnOnce(&mut FingerprintCounter) -> R) -> R {
        SCRATCH.with(|scratch| {
            let mut slots = std::mem::take(&mut *scratch.borrow_mut());
            let size = (items.max(4) * 2).next_power_of_two();
            slots.clear();
            slots.resize(
                size,
                Slot {
                    key: EMPTY,
                    count: 0,
                    first: 0,
                },
            );
            let mut table = FingerprintCounter {
                slots,
                mask: size - 1,
                shift: 64 - size.trailing_zeros(),
            };
            let r = f(&mut table);
            // Keep the memory for the next document, unless it was huge.
            if table.slots.len() <= 1 << 22 {
                *scratch.borrow_mut() = table.slots;
            }
            r
        })
    }

    /// Asks the processor to load `key`'s slot now, so that a later `add`
    /// of it does not wait on memory: large documents have tables far larger
    /// than the caches, and their lookups are otherwise all misses.
    #[inline]
    pub fn prefetch(&self, key: u64) {
        prefetch(&self.slots, home(key, self.shift));
    }

    /// Counts one occurrence of `key`, first seen at `position`, and returns
    /// where the key is kept: [`count_at`](Self::count_at) and
    /// [`first_at`](Self::first_at) read it then or once every key is added.
    #[inline]
    pub fn add_slot(&mut self, key: u64, position: u32) -> usize {
        let key = if key == EMPTY { 1 } else { key };
        let mut i = home(key, self.shift);
        loop {
            let slot = &mut self.slots[i];
            if slot.key == key {
                slot.count += 1;
                return i;
            }
            if slot.key == EMPTY {
                *slot = Slot {
                    key,
                    count: 1,
                    first: position,
                };
                return i;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Occurrences so far of the key kept at `slot`.
    #[inline]
    pub fn count_at(&self, slot: usize) -> u32 {
        self.slots[slot].count
    }

    /// The position given when the key kept at `slot` was first added.
    #[inline]
    pub fn first_at(&self, slot: usize) -> u32 {
        self.slots[slot].first
    }
}

/// A set of fingerprints: half the memory of a counter, for tests that
/// only ask "seen before?".
pub struct FingerprintSet {
    slots: Vec<u64>,
    mask: usize,
    shift: u32,
}

thread_local! {
    static SET_SCRATCH: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

impl FingerprintSet {
    /// Runs `f` with an empty set sized for up to `items` keys.
    pub fn with<R>(items: usize, f: impl FnOnce(&mut FingerprintSet) -> R) -> R {
        SET_SCRATCH.with(|scratch| {
            let mut slots = std::mem::take(&mut *scratch.borrow_mut());
            let size = (items.max(4) * 2).next_power_of_two();
            slots.clear();
            slots.resize(size, EMPTY);
            let mut set = FingerprintSet {
                slots,
                mask: size - 1,
                shift: 64 - size.trailing_zeros(),
            };
            let r = f(&mut set);
            if set.slots.len() <= 1 << 23 {
                *scratch.borrow_mut() = set.slots;
            }
            r
        })
    }

    /// See [`FingerprintCounter::prefetch`].
    #[inline]
    pub fn prefetch(&self, key: u64) {
        prefetch(&self.slots, home(key, self.shift));
    }

    /// Adds `key`; true if it was already there.
    #[inline]
    pub fn seen_before(&mut self, key: u64) -> bool {
        let key = if key == EMPTY { 1 } else { key };
        let mut i = home(key, self.shift);
        loop {
            let slot = &mut self.slots[i];
            if *slot == key {
                return true;
            }
            if *slot == EMPTY {
                *slot = key;
                return false;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// Hints the processor to load `slots[index]` into the cache.
#[inline]
fn prefetch<T>(slots: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let ptr = slots.as_ptr().wrapping_add(index) as *const i8;
        // SAFETY: prefetching is a hint; it never faults, even on an invalid address.
        #[allow(unused_unsafe)]
        unsafe {
            std::arch::x86_64::_mm_prefetch(ptr, std::arch::x86_64::_MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (slots, index);
}

/// Mixes a 64-bit value so that its low bits depend on all of its bits
/// (the finalizer of SplitMix64).
#[inline]
pub fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d049bb133111eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_remembers_the_first_position() {
        FingerprintCounter::with(3, |t| {
            let seven = t.add_slot(mix(7), 0);
            assert_eq!(t.count_at(seven), 1);
            let eight = t.add_slot(mix(8), 1);
            assert_eq!(t.count_at(eight), 1);
            assert_eq!(t.add_slot(mix(7), 2), seven);
            assert_eq!((t.count_at(seven), t.first_at(seven)), (2, 0));
            // The reserved empty key still counts.
            let zero = t.add_slot(0, 3);
            assert_eq!(t.count_at(zero), 1);
            let again = t.add_slot(0, 4);
            assert_eq!(t.first_at(again), 3);
        });
        // Reused memory starts empty.
        FingerprintCounter::with(3, |t| {
            let s = t.add_slot(mix(7), 9);
            assert_eq!(t.count_at(s), 1);
        });
    }

    #[test]
    fn a_set_answers_seen_before() {
        FingerprintSet::with(2, |s| {
            assert!(!s.seen_before(mix(1)));
            assert!(!s.seen_before(mix(2)));
            assert!(s.seen_before(mix(1)));
        });
        FingerprintSet::with(2, |s| assert!(!s.seen_before(mix(1))));
    }
}
