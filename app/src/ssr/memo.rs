//! Work done once per request. A page's view tree can be walked more than once before it is
//! rendered (`<Suspense>` walks its children to find their resources, and the role guard's
//! child builds the page's content on every walk once the session is known), and each walk
//! creates the page's resources again. Their loads meet here, so the database is read once.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// A loader (its type) and what it loads (its arguments, as `Debug` prints them).
pub type Key = (TypeId, String);

/// One `tokio::sync::OnceCell<T>` per key, `T` being the loader's output.
type Cells = HashMap<Key, Arc<dyn Any + Send + Sync>>;

/// Provided fresh for every request (`server::startup::router`): nothing outlives the request it
/// was computed for. The signed-in user is read through it too (`api::guard::current_user`).
#[derive(Clone, Default)]
pub struct RequestMemo(Arc<Mutex<Cells>>);

impl RequestMemo {
    /// The value of `load` for `key`, computed by the first caller of this request; the others
    /// wait for it. If the one computing it is dropped, a waiter computes it in its place.
    pub async fn once<T, F>(&self, key: Key, load: F) -> T
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = T>,
    {
        let cell = {
            let mut cells = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let entry = cells
                .entry(key)
                .or_insert_with(|| Arc::new(tokio::sync::OnceCell::<T>::new()));
            Arc::clone(entry).downcast::<tokio::sync::OnceCell<T>>()
        };
        match cell {
            Ok(cell) => cell.get_or_init(|| load).await.clone(),
            // A key names one loader, which yields one type: not reached.
            Err(_) => load.await,
        }
    }
}
