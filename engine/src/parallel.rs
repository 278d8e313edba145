//! Independent computations spread over the machine's cores (point lookups, searches of actor
//! groups, snapping of grid cells), with one policy: contiguous chunks, one scoped thread each,
//! results in the input order; a worker that panics (a defect) panics the caller with the same
//! payload, as single-threaded code would (rayon's policy too).

use std::thread;

/// `f(offset, chunk)` over contiguous chunks of `items` (`offset` is the chunk's first index),
/// one result per chunk in order: chunks of at least `min_chunk` items, on at most `max_workers`
/// threads and at most the available cores. A batch that fits one chunk runs on the calling
/// thread.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    min_chunk: usize,
    max_workers: usize,
    f: impl Fn(usize, &[T]) -> R + Sync,
) -> Vec<R> {
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(max_workers)
        .max(1);
    let chunk = items.len().div_ceil(workers).max(min_chunk).max(1);
    if items.len() <= chunk {
        return vec![f(0, items)];
    }
    let f = &f;
    thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(k, part)| scope.spawn(move || f(k * chunk, part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// `items.iter().map(f)` over the available cores, in order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_chunks(items, |part| part.iter().map(&f).collect())
}

/// `f` over up to `available_parallelism` contiguous chunks of `items`, one thread each, the
/// results concatenated in order (`f` returns one result per item of its chunk: a batch
/// computation that reads ahead within its chunk).
pub fn par_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    map_chunks(items, 1, usize::MAX, |_, part| f(part))
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let v: Vec<u32> = (0..1000).collect();
        let out = super::par_map(&v, |x| x * 2);
        assert_eq!(out, (0..1000).map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::par_map(&[] as &[u32], |x| *x).is_empty());
        // Each result knows its chunk's first item: contiguous chunks, concatenated in order.
        let starts = super::par_chunks(&v, |part| part.iter().map(|_| part[0]).collect());
        assert_eq!(starts.len(), 1000);
        assert_eq!(starts[0], 0);
        assert!(starts.windows(2).all(|w| w[0] <= w[1]));
        assert!(starts.iter().zip(&v).all(|(s, x)| s <= x));
        assert!(super::par_chunks(&[] as &[u32], |part| part.to_vec()).is_empty());
        // Offsets are each chunk's first index; chunks are at least `min_chunk` long.
        let offsets = super::map_chunks(&v, 300, 8, |offset, part| (offset, part.len()));
        assert_eq!(offsets.iter().map(|(_, n)| n).sum::<usize>(), 1000);
        assert!(
            offsets
                .iter()
                .all(|&(o, n)| v[o] as usize == o && (n >= 300 || o + n == 1000))
        );
    }

    #[test]
    fn a_panicking_worker_panics_the_caller() {
        let v: Vec<u32> = (0..64).collect();
        let caught = std::panic::catch_unwind(|| {
            super::map_chunks(&v, 1, 4, |offset, _| {
                assert!(offset == 0, "défaut au bloc {offset}");
                offset
            })
        });
        // One chunk on one core runs on the caller and does not panic; several chunks do.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(caught.is_err(), cores > 1);
    }
}
