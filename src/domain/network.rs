//! Who the client is: the socket's address, unless it belongs to a proxy named in
//! `trusted_proxies`, whose forwarding header then says who it forwarded.

use std::net::IpAddr;

/// One address or a CIDR range (`10.0.0.0/8`, `2001:db8::/32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    base: IpAddr,
    prefix: u8,
}

impl Range {
    fn parse(text: &str) -> Option<Range> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let base = addr.trim().parse::<IpAddr>().ok()?.to_canonical();
        let bits = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= bits)?,
            None => bits,
        };
        Some(Range { base, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let masked = |bits: u128, width: u32| {
            let host_bits = width - u32::from(self.prefix);
            bits.checked_shr(host_bits).unwrap_or(0)
        };
        match (self.base, ip.to_canonical()) {
            (IpAddr::V4(base), IpAddr::V4(ip)) => {
                masked(u32::from(base).into(), 32) == masked(u32::from(ip).into(), 32)
            }
            (IpAddr::V6(base), IpAddr::V6(ip)) => {
                masked(u128::from(base), 128) == masked(u128::from(ip), 128)
            }
            _ => false,
        }
    }
}

/// The proxies whose forwarding headers are believed. Empty by default: then the client is
/// always the socket's peer, whatever headers it sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Range>);

impl TrustedProxies {
    /// Parses addresses and CIDR ranges; the error names the first one that is not.
    pub fn parse<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<TrustedProxies, String> {
        items
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                Range::parse(s).ok_or_else(|| format!("not an address or a CIDR range: {s:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|r| r.contains(ip))
    }

    /// The client's address. From a trusted peer, `X-Forwarded-For` is read from the right:
    /// each trusted proxy appended the address it was reached from, so the right-most address
    /// that is not a trusted proxy is the client (what the client wrote further left is its
    /// own claim). Without that header, a trusted peer's `X-Real-IP` names the client.
    pub fn client(
        &self,
        peer: IpAddr,
        forwarded_for: Option<&str>,
        real_ip: Option<&str>,
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let Some(chain) = forwarded_for else {
            return real_ip.and_then(parse_hop).unwrap_or(peer);
        };
        let mut client = peer;
        for hop in chain.rsplit(',') {
            // Something unreadable: the last hop a trusted proxy vouched for is all we know.
            let Some(ip) = parse_hop(hop) else {
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

/// An address as proxies write it: bare, or with a port (`1.2.3.4:80`, `[2001:db8::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<std::net::SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_contain() {
        let p = TrustedProxies::parse(["10.0.0.0/8", "192.0.2.7", " 2001:db8::/32 "]).unwrap();
        assert!(p.contains(ip("10.200.3.4")));
        assert!(!p.contains(ip("11.0.0.1")));
        assert!(p.contains(ip("192.0.2.7")));
        assert!(!p.contains(ip("192.0.2.8")));
        assert!(p.contains(ip("2001:db8:ffff::1")));
        assert!(!p.contains(ip("2001:db9::1")));
        // An IPv4 peer seen through an IPv6 socket.
        assert!(p.contains(ip("::ffff:10.1.1.1")));
        assert!(
            TrustedProxies::parse(["0.0.0.0/0"])
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        for bad in [
            "10.0.0.0/33",
            "example.org",
            "10.0.0/8",
            "::/129",
            "10.0.0.1/x",
        ] {
            assert!(TrustedProxies::parse([bad]).is_err(), "{bad}");
        }
        assert_eq!(
            TrustedProxies::parse([""]).unwrap(),
            TrustedProxies::default()
        );
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("198.51.100.7"), Some("1.2.3.4"), Some("5.6.7.8")),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_right_most_untrusted_hop() {
        let p = TrustedProxies::parse(["10.0.0.0/8"]).unwrap();
        let proxy = ip("10.0.0.1");
        // The client prepended a lie; the proxy appended what it saw.
        assert_eq!(
            p.client(proxy, Some("6.6.6.6, 198.51.100.7"), None),
            ip("198.51.100.7")
        );
        // Two proxies in a row.
        assert_eq!(
            p.client(proxy, Some("198.51.100.7, 10.0.0.2"), None),
            ip("198.51.100.7")
        );
        assert_eq!(
            p.client(proxy, Some("198.51.100.7:4711"), None),
            ip("198.51.100.7")
        );
        assert_eq!(
            p.client(proxy, Some("junk, 10.0.0.2"), None),
            ip("10.0.0.2")
        );
        assert_eq!(
            p.client(proxy, None, Some("198.51.100.9")),
            ip("198.51.100.9")
        );
        assert_eq!(p.client(proxy, None, Some("junk")), proxy);
        assert_eq!(p.client(proxy, None, None), proxy);
    }
}
