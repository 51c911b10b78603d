#include <algorithm>
#include <cmath>
#include <tuple>
#include <type_traits>

#include "ruche/board/board.hpp"
#include "ruche/board/text.hpp"

namespace ruche::protocol {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view id) {
    return std::find(list.begin(), list.end(), id) != list.end();
}

bool offered(const settings& s, profile p) {
    return std::find(s.profiles.begin(), s.profiles.end(), p) != s.profiles.end();
}

// Applies one alternative of `op`. Every check comes before the first change,
// so a rejection leaves the board as it was.
class applier {
  public:
    applier(board& b, const stamped_op& s) : b_(b), s_(s) {}

    result<audience> operator()(const ops::note_add& o) {
        if (auto why = writer()) return *why;
        if (b_.notes.count(o.note)) return rejection{errc::duplicate_id, o.note};
        if (auto why = note_length(o.text)) return *why;
        // The server chooses the spot before applying; an op still asking
        // for one is incomplete.
        if (o.place) return rejection{errc::missing_field, "x"};
        if (o.profile) {
            if (!facilitator()) return rejection{errc::facilitator_only, "profile"};
            if (!offered(b_.settings, *o.profile)) {
                return rejection{errc::profile_not_offered, std::string(to_string(*o.profile))};
            }
        }
        if (o.stop && !b_.stops.count(*o.stop)) return rejection{errc::unknown_stop, *o.stop};
        if (o.category && *o.category >= b_.settings.categories.size()) {
            return rejection{errc::unknown_category, std::to_string(*o.category)};
        }
        note n;
        n.id = o.note;
        n.text = o.text;
        n.color = o.color;
        n.at = o.at;
        n.author = s_.by;
        n.authors = {s_.by};
        n.profile = o.profile;
        n.created_seq = s_.seq;
        n.created_time = s_.time;
        n.stop = o.stop;
        n.category = o.category;
        n.location = o.location;
        n.photo = o.photo;
        auto& stored = b_.notes.emplace(o.note, std::move(n)).first->second;
        return note_audience(stored);
    }

    result<audience> operator()(const ops::note_edit& o) {
        auto target = own_note(o.note);
        if (!target) return target.error();
        if (auto why = note_length(o.text)) return *why;
        (*target)->text = o.text;
        return note_audience(**target);
    }

    result<audience> operator()(const ops::note_move& o) {
        auto target = own_note(o.note);
        if (!target) return target.error();
        (*target)->at = o.at;
        return note_audience(**target);
    }

    result<audience> operator()(const ops::note_color& o) {
        auto target = own_note(o.note);
        if (!target) return target.error();
        (*target)->color = o.color;
        return note_audience(**target);
    }

    result<audience> operator()(const ops::note_delete& o) {
        auto target = own_note(o.note);
        if (!target) return target.error();
        audience who = note_audience(**target);
        release_dots((*target)->votes);
        auto node = b_.notes.extract(o.note);
        b_.deleted_notes[o.note] = deleted_note{std::move(node.mapped()), s_.seq};
        return who;
    }

    result<audience> operator()(const ops::note_restore& o) {
        if (auto why = facilitation()) return *why;
        auto binned = b_.deleted_notes.find(o.note);
        if (binned == b_.deleted_notes.end()) {
            if (b_.notes.count(o.note)) return rejection{errc::not_deleted, o.note};
            return rejection{errc::unknown_note, o.note};
        }
        note n = std::move(binned->second.note);
        b_.deleted_notes.erase(binned);
        if (n.theme && !b_.themes.count(*n.theme)) n.theme.reset();
        n.votes = reclaim_dots(n.votes);
        b_.notes.emplace(o.note, std::move(n));
        return restored();
    }

    result<audience> operator()(const ops::note_merge& o) {
        if (auto why = facilitation()) return *why;
        auto source = b_.notes.find(o.note);
        if (source == b_.notes.end()) return rejection{errc::unknown_note, o.note};
        auto into = b_.notes.find(o.into);
        if (into == b_.notes.end()) return rejection{errc::unknown_note, o.into};
        if (source == into) return rejection{errc::merge_into_self, o.note};

        audience who = note_audience(into->second);
        for (const auto& a : note_audience(source->second).only) {
            if (!contains(who.only, a)) who.only.push_back(a);
        }
        // During private writing the authors of either note now see the kept
        // one, which some of them never received: they need a fresh state.
        who.resync = b_.phase == phase::writing;
        note& keep = into->second;
        note& gone = source->second;
        for (const auto& a : gone.authors) {
            if (!contains(keep.authors, a)) keep.authors.push_back(a);
        }
        for (const auto& [voter, dots] : gone.votes) keep.votes[voter] += dots;
        keep.merged.push_back({gone.id, gone.text, gone.author});
        keep.merged.insert(keep.merged.end(), gone.merged.begin(), gone.merged.end());
        b_.notes.erase(source);
        return who;
    }

