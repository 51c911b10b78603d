// What each viewer may see. Visibility is decided here, on the server side:
// private notes of others never leave the server during private writing.

#include <algorithm>

#include "ruche/protocol/board.hpp"

namespace ruche::protocol {
namespace {

// Keeps only the viewer's own entry of a {participant: dots} object.
void keep_own_votes(json& votes, const std::string& viewer) {
    json own = json::object();
    if (auto it = votes.find(viewer); it != votes.end()) own[viewer] = *it;
    votes = std::move(own);
}

void redact_note(json& n, const std::string& viewer) {
    if (n["author"] != viewer) n["author"] = nullptr;
    json authors = json::array();
    for (const auto& a : n["authors"]) {
        if (a == viewer) authors.push_back(a);
    }
    n["authors"] = std::move(authors);
    for (auto& m : n["merged"]) {
        if (m["author"] != viewer) m["author"] = nullptr;
    }
    keep_own_votes(n["votes"], viewer);
}

// The stamped op, and what a client cannot work out from it alone: after a
// merge, how many distinct people wrote the kept note (authors may be
// redacted, and a person who wrote both counts once).
json event_json(const board& after, const stamped_op& s) {
    json j = encode_stamped(s);
    if (const auto* merge = std::get_if<ops::note_merge>(&s.op)) {
        if (auto kept = after.notes.find(merge->into); kept != after.notes.end()) {
            j["author_count"] = kept->second.authors.size();
        }
    }
    return j;
}

}  // namespace

json project(const board& b, std::string_view viewer_view) {
    json j = to_json(b);
    if (is_facilitator(b, viewer_view)) return j;
    const std::string viewer(viewer_view);
    // The bin is the facilitators' undo: participants never see what was deleted.
    j["deleted_notes"] = json::object();
    j["deleted_themes"] = json::object();
    json& notes = j["notes"];
    for (const auto& [id, n] : b.notes) {
        if (!can_see(b, n, viewer)) notes.erase(id);
    }
    if (b.settings.anonymous) {
        for (auto& [id, n] : notes.items()) redact_note(n, viewer);
        for (auto& [id, t] : j["themes"].items()) keep_own_votes(t["votes"], viewer);
    }
    return j;
}

std::optional<json> project_event(const board& after, const stamped_op& s, const audience& who,
                                  std::string_view viewer) {
    const bool facilitator = is_facilitator(after, viewer);
    if (!facilitator && !who.only.empty() &&
        std::find(who.only.begin(), who.only.end(), viewer) == who.only.end()) {
        return std::nullopt;
    }
    json j = event_json(after, s);
    // A tidied board tells each viewer where the notes they see went, not
    // which private notes of others exist.
    if (!facilitator && std::holds_alternative<ops::board_arrange>(s.op)) {
        json seen = json::array();
        for (auto& p : j["op"]["notes"]) {
            auto n = after.notes.find(p["note"].get<std::string>());
            if (n != after.notes.end() && can_see(after, n->second, viewer)) seen.push_back(std::move(p));
        }
        j["op"]["notes"] = std::move(seen);
    }
    // Anonymity hides who wrote and who voted; presence stays visible (names
    // are shown in the list of participants anyway).
    const bool presence = std::holds_alternative<ops::participant_rename>(s.op);
    if (!facilitator && after.settings.anonymous && s.by != viewer && s.by != system_author &&
        !presence) {
        j.erase("by");
    }
    if (facilitator && who.resync_facilitators) j["state"] = to_json(after);
    if (!facilitator && who.resync) j["state"] = project(after, viewer);
    return j;
}

json facilitator_event(const board& after, const stamped_op& s, const audience& who) {
    json j = event_json(after, s);
    if (who.resync_facilitators) j["state"] = to_json(after);
    return j;
}

}  // namespace ruche::protocol
