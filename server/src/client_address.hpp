#pragma once

// Who a request comes from, for limits (never stored): the peer's address,
// or, when the peer is a trusted reverse proxy, the client it forwards for.

#include <string>
#include <string_view>
#include <vector>

namespace ruche::server {

// The key an address's limits are counted under: the IPv4 address itself
// (an IPv4-mapped IPv6 address counts as its IPv4 one), or the /64 prefix of
// an IPv6 one (one household or phone gets a whole /64).
std::string address_key(std::string_view address);

// Whether `peer` is one of the `trusted` proxies (addresses as given to
// --trust-proxy, compared exactly).
bool is_trusted_proxy(std::string_view peer, const std::vector<std::string>& trusted);

// The client's address: `peer`, unless `peer` is a trusted proxy and
// `forwarded_for` (X-Forwarded-For) names one. Then its addresses are read
// from the right, skipping trusted proxies: the first other one is the client
// (entries further left were written by the client itself and are not
// believed). A malformed entry stops the walk at the last address believed.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted);

}  // namespace ruche::server
