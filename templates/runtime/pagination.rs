//! Cursor pagination: a list call re-sent with the previous page's cursor
//! until the server says there is no next page, as a `Stream` of pages or of
//! items.

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};

use crate::error::Error;
use crate::request::RequestBuilder;

/// A page of a cursor-paged list (implemented by the generated answer types
/// of list operations).
pub trait Page {
    /// One element of the list.
    type Item;

    /// The cursor of the next page; `None` (or an empty string) on the last
    /// page.
    fn next_cursor(&self) -> Option<&str>;

    /// The elements of this page.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Where an operation takes the cursor of the page it asks for.
// Constructed only by generated code, and only for APIs with paged lists.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cursor {
    /// The request field (in the JSON body, or else the query) that carries
    /// the cursor.
    pub request_field: &'static str,
}

impl<T> RequestBuilder<T>
where
    T: Page + Send + 'static,
{
    /// Sends the call, then again for each next page, and yields the pages
    /// in order.
    ///
    /// The stream ends after the page without a next cursor, or after the
    /// first error (which it yields). Options set on this builder (timeout,
    /// retries, headers...) apply to every page.
    ///
    /// ```no_run
    /// use autumn_sdk::{Error, Page, RequestBuilder};
    /// use futures_util::TryStreamExt;
    ///
    /// async fn every_page<T: Page + Send + 'static>(
    ///     list: RequestBuilder<T>,
    /// ) -> Result<Vec<T>, Error> {
    ///     list.pages().try_collect().await
    /// }
    /// ```
    pub fn pages(self) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
        let first = Some(self);
        Box::pin(stream::unfold(first, |state| async move {
            let request = state?;
            let next = request.clone();
            let sent_cursor = request.cursor_sent().map(str::to_owned);
            match request.send().await {
                Ok(page) => {
                    let following = page
                        .next_cursor()
                        .filter(|cursor| !cursor.is_empty())
                        // A server that repeats a cursor would loop forever.
                        .filter(|cursor| sent_cursor.as_deref() != Some(*cursor))
                        .and_then(|cursor| next.with_cursor(cursor));
                    Some((Ok(page), following))
                }
                Err(err) => Some((Err(err), None)),
            }
        }))
    }

    /// Like [`pages`](Self::pages), but yields the elements of every page,
    /// one by one.
    ///
    /// ```no_run
    /// use std::fmt::Debug;
    ///
    /// use autumn_sdk::{Error, Page, RequestBuilder};
    /// use futures_util::TryStreamExt;
    ///
    /// async fn print_all<T>(list: RequestBuilder<T>) -> Result<(), Error>
    /// where
    ///     T: Page + Send + 'static,
    ///     T::Item: Debug + Send + 'static,
    /// {
    ///     let mut items = list.stream();
    ///     while let Some(item) = items.try_next().await? {
    ///         println!("{item:?}");
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<T::Item, Error>> + Send + Unpin + 'static
    where
        T::Item: Send + 'static,
    {
        self.pages().flat_map(|page| {
            let items: Vec<Result<T::Item, Error>> = match page {
                Ok(page) => page.into_items().into_iter().map(Ok).collect(),
                Err(err) => vec![Err(err)],
            };
            stream::iter(items)
        })
    }
}
