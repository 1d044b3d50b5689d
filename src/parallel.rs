//! Parallel work that keeps input order, so output never depends on the
//! number of threads. Two shapes, both on rayon's pool (`--threads N`, or
//! `RAYON_NUM_THREADS`, or all cores):
//!
//! - [`map`] / [`flat_map2`]: the sentences of one document, split into runs
//!   of [`MIN_RUN`] so a short document stays on one thread;
//! - [`ordered`]: a stream of documents, at most `window` in flight, each
//!   result handed on as soon as it and every one before it are done. The
//!   window bounds memory however long the stream is.

use std::collections::BTreeMap;
use std::sync::mpsc;

use rayon::prelude::*;

/// Sentences per parallel task: below this, splitting costs more than it saves.
pub const MIN_RUN: usize = 64;

/// `f` over `items`, in parallel, results in input order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    items.par_iter().with_min_len(MIN_RUN).map(f).collect()
}

/// `f` over `items`, in parallel, each half of the results concatenated in
/// input order.
pub fn flat_map2<T: Sync, A: Send, B: Send>(
    items: &[T],
    f: impl Fn(&T) -> (Vec<A>, Vec<B>) + Sync + Send,
) -> (Vec<A>, Vec<B>) {
    let parts = map(items, f);
    // Room for exactly the results: on a long text these are the largest
    // vectors of the run, and growing by doubling would overshoot.
    let mut a = Vec::with_capacity(parts.iter().map(|(a, _)| a.len()).sum());
    let mut b = Vec::with_capacity(parts.iter().map(|(_, b)| b.len()).sum());
    for (x, y) in parts {
        a.extend(x);
        b.extend(y);
    }
    (a, b)
}

/// Runs `work` on every item of `items` on the pool, at most `window` at a
/// time, and calls `emit` on the results in input order from the calling
/// thread. Items are drawn from `items` only when there is room in the
/// window, so a stream is read no faster than it is processed.
pub fn ordered<T, R, I, W, E>(items: I, window: usize, work: W, mut emit: E)
where
    I: IntoIterator<Item = T>,
    T: Send,
    R: Send,
    W: Fn(T) -> R + Sync,
    E: FnMut(R),
{
    let window = window.max(1);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    let work = &work;
    // `in_place_scope` keeps this closure on the calling thread (which only
    // waits and writes), leaving every pool thread to the work.
    rayon::in_place_scope(|scope| {
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut next = 0;
        let mut sent = 0;
        let mut receive = |pending: &mut BTreeMap<usize, R>, next: &mut usize| {
            if let Ok((i, r)) = rx.recv() {
                pending.insert(i, r);
            }
            while let Some(r) = pending.remove(next) {
                emit(r);
                *next += 1;
            }
        };
        for item in items {
            while sent - next >= window {
                receive(&mut pending, &mut next);
            }
            let tx = tx.clone();
            let i = sent;
            scope.spawn(move |_| {
                // The receiver outlives the scope; a send cannot fail.
                let _ = tx.send((i, work(item)));
            });
            sent += 1;
        }
        while next < sent {
            receive(&mut pending, &mut next);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_keeps_input_order_with_a_small_window() {
        let mut out = Vec::new();
        // Later items finish first: the reorder buffer must hold them back.
        ordered(
            0..50u64,
            3,
            |i| {
                std::thread::sleep(std::time::Duration::from_micros((50 - i) * 20));
                i * 2
            },
            |r| out.push(r),
        );
        assert_eq!(out, (0..50).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn map_and_flat_map_keep_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(map(&items, |i| i + 1), (1..1001).collect::<Vec<_>>());
        let (flat, _) = flat_map2(&items, |&i| (vec![i; i % 3], Vec::<()>::new()));
        let expected: Vec<usize> = items.iter().flat_map(|&i| vec![i; i % 3]).collect();
        assert_eq!(flat, expected);
    }
}