    result<audience> operator()(const ops::note_group& o) {
        if (auto why = facilitation()) return *why;
        auto n = b_.notes.find(o.note);
        if (n == b_.notes.end()) return rejection{errc::unknown_note, o.note};
        if (o.theme && !b_.themes.count(*o.theme)) return rejection{errc::unknown_theme, *o.theme};
        n->second.theme = o.theme;
        return note_audience(n->second);
    }

    result<audience> operator()(const ops::theme_create& o) {
        if (auto why = facilitation()) return *why;
        if (b_.themes.count(o.theme)) return rejection{errc::duplicate_id, o.theme};
        if (o.place) return rejection{errc::missing_field, "x"};
        theme t;
        t.id = o.theme;
        t.title = o.title;
        t.at = o.at;
        t.created_seq = s_.seq;
        b_.themes.emplace(o.theme, std::move(t));
        return audience{};
    }

    result<audience> operator()(const ops::theme_rename& o) {
        auto t = facilitated_theme(o.theme);
        if (!t) return t.error();
        (*t)->title = o.title;
        return audience{};
    }

    result<audience> operator()(const ops::theme_move& o) {
        auto t = facilitated_theme(o.theme);
        if (!t) return t.error();
        (*t)->at = o.at;
        return audience{};
    }

    result<audience> operator()(const ops::theme_delete& o) {
        auto t = facilitated_theme(o.theme);
        if (!t) return t.error();
        deleted_theme gone;
        for (auto& [id, n] : b_.notes) {
            if (n.theme == o.theme) {
                n.theme.reset();
                gone.notes.push_back(id);
            }
        }
        release_dots((*t)->votes);
        gone.theme = std::move(b_.themes.extract(o.theme).mapped());
        gone.deleted_seq = s_.seq;
        b_.deleted_themes[o.theme] = std::move(gone);
        return audience{};
    }

    result<audience> operator()(const ops::theme_restore& o) {
        if (auto why = facilitation()) return *why;
        auto binned = b_.deleted_themes.find(o.theme);
        if (binned == b_.deleted_themes.end()) {
            if (b_.themes.count(o.theme)) return rejection{errc::not_deleted, o.theme};
            return rejection{errc::unknown_theme, o.theme};
        }
        deleted_theme back = std::move(binned->second);
        b_.deleted_themes.erase(binned);
        // Its notes come back into it unless they have found another theme since.
        for (const auto& id : back.notes) {
            auto n = b_.notes.find(id);
            if (n != b_.notes.end() && !n->second.theme) n->second.theme = o.theme;
        }
        back.theme.votes = reclaim_dots(back.theme.votes);
        b_.themes.emplace(o.theme, std::move(back.theme));
        return restored();
    }

    result<audience> operator()(const ops::action_add& o) {
        if (auto why = facilitator_or_system(false)) return *why;
        if (b_.actions.count(o.action)) return rejection{errc::duplicate_id, o.action};
        if (!b_.themes.count(o.theme)) return rejection{errc::unknown_theme, o.theme};
        b_.actions[o.action] = action{o.action, o.theme, o.what, o.who, o.when, s_.seq};
        return audience{};
    }

    result<audience> operator()(const ops::action_edit& o) {
        if (auto why = facilitator_or_system(false)) return *why;
        auto it = b_.actions.find(o.action);
        if (it == b_.actions.end()) return rejection{errc::unknown_action, o.action};
        it->second.what = o.what;
        it->second.who = o.who;
        it->second.when = o.when;
        return audience{};
    }

    result<audience> operator()(const ops::action_delete& o) {
        if (auto why = facilitator_or_system(false)) return *why;
        if (!b_.actions.erase(o.action)) return rejection{errc::unknown_action, o.action};
        return audience{};
    }

