//! Buffers a reader keeps from one message to the next on its thread: the
//! stacks of open elements are emptied at the end of a message and serve the
//! next one, so that parsing a message allocates only what the message keeps.

/// An emptied vector as a vector of another element type with the same size
/// and alignment (in practice: the same type with another lifetime), keeping
/// its allocation: the standard library collects such an iterator in place.
pub(crate) fn recycle<T, U>(mut vec: Vec<T>) -> Vec<U> {
    vec.clear();
    vec.into_iter()
        .map(|_| unreachable!("the vector was emptied"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recycled_vector_keeps_its_allocation() {
        let text = String::from("some text");
        let mut borrowed: Vec<&str> = Vec::with_capacity(16);
        borrowed.push(&text);
        let pointer = borrowed.as_ptr() as usize;
        let kept: Vec<&'static str> = recycle(borrowed);
        assert!(kept.is_empty());
        assert_eq!(kept.capacity(), 16);
        assert_eq!(kept.as_ptr() as usize, pointer);
    }
}
