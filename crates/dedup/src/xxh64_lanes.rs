//! The 64-bit xxHash (seed 0) of many short slices of one buffer, sixteen at
//! a time in AVX-512 lanes, bit for bit what `xxhash_rust::xxh64::xxh64(slice, 0)`
//! returns. (The crate keeps xxh64's primes private, hence the copies below.)
//!
//! Why: a document's shingles are some 30-byte runs of words, one hash each.
//! Hashed one by one, each hash is a chain of dependent multiplies whose
//! length depends on the slice's length, so the processor waits on
//! multiplies and mispredicts the loop exits. Here every lane takes every
//! step and a lane mask keeps the steps its slice has, so there is no
//! branch per slice, and eight slices share each multiply instruction (two
//! vectors of eight interleaved, so one's multiplies run while the other's
//! wait).
//!
//! A slice is read with 8-byte loads that may run past its end, never past
//! the buffer's: [`fits`] says which slices may go through the lanes; the
//! caller hashes the others one by one.

use xxhash_rust::xxh64::xxh64;

const PRIME_1: u64 = 0x9E37_79B1_85EB_CA87;
const PRIME_2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const PRIME_3: u64 = 0x1656_67B1_9E37_79F9;
const PRIME_4: u64 = 0x85EB_CA77_C2B2_AE63;
const PRIME_5: u64 = 0x27D4_EB2F_1656_67C5;

/// Whether the slice `buf[start..start + len]` may be hashed in lanes: its
/// last 8-byte load, which may start up to 7 bytes before its end, stays
/// inside `buf`.
pub fn fits(buf: &[u8], start: usize, len: usize) -> bool {
    start + len + 8 <= buf.len()
}

/// Whether this processor can run [`hash_slices`]'s vector code.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `out[k] = xxh64(&buf[starts[k]..starts[k] + lens[k]], 0)` for every `k`:
/// each block of [`LANES`] slices that all [`fit`](fits) in vector lanes,
/// the rest one by one.
pub fn hash_slices(buf: &[u8], starts: &[usize], lens: &[usize], out: &mut [u64]) {
    assert!(starts.len() == lens.len() && lens.len() == out.len());
    #[cfg(target_arch = "x86_64")]
    let lanes = available();
    for ((s, l), o) in starts
        .chunks(LANES)
        .zip(lens.chunks(LANES))
        .zip(out.chunks_mut(LANES))
    {
        #[cfg(target_arch = "x86_64")]
        if lanes && s.len() == LANES && s.iter().zip(l).all(|(&s, &l)| fits(buf, s, l)) {
            // SAFETY: the processor has the features; the slices fit.
            unsafe { avx512::hash_blocks(buf, s, l, o) };
            continue;
        }
        for ((&s, &l), o) in s.iter().zip(l).zip(o.iter_mut()) {
            *o = xxh64(&buf[s..s + l], 0);
        }
    }
}

