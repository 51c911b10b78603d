// The export file of a session, which is also what an import reads: the log
// and the state it folds into. Reading one back trusts nothing: every op is
// decoded strictly, the log is folded again, and the result must serialise
// exactly as the state the file carries.

#include <string>

#include "ruche/protocol/minutes.hpp"

namespace ruche::protocol {

json session_export(const board& final_state, const std::vector<stamped_op>& log) {
    json ops = json::array();
    for (const auto& s : log) ops.push_back(encode_stamped(s));
    return {{"format", session_export_format},
            {"version", session_export_version},
            {"log", std::move(ops)},
            {"state", to_json(final_state)}};
}

result<std::vector<stamped_op>> read_session_export(const json& j) {
    if (!j.is_object()) return rejection{errc::not_object, "session export"};
    for (const auto* key : {"format", "version", "log", "state"}) {
        if (!j.contains(key)) return rejection{errc::missing_field, key};
    }
    const json& format = j.at("format");
    if (!format.is_string() || format.get_ref<const std::string&>() != session_export_format) {
        return rejection{errc::wrong_type,
                         "format must be \"" + std::string(session_export_format) + "\""};
    }
    const json& version = j.at("version");
    if (!version.is_number_integer())
        return rejection{errc::wrong_type, "version must be an integer"};
    if (version.get<std::int64_t>() != session_export_version) {
        return rejection{errc::out_of_range,
                         "version must be " + std::to_string(session_export_version)};
    }
    const json& log = j.at("log");
    if (!log.is_array()) return rejection{errc::wrong_type, "log must be an array"};
    const json& state = j.at("state");
    if (!state.is_object()) return rejection{errc::wrong_type, "state must be an object"};
    for (const auto& [key, value] : j.items()) {
        if (key != "format" && key != "version" && key != "log" && key != "state") {
            return rejection{errc::unknown_field, key};
        }
    }

    std::vector<stamped_op> ops;
    ops.reserve(log.size());
    board folded;
    for (std::size_t i = 0; i < log.size(); ++i) {
        const std::string where = "log[" + std::to_string(i) + "]";
        auto decoded = decode_stamped(log[i]);
        if (!decoded) {
            const auto& why = decoded.error();
            return rejection{why.code, where + (why.detail.empty() ? "" : ": " + why.detail)};
        }
        if (auto applied = apply(folded, *decoded); !applied) {
            const auto& why = applied.error();
            return rejection{why.code, where + (why.detail.empty() ? "" : ": " + why.detail)};
        }
        ops.push_back(std::move(decoded).value());
    }
    // Files written before the bin, action plans, scribe attendance and time
    // zones existed have no such keys: what they have must still match.
    json expected = to_json(folded);
    for (auto it = expected.begin(); it != expected.end();) {
        it = state.contains(it.key()) ? std::next(it) : expected.erase(it);
    }
    if (expected.contains("settings") && state.at("settings").is_object() &&
        !state.at("settings").contains("time_zone")) {
        expected["settings"].erase("time_zone");
    }
    if (expected.dump() != state.dump()) {
        return rejection{errc::wrong_type, "state does not match the log"};
    }
    return ops;
}

}  // namespace ruche::protocol
