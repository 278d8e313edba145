//! hyper answers a request it cannot parse (a malformed request line or header, a target or a
//! head past its limits) by itself, before the application sees it: `400`, `414` or `431` with
//! an empty body. [`JsonProtocolErrors`] wraps a connection and turns that bare answer into the
//! JSON French error `{error, parameter}` every other answer has.
//!
//! The bare answer is recognised by its shape: a whole response head of status 400, 414 or
//! 431 with `content-length: 0`, written on its own. The application never writes such a head:
//! its error answers always carry a JSON body ([`crate::middleware::json_errors`]).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A connection whose bare protocol errors are rewritten as JSON answers.
#[derive(Debug)]
pub struct JsonProtocolErrors<T> {
    inner: T,
    /// A rewritten answer still to write, and how much of it is written.
    pending: Vec<u8>,
    written: usize,
}

impl<T> JsonProtocolErrors<T> {
    /// Wraps a connection.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            pending: Vec::new(),
            written: 0,
        }
    }
}

/// The JSON answer replacing a bare protocol error head, or `None` for any other bytes.
fn rewritten(buf: &[u8]) -> Option<Vec<u8>> {
    let head = std::str::from_utf8(buf).ok()?;
    let rest = head.strip_prefix("HTTP/1.1 ")?;
    let code: u16 = rest.get(..3)?.parse().ok()?;
    let message = match code {
        400 => "requête HTTP illisible : ligne de requête ou en-têtes mal formés",
        414 => "adresse de la requête trop longue",
        431 => "en-têtes de la requête trop volumineux",
        _ => return None,
    };
    let whole_head = head.ends_with("\r\n\r\n") && head.find("\r\n\r\n") == Some(head.len() - 4);
    if !whole_head
        || !head
            .to_ascii_lowercase()
            .contains("\r\ncontent-length: 0\r\n")
    {
        return None;
    }
    let reason = match code {
        400 => "Bad Request",
        414 => "URI Too Long",
        _ => "Request Header Fields Too Large",
    };
    let body = serde_json::json!({ "error": message, "parameter": null }).to_string();
    Some(
        format!(
            "HTTP/1.1 {code} {reason}\r\ncontent-type: application/json\r\nconnection: close\r\n\
             content-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl<T: AsyncWrite + Unpin> JsonProtocolErrors<T> {
    fn flush_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonProtocolErrors<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonProtocolErrors<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.flush_pending(cx))?;
        if let Some(answer) = rewritten(buf) {
            self.pending = answer;
            self.written = 0;
            // Written now if it can be; otherwise by the flush or shutdown hyper does next.
            if let Poll::Ready(Err(e)) = self.flush_pending(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.flush_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.flush_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // One buffer per write: hyper then writes a bare answer as one head.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bare_protocol_error_heads_are_rewritten() {
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let answer = String::from_utf8(rewritten(bare).unwrap()).unwrap();
        assert!(answer.starts_with("HTTP/1.1 400 Bad Request\r\n"));
        assert!(answer.contains("requête HTTP illisible"));
        for other in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n{}",
            b"{\"error\":\"x\"}",
        ] {
            assert!(
                rewritten(other).is_none(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }
}