    result<audience> operator()(const ops::attendance_set& o) {
        // Allowed once closed too: headcounts are often written down afterwards.
        if (auto why = facilitator_or_system(false)) return *why;
        if (!offered(b_.settings, o.profile)) {
            return rejection{errc::profile_not_offered, std::string(to_string(o.profile))};
        }
        if (o.count == 0) {
            b_.scribe_attendance.erase(o.profile);
        } else {
            b_.scribe_attendance[o.profile] = o.count;
        }
        return audience{};
    }

    result<audience> operator()(const ops::theme_synthesis& o) {
        // Allowed once closed too: the synthesis is often finished after the meeting.
        if (auto why = facilitator_or_system(false)) return *why;
        auto t = b_.themes.find(o.theme);
        if (t == b_.themes.end()) return rejection{errc::unknown_theme, o.theme};
        t->second.synthesis = o.text;
        return audience{};
    }

    result<audience> operator()(const ops::vote_add& o) {
        auto tally = ballot(o.target);
        if (!tally) return tally.error();
        const auto spent = b_.dots_used.find(s_.by);
        const std::uint32_t used = spent == b_.dots_used.end() ? 0 : spent->second;
        if (used >= b_.settings.vote_budget) {
            return rejection{
                errc::vote_budget_exhausted,
                std::to_string(used) + " of " + std::to_string(b_.settings.vote_budget) + " used"};
        }
        ++(**tally)[s_.by];
        ++b_.dots_used[s_.by];
        return audience{};
    }

    result<audience> operator()(const ops::vote_remove& o) {
        auto tally = ballot(o.target);
        if (!tally) return tally.error();
        auto mine = (*tally)->find(s_.by);
        if (mine == (*tally)->end()) return rejection{errc::no_vote_to_remove, o.target.id};
        if (--mine->second == 0) (*tally)->erase(mine);
        release_dots({{s_.by, 1}});
        return audience{};
    }

    result<audience> operator()(const ops::phase_set& o) {
        if (auto why = facilitator_or_system(false)) return *why;
        audience who;
        // Entering or leaving private writing changes which notes participants see.
        who.resync = (b_.phase == phase::writing) != (o.phase == phase::writing);
        // Hidden votes are revealed when the vote ends (and hidden again if it restarts).
        who.resync = who.resync || (b_.settings.hidden_votes &&
                                    (b_.phase == phase::voting) != (o.phase == phase::voting));
        if (b_.phase != o.phase || b_.phases.empty()) {
            b_.phases.push_back({o.phase, s_.seq, s_.time});
        }
        b_.phase = o.phase;
        // Nobody writes or votes any more: a countdown would mean nothing.
        if (o.phase == phase::closed) b_.timer.reset();
        return who;
    }

    result<audience> operator()(const ops::board_arrange& o) {
        if (auto why = facilitation()) return *why;
        // Checked whole before anything moves: a refused op changes nothing.
        // Each id is looked up once: a tidied board lists every free note.
        std::vector<point*> note_places;
        note_places.reserve(o.notes.size());
        for (const auto& p : o.notes) {
            auto n = b_.notes.find(p.id);
            if (n == b_.notes.end()) return rejection{errc::unknown_note, p.id};
            if (n->second.theme) return rejection{errc::invalid_id, p.id + " is in a theme"};
            note_places.push_back(&n->second.at);
        }
        std::vector<point*> theme_places;
        theme_places.reserve(o.themes.size());
        for (const auto& p : o.themes) {
            auto t = b_.themes.find(p.id);
            if (t == b_.themes.end()) return rejection{errc::unknown_theme, p.id};
            theme_places.push_back(&t->second.at);
        }
        for (std::size_t i = 0; i < o.notes.size(); ++i) *note_places[i] = o.notes[i].at;
        for (std::size_t i = 0; i < o.themes.size(); ++i) *theme_places[i] = o.themes[i].at;
        audience who;
        // Private writing: each participant hears only of their own notes.
        who.per_viewer = b_.phase == phase::writing;
        return who;
    }

    result<audience> operator()(const ops::note_stop& o) {
        auto target = own_note(o.note);
        if (!target) return target.error();
        if (o.stop && !b_.stops.count(*o.stop)) return rejection{errc::unknown_stop, *o.stop};
        (*target)->stop = o.stop;
        return note_audience(**target);
    }

