//! Disan's site served on a loopback socket, and the smallest HTTP/1.1 client that can time it:
//! one keep-alive connection, one request at a time, so each timing is a visitor's round trip
//! (routing, query parsing, search, JSON) without a client library's own overhead.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

/// Serves `site` as `disan serve` does (the same accept loop and limits), on 127.0.0.1 at a free port, from a background thread
/// that lives as long as the process.
pub fn serve(site: disan::web::Site) -> SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind a loopback port");
            sender
                .send(listener.local_addr().expect("bound address"))
                .expect("report the address");
            disan::web::server::serve(
                disan::web::app(Arc::new(site)),
                listener,
                disan::web::server::Limits::for_this_process(),
                std::future::pending(),
            )
            .await
            .expect("serve");
        });
    });
    receiver.recv().expect("the server started")
}

/// One keep-alive connection, opened again when the server ends it (`Connection: close`, which
/// the site sends on a connection's last allowed request), as a browser would.
pub struct Client {
    stream: BufReader<TcpStream>,
    host: String,
    addr: SocketAddr,
}

impl Client {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(Client {
            stream: BufReader::new(stream),
            host: addr.to_string(),
            addr,
        })
    }

    /// GETs `target` (path and query) and returns the status and body.
    pub fn get(&mut self, target: &str) -> io::Result<(u16, Vec<u8>)> {
        let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", self.host);
        self.stream.get_mut().write_all(request.as_bytes())?;
        let mut line = String::new();
        self.stream.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            line.clear();
            if self.stream.read_line(&mut line)? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse::<usize>().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.eq_ignore_ascii_case("chunked");
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        let mut body = Vec::new();
        if let Some(length) = length {
            body.resize(length, 0);
            self.stream.read_exact(&mut body)?;
        } else if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| io::Error::other(format!("bad chunk size {line:?}")))?;
                let start = body.len();
                body.resize(start + size, 0);
                self.stream.read_exact(&mut body[start..])?;
                line.clear();
                self.stream.read_line(&mut line)?;
                if size == 0 {
                    break;
                }
            }
        } else {
            return Err(io::Error::other(
                "a response with neither length nor chunks",
            ));
        }
        if close {
            *self = Client::connect(self.addr)?;
        }
        Ok((status, body))
    }
}

/// Percent-encodes a query-string value (UTF-8, everything but unreserved characters).
pub fn encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
