#include "session_meta.hpp"

#include <nlohmann/json.hpp>

#include "secrets.hpp"

namespace ruche::server {

using json = nlohmann::json;

namespace {

using token_map = std::map<std::string, std::string>;

token_map digest_keys(const token_map& by_token) {
    token_map by_digest;
    for (const auto& [token, id] : by_token) by_digest.emplace(token_digest(token), id);
    return by_digest;
}

}  // namespace

std::string session_meta::serialize() const {
    return json{{"join_code", join_code},
                {"facilitator_token_sha256", facilitator_token_digest},
                {"participant_token_sha256", participant_tokens},
                {"next_participant", next_participant},
                {"facilitator_seat_sha256", facilitator_seats},
                {"next_facilitator", next_facilitator}}
        .dump();
}

std::optional<session_meta> session_meta::parse(std::string_view bytes) {
    const json j = json::parse(bytes, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    try {
        session_meta m;
        m.join_code = j.at("join_code").get<std::string>();
        m.next_participant = j.at("next_participant").get<std::uint64_t>();
        m.next_facilitator = j.value("next_facilitator", std::uint64_t{1});
        if (j.contains("facilitator_token_sha256")) {
            m.facilitator_token_digest = j.at("facilitator_token_sha256").get<std::string>();
            m.participant_tokens = j.at("participant_token_sha256").get<token_map>();
            m.facilitator_seats = j.at("facilitator_seat_sha256").get<token_map>();
            return m;
        }
        // Written before tokens were digested (and, without seats, before
        // co-hosts had seats of their own).
        m.had_plain_tokens = true;
        m.facilitator_token_digest = token_digest(j.at("facilitator_token").get<std::string>());
        m.participant_tokens = digest_keys(j.at("participant_tokens").get<token_map>());
        m.facilitator_seats = digest_keys(j.value("facilitator_seats", token_map{}));
        return m;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

}  // namespace ruche::server
