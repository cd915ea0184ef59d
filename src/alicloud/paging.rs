//! `MaxResults`/`NextToken` paging, shared by every List call: read pages until the server
//! answers an empty `NextToken`.
//!
//! A server that hands out the same token again (a bug, or a proxy replaying a cached page)
//! would make a naive loop run until the deadline, calling the API all the while. The loop
//! therefore refuses a token it has already sent, and stops at [`MAX_PAGES`] in any case.

use std::collections::HashSet;
use std::future::Future;

use super::error::Error;

/// Most pages one listing reads: 1000 pages of the smallest page size Alibaba allows here (10)
/// is far beyond any account's pools, blocks or tags, yet bounds the calls a broken server
/// can cause.
pub const MAX_PAGES: usize = 1000;

/// One page of a List answer.
pub(crate) trait Page {
    type Item;
    /// The page's items and its `NextToken` (empty on the last page).
    fn into_parts(self) -> (Vec<Self::Item>, String);
}

/// Calls `fetch(next_token)` (`None` for the first page) until the last page and returns all
/// items in order. Every call of `fetch` is one request with its own retries; the caller's
/// deadline bounds them all.
pub(crate) async fn collect_pages<P, F, Fut>(
    action: &str,
    max_pages: usize,
    mut fetch: F,
) -> Result<Vec<P::Item>, Error>
where
    P: Page,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<P, Error>>,
{
    let mut items = Vec::new();
    let mut sent: HashSet<String> = HashSet::new();
    let mut token: Option<String> = None;
    let mut page = 0;
    loop {
        page += 1;
        let (mut page_items, next) = fetch(token.take()).await?.into_parts();
        items.append(&mut page_items);
        if next.is_empty() {
            return Ok(items);
        }
        if sent.contains(&next) {
            return Err(broken_paging(
                action,
                format!("page {page} returned NextToken {next:?} again"),
            ));
        }
        if page >= max_pages {
            return Err(broken_paging(
                action,
                format!("still more pages after {max_pages}"),
            ));
        }
        sent.insert(next.clone());
        token = Some(next);
    }
}

/// A listing that does not terminate is a response the API does not document: a decode error
/// with a success status, which is not retried (the same server would loop again).
fn broken_paging(action: &str, what: String) -> Error {
    Error::Decode {
        status: 200,
        reason: format!("{action} paging stopped: {what}"),
        excerpt: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct P(Vec<u32>, &'static str);

    impl Page for P {
        type Item = u32;
        fn into_parts(self) -> (Vec<u32>, String) {
            (self.0, self.1.to_string())
        }
    }

    /// Serves `pages` in order and records the tokens it was sent.
    async fn run(
        pages: Vec<P>,
        max_pages: usize,
    ) -> (Result<Vec<u32>, Error>, Vec<Option<String>>) {
        let mut pages = pages.into_iter();
        let mut tokens = Vec::new();
        let result = collect_pages("ListThings", max_pages, |t| {
            tokens.push(t);
            let page = pages.next();
            async move { page.ok_or_else(|| Error::Config("asked for too many pages".into())) }
        })
        .await;
        (result, tokens)
    }

    #[tokio::test]
    async fn reads_every_page_in_order() {
        let (r, tokens) = run(
            vec![P(vec![1, 2], "a"), P(vec![3], "b"), P(vec![4], "")],
            10,
        )
        .await;
        assert_eq!(r.expect("three pages"), vec![1, 2, 3, 4]);
        assert_eq!(
            tokens,
            vec![None, Some("a".to_string()), Some("b".to_string())]
        );
    }

    #[tokio::test]
    async fn a_repeated_token_is_an_error_not_a_loop() {
        let (r, tokens) = run(vec![P(vec![1], "a"), P(vec![2], "a")], 10).await;
        let err = r.expect_err("repeated token");
        assert!(
            matches!(&err, Error::Decode { status: 200, reason, .. }
                if reason.contains("ListThings") && reason.contains("\"a\" again")),
            "{err:?}"
        );
        assert!(!err.is_retryable());
        assert_eq!(tokens.len(), 2);
    }

    #[tokio::test]
    async fn the_page_cap_bounds_a_server_that_never_ends() {
        let (r, tokens) = run(vec![P(vec![1], "a"), P(vec![2], "b"), P(vec![3], "c")], 2).await;
        assert!(matches!(r, Err(Error::Decode { reason, .. }) if reason.contains("after 2")));
        assert_eq!(tokens.len(), 2);
    }

    #[tokio::test]
    async fn an_error_on_a_later_page_is_returned() {
        let (r, _) = run(vec![P(vec![1], "a")], 10).await;
        assert!(matches!(r, Err(Error::Config(_))));
    }
}
