//! The HTTP server loop: axum's router on hyper, with the limits a public
//! server needs and `axum::serve` does not set.
//!
//! - **HTTP/1.1 only** (a reverse proxy or load balancer speaks HTTP/2 or
//!   HTTP/3 to browsers): no cleartext HTTP/2 connection that could idle
//!   forever, no protocol sniffing without a timer.
//! - **Header-read timeout** ([`HEADER_READ_TIMEOUT`]): a connection that has
//!   not sent a whole request head within it — a silent one, a half-sent
//!   request, or a kept-alive connection idle between requests — is closed.
//!   Without it, thousands of idle or trickling connections stay open
//!   forever (Slowloris). A load balancer in front should close idle
//!   connections sooner (its idle timeout below 10 s), or retry on a closed
//!   one.
//! - **Write timeout** ([`WRITE_STALL_TIMEOUT`]): a connection whose client
//!   stops reading (a write that cannot go on for that long) is closed, so a
//!   client cannot hold a connection and its task by asking for a large
//!   answer and never taking it.
//! - The peer address reaches handlers as axum's `ConnectInfo<SocketAddr>`
//!   (login throttling per address).
//! - Graceful shutdown: on the signal, connections finish the request in
//!   flight and close; the loop returns when all are gone, or after
//!   [`DRAIN_LIMIT`] (a client that stops reading cannot hold it forever).

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// How long a connection may take to send a request's head, counted from
/// when the server starts waiting for it (also between kept-alive requests).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a write to a client may stay blocked (the client reads nothing)
/// before the connection is closed.
pub const WRITE_STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a graceful shutdown waits for open connections.
pub const DRAIN_LIMIT: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` resolves, then drains.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, shutdown, HEADER_READ_TIMEOUT).await
}

/// [`serve`] with another header-read timeout (tests use a short one).
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    header_read_timeout: Duration,
) -> std::io::Result<()> {
    // Connections hold `open`; the loop waits for all of them to drop it.
    let (open_tx, open_rx) = watch::channel(());
    // Dropping `stop_tx` tells every connection to shut down gracefully.
    let (stop_tx, stop_rx) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of descriptors and the like: pause, do not spin.
                    tracing::warn!(error = %err, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move {
                let response = router.oneshot(request.map(Body::new)).await;
                Ok::<_, Infallible>(match response {
                    Ok(response) => response,
                    Err(never) => match never {},
                })
            }
        });
        let mut stop = stop_rx.clone();
        let open = open_rx.clone();
        tokio::spawn(async move {
            // A connection that sends nothing is closed here (hyper's timer
            // covers every request head once bytes have come).
            let mut first = [0u8; 1];
            match tokio::time::timeout(header_read_timeout, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => {
                    drop(open);
                    return;
                }
            }
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .keep_alive(true);
            let connection = builder
                .serve_connection(
                    TokioIo::new(WriteDeadline::new(
                        ErrorBodies::new(stream),
                        WRITE_STALL_TIMEOUT,
                    )),
                    service,
                )
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(open);
        });
    }
    drop(stop_tx);
    drop(open_rx);
    if tokio::time::timeout(DRAIN_LIMIT, open_tx.closed())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the drain limit; stopping anyway");
    }
    Ok(())
}

/// An HTTP/1 connection whose automatic answers to unparsable requests
/// (hyper's bare 400, 414 and 431, sent with no body before the router ever
/// sees the request) carry the JSON error body like every other error.
///
/// hyper writes such an answer as one head with `content-length: 0` and no
/// `content-type`, and closes the connection after it; every response the
/// router makes has a content type, so nothing else matches.
struct ErrorBodies<T> {
    inner: T,
    /// A replacement being written, and how much of it is out.
    pending: Option<(Vec<u8>, usize)>,
}

impl<T> ErrorBodies<T> {
    fn new(inner: T) -> Self {
        Self {
            inner,
            pending: None,
        }
    }
}

/// The JSON answer standing in for hyper's bare one, if `head` is one.
fn replacement_for(head: &[u8]) -> Option<Vec<u8>> {
    // This sees every write, bodies included: tests on the bytes first,
    // so a response (a short bare head ending its headers, nothing else)
    // costs a few comparisons.
    let status = head.get(..10)?;
    if head.len() > 1024
        || !head.ends_with(b"\r\n\r\n")
        || !(status == b"HTTP/1.1 4" || status == b"HTTP/1.0 4")
    {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    if !text.ends_with("\r\n\r\n") {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("content-type:") || !lower.contains("content-length: 0\r\n") {
        return None;
    }
    let (code, message) = match text.get(..13)? {
        "HTTP/1.1 400 " | "HTTP/1.0 400 " => ("bad_request", "the request could not be understood"),
        "HTTP/1.1 414 " | "HTTP/1.0 414 " => (
            "uri_too_long",
            "the address is too long (at most 8 KiB with its query)",
        ),
        "HTTP/1.1 431 " | "HTTP/1.0 431 " => {
            ("headers_too_large", "the request headers are too large")
        }
        _ => return None,
    };
    let status_line = text.split("\r\n").next()?;
    let body = serde_json::json!({"error": {"code": code, "message": message}}).to_string();
    Some(
        format!(
            "{status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl<T: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for ErrorBodies<T> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for ErrorBodies<T> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        use std::task::Poll;
        if self.pending.is_none() {
            match replacement_for(buf) {
                Some(answer) => self.pending = Some((answer, 0)),
                None => return std::pin::Pin::new(&mut self.inner).poll_write(cx, buf),
            }
        }
        // Write the whole replacement, then report the original as written.
        loop {
            let this = &mut *self;
            let Some((answer, sent)) = this.pending.as_mut() else {
                return Poll::Ready(Ok(buf.len()));
            };
            if *sent == answer.len() {
                this.pending = None;
                return Poll::Ready(Ok(buf.len()));
            }
            match std::pin::Pin::new(&mut this.inner).poll_write(cx, &answer[*sent..]) {
                Poll::Ready(Ok(0)) => {
                    return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
                }
                Poll::Ready(Ok(n)) => *sent += n,
                Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Not vectored: hyper then writes each head as one buffer.
}

/// A connection whose writes fail with `TimedOut` once one has been blocked
/// (the peer's window full: it reads nothing) for `limit`.
struct WriteDeadline<T> {
    inner: T,
    limit: Duration,
    /// Running while a write or flush is blocked.
    stalled: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl<T> WriteDeadline<T> {
    fn new(inner: T, limit: Duration) -> Self {
        Self {
            inner,
            limit,
            stalled: None,
        }
    }

    /// After a write or flush returned `poll`: `Pending` starts (or goes on
    /// with) the stall timer, which ends the connection when it runs out.
    fn watch<R>(
        &mut self,
        cx: &mut std::task::Context<'_>,
        poll: std::task::Poll<std::io::Result<R>>,
    ) -> std::task::Poll<std::io::Result<R>> {
        use std::future::Future as _;
        use std::task::Poll;
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for WriteDeadline<T> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for WriteDeadline<T> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let poll = std::pin::Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let poll = std::pin::Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests;