/// Slices hashed by one call of the vector code: two vectors of eight, so
/// that one vector's multiplies run while the other's wait.
pub const LANES: usize = 16;

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::*;
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx512f,avx512dq")]
    #[inline]
    fn mul(a: __m512i, c: u64) -> __m512i {
        _mm512_mullo_epi64(a, _mm512_set1_epi64(c as i64))
    }

    /// xxh64's `round(acc, input)`.
    #[target_feature(enable = "avx512f,avx512dq")]
    #[inline]
    fn round(acc: __m512i, input: __m512i) -> __m512i {
        mul(
            _mm512_rol_epi64::<31>(_mm512_add_epi64(acc, mul(input, PRIME_2))),
            PRIME_1,
        )
    }

    /// Eight 8-byte loads at `base + offsets`, in the lanes of `mask`.
    ///
    /// SAFETY: the 8 bytes at each offset of the mask's lanes are in the
    /// buffer `base` points to.
    #[target_feature(enable = "avx512f,avx512dq")]
    #[inline]
    unsafe fn load(base: *const u8, offsets: __m512i, mask: __mmask8) -> __m512i {
        // SAFETY: as the caller promises.
        unsafe {
            _mm512_mask_i64gather_epi64::<1>(
                _mm512_setzero_si512(),
                mask,
                offsets,
                base as *const i64,
            )
        }
    }

    /// Hashes `starts.len()` slices (a multiple of [`LANES`]).
    ///
    /// SAFETY: AVX-512 F and DQ are available, and every slice fits.
    #[target_feature(enable = "avx512f,avx512dq")]
    pub(super) unsafe fn hash_blocks(
        buf: &[u8],
        starts: &[usize],
        lens: &[usize],
        out: &mut [u64],
    ) {
        let base = buf.as_ptr();
        for ((s, l), o) in starts
            .chunks_exact(LANES)
            .zip(lens.chunks_exact(LANES))
            .zip(out.chunks_exact_mut(LANES))
        {
            // SAFETY: each chunk holds 16 values of 8 bytes (usize is 64
            // bits where this module is compiled); the slices fit, as the
            // caller promises.
            unsafe {
                let s0 = _mm512_loadu_si512(s.as_ptr() as *const _);
                let s1 = _mm512_loadu_si512(s[8..].as_ptr() as *const _);
                let l0 = _mm512_loadu_si512(l.as_ptr() as *const _);
                let l1 = _mm512_loadu_si512(l[8..].as_ptr() as *const _);
                let (h0, h1) = (hash8(base, s0, l0), hash8(base, s1, l1));
                _mm512_storeu_si512(o.as_mut_ptr() as *mut _, h0);
                _mm512_storeu_si512(o[8..].as_mut_ptr() as *mut _, h1);
            }
        }
    }

    /// xxh64 (seed 0) of the eight slices `base[start..start + len]`.
    ///
    /// SAFETY: each slice, and 8 bytes past it, is in the buffer `base`
    /// points to.
    #[target_feature(enable = "avx512f,avx512dq")]
    #[inline]
    unsafe fn hash8(base: *const u8, start: __m512i, len: __m512i) -> __m512i {
        let set = |v: u64| _mm512_set1_epi64(v as i64);
        // 32-byte stripes, in the lanes of slices that have them.
        let stripes = _mm512_srli_epi64::<5>(len);
        let long = _mm512_cmpgt_epu64_mask(stripes, _mm512_setzero_si512());
        let mut h = set(PRIME_5);
        let mut at = start;
        if long != 0 {
            let mut v = [
                set(PRIME_1.wrapping_add(PRIME_2)),
                set(PRIME_2),
                set(0),
                set(0u64.wrapping_sub(PRIME_1)),
            ];
            let mut k = 0u64;
            loop {
                let m = _mm512_cmpgt_epu64_mask(stripes, set(k));
                if m == 0 {
                    break;
                }
                for (j, vj) in v.iter_mut().enumerate() {
                    // SAFETY: stripe k of these lanes' slices is inside them.
                    let x = unsafe { load(base, _mm512_add_epi64(at, set(8 * j as u64)), m) };
                    *vj = _mm512_mask_mov_epi64(*vj, m, round(*vj, x));
                }
                at = _mm512_mask_add_epi64(at, m, at, set(32));
                k += 1;
            }
            let mut acc = _mm512_add_epi64(
                _mm512_add_epi64(_mm512_rol_epi64::<1>(v[0]), _mm512_rol_epi64::<7>(v[1])),
                _mm512_add_epi64(_mm512_rol_epi64::<12>(v[2]), _mm512_rol_epi64::<18>(v[3])),
            );
            for vj in v {
                acc = _mm512_xor_si512(acc, round(_mm512_setzero_si512(), vj));
                acc = _mm512_add_epi64(mul(acc, PRIME_1), set(PRIME_4));
            }
            h = _mm512_mask_mov_epi64(h, long, acc);
        }
        h = _mm512_add_epi64(h, len);
        // What is left after the stripes: up to three 8-byte words, then a
        // 4-byte word, then up to three bytes.
        let rest = _mm512_and_si512(len, set(31));
        for r in 0..3u64 {
            let m = _mm512_cmpge_epu64_mask(rest, set(8 * (r + 1)));
            // SAFETY: these lanes' slices hold 8 more bytes at `at`.
            let x = unsafe { load(base, at, m) };
            let next = _mm512_add_epi64(
                mul(
                    _mm512_rol_epi64::<27>(_mm512_xor_si512(h, round(_mm512_setzero_si512(), x))),
                    PRIME_1,
                ),
                set(PRIME_4),
            );
            h = _mm512_mask_mov_epi64(h, m, next);
            at = _mm512_mask_add_epi64(at, m, at, set(8));
        }
        let tail_len = _mm512_and_si512(len, set(7));
        // SAFETY: the 8 bytes from `at` end at most 8 bytes past the slice.
        let mut tail = unsafe {
            load(
                base,
                at,
                _mm512_cmpgt_epu64_mask(tail_len, _mm512_setzero_si512()),
            )
        };
        let m4 = _mm512_cmpge_epu64_mask(tail_len, set(4));
        let word = _mm512_and_si512(tail, set(0xffff_ffff));
        let next = _mm512_add_epi64(
            mul(
                _mm512_rol_epi64::<23>(_mm512_xor_si512(h, mul(word, PRIME_1))),
                PRIME_2,
            ),
            set(PRIME_3),
        );
        h = _mm512_mask_mov_epi64(h, m4, next);
        tail = _mm512_mask_srli_epi64::<32>(tail, m4, tail);
        let bytes = _mm512_and_si512(tail_len, set(3));
        for j in 0..3u64 {
            let m = _mm512_cmpgt_epu64_mask(bytes, set(j));
            let byte = _mm512_and_si512(tail, set(0xff));
            let next = mul(
                _mm512_rol_epi64::<11>(_mm512_xor_si512(h, mul(byte, PRIME_5))),
                PRIME_1,
            );
            h = _mm512_mask_mov_epi64(h, m, next);
            tail = _mm512_srli_epi64::<8>(tail);
        }
        // Avalanche.
        h = _mm512_xor_si512(h, _mm512_srli_epi64::<33>(h));
        h = mul(h, PRIME_2);
        h = _mm512_xor_si512(h, _mm512_srli_epi64::<29>(h));
        h = mul(h, PRIME_3);
        _mm512_xor_si512(h, _mm512_srli_epi64::<32>(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length from 0 to 150 at every seventh start of a buffer of
    /// varied bytes, against the crate's one-by-one hash; slices near the
    /// buffer's end do not fit and put their block on the one-by-one path.
    #[test]
    fn lanes_agree_with_xxh64_for_every_length_and_start() {
        let buf: Vec<u8> = (0..400u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let (mut starts, mut lens) = (Vec::new(), Vec::new());
        for len in 0..150 {
            for start in (0..buf.len()).step_by(7) {
                if start + len <= buf.len() {
                    starts.push(start);
                    lens.push(len);
                }
            }
        }
        assert!(starts.len() > 5_000);
        let fitting = starts
            .iter()
            .zip(&lens)
            .filter(|&(&s, &l)| fits(&buf, s, l))
            .count();
        assert!(fitting > 4_000 && fitting < starts.len());
        let mut out = vec![0; starts.len()];
        hash_slices(&buf, &starts, &lens, &mut out);
        for k in 0..starts.len() {
            let want = xxh64(&buf[starts[k]..starts[k] + lens[k]], 0);
            assert_eq!(out[k], want, "start {} len {}", starts[k], lens[k]);
        }
    }

    #[test]
    fn a_slice_that_does_not_fit_is_hashed_one_by_one() {
        let buf = b"the last words of a text";
        let starts = [4, 9, 15];
        let lens = [4, 5, buf.len() - 15];
        assert!(!fits(buf, 15, buf.len() - 15));
        let mut out = [0; 3];
        hash_slices(buf, &starts, &lens, &mut out);
        for k in 0..3 {
            assert_eq!(out[k], xxh64(&buf[starts[k]..starts[k] + lens[k]], 0));
        }
    }
}