    result<audience> operator()(const ops::note_photo& o) {
        // Whether the photo may be attached (it exists, its uploader is the
        // op's author) is the server's to check: the photos are not in the log.
        auto target = own_note(o.note);
        if (!target) return target.error();
        (*target)->photo = o.photo;
        return note_audience(**target);
    }

    result<audience> operator()(const ops::stop_add& o) {
        if (auto why = facilitation()) return *why;
        if (b_.stops.count(o.stop)) return rejection{errc::duplicate_id, o.stop};
        if (b_.stops.size() >= max_stops) return rejection{errc::too_many_stops, {}};
        b_.stops.emplace(o.stop, stop{o.stop, o.name, o.question, o.place, s_.seq});
        return audience{};
    }

    result<audience> operator()(const ops::stop_edit& o) {
        if (auto why = facilitation()) return *why;
        auto it = b_.stops.find(o.stop);
        if (it == b_.stops.end()) return rejection{errc::unknown_stop, o.stop};
        it->second.name = o.name;
        it->second.question = o.question;
        it->second.place = o.place;
        return audience{};
    }

    result<audience> operator()(const ops::stop_delete& o) {
        if (auto why = facilitation()) return *why;
        if (!b_.stops.erase(o.stop)) return rejection{errc::unknown_stop, o.stop};
        // Its notes stay, on no stop; those in the bin too, so a restored
        // note never points at a stop that is gone.
        for (auto& [id, n] : b_.notes) {
            if (n.stop == o.stop) n.stop.reset();
        }
        for (auto& [id, binned] : b_.deleted_notes) {
            if (binned.note.stop == o.stop) binned.note.stop.reset();
        }
        if (b_.current_stop == o.stop) b_.current_stop.reset();
        return audience{};
    }

    result<audience> operator()(const ops::stop_go& o) {
        if (auto why = facilitation()) return *why;
        if (o.stop && !b_.stops.count(*o.stop)) return rejection{errc::unknown_stop, *o.stop};
        b_.current_stop = o.stop;
        return audience{};
    }

    result<audience> operator()(const ops::board_lock& o) {
        if (auto why = facilitation()) return *why;
        b_.locked = o.locked;
        return audience{};
    }

    result<audience> operator()(const ops::timer_start& o) {
        if (auto why = facilitation()) return *why;
        b_.timer = timer{s_.time, o.seconds};
        return audience{};
    }

    result<audience> operator()(const ops::timer_stop&) {
        if (auto why = facilitation()) return *why;
        b_.timer.reset();
        return audience{};
    }

    result<audience> operator()(const ops::settings_set& o) {
        if (auto why = facilitator_or_system(false)) return *why;
        if (o.categories) {
            if (auto in_use = highest_category(); in_use && *in_use >= o.categories->size()) {
                return rejection{errc::category_in_use, std::to_string(*in_use)};
            }
        }
        auto& st = b_.settings;
        audience who;
        if (o.title) st.title = *o.title;
        if (o.question) st.question = *o.question;
        if (o.vote_budget) st.vote_budget = *o.vote_budget;
        if (o.anonymous) {
            who.resync = st.anonymous != *o.anonymous;
            st.anonymous = *o.anonymous;
        }
        if (o.note_max_length) st.note_max_length = *o.note_max_length;
        if (o.profiles) st.profiles = *o.profiles;
        if (o.time_zone) st.time_zone = *o.time_zone;
        if (o.retention_days) st.retention_days = *o.retention_days;
        if (o.categories) st.categories = *o.categories;
        if (o.hidden_votes) {
            // During the vote, participants then see every dot, or only their own.
            who.resync = who.resync || (b_.phase == phase::voting && st.hidden_votes != *o.hidden_votes);
            st.hidden_votes = *o.hidden_votes;
        }
        return who;
    }

    result<audience> operator()(const ops::participant_join& o) {
        if (s_.by != system_author) return rejection{errc::system_only, "participant.join"};
        if (o.participant == system_author) return rejection{errc::invalid_id, o.participant};
        if (o.profile && !offered(b_.settings, *o.profile)) {
            return rejection{errc::profile_not_offered, std::string(to_string(*o.profile))};
        }
        auto [it, fresh] = b_.participants.try_emplace(o.participant);
        participant& p = it->second;
        if (fresh) {
            p.id = o.participant;
            p.joined_time = s_.time;
        }
        p.role = o.role;
        if (fresh || !o.name.empty()) p.name = o.name;
        if (fresh || o.profile) p.profile = o.profile;
        p.present = true;
        return audience{};
    }

