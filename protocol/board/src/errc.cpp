#include "ruche/board/errc.hpp"

namespace ruche::protocol {
namespace {

code_info info(errc e) noexcept {
    switch (e) {
        case errc::not_json:
            return {"not_json", "the message is not valid JSON"};
        case errc::not_object:
            return {"not_object", "a JSON object was expected"};
        case errc::missing_field:
            return {"missing_field", "a required field is missing"};
        case errc::wrong_type:
            return {"wrong_type", "a field has the wrong type"};
        case errc::unknown_field:
            return {"unknown_field", "the message has a field that is not part of the protocol"};
        case errc::unknown_kind:
            return {"unknown_kind", "unknown operation kind"};
        case errc::server_only_kind:
            return {"server_only_kind", "this operation is emitted by the server only"};
        case errc::invalid_utf8:
            return {"invalid_utf8", "text is not valid UTF-8"};
        case errc::control_character:
            return {"control_character", "text contains a control character"};
        case errc::empty_text:
            return {"empty_text", "text is empty"};
        case errc::too_long:
            return {"too_long", "text is too long"};
        case errc::out_of_range:
            return {"out_of_range", "a number is out of range"};
        case errc::unknown_color:
            return {"unknown_color", "unknown colour"};
        case errc::unknown_phase:
            return {"unknown_phase", "unknown phase"};
        case errc::unknown_profile:
            return {"unknown_profile", "unknown participant profile"};
        case errc::unknown_role:
            return {"unknown_role", "unknown role"};
        case errc::invalid_id:
            return {"invalid_id", "an id is malformed"};
        case errc::out_of_order:
            return {"out_of_order", "operation sequence number is not the next one"};
        case errc::duplicate_id:
            return {"duplicate_id", "an object with this id already exists"};
        case errc::unknown_participant:
            return {"unknown_participant", "unknown participant"};
        case errc::unknown_note:
            return {"unknown_note", "unknown note"};
        case errc::unknown_theme:
            return {"unknown_theme", "unknown theme"};
        case errc::facilitator_only:
            return {"facilitator_only", "only the facilitator may do this"};
        case errc::not_author:
            return {"not_author", "only the author of the note or the facilitator may do this"};
        case errc::system_only:
            return {"system_only", "only the server may do this"};
        case errc::wrong_phase:
            return {"wrong_phase", "not allowed in the current phase"};
        case errc::board_locked:
            return {"board_locked", "the board is locked by the facilitator"};
        case errc::session_closed:
            return {"session_closed", "the session is closed"};
        case errc::vote_budget_exhausted:
            return {"vote_budget_exhausted", "no votes left"};
        case errc::no_vote_to_remove:
            return {"no_vote_to_remove", "there is no vote of yours to remove here"};
        case errc::merge_into_self:
            return {"merge_into_self", "a note cannot be merged into itself"};
        case errc::profile_not_offered:
            return {"profile_not_offered", "this profile is not offered in this session"};
        case errc::unknown_action:
            return {"unknown_action", "unknown action"};
        case errc::not_deleted:
            return {"not_deleted", "this item is not in the bin"};
        case errc::unknown_stop:
            return {"unknown_stop", "unknown stop"};
        case errc::unknown_category:
            return {"unknown_category", "this category is not offered in this session"};
        case errc::category_in_use:
            return {"category_in_use", "notes still use a category this list removes"};
        case errc::too_many_stops:
            return {"too_many_stops", "a walk has at most 100 stops"};
    }
    return {"unknown_error", "unknown error"};
}

}  // namespace

const std::error_category& board_category() noexcept {
    static const code_table_category<errc, info> instance("ruche.board");
    return instance;
}

std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), board_category()};
}

std::string_view code_name(const std::error_code& e) noexcept {
    if (const auto* named = dynamic_cast<const named_category*>(&e.category())) return named->code_name(e.value());
    return "unknown_error";
}

std::string rejection::message() const {
    std::string text = code.message();
    if (!detail.empty()) {
        text += ": ";
        text += detail;
    }
    return text;
}

}  // namespace ruche::protocol
