#include "client_address.hpp"

#include <boost/asio/ip/address.hpp>

namespace ruche::server {

std::string address_key(std::string_view address) {
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(std::string(address), ec);
    if (ec) return std::string(address);
    if (parsed.is_v6()) {
        const auto v6 = parsed.to_v6();
        if (v6.is_v4_mapped()) {
            return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
        }
        auto bytes = v6.to_bytes();
        for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
        return boost::asio::ip::address_v6(bytes).to_string() + "/64";
    }
    return parsed.to_string();
}

namespace {

// One spelling per address: "::ffff:10.0.0.1" is "10.0.0.1".
std::string normalized(std::string_view address) {
    boost::system::error_code ec;
    const auto parsed = boost::asio::ip::make_address(std::string(address), ec);
    if (ec) return std::string(address);
    if (parsed.is_v6() && parsed.to_v6().is_v4_mapped()) {
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, parsed.to_v6()).to_string();
    }
    return parsed.to_string();
}

}  // namespace

bool is_trusted_proxy(std::string_view peer, const std::vector<std::string>& trusted) {
    if (trusted.empty()) return false;
    const auto address = normalized(peer);
    for (const auto& t : trusted) {
        if (normalized(t) == address) return true;
    }
    return false;
}

std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted) {
    std::string client(peer);
    if (forwarded_for.empty() || !is_trusted_proxy(peer, trusted)) return client;
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        auto entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
        forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
        while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
        boost::system::error_code ec;
        const auto parsed = boost::asio::ip::make_address(std::string(entry), ec);
        if (ec) break;
        client = parsed.to_string();
        if (!is_trusted_proxy(client, trusted)) break;
    }
    return client;
}

}  // namespace ruche::server
