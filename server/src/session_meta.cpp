#include "session_meta.hpp"

#include <nlohmann/json.hpp>

namespace ruche::server {

using json = nlohmann::json;

std::string session_meta::serialize() const {
    return json{{"join_code", join_code},
                {"facilitator_token", facilitator_token},
                {"participant_tokens", participant_tokens},
                {"next_participant", next_participant},
                {"facilitator_seats", facilitator_seats},
                {"next_facilitator", next_facilitator}}
        .dump();
}

std::optional<session_meta> session_meta::parse(std::string_view bytes) {
    const json j = json::parse(bytes, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    try {
        session_meta m;
        m.join_code = j.at("join_code").get<std::string>();
        m.facilitator_token = j.at("facilitator_token").get<std::string>();
        m.participant_tokens = j.at("participant_tokens").get<std::map<std::string, std::string>>();
        m.next_participant = j.at("next_participant").get<std::uint64_t>();
        // Absent from sessions created before co-hosts had seats of their own.
        m.facilitator_seats = j.value("facilitator_seats", std::map<std::string, std::string>{});
        m.next_facilitator = j.value("next_facilitator", std::uint64_t{1});
        return m;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

}  // namespace ruche::server
