#pragma once

// Stable error codes of the conversation between a client and the server:
// what is wrong with a message rather than with an op (unknown type, hello
// first), who may join, the limits that protect the others, and the records
// the server reads back. The wire carries `code_name(e)` like the board's
// codes; never rename one. Their numbers follow the board's (errc.hpp) so a
// number means one thing in either category.

#include <system_error>

#include "ruche/board/errc.hpp"

namespace ruche::protocol {

enum class wire_errc {
    unknown_type = 33,
    binary_frame,
    hello_required,
    already_joined,
    unknown_join_code,
    invalid_token,
    too_many_attempts,
    rate_limited,
    storage_unavailable,
    // 42 and 43 are the board's.
    too_many_joins = 44,  // transient: many people joining one session at once
    session_full,         // the session has as many participants as it may
    corrupt_record,       // an op-log record that does not decode (never sent to a client)
    // 47 to 50 are the board's.
    unknown_photo = 51,  // a note's photo that this session has not, or that its author did not send
};

const std::error_category& wire_category() noexcept;
std::error_code make_error_code(wire_errc e) noexcept;

}  // namespace ruche::protocol

template <>
struct std::is_error_code_enum<ruche::protocol::wire_errc> : std::true_type {};
