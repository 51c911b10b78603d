#pragma once

// Stable error codes of the protocol and the board model. The wire carries
// `code_name(e)` (e.g. "unknown_note"); never renumber or rename a code.

#include <string>
#include <string_view>
#include <system_error>

namespace ruche::protocol {

enum class errc {
    // Shape of the input
    not_json = 1,
    not_object,
    missing_field,
    wrong_type,
    unknown_field,
    unknown_kind,
    server_only_kind,
    invalid_utf8,
    control_character,
    empty_text,
    too_long,
    out_of_range,
    unknown_color,
    unknown_phase,
    unknown_profile,
    unknown_role,
    invalid_id,
    // Rules of the board
    out_of_order,
    duplicate_id,
    unknown_participant,
    unknown_note,
    unknown_theme,
    facilitator_only,
    not_author,
    system_only,
    wrong_phase,
    board_locked,
    session_closed,
    vote_budget_exhausted,
    no_vote_to_remove,
    merge_into_self,
    profile_not_offered,
    // Transport: the WebSocket conversation
    unknown_type,
    binary_frame,
    hello_required,
    already_joined,
    unknown_join_code,
    invalid_token,
    too_many_attempts,
    rate_limited,
    storage_unavailable,
    // Added later; codes keep their numbers, so new ones go last.
    unknown_action,
    not_deleted,
    too_many_joins,  // transient: many people joining one session at once
    session_full,    // the session has as many participants as it may
    corrupt_record,  // an op-log record that does not decode (never sent to a client)
};

const std::error_category& protocol_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// The stable machine name of a code, as sent on the wire.
std::string_view code_name(errc e) noexcept;

// Why something was refused: a code and, when useful, which field or id.
struct rejection {
    errc code{};
    std::string detail;

    // Human message in English, e.g. "unknown note: n42".
    std::string message() const;
    bool operator==(const rejection&) const = default;
};

}  // namespace ruche::protocol

template <>
struct std::is_error_code_enum<ruche::protocol::errc> : std::true_type {};
