// Key and value encoding, see key_encoding.hpp for the layout.

#include "key_encoding.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ruche::storage::detail {
namespace {

// Varint: 7 bits per byte, low bits first, high bit set on all but the last.
void append_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

bool read_varint(std::string_view& in, std::uint64_t& value) {
    value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (in.empty()) return false;
        const auto byte = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) return true;
    }
    return false;
}

}  // namespace

void append_be64(std::string& out, std::uint64_t value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((value >> shift) & 0xff));
    }
}

std::uint64_t read_be64(std::string_view bytes) noexcept {
    std::uint64_t value = 0;
    for (const char c : bytes.substr(0, seq_size)) {
        value = (value << 8) | static_cast<unsigned char>(c);
    }
    return value;
}

std::string be64(std::uint64_t value) {
    std::string out;
    out.reserve(seq_size);
    append_be64(out, value);
    return out;
}

std::string seq_key(std::string_view session, std::uint64_t seq) {
    std::string key;
    key.reserve(session.size() + seq_size);
    key.append(session);
    append_be64(key, seq);
    return key;
}

std::string client_op_key(std::string_view session, std::string_view client_op_id) {
    std::string key;
    key.reserve(session.size() + client_op_id.size());
    key.append(session);
    key.append(client_op_id);
    return key;
}

std::string session_key(std::string_view session, session_tag tag) {
    std::string key(session);
    key.push_back(static_cast<char>(tag));
    return key;
}

std::string photo_prefix(std::string_view session, std::string_view photo_id) {
    std::string key(session);
    key.append(photo_id);
    key.push_back('/');
    return key;
}

std::string photo_key(std::string_view session, std::string_view photo_id, char part) {
    auto key = photo_prefix(session, photo_id);
    key.push_back(part);
    return key;
}

std::string photo_end(std::string_view session, std::string_view photo_id) {
    auto key = photo_prefix(session, photo_id);
    key.back() = static_cast<char>('/' + 1);
    return key;
}

std::string session_end(std::string_view session) {
    std::string end(session);
    if (!end.empty()) end.back() = static_cast<char>(end.back() + 1);
    return end;
}

std::string encode_op_value(std::string_view client_op_id, std::string_view payload) {
    std::string value;
    value.reserve(10 + client_op_id.size() + payload.size());
    append_varint(value, client_op_id.size());
    value.append(client_op_id);
    value.append(payload);
    return value;
}

bool decode_op_value(std::string_view value, std::string& client_op_id, std::string& payload) {
    std::uint64_t id_size = 0;
    if (!read_varint(value, id_size) || id_size > value.size()) return false;
    const auto n = static_cast<std::size_t>(id_size);
    client_op_id.assign(value.substr(0, n));
    payload.assign(value.substr(n));
    return true;
}

}  // namespace ruche::storage::detail
