// Whom limits count a request against: the peer, or behind a trusted
// reverse proxy, the client it forwards for.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "client_address.hpp"

using ruche::server::address_key;
using ruche::server::client_address;
using ruche::server::is_trusted_proxy;

TEST_CASE("addresses are counted per IPv4 address and per IPv6 /64") {
    CHECK(address_key("192.168.1.20") == "192.168.1.20");
    CHECK(address_key("::ffff:192.168.1.20") == "192.168.1.20");
    CHECK(address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
    CHECK(address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9"));
    CHECK(address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1"));
}

TEST_CASE("X-Forwarded-For is believed only from a trusted proxy, read from the right") {
    const std::vector<std::string> trusted{"127.0.0.1", "10.0.0.2"};
    // Not a trusted peer: the header is ignored, whatever it says.
    CHECK(client_address("192.0.2.9", "198.51.100.1", trusted) == "192.0.2.9");
    CHECK(client_address("192.0.2.9", "198.51.100.1", {}) == "192.0.2.9");
    // A trusted peer: the rightmost address that is not a trusted proxy.
    CHECK(client_address("127.0.0.1", "198.51.100.1", trusted) == "198.51.100.1");
    CHECK(client_address("127.0.0.1", "203.0.113.5, 198.51.100.1", trusted) == "198.51.100.1");
    CHECK(client_address("127.0.0.1", "203.0.113.5, 198.51.100.1, 10.0.0.2", trusted) ==
          "198.51.100.1");
    CHECK(client_address("::ffff:127.0.0.1", "2001:db8::7", trusted) == "2001:db8::7");
    // No header, or garbage in it: the last address believed.
    CHECK(client_address("127.0.0.1", "", trusted) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "not-an-address", trusted) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "198.51.100.1, 10.0.0.2, junk", trusted) == "127.0.0.1");
    CHECK(is_trusted_proxy("::ffff:10.0.0.2", trusted));
    CHECK_FALSE(is_trusted_proxy("10.0.0.3", trusted));
}
