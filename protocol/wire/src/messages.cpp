#include "ruche/wire/messages.hpp"
#include "ruche/wire/wire_errc.hpp"

#include <algorithm>

#include "ruche/board/text.hpp"

namespace ruche::protocol {
namespace {

using detail::text_kind;

std::optional<std::string> optional_string(const json& j, const char* key, std::size_t max_bytes,
                                           std::optional<rejection>& error) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) {
        error = rejection{errc::wrong_type, std::string(key) + " must be a string"};
        return std::nullopt;
    }
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max_bytes || !detail::utf8_length(s)) {
        error = rejection{wire_errc::invalid_token, key};
        return std::nullopt;
    }
    return s;
}

std::variant<client_message, message_rejection> decode_hello(const json& j) {
    static constexpr const char* known[] = {
        "type", "join_code", "facilitator_token", "participant_token",
        "name", "profile",   "last_seq",          "lines"};
    for (const auto& [key, value] : j.items()) {
        if (std::find(std::begin(known), std::end(known), key) == std::end(known)) {
            return message_rejection{{errc::unknown_field, detail::excerpt(key)}, {}};
        }
    }
    std::optional<rejection> error;
    hello h;
    h.join_code = optional_string(j, "join_code", 64, error);
    h.facilitator_token = optional_string(j, "facilitator_token", 128, error);
    h.participant_token = optional_string(j, "participant_token", 128, error);
    if (error) return message_rejection{*error, {}};
    if (!h.join_code && !h.facilitator_token) {
        return message_rejection{{errc::missing_field, "join_code or facilitator_token"}, {}};
    }
    if (auto it = j.find("name"); it != j.end() && !it->is_null()) {
        if (!it->is_string())
            return message_rejection{{errc::wrong_type, "name must be a string"}, {}};
        h.name = it->get<std::string>();
        if (auto why = detail::check_text(h.name, max_name_chars, text_kind::line, true, "name")) {
            return message_rejection{*why, {}};
        }
    }
    if (auto it = j.find("profile"); it != j.end() && !it->is_null()) {
        if (!it->is_string())
            return message_rejection{{errc::wrong_type, "profile must be a string"}, {}};
        h.profile = parse_profile(it->get_ref<const std::string&>());
        if (!h.profile) {
            return message_rejection{
                {errc::unknown_profile, detail::excerpt(it->get<std::string>())}, {}};
        }
    }
    if (auto it = j.find("last_seq"); it != j.end() && !it->is_null()) {
        if (!it->is_number_unsigned()) {
            return message_rejection{{errc::wrong_type, "last_seq must be a non-negative integer"},
                                     {}};
        }
        h.last_seq = it->get<std::uint64_t>();
    }
    if (auto it = j.find("lines"); it != j.end() && !it->is_null()) {
        if (!it->is_boolean()) return message_rejection{{errc::wrong_type, "lines must be true or false"}, {}};
        h.lines = it->get<bool>();
    }
    return client_message{std::move(h)};
}

std::variant<client_message, message_rejection> decode_op_message(const json& j) {
    std::string op_id;
    auto id = j.find("op_id");
    if (id == j.end()) return message_rejection{{errc::missing_field, "op_id"}, {}};
    if (!id->is_string() || !detail::is_valid_id(id->get_ref<const std::string&>())) {
        return message_rejection{{errc::invalid_id, "op_id"}, {}};
    }
    op_id = id->get<std::string>();
    for (const auto& [key, value] : j.items()) {
        if (key != "type" && key != "op_id" && key != "op") {
            return message_rejection{{errc::unknown_field, detail::excerpt(key)}, op_id};
        }
    }
    auto body = j.find("op");
    if (body == j.end()) return message_rejection{{errc::missing_field, "op"}, op_id};
    auto decoded = decode_op(*body, origin::client);
    if (!decoded) return message_rejection{decoded.error(), op_id};
    return client_message{op_message{std::move(op_id), std::move(decoded).value()}};
}

}  // namespace

std::variant<client_message, message_rejection> decode_client_message(std::string_view text) {
    auto parsed = parse_json(text);
    if (!parsed) return message_rejection{parsed.error(), {}};
    const json& j = *parsed;
    if (!j.is_object()) return message_rejection{{errc::not_object, "message"}, {}};
    auto type = j.find("type");
    if (type == j.end()) return message_rejection{{errc::missing_field, "type"}, {}};
    if (!type->is_string())
        return message_rejection{{errc::wrong_type, "type must be a string"}, {}};
    const auto& name = type->get_ref<const std::string&>();
    if (name == "hello") return decode_hello(j);
    if (name == "op") return decode_op_message(j);
    return message_rejection{{wire_errc::unknown_type, detail::excerpt(name)}, {}};
}

std::string welcome_message(welcome w) {
    json j = {{"type", "welcome"}, {"session_id", std::move(w.session_id)}, {"role", std::move(w.role)},
              {"seq", w.seq}};
    if (!w.participant_id.empty()) j["participant_id"] = std::move(w.participant_id);
    if (!w.participant_token.empty()) j["participant_token"] = std::move(w.participant_token);
    if (w.join_code) j["join_code"] = std::move(*w.join_code);
    if (w.join_url) j["join_url"] = std::move(*w.join_url);
    if (w.state) j["state"] = std::move(*w.state);
    if (w.events) j["events"] = std::move(*w.events);
    return j.dump();
}

std::string ack_message(std::string_view op_id, std::uint64_t seq) {
    return json{{"type", "ack"}, {"op_id", op_id}, {"seq", seq}}.dump();
}

std::string error_message(const rejection& why, std::string_view op_id) {
    json j = {{"type", "error"}, {"code", code_name(why.code)}, {"message", why.message()}};
    if (!op_id.empty()) j["op_id"] = op_id;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string event_message(json event) {
    event["type"] = "event";
    return event.dump();
}

}  // namespace ruche::protocol
