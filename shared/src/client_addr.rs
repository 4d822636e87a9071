//! The client's address behind trusted reverse proxies. Behind a load
//! balancer every connection comes from the balancer, so per-address login
//! throttling would throttle everyone at once; with the balancer's addresses
//! in `TAIWA_TRUSTED_PROXIES`, the address is read from `X-Forwarded-For`,
//! right to left, skipping trusted hops (entries further left are written by
//! the client and cannot be believed). Connections from anywhere else keep
//! their own address, whatever headers they send.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Networks whose connections are proxies Taiwa trusts.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<(IpAddr, u8)>>);

impl TrustedProxies {
    /// Reads a comma-separated list of addresses and CIDR networks
    /// (`10.0.0.0/8, 192.168.1.10, fd00::/8`); empty means none.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (addr, bits) = entry.split_once('/').unwrap_or((entry, ""));
            let addr: IpAddr = addr.parse().map_err(|_| {
                format!("TAIWA_TRUSTED_PROXIES: {entry:?} is not an address or network")
            })?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() {
                max
            } else {
                bits.parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| {
                        format!("TAIWA_TRUSTED_PROXIES: {entry:?} has a bad prefix length")
                    })?
            };
            nets.push((addr, bits));
        }
        Ok(Self(Arc::new(nets)))
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|(net, bits)| in_network(ip, *net, *bits))
    }

    /// The client's address for a connection from `peer` that carried
    /// `forwarded_for` (the `X-Forwarded-For` values, in order).
    pub fn client_of(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let hops = forwarded_for
            .iter()
            .flat_map(|h| h.split(','))
            .map(str::trim)
            .rev();
        let mut client = peer;
        for hop in hops {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                break;
            };
            client = ip;
            if !self.contains(ip) {
                break;
            }
        }
        client
    }
}

fn in_network(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// Middleware: replaces the connection's address with the client's when the
/// connection comes from a trusted proxy, so everything after it (login
/// throttling, the web pages) sees the client.
pub async fn resolve(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
        && trusted.contains(peer.ip())
    {
        let forwarded: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let client = trusted.client_of(peer.ip(), &forwarded);
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests;
