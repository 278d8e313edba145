//! Independent network computations spread over the machine's cores (searches of actor
//! groups, snapping of grid cells): contiguous chunks, one scoped thread each, results in the
//! input order.

use std::thread;

/// `items.iter().map(f)` over up to `available_parallelism` threads, in order. A chunk whose
/// thread fails (a defect) is computed again on the calling thread.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_chunks(items, |part| part.iter().map(&f).collect())
}

/// `f` over up to `available_parallelism` contiguous chunks of `items`, one thread each, the
/// results concatenated in order (`f` returns one result per item of its chunk: a batch
/// computation that reads ahead within its chunk). A chunk whose thread fails (a defect) is
/// computed again on the calling thread.
pub fn par_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    let threads = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return f(items);
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| (part, scope.spawn(move || f(part))))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for (part, h) in handles {
            match h.join() {
                Ok(v) => out.extend(v),
                Err(_) => out.extend(f(part)),
            }
        }
        out
    })
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
    }
}
