#pragma once

// Byte layout of keys and values. Every key starts with the 16-character
// session id, so one session's entries in any column family form the single
// contiguous range [session, session_end(session)).
//
//   ops          session | seq (8 bytes, big-endian)  -> op value (below)
//   op_ids       session | client op id               -> seq (8 bytes, big-endian)
//   sessions     session | tag byte                   -> head (8 bytes BE) or metadata
//   checkpoints  session | seq (8 bytes, big-endian)  -> checkpoint payload
//   photos       session | photo id | '/' | part byte -> bytes of that part
//                (part 'm' the caller's description, 'f' the image, 't' its
//                thumbnail; '/' is in no photo id, so a photo's parts are the
//                range [photo_prefix, photo_end))
//
// An op value is: varint length of the client op id | client op id | payload.
// Big-endian sequence numbers make byte order equal numeric order.

#include <cstdint>
#include <string>
#include <string_view>

namespace ruche::storage::detail {

inline constexpr std::size_t seq_size = 8;

// Tags of the per-session entries in the "sessions" column family.
enum class session_tag : char {
    head = 'h',
    metadata = 'm',
};

void append_be64(std::string& out, std::uint64_t value);
// `bytes` must be exactly seq_size long.
std::uint64_t read_be64(std::string_view bytes) noexcept;
std::string be64(std::uint64_t value);

std::string seq_key(std::string_view session, std::uint64_t seq);
std::string client_op_key(std::string_view session, std::string_view client_op_id);
std::string session_key(std::string_view session, session_tag tag);

std::string photo_key(std::string_view session, std::string_view photo_id, char part);
std::string photo_prefix(std::string_view session, std::string_view photo_id);
std::string photo_end(std::string_view session, std::string_view photo_id);

// The first key after every key that starts with `session`. Valid because a
// session id never ends with a 0xff byte.
std::string session_end(std::string_view session);

std::string encode_op_value(std::string_view client_op_id, std::string_view payload);
// Returns false when `value` is not a well-formed op value.
bool decode_op_value(std::string_view value, std::string& client_op_id, std::string& payload);

}  // namespace ruche::storage::detail
