//! Values as `SmolStr`, the long ones shared: a log repeats the same server
//! URL, record text or LocURI in message after message. A value of up to 23
//! bytes is stored inline (no allocation); a longer one is looked up in a small
//! cache of this thread's recent long values and shared when it is there, so
//! that a repeated value costs neither an allocation nor a free on the thread
//! that drops the last copy. The cache has a fixed number of slots, each
//! holding one value of at most [`MAX_CACHED`] bytes: its memory is bounded.

use std::cell::RefCell;
use std::hash::{BuildHasher, Hasher};

use smol_str::SmolStr;

/// Slots in a thread's cache (a power of two).
const SLOTS: usize = 256;
/// Longer values are not cached: they rarely repeat.
const MAX_CACHED: usize = 256;
/// What `SmolStr` stores inline.
const INLINE: usize = 23;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// A direct-mapped cache: a value's hash picks its slot; a different value
/// with the same slot replaces it.
struct Cache {
    slots: Vec<Option<SmolStr>>,
    hasher: foldhash::fast::FixedState,
}

impl Default for Cache {
    fn default() -> Self {
        Self {
            slots: vec![None; SLOTS],
            hasher: foldhash::fast::FixedState::with_seed(0),
        }
    }
}

impl Cache {
    fn get_or_insert(&mut self, text: &str) -> SmolStr {
        let mut hasher = self.hasher.build_hasher();
        hasher.write(text.as_bytes());
        let slot = &mut self.slots[hasher.finish() as usize & (SLOTS - 1)];
        match slot {
            Some(value) if value.as_str() == text => value.clone(),
            _ => slot.insert(SmolStr::new(text)).clone(),
        }
    }
}

/// `text` as a `SmolStr`: inline when short, shared with an earlier equal
/// value of this thread when there is one in the cache.
pub(crate) fn value(text: &str) -> SmolStr {
    if text.len() <= INLINE {
        SmolStr::new_inline(text)
    } else if text.len() > MAX_CACHED {
        SmolStr::new(text)
    } else {
        CACHE.with(|cache| cache.borrow_mut().get_or_insert(text))
    }
}

/// A copy of `value` for this thread: an inline value is copied, a long one
/// taken from this thread's cache, so that keeping and dropping copies here
/// does not touch a count that another thread keeps changing too.
pub(crate) fn local(value: &SmolStr) -> SmolStr {
    if value.is_heap_allocated() {
        self::value(value)
    } else {
        value.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_text_whatever_their_length() {
        for length in [0, 1, 23, 24, 100, MAX_CACHED, MAX_CACHED + 1, 5000] {
            let text: String = "abcdefghij".chars().cycle().take(length).collect();
            assert_eq!(value(&text), text.as_str());
        }
        assert_eq!(value("  \n"), "  \n");
    }

    #[test]
    fn a_repeated_long_value_is_shared_and_a_colliding_one_replaces_it() {
        let url = "https://dme.example.com:8443/dm/long-enough";
        let first = value(url);
        let copy = String::from(url);
        let second = value(copy.as_str());
        assert!(first.is_heap_allocated());
        assert!(
            std::ptr::eq(first.as_str().as_ptr(), second.as_str().as_ptr()),
            "the second copy shares the first's string"
        );
        // Many other values: the slot is taken over at some point, and the
        // value read later is still right.
        for n in 0..4 * SLOTS {
            assert_eq!(value(&format!("{url}/{n}")), format!("{url}/{n}").as_str());
        }
        assert_eq!(value(url), url);
    }

    #[test]
    fn a_local_copy_is_equal_and_shares_this_threads_string() {
        let url = "https://dme.example.com:8443/dm/a-local-copy";
        let here = value(url);
        let elsewhere = std::thread::spawn(move || value(url))
            .join()
            .expect("thread");
        let copy = local(&elsewhere);
        assert_eq!(copy, elsewhere);
        assert!(std::ptr::eq(copy.as_str().as_ptr(), here.as_str().as_ptr()));
        assert_eq!(local(&SmolStr::new("short")), "short");
    }
}
