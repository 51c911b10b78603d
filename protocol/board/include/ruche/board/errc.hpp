#pragma once

// Stable error codes of the board model: the shape of an op and the rules of
// the board. The wire carries `code_name(e)` (e.g. "unknown_note"); never
// rename a code. The conversation's own codes (a missing hello, a rate
// limit, a disk that cannot save) are the wire's (ruche/wire/wire_errc.hpp);
// a `rejection` carries either, as a std::error_code of its category.

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
    // Added later (numbers 33 to 41 are the wire's codes).
    unknown_action = 42,
    not_deleted,
    // Added with walks (44 to 46 are the wire's codes).
    unknown_stop = 47,
    unknown_category,
    category_in_use,
    too_many_stops,
};

// A category whose codes have stable machine names: the board's and the
// wire's.
class named_category : public std::error_category {
  public:
    virtual std::string_view code_name(int ev) const noexcept = 0;
};

// A code's machine name and English message.
struct code_info {
    std::string_view name;
    std::string_view message;
};

// The category of the codes of `Enum`, described by `Info`.
template <typename Enum, code_info (*Info)(Enum) noexcept>
class code_table_category final : public named_category {
  public:
    explicit code_table_category(const char* name) noexcept : name_(name) {}
    const char* name() const noexcept override { return name_; }
    std::string message(int ev) const override { return std::string(Info(static_cast<Enum>(ev)).message); }
    std::string_view code_name(int ev) const noexcept override { return Info(static_cast<Enum>(ev)).name; }

  private:
    const char* name_;
};

const std::error_category& board_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// The stable machine name of a code, as sent on the wire ("unknown_error"
// for a code of another category).
std::string_view code_name(const std::error_code& e) noexcept;

// Why something was refused: a code and, when useful, which field or id.
struct rejection {
    std::error_code code;
    std::string detail;

    // Human message in English, e.g. "unknown note: n42".
    std::string message() const;
    bool operator==(const rejection&) const = default;
};

}  // namespace ruche::protocol

template <>
struct std::is_error_code_enum<ruche::protocol::errc> : std::true_type {};
