//! HTTP over a raw TCP connection: what the server sends, byte for byte,
//! where an HTTP client's own handling (of HEAD, of framing, of a dropped
//! connection) would hide it.

// Each test binary that includes this module uses a part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads what the server sends until it closes the connection (within 10 s).
pub async fn until_closed(mut stream: TcpStream) -> String {
    let mut text = String::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut text))
        .await
        .expect("the server closes the connection in time")
        .expect("read");
    text
}

/// Sends `requests` (the last one saying `connection: close`) on one new
/// connection and returns everything the server answers.
pub async fn exchange(address: SocketAddr, requests: &str) -> String {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(requests.as_bytes()).await.expect("sent");
    until_closed(stream).await
}