    result<audience> operator()(const ops::participant_rename& o) {
        auto* p = actor();
        if (!p) return rejection{errc::unknown_participant, s_.by};
        if (o.profile && !offered(b_.settings, *o.profile)) {
            return rejection{errc::profile_not_offered, std::string(to_string(*o.profile))};
        }
        p->name = o.name;
        if (o.profile) p->profile = o.profile;
        return audience{};
    }

    result<audience> operator()(const ops::participant_leave& o) {
        if (s_.by != system_author) return rejection{errc::system_only, "participant.leave"};
        auto p = b_.participants.find(o.participant);
        if (p == b_.participants.end()) return rejection{errc::unknown_participant, o.participant};
        p->second.present = false;
        return audience{};
    }

  private:
    participant* actor() {
        auto it = b_.participants.find(s_.by);
        return it == b_.participants.end() ? nullptr : &it->second;
    }
    bool facilitator() {
        const auto* p = actor();
        return p && p->role == role::facilitator;
    }

    // Writing notes or voting: a known participant on an open board.
    std::optional<rejection> writer() {
        if (!actor()) return rejection{errc::unknown_participant, s_.by};
        if (b_.phase == phase::closed) return rejection{errc::session_closed, {}};
        if (b_.locked && !facilitator()) return rejection{errc::board_locked, {}};
        return std::nullopt;
    }

    // Facilitation on a board that is not closed.
    std::optional<rejection> facilitation() {
        if (auto why = facilitator_or_system(true)) return why;
        return std::nullopt;
    }

    std::optional<rejection> facilitator_or_system(bool refuse_when_closed) {
        if (s_.by != system_author) {
            if (!actor()) return rejection{errc::unknown_participant, s_.by};
            if (!facilitator())
                return rejection{errc::facilitator_only, std::string(kind_name(s_.op))};
        }
        if (refuse_when_closed && b_.phase == phase::closed) {
            return rejection{errc::session_closed, {}};
        }
        return std::nullopt;
    }

    // The highest category a note uses, in the bin too (a restored note
    // must still find its category).
    std::optional<std::uint32_t> highest_category() const {
        std::optional<std::uint32_t> top;
        const auto see = [&](const note& n) {
            if (n.category && (!top || *n.category > *top)) top = n.category;
        };
        for (const auto& [id, n] : b_.notes) see(n);
        for (const auto& [id, binned] : b_.deleted_notes) see(binned.note);
        return top;
    }

    std::optional<rejection> note_length(const std::string& text) {
        const auto length = detail::utf8_length(text).value_or(0);
        if (length > b_.settings.note_max_length) {
            return rejection{errc::too_long,
                             "text has " + std::to_string(length) + " characters, at most " +
                                 std::to_string(b_.settings.note_max_length) + " allowed"};
        }
        return std::nullopt;
    }

    // A note the actor may change: their own, or any for the facilitator.
    // A note the actor cannot see is reported unknown, so nothing leaks.
    result<note*> own_note(const std::string& id) {
        if (auto why = writer()) return *why;
        auto it = b_.notes.find(id);
        if (it == b_.notes.end() || !can_see(b_, it->second, s_.by)) {
            return rejection{errc::unknown_note, id};
        }
        // Authors of merged duplicates see the kept note but do not own it.
        if (!facilitator() && it->second.author != s_.by) {
            return rejection{errc::not_author, id};
        }
        return &it->second;
    }

    result<theme*> facilitated_theme(const std::string& id) {
        if (auto why = facilitation()) return *why;
        auto it = b_.themes.find(id);
        if (it == b_.themes.end()) return rejection{errc::unknown_theme, id};
        return &it->second;
    }

    result<vote_tally*> ballot(const vote_target& target) {
        if (auto why = writer()) return *why;
        if (b_.phase != phase::voting)
            return rejection{errc::wrong_phase, std::string(to_string(b_.phase))};
        if (target.kind == vote_target::kind_t::note) {
            auto it = b_.notes.find(target.id);
            if (it == b_.notes.end()) return rejection{errc::unknown_note, target.id};
            return &it->second.votes;
        }
        auto it = b_.themes.find(target.id);
        if (it == b_.themes.end()) return rejection{errc::unknown_theme, target.id};
        return &it->second.votes;
    }

