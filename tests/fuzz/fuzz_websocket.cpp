// WebSocket messages into a session of a real server in this process: the
// target makes the upgrade, then sends each line of the input as one masked
// text frame ({JOIN}, {TOKEN} and {SESSION} replaced by a live session's),
// or, for a line "#raw <hex>", those bytes as they are (any frame, valid or
// not). It reads the replies until they stop coming, then ends its side and
// reads until the server closes.
// Properties: the server never crashes; every message it sends is a JSON
// object of a known type; it keeps answering /healthz.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server_target.hpp"

using ruche::fuzz::require;

namespace {

std::string masked_text_frame(std::string_view payload) {
    std::string f;
    f += static_cast<char>(0x81);  // FIN, text
    const auto n = payload.size();
    if (n < 126) {
        f += static_cast<char>(0x80 | n);
    } else if (n <= 0xFFFF) {
        f += static_cast<char>(0x80 | 126);
        f += static_cast<char>(n >> 8);
        f += static_cast<char>(n & 0xFF);
    } else {
        f += static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) f += static_cast<char>((n >> shift) & 0xFF);
    }
    f.append(4, '\0');  // mask key 0: the payload goes as it is
    f.append(payload);
    return f;
}

std::string from_hex(std::string_view hex) {
    std::string out;
    auto digit = [](char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        const int hi = digit(hex[i]);
        const int lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0) break;
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

// The server's frames (unmasked): each complete text frame's lines must be
// JSON objects of a known type.
void check_replies(std::string_view bytes) {
    while (bytes.size() >= 2) {
        const auto b0 = static_cast<unsigned char>(bytes[0]);
        const auto b1 = static_cast<unsigned char>(bytes[1]);
        require(!(b1 & 0x80), "the server's frames are not masked");
        std::size_t header = 2;
        std::uint64_t n = b1 & 0x7F;
        if (n == 126) {
            if (bytes.size() < 4) return;
            n = (static_cast<unsigned char>(bytes[2]) << 8) | static_cast<unsigned char>(bytes[3]);
            header = 4;
        } else if (n == 127) {
            if (bytes.size() < 10) return;
            n = 0;
            for (int i = 2; i < 10; ++i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
            header = 10;
        }
        if (bytes.size() - header < n) return;  // cut short by the close
        const auto payload = bytes.substr(header, n);
        if ((b0 & 0x0F) == 0x1) {
            for (std::size_t start = 0; start <= payload.size();) {
                auto end = payload.find('\n', start);
                if (end == std::string_view::npos) end = payload.size();
                auto j = nlohmann::json::parse(payload.substr(start, end - start), nullptr, false);
                require(j.is_object() && j.contains("type"), "every message is a JSON object with a type");
                const auto type = j["type"].get<std::string>();
                require(type == "welcome" || type == "ack" || type == "event" || type == "error",
                        "every message is a welcome, an ack, an event or an error");
                start = end + 1;
            }
        }
        bytes.remove_prefix(header + n);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto& server = ruche::fuzz::the_server();
    server.next_input();
    ruche::fuzz::client_socket s(server.port());
    s.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    const std::string upgrade = s.read("\r\n\r\n");
    require(upgrade.rfind("HTTP/1.1 101", 0) == 0, "the server accepts the upgrade");
    std::string rest = upgrade.substr(upgrade.find("\r\n\r\n") + 4);

    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (std::size_t start = 0; start < input.size();) {
        auto end = input.find('\n', start);
        if (end == std::string_view::npos) end = input.size();
        const auto line = input.substr(start, end - start);
        start = end + 1;
        const bool sent = line.rfind("#raw ", 0) == 0 ? s.write(from_hex(line.substr(5)))
                                                      : s.write(masked_text_frame(server.with_keys(line)));
        if (!sent) break;
    }
    // Its replies, then the end: closing at once would often close before
    // the welcome (its seat is written first) and test nothing past hello.
    rest += s.read_until_quiet(5);
    s.done_writing();
    check_replies(rest + s.read());
    return 0;
}