    // Dots coming back with a restored item, as far as each voter's budget
    // still allows (they may have spent them elsewhere meanwhile).
    vote_tally reclaim_dots(const vote_tally& votes) {
        vote_tally kept;
        for (const auto& [voter, dots] : votes) {
            auto& used = b_.dots_used[voter];
            const std::uint32_t room =
                used < b_.settings.vote_budget ? b_.settings.vote_budget - used : 0;
            const std::uint32_t back = std::min(dots, room);
            if (back > 0) {
                kept[voter] = back;
                used += back;
            }
            if (used == 0) b_.dots_used.erase(voter);
        }
        return kept;
    }

    // Everyone, facilitators included, gets the state again: the restored
    // item may be one their client already put away, or never saw.
    static audience restored() {
        audience who;
        who.resync = true;
        who.resync_facilitators = true;
        return who;
    }

    // Dots that leave the board go back to their voters' budgets.
    void release_dots(const vote_tally& votes) {
        for (const auto& [voter, dots] : votes) {
            auto it = b_.dots_used.find(voter);
            if (it == b_.dots_used.end()) continue;
            it->second -= std::min(it->second, dots);
            if (it->second == 0) b_.dots_used.erase(it);
        }
    }

    audience note_audience(const note& n) const {
        audience who;
        if (b_.phase == phase::writing) who.only = n.authors;
        return who;
    }

    board& b_;
    const stamped_op& s_;
};

}  // namespace

std::uint32_t total(const vote_tally& votes) noexcept {
    std::uint32_t sum = 0;
    for (const auto& [voter, dots] : votes) sum += dots;
    return sum;
}

std::uint32_t retention_days(const settings& s, std::uint32_t server_days) noexcept {
    if (s.retention_days == 0) return server_days;
    if (server_days == 0) return s.retention_days;
    return std::min(s.retention_days, server_days);
}

std::int64_t erase_time(const board& b, std::uint32_t server_days) noexcept {
    const std::uint32_t days = retention_days(b.settings, server_days);
    if (days == 0) return 0;
    return b.updated_time + static_cast<std::int64_t>(days) * 24 * 3600 * 1000;
}

bool is_facilitator(const board& b, std::string_view viewer) {
    auto it = b.participants.find(std::string(viewer));
    return it != b.participants.end() && it->second.role == role::facilitator;
}

point free_spot(const board& b) {
    // Cells taken by a note outside any theme (notes in a theme are shown in it).
    std::vector<bool> taken;
    for (const auto& [id, n] : b.notes) {
        if (n.theme || n.at.x < 0 || n.at.y < 0) continue;
        const auto column = n.at.x / spot_width;
        if (column >= spot_columns) continue;
        const auto cell = static_cast<std::size_t>(n.at.y / spot_height) * spot_columns +
                          static_cast<std::size_t>(column);
        if (cell >= b.notes.size()) continue;  // beyond the first free cell anyway
        if (taken.size() <= cell) taken.resize(cell + 1, false);
        taken[cell] = true;
    }
    std::size_t cell = 0;
    while (cell < taken.size() && taken[cell]) ++cell;
    return {static_cast<std::int32_t>(cell % spot_columns) * spot_width,
            static_cast<std::int32_t>(cell / spot_columns) * spot_height};
}

namespace {

// In the order they were made (created_seq), which is what people expect
// of a tidied board; ids only break ties that cannot happen.
template <typename Item>
std::vector<const Item*> by_creation(const std::map<std::string, Item>& items, bool free_notes_only) {
    std::vector<const Item*> out;
    for (const auto& [id, item] : items) {
        if constexpr (std::is_same_v<Item, note>) {
            if (free_notes_only && item.theme) continue;
        }
        out.push_back(&item);
    }
    std::sort(out.begin(), out.end(), [](const Item* a, const Item* b) {
        return std::tie(a->created_seq, a->id) < std::tie(b->created_seq, b->id);
    });
    return out;
}

// A grid of notes about as wide as a 16:9 screen is for its cells.
std::int32_t arrange_columns(std::size_t notes) {
    const auto ideal = static_cast<std::int32_t>(std::ceil(std::sqrt(static_cast<double>(notes) * 1.6)));
    return std::clamp(ideal, spot_columns, std::int32_t{24});
}

}  // namespace

point theme_spot(const board& b) {
    std::int64_t right = std::int64_t{spot_columns} * spot_width;
    for (const auto& [id, n] : b.notes) {
        if (!n.theme) right = std::max<std::int64_t>(right, std::int64_t{n.at.x} + spot_width);
    }
    right += theme_gap;
    for (const auto& [id, t] : b.themes) {
        right = std::max<std::int64_t>(right, std::int64_t{t.at.x} + theme_spot_width);
    }
    return {static_cast<std::int32_t>(std::min<std::int64_t>(right, coordinate_limit)), 0};
}

ops::board_arrange arrangement(const board& b, bool by_stop) {
    ops::board_arrange out;
    if (by_stop) out.by_stop = true;
    const auto notes = by_creation(b.notes, true);
    // 20,000 notes at most (an import's limit) stay far within the limit.
    const auto place = [&](const std::string& id, std::int64_t column, std::int64_t row) {
        out.notes.push_back({id, {static_cast<std::int32_t>(std::min<std::int64_t>(column * spot_width, coordinate_limit)),
                                  static_cast<std::int32_t>(std::min<std::int64_t>(row * spot_height, coordinate_limit))}});
    };
    std::int64_t columns = 0;
    if (by_stop) {
        const auto stops = route(b);
        std::map<std::string_view, std::size_t> column_of;
        for (std::size_t i = 0; i < stops.size(); ++i) column_of[stops[i]->id] = i;
        std::vector<std::int64_t> rows(stops.size() + 1, 0);  // the last: at no stop
        for (const auto* n : notes) {
            const auto at = n->stop ? column_of.find(*n->stop) : column_of.end();
            const auto column = at == column_of.end() ? stops.size() : at->second;
            place(n->id, static_cast<std::int64_t>(column), rows[column]++);
        }
        columns = std::max<std::int64_t>(1, static_cast<std::int64_t>(stops.size()) + (rows.back() > 0 ? 1 : 0));
    } else {
        columns = arrange_columns(notes.size());
        for (std::size_t i = 0; i < notes.size(); ++i) {
            place(notes[i]->id, static_cast<std::int64_t>(i % static_cast<std::size_t>(columns)),
                  static_cast<std::int64_t>(i / static_cast<std::size_t>(columns)));
        }
    }
    const std::int64_t first = columns * spot_width + theme_gap;
    const auto themes = by_creation(b.themes, false);
    for (std::size_t i = 0; i < themes.size(); ++i) {
        const auto x = first + static_cast<std::int64_t>(i) * theme_spot_width;
        out.themes.push_back({themes[i]->id, {static_cast<std::int32_t>(std::min<std::int64_t>(x, coordinate_limit)), 0}});
    }
    return out;
}

std::vector<const stop*> route(const board& b) {
    return by_creation(b.stops, false);
}

stamped_op stamp(const board& b, op o, std::int64_t time, std::string by) {
    stamped_op s{b.seq + 1, time, std::move(by), std::move(o)};
    const auto seq = std::to_string(s.seq);
    if (auto* add = std::get_if<ops::note_add>(&s.op)) {
        add->note = "n" + seq;
        if (add->place) {
            add->at = free_spot(b);
            add->place = false;
        }
    }
    if (auto* create = std::get_if<ops::theme_create>(&s.op)) {
        create->theme = "t" + seq;
        if (create->place) {
            create->at = theme_spot(b);
            create->place = false;
        }
    }
    if (auto* arrange = std::get_if<ops::board_arrange>(&s.op)) {
        *arrange = arrangement(b, arrange->by_stop.value_or(false));
    }
    if (auto* action = std::get_if<ops::action_add>(&s.op)) action->action = "a" + seq;
    if (auto* stop = std::get_if<ops::stop_add>(&s.op)) stop->stop = "s" + seq;
    return s;
}

bool can_see(const board& b, const note& n, std::string_view viewer) {
    return b.phase != phase::writing || contains(n.authors, viewer) || is_facilitator(b, viewer);
}

result<audience> apply(board& b, const stamped_op& s) {
    if (s.seq != b.seq + 1) {
        return rejection{errc::out_of_order, "expected " + std::to_string(b.seq + 1) + ", got " +
                                                 std::to_string(s.seq)};
    }
    auto outcome = std::visit(applier{b, s}, s.op);
    if (outcome) {
        if (b.seq == 0) b.created_time = s.time;
        b.seq = s.seq;
        b.updated_time = s.time;
    }
    return outcome;
}

}  // namespace ruche::protocol
